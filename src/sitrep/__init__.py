"""sitrep: news articles in, sourced, geocoded, ACLED-style event data out.

    >>> import sitrep
    >>> events = sitrep.extract(text, published="2024-11-30")
    >>> events[0].to_dict()["sub_event_type"]
"""

from __future__ import annotations

import hashlib
from datetime import date

from sitrep.models import Actor, Article, Event, Fatalities, Place, Quote, Source, Span

__version__ = "0.1.0"
__all__ = [
    "Actor", "Article", "Event", "Fatalities", "Place", "Quote", "Source", "Span",
    "__version__", "extract", "geoparse", "quotes",
]


def _article(text: str, published: date | str | None = None) -> Article:
    from sitrep.read import dateline

    if isinstance(published, str):
        published = date.fromisoformat(published)
    published = dateline(text) or published
    return Article(id=hashlib.sha1(text.encode()).hexdigest()[:12], text=text, published=published)


def extract(text: str, published: date | str | None = None) -> list[Event]:
    """The events a news text reports, coded in ACLED's taxonomy."""
    from sitrep.pipeline import default_pipeline

    return list(default_pipeline().analyse(_article(text, published)).events)


def geoparse(text: str) -> list[Place]:
    """Every place the text names, resolved to the gazetteer."""
    from sitrep.pipeline import default_pipeline

    return list(default_pipeline().analyse(_article(text)).places)


def quotes(text: str) -> list[Quote]:
    """Every attributed statement in the text: who said what."""
    from sitrep.pipeline import default_pipeline

    return list(default_pipeline().analyse(_article(text)).quotes)
