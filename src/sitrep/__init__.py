"""sitrep: news articles in, sourced, geocoded, ACLED-style event data out."""

__version__ = "0.1.0"
