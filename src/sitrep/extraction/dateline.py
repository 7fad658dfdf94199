"""The report's own date, read from the dateline that opens an article.

One reader serves the whole program: ``read`` takes its day as the publication date of an input that
carries none in its metadata, and ``events`` resolves relative dates ("on Saturday") against that day
and never takes the dateline's words for an event's date or place.

Rules:

1. **The day** is the earliest full date (day, month and a four-digit year) among the first
   ``DATELINE_CHARS`` characters, in any form ``dates.find_dates`` reads: "Wed 05 Apr 2017",
   "April 5, 2017", "5 April 2017", "5 avril 2017", "2017-04-05", and the forms scraped pages glue
   to the next word: "07.07.2015Get short URL", "Last updated at Apr 152017". A date in figures with
   the day or month first ("24-02-2015", "07-08-2013": 7 August or 8 July) counts only where it opens
   the text, as the page's own stamp. A date without a year ("Saturday November 30"), a month or a
   year alone is no dateline.
2. **Where the dateline ends** (``end``): after "PLACE, date - " (a few capitalised words, then a
   dash: "GOMA, Democratic Republic of Congo, 28 January 2025 - "), or after a page's time stamp that
   opens the text (after at most a "Published" or a weekday): a date in figures only or run into the
   next word or its own year ("24-02-2015 Syrian Army ...", "07.07.2015Get short URL", "Last updated
   at Apr 152017"), which no sentence is made of. A date in words that opens the text
   ("Wed 05 Apr 2017 Syria attack ...") is read as part of the headline it opens: it gives the day
   and may date that headline. ``end`` is 0 otherwise; a dash later in a sentence ("in Mogadishu -
   Daynile") ends no dateline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sitrep.extraction.dates import find_dates
from sitrep.models import Span

__all__ = ["DATELINE_CHARS", "Dateline", "read_dateline"]

DATELINE_CHARS = 300
"""The day is looked for in this many leading characters: a dateline opens an article."""
LEAD_CHARS = 40
"""How far into the text a date may start and still open it (room for "Last updated at",
"Date of publication")."""
DASH_CHARS = 200
"""How far into the text the dash that closes "PLACE, date - " is looked for."""
DATELINE_WORDS = 12
"""A dateline is a few capitalised words ('GOMA, Democratic Republic of Congo, 28 January 2025 - '),
never a clause."""
NAME_PARTICLES = frozenset({"of", "the", "de", "du", "la", "le", "al", "el", "and"})
"""Lowercase words that may stand in a place name of a dateline."""

_DASH = re.compile(r"\s[-–—]{1,2}\s")
_OPENER = re.compile(
    r"\W*(?:(?:published|posted|last updated|updated|date of publication|print this page|publié|mis à jour)"
    r"(?:\s*:|\s+(?:on|at|le))?\s*)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?",
    re.IGNORECASE,
)
"""What may stand before a date that opens the text: a "Published" and a weekday."""
_YEAR = re.compile(r"(?:19|20)\d\d(?!\d)")
_RUN_TOGETHER = re.compile(r"\d{5}")
_YEAR_FIRST = re.compile(r"(?:19|20)\d\d\D")


@dataclass(frozen=True)
class Dateline:
    """What the opening of an article says about the report itself."""

    day: date | None
    """The report's date (rule 1); None when the opening names no full date."""
    span: Span | None
    """The words of that date, offsets into the text."""
    end: int
    """Where the dateline ends (rule 2), 0 when there is none: dates and places before it are the
    report's, not an event's."""


def read_dateline(text: str) -> Dateline:
    """The dateline of ``text``: its day, the words of that day, and where the dateline ends."""
    window = text[:DATELINE_CHARS]
    full = next(
        (m for m in find_dates(window, None)
         if m.day is not None and m.day == m.end and m.shift is None and _YEAR.search(m.span.text)
         and (not _ambiguous(m.span.text) or _opens(text, m.span))),
        None,
    )
    end = _dash_end(text)
    if full is not None and _opens(text, full.span) and _stamp(text, full.span):
        end = max(end, full.span.end)
    return Dateline(full.day if full else None, full.span if full else None, end)


def _ambiguous(words: str) -> bool:
    """Whether a date is in figures with the day or month first ("07-08-2013": 7 August or 8 July)."""
    return not any(c.isalpha() for c in words) and _YEAR_FIRST.match(words) is None


def _opens(text: str, span: Span) -> bool:
    """Whether the date opens the text, after at most a "Published" and a weekday."""
    return span.start <= LEAD_CHARS and _OPENER.fullmatch(text, 0, span.start) is not None


def _stamp(text: str, span: Span) -> bool:
    """Whether a date is a page's time stamp rather than words of a sentence: written in figures only
    ("24-02-2015"), or run into the next word or its own year ("07.07.2015Get", "Apr 152017")."""
    return (not any(c.isalpha() for c in span.text) or _RUN_TOGETHER.search(span.text) is not None
            or text[span.end : span.end + 1].isalpha())


def _dash_end(text: str) -> int:
    """Where a "PLACE, date - " dateline ends, else 0."""
    match = _DASH.search(text, 0, DASH_CHARS)
    if match is None:
        return 0
    words = text[: match.start()].split()
    if len(words) > DATELINE_WORDS or any(w[0].islower() and w not in NAME_PARTICLES for w in words):
        return 0
    return match.end()
