"""sitrep: news articles in, sourced, geocoded, ACLED-style event data out.

    >>> import sitrep
    >>> events = sitrep.extract(text, published="2024-11-30")
    >>> events[0].to_dict()["sub_event_type"]
"""

from __future__ import annotations

import hashlib
from datetime import date

from sitrep.errors import OversizedInput
from sitrep.models import Actor, Article, Event, Fatalities, Place, Quote, Source, Span

__version__ = "0.1.0"
__all__ = [
    "Actor", "Article", "Event", "Fatalities", "Place", "Quote", "Source", "Span",
    "__version__", "extract", "geoparse", "quotes",
]


def _article(text: str, published: date | str | None = None) -> Article:
    """The article the API reads: ``text`` with lone surrogates made U+FFFD (see ``read.unicode_text``),
    ``published`` as a date when it is a plausible one (else None, with a warning), a dateline first."""
    from sitrep.extraction.dateline import read_dateline
    from sitrep.read import MAX_BYTES, publication_date, unicode_text

    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    if len(text) > MAX_BYTES:
        raise OversizedInput("text", f"{len(text)} characters, more than the {MAX_BYTES} a document may have")
    text = unicode_text(text, "text")
    when = read_dateline(text).day or publication_date(published, "published")
    return Article(id=hashlib.sha1(text.encode()).hexdigest()[:12], text=text, published=when)


def extract(text: str, published: date | str | None = None, classifier: str = "rules") -> list[Event]:
    """The events a news text reports, coded in ACLED's taxonomy.

    ``published``: the publication day (a date or "YYYY-MM-DD"), against which relative dates are
    resolved; one that is not a date, or lies outside the years sitrep reads, is ignored with a
    warning. ``classifier``: what decides the sub-types, ``"rules"`` or ``"embeddings"`` (the
    ``embeddings`` extra; ``pipeline.CLASSIFIERS``). Raises ``OversizedInput`` for a text longer than
    ``read.MAX_BYTES`` characters, ``AnalysisError`` should the analysis fail (an error in sitrep, the
    cause chained), ``MissingDependency`` for ``"embeddings"`` without its extra and ``ValueError``
    for another classifier.
    """
    from sitrep.pipeline import default_pipeline

    return list(default_pipeline(classifier=classifier).analyse(_article(text, published)).events)


def geoparse(text: str) -> list[Place]:
    """Every place the text names, resolved to the gazetteer (errors as ``extract``)."""
    from sitrep.pipeline import default_pipeline

    return list(default_pipeline().analyse(_article(text)).places)


def quotes(text: str) -> list[Quote]:
    """Every attributed statement in the text: who said what (errors as ``extract``)."""
    from sitrep.pipeline import default_pipeline

    return list(default_pipeline().analyse(_article(text)).quotes)
