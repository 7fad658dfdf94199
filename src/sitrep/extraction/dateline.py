"""The report's own date, read from the dateline that opens an article.

Scraped articles often open with the day they were published, in forms the general date reader
leaves alone because they are glued to the next word or use dashes: "07.07.2015Get short URL",
"24-02-2015 Syrian Army ...", "Last updated at Apr 152017 BEIRUT ...", "Date of publication
4 April 2017 ...". That day is the report's, the reference that relative dates ("on Saturday")
resolve against; it is never an event's own date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sitrep.extraction.dates import MONTHS, safe_date
from sitrep.models import Span

__all__ = ["ReportDate", "report_date"]

LEAD_CHARS = 40
"""How far into the text the date may start (room for "Last updated at", "Date of publication")."""

_PREFIX = (r"^\W*(?:(?:published|posted|last updated|updated|date of publication|print this page)"
           r"(?:\s+(?:on|at|:))?\s*)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?")
_MONTH = r"(?P<month>" + "|".join(sorted((m for m in MONTHS if m.isascii()), key=len, reverse=True)) + r")\.?"
_FORMS = (
    re.compile(_PREFIX + r"(?P<d>[0-3]?\d)[-./](?P<m>[01]?\d)[-./](?P<y>(?:19|20)\d\d)", re.I),
    re.compile(_PREFIX + r"(?P<d>[0-3]?\d)\s+" + _MONTH + r",?\s+(?P<y>(?:19|20)\d\d)", re.I),
    re.compile(_PREFIX + _MONTH + r"\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s*(?P<y>(?:19|20)\d\d)", re.I),
)


@dataclass(frozen=True)
class ReportDate:
    """The day an article was published, as its dateline gives it."""

    day: date
    span: Span
    """The dateline's date words (offsets into the article text)."""


def report_date(text: str) -> ReportDate | None:
    """The date that opens the text, when it opens with one (after an optional "Published" or weekday).

    Numeric dates are read day first ("24-02-2015"), month first only when that is the only valid reading.
    """
    for form in _FORMS:
        match = form.match(text)
        if match is None or match.start("d") > LEAD_CHARS:
            continue
        day = _day(match)
        if day is not None:
            start = min(match.start(g) for g in ("d", "month") if g in form.groupindex)
            return ReportDate(day, Span(start, match.end(), text[start:match.end()]))
    return None


def _day(match: re.Match[str]) -> date | None:
    year, first = int(match.group("y")), int(match.group("d"))
    if "month" in match.re.groupindex:
        month = MONTHS.get(match.group("month").lower().rstrip("."))
        return safe_date(year, month, first) if month else None
    second = int(match.group("m"))
    return safe_date(year, second, first) or safe_date(year, first, second)

