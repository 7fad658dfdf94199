"""Date mentions in news text, resolved against the publication date.

``find_dates(text, published)`` finds, in English and (cheaply) French:

1. explicit dates: "30 November 2024", "November 30, 2024", "Nov. 30", "Saturday November 30",
   "27-29 November", "le 1er avril"; numeric ones, day first unless that day cannot exist ("30/11/2024",
   "30-11-2024", "30.11.2024"), ISO ones year first ("2024-11-30"), also when lost punctuation glued
   them to the next word ("30.11.2024Share") or ran day and year together ("Nov 302024": a one- or
   two-digit day then a four-digit year is the only split);
2. weekdays: "on Wednesday", "this Wednesday", "last Friday", "Friday night", "ce mercredi"; nights
   named by their weekdays: "overnight Sunday", "overnight into Monday", "the night of Saturday to
   Sunday", "la nuit de samedi à dimanche";
3. relative expressions: "today", "yesterday", "overnight", "two days ago", "earlier this week",
   "last week", "over the weekend", "this month", "last month", "last year", "years ago";
4. months, bare years and ranges of years: "in August 2013", "in early November", "in 2016",
   "in 2015 and 2016", "2015-2016"; the "2016" of "30-11-2016" or "2015-2016" is never a year alone;
5. anaphoric days: "on the same day", "the next day", "the day before", "two days later",
   "le lendemain". They count from the date the text mentioned last, which only the caller knows:
   ``day`` is None and ``shift`` is the number of days after that date (0, 1, -1, 2).

A "since" before any of them ("since Wednesday", "since 27 November") makes a range that ends on the
publication day.

Conventions (ACLED's "When" rules: relative dates resolve against the publication date):

- a weekday in a past-tense report is the most recent such day on or before publication, so "this
  Wednesday" (the French "ce mercredi") and "on Wednesday" are the same day; "last Friday" is strictly
  before publication; "next Friday", or a weekday just after a future cue ("will", "scheduled"), is
  the next such day after it;
- "overnight", "last night" and "last evening" denote the day before publication: the night began
  that evening, and reports of overnight strikes are published the next morning; a night named by
  its weekdays is dated by the evening it began ("overnight into Monday" is Sunday);
- a date right after a verb of saying ("police said on Thursday", "told reporters on Monday", "in a
  statement on Friday") is marked ``statement``: it dates the report of the news, not the news;
- "this week" and "earlier this week" run from the Monday of the publication week to publication,
  "last week" is the whole Monday-to-Sunday week before it, "over the weekend" the latest Saturday and
  Sunday up to publication (precision 2); "this month" runs from the 1st to publication (precision 3);
- a date without a year takes the year that makes a stated weekday true, else the publication year,
  else the year before when the publication year would put it more than FUTURE_SLACK_DAYS after
  publication;
- ``background`` is True for expressions that point before the news by themselves ("last year",
  "years ago", "in recent months"), for a bare year or a range of years that ends before the
  publication year ("in 2016", "2015-2016"), and for
  any period that ended more than BACKGROUND_DAYS before publication ("in August 2013",
  "30 November 2023"). A date a few days before a new year ("28 December" in a 2 January report) is
  news, not background. Without a publication date only the first kind can be told;
- without a publication date, relative expressions and dates without a year have ``day`` None:
  never the date of the machine that runs this;
- an implausible date is no date: every day found lies in MIN_YEAR..MAX_YEAR. A publication date
  outside those years is read as unknown, and an expression that would resolve outside them ("800000
  days ago") is not a date mention (``plausible``, ``shift_day``).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sitrep.lexicon import read
from sitrep.models import Span

__all__ = ["DateMention", "find_dates", "plausible", "safe_date", "shift_day"]

BACKGROUND_DAYS = 60
"""A period that ended more than this many days before publication is background, not news.
Two months: ACLED coders take reports of the last weeks as news; older facts are context."""
FUTURE_SLACK_DAYS = 62
"""A yearless date more than this after publication is read in the previous year."""
WEEK_DAYS = 7
"""A "since" range up to this many days long has precision 2 (a few days); longer is 3."""
MIN_YEAR, MAX_YEAR = 1900, 2099
"""Four-digit numbers read as years, and the years of every date sitrep gives."""
FUTURE_CUE_CHARS = 30
"""How far before a weekday a future cue ("will") is looked for."""
CUE_CHARS = 24
"""How far before a date a "since" or an "in" that makes a bare year or month a date is looked for
(the longest cue, "beginning of", with room for spaces)."""
MAX_RANGE_YEARS = 30
"""Longest span read as a range of years ("2011 to 2015"); "1950 to 2000" is more likely a count."""

MONTHS_FILE = "data/en/months.yaml"
"""The month table: names and abbreviations by language (its comments say where they come from)."""


@dataclass(frozen=True)
class MonthName:
    """One entry of the month table."""

    word: str
    """Lowercase, as written ("sept", "février")."""
    month: int
    """1 to 12."""
    language: str
    """The table's section: "english" or "french"."""
    abbreviation: bool
    """May be followed by a full stop ("Nov. 30"); whole names may not."""


def _read_months() -> tuple[MonthName, ...]:
    """Every entry of ``MONTHS_FILE``; raises ``ValueError`` naming the entry that is not a month."""
    names: list[MonthName] = []
    for language, months in read("en", MONTHS_FILE.rsplit("/", 1)[1]).items():
        for month, entry in months.items():
            if not (isinstance(month, int) and 1 <= month <= 12):
                raise ValueError(f"{MONTHS_FILE}: {language} {month!r} is not a month number (1-12)")
            for kind in ("names", "abbreviations"):
                names += [MonthName(str(word), month, language, kind == "abbreviations")
                          for word in entry.get(kind, [])]
    return tuple(names)


MONTH_NAMES = _read_months()
MONTHS: dict[str, int] = {m.word: m.month for m in MONTH_NAMES}
"""Every month name and abbreviation, lowercase, to its number."""
ENGLISH_MONTHS: dict[str, int] = {m.word: m.month for m in MONTH_NAMES if m.language == "english"}
FRENCH_MONTHS = frozenset(m.word for m in MONTH_NAMES if m.language == "french")
DATES_FILE = "dates.yaml"
"""Weekdays, number words and anaphoric days, by language section (its entries name their sources)."""
_WORDS = read("en", DATES_FILE)
WEEKDAYS: dict[str, int] = {str(w): int(n) for section in _WORDS["weekdays"].values() if isinstance(section, dict)
                            for w, n in section.items()}
"""Weekday names of every section of the table, lowercase, to Monday 0 ... Sunday 6."""
ENGLISH_NUMBER_WORDS: dict[str, int] = {str(w): int(n) for w, n in _WORDS["number_words"]["english"].items()}
NUMBER_WORDS: dict[str, int] = {str(w): int(n) for section in _WORDS["number_words"].values()
                                if isinstance(section, dict) for w, n in section.items()}
"""Number words of every section, lowercase ("two", "several", "deux")."""
VAGUE_AMOUNTS = frozenset(str(w) for w in _WORDS["vague_amounts"]["words"])
ANAPHORIC_SHIFTS: dict[str, int] = {str(w): int(n) for w, n in _WORDS["anaphoric_shifts"]["shifts"].items()}
"""Anaphoric expressions and their ``shift``; "N days later/earlier" are read apart (``_days_later``)."""

_FULL_MONTHS = sorted((m.word for m in MONTH_NAMES if not m.abbreviation), key=len, reverse=True)
_ABBREVIATIONS = sorted((m.word for m in MONTH_NAMES if m.abbreviation), key=len, reverse=True)
_MONTH = r"(?P<month>(?:" + "|".join(_FULL_MONTHS) + r")\b|(?:" + "|".join(_ABBREVIATIONS) + r")\b\.?)"
"""A month name; only abbreviations take a full stop ("Nov. 30", not "March.")."""
_WEEKDAY_NAMES = "|".join(WEEKDAYS)
_WEEKDAY = rf"(?P<wd>{_WEEKDAY_NAMES})\b"
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th|er)?"
_DAY2 = r"(?:\s*(?:-|–|to|and|au)\s*(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?)?"
_DAY2_AFTER_MONTH = r"(?:\s*(?:-|–)\s*(?P<d2>[0-3]?\d))?"
_YEAR_AFTER = r"(?:(?:\s*,\s*|\s+)(?P<y>(?:19|20)\d\d))?(?!\d)"
_LEAD_WEEKDAY = rf"(?:{_WEEKDAY}\s*,?\s+(?:the\s+|le\s+)?)?"
_NOT_AFTER_NUMBER = r"(?=\d)(?<!\d)(?<!\d[-/.])"
"""Not inside a longer numeric expression ("1.30.11.2024", a phone number). Each pattern opens with
a lookahead on its first character: it lets the regex engine skip to the candidates (3-4 times faster
than opening on ``\b``)."""
_NOT_BEFORE_NUMBER = r"(?!\d|[-/.]\d)"
"""Nothing numeric follows; a letter may ("30.11.2024Share": the space was lost)."""
_CUES = _WORDS["cues"]
_FUTURE_CUE = re.compile(_CUES["future"], re.I)
_SINCE = re.compile(_CUES["since"], re.I)
_STATEMENT = re.compile(_CUES["statement"], re.I)
"""A verb of saying (or a statement) just before a date: the date is the statement's."""
_YEAR_CONTEXT = re.compile(_CUES["year_context"], re.I)
_MONTH_CONTEXT = re.compile(_CUES["month_context"], re.I)


@dataclass(frozen=True)
class DateMention:
    """A date expression found in a text, resolved to days where it can be."""

    span: Span
    """The words that denote the date, offsets into the text given (plus ``offset``)."""
    day: date | None
    """The first day it denotes; None when it cannot be resolved (a relative expression without a
    publication date, an anaphoric "the same day", a vague "years ago")."""
    end: date | None
    """The last day it denotes: ``day`` for one day, the period's end for ranges ("since Wednesday"
    ends on the publication day, "last week" on that week's Sunday)."""
    precision: int
    """ACLED time_precision: 1 the day is known, 2 a week or a few days, 3 a month or vaguer."""
    background: bool
    """True when it points to a period earlier than the news ("in 2016", "last year", "years ago")."""
    shift: int | None = None
    """For anaphoric expressions only: days after the previously mentioned date ("the same day" 0,
    "the next day" 1, "the day before" -1); the caller resolves them."""
    statement: bool = False
    """True for the day of a statement about the news, named right after a verb of saying ("police
    said on Thursday", "told reporters on Monday", "in a statement on Friday"): when the report was
    made, not when the event took place."""


@dataclass(frozen=True)
class _When:
    """What one expression denotes, before its span and background are settled."""

    day: date | None
    end: date | None
    precision: int
    past: bool = False
    """Points before the news by itself ("last year")."""
    shift: int | None = None


_Resolver = Callable[[re.Match[str], date | None, str], "_When | None"]
_Rule = tuple[tuple[str, ...], re.Pattern[str], _Resolver]
"""Words the lowercased text must contain one of for the pattern to be worth running (none: always
run), the pattern, and what resolves its matches. The words spare most texts most of the scans."""
_UNKNOWN_DAY = _When(None, None, 1)


def find_dates(text: str, published: date | None, offset: int = 0) -> list[DateMention]:
    """Every date expression in ``text``, in order, resolved against ``published``.

    Overlapping readings are settled by taking the longest match, then the earliest.
    The patterns run on the lowercased text (case-blind matching is several times slower); resolvers
    read case, and the words around a match, in ``text`` itself.
    """
    if published is not None and not plausible(published):
        published = None
    lowered = _lower(text)
    found: list[tuple[int, int, _When]] = []
    for needs, pattern, resolve in _RULES:
        if needs and not any(word in lowered for word in needs):
            continue
        for match in pattern.finditer(lowered):
            when = resolve(match, published, text)
            if when is not None and all(day is None or plausible(day) for day in (when.day, when.end)):
                found.append((match.start(), match.end(), when))
    found.sort(key=lambda item: (item[0] - item[1], item[0]))
    chosen: list[tuple[int, int, _When]] = []
    for start, end, when in found:
        if all(end <= other[0] or start >= other[1] for other in chosen):
            chosen.append((start, end, when))
    chosen.sort(key=lambda item: item[0])
    return [_mention(text, start, end, when, published, offset) for start, end, when in chosen]


def _lower(text: str) -> str:
    """``text`` in lower case, each character where it was (a few characters lowercase to two)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(low if len(low := c.lower()) == 1 else c for c in text)


def _cue_before(cue: re.Pattern[str], text: str, start: int) -> re.Match[str] | None:
    """``cue`` (a pattern ending in ``$``) just before ``start``."""
    return cue.search(text, max(0, start - CUE_CHARS), start)


def _mention(
    text: str, start: int, end: int, when: _When, published: date | None, offset: int
) -> DateMention:
    """The final mention: a preceding "since" widens it to a range ending on publication."""
    since = _cue_before(_SINCE, text, start)
    if since and when.shift is None and when.day is not None:
        start = since.start()
        until = published if published and published >= when.day else None
        when = _When(when.day, until, _range_precision(when.day, until), when.past)
    span = Span(start + offset, end + offset, text[start:end])
    statement = when.shift is None and _cue_before(_STATEMENT, text, start) is not None
    return DateMention(span, when.day, when.end, when.precision, _is_background(when, published), when.shift,
                       statement)


def _is_background(when: _When, published: date | None) -> bool:
    """Whether the period lies before the news (see the module docstring)."""
    if when.past:
        return True
    if published is None or when.end is None:
        return False
    return when.end < published - timedelta(days=BACKGROUND_DAYS)


def _range_precision(first: date, last: date | None) -> int:
    """ACLED precision of a period from ``first`` to ``last``."""
    if last is None or last == first:
        return 1
    return 2 if (last - first).days <= WEEK_DAYS else 3


# --- explicit dates --------------------------------------------------------------------------


def _month_of(match: re.Match[str], text: str) -> int | None:
    """The month number, or None for a lowercase English month name ("may" is a verb).
    ``match`` ran on the lowercased ``text``, so case is read in ``text``."""
    word = match.group("month").rstrip(".")
    if word not in FRENCH_MONTHS and text[match.start("month")].islower():
        return None
    return MONTHS[word]


def safe_date(year: int, month: int, day: int) -> date | None:
    """``date(year, month, day)``, or None when that day does not exist or is not ``plausible``."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def plausible(day: date) -> bool:
    """Whether ``day`` lies in the years a news report can date (MIN_YEAR..MAX_YEAR)."""
    return MIN_YEAR <= day.year <= MAX_YEAR


_FIRST_DAY, _LAST_DAY = date(MIN_YEAR, 1, 1).toordinal(), date(MAX_YEAR, 12, 31).toordinal()


def shift_day(day: date, days: int) -> date | None:
    """``day`` plus ``days`` (negative: earlier), or None when that is not ``plausible``; never overflows,
    whatever the number of days a text states ("800000 days ago")."""
    ordinal = day.toordinal() + days
    return date.fromordinal(ordinal) if _FIRST_DAY <= ordinal <= _LAST_DAY else None


def _guess_year(month: int, day: int, weekday: int | None, published: date) -> int:
    """The year of a yearless date: the one a stated weekday makes true, else the nearest sensible."""
    latest = published + timedelta(days=FUTURE_SLACK_DAYS)
    years = [published.year, published.year - 1, published.year + 1]
    if weekday is not None:
        for year in years:
            candidate = safe_date(year, month, day)
            if candidate and candidate.weekday() == weekday and candidate <= latest:
                return year
    candidate = safe_date(published.year, month, day)
    if candidate is not None and candidate > latest:
        return published.year - 1
    return published.year


def _day_month(match: re.Match[str], published: date | None, text: str) -> _When | None:
    """"30 November 2024", "Saturday November 30", "27-29 November", "Nov. 30"."""
    month = _month_of(match, text)
    if month is None:
        return None
    day, day2 = int(match.group("d")), match.groupdict().get("d2")
    weekday = WEEKDAYS.get((match.group("wd") or "").lower())
    year_text = match.group("y")
    if year_text:
        year = int(year_text)
    elif published is not None:
        year = _guess_year(month, day, weekday, published)
    else:
        return _When(None, None, 1 if day2 is None else 2)
    first = safe_date(year, month, day)
    last = safe_date(year, month, int(day2)) if day2 else first
    if first is None or last is None or last < first:
        return None
    return _When(first, last, _range_precision(first, last))


def _iso(match: re.Match[str], published: date | None, text: str) -> _When | None:
    """"2024-11-30", "2024/11/30": year first, then month, then day."""
    day = safe_date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
    return _When(day, day, 1) if day else None


def _numeric(match: re.Match[str], published: date | None, text: str) -> _When | None:
    """"30/11/2024", "30-11-2024", "30.11.2024": day first (the international order), month first
    only when the day cannot be a month ("11/30/2024"). A two-digit year needs "/" or ".": "10-12-15"
    is more often a score or a list than a date."""
    first, second, year = int(match.group("a")), int(match.group("b")), int(match.group("y"))
    if year < 100:
        if match.group("sep") == "-":
            return None
        year += 2000
    day = safe_date(year, second, first) or safe_date(year, first, second)
    return _When(day, day, 1) if day else None


def _month_year(match: re.Match[str], published: date | None, text: str) -> _When | None:
    """"in August 2013", "in early November", "fin novembre": the month (or its part), precision 3."""
    month = _month_of(match, text)
    if month is None:
        return None
    year_text = match.group("y")
    if not year_text and not (_cue_before(_MONTH_CONTEXT, text, match.start()) or match.group("part")):
        return None
    if year_text:
        year = int(year_text)
    elif published is not None:
        year = _guess_year(month, 1, None, published)
    else:
        return _When(None, None, 3)
    first_day, last_day = _month_part(match.group("part"), year, month)
    return _When(date(year, month, first_day), date(year, month, last_day), 3)


def _month_part(part: str | None, year: int, month: int) -> tuple[int, int]:
    """First and last day of "early", "mid", "late" or the whole of a month."""
    last = calendar.monthrange(year, month)[1]
    word = (part or "").lower()
    if word in {"early", "beginning of", "début", "debut"}:
        return 1, 10
    if word in {"mid", "mi"}:
        return 11, 20
    if word in {"late", "end of", "fin"}:
        return 21, last
    return 1, last


def _year_range(match: re.Match[str], published: date | None, text: str) -> _When | None:
    """"2015-2016", "2015-16", "2011 to 2015": the years, precision 3, background when they end before
    the publication year (like a bare year). Two digits end a range only right after a dash or slash:
    "2015 - 16 people", "2011 to 15 people" are counts."""
    first, last = int(match.group("y")), match.group("y2")
    if len(last) == 2 and match.group("to") not in {"-", "–", "—", "/"}:
        return None
    end = int(last) if len(last) == 4 else first // 100 * 100 + int(last)
    if not first < end <= first + MAX_RANGE_YEARS:
        return None
    past = published is not None and end < published.year
    return _When(date(first, 1, 1), date(end, 12, 31), 3, past)


def _bare_year(match: re.Match[str], published: date | None, text: str) -> _When | None:
    """"in 2016", "in 2015 and 2016": the year, precision 3, background when before publication."""
    if not _cue_before(_YEAR_CONTEXT, text, match.start()):
        return None
    year = int(match.group("y"))
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    past = published is not None and year < published.year
    return _When(date(year, 1, 1), date(year, 12, 31), 3, past)


# --- weekdays and relative expressions ---------------------------------------------------------


def _weekday(match: re.Match[str], published: date | None, text: str) -> _When | None:
    """"on Wednesday", "this Wednesday", "last Friday", "next Monday", "mercredi dernier"."""
    if published is None:
        return _UNKNOWN_DAY
    modifier = (match.group("mod") or match.group("after") or "").lower()
    day = _weekday_day(WEEKDAYS[match.group("wd").lower()], modifier, published, text, match.start())
    return _When(day, day, 1)


def _weekday_day(target: int, modifier: str, published: date, text: str, start: int) -> date:
    """The day a weekday named at ``start`` denotes: the latest on or before publication, strictly
    before it after "last", the next one after "next" or a future cue."""
    back = (published.weekday() - target) % 7
    if modifier in {"last", "past", "dernier"} and back == 0:
        back = 7
    future = modifier in {"next", "coming", "prochain"} or _FUTURE_CUE.search(
        text, max(0, start - FUTURE_CUE_CHARS), start
    )
    if future and modifier not in {"last", "past", "dernier"}:
        return published + timedelta(days=(target - published.weekday()) % 7 or 7)
    return published - timedelta(days=back)


def _night(match: re.Match[str], published: date | None, text: str) -> _When | None:
    """A night named by its weekdays: "overnight Sunday", "overnight into Monday", "the night of
    Saturday to Sunday", "la nuit de samedi à dimanche". It is dated by the evening it began, like
    "overnight": the weekday named first, else the day before the one it ran "into"."""
    if published is None:
        return _UNKNOWN_DAY
    first = match.group("first")
    if first is not None:
        day = _weekday_day(WEEKDAYS[first], "", published, text, match.start())
    else:
        day = _weekday_day(WEEKDAYS[match.group("into")], "", published, text, match.start())
        day -= timedelta(days=1)
    return _When(day, day, 1)


def _days_before(days: int) -> Callable[[date], _When | None]:
    """A resolver for "N days before publication"."""

    def resolve(published: date) -> _When | None:
        day = shift_day(published, -days)
        return _When(day, day, 1) if day else None

    return resolve


def _this_week(published: date) -> _When:
    """Monday of the publication week to publication."""
    return _When(published - timedelta(days=published.weekday()), published, 2)


def _last_week(published: date) -> _When:
    """The whole week (Monday to Sunday) before the publication week."""
    monday = published - timedelta(days=published.weekday() + 7)
    return _When(monday, monday + timedelta(days=6), 2)


def _weekend(published: date) -> _When:
    """The latest Saturday and Sunday that began on or before publication."""
    saturday = published - timedelta(days=(published.weekday() - 5) % 7)
    return _When(saturday, min(saturday + timedelta(days=1), published), 2)


def _last_weekend(published: date) -> _When:
    """The weekend before the publication one when published on a weekend, else the latest."""
    latest = _weekend(published)
    if published.weekday() < 5 or latest.day is None:
        return latest
    saturday = latest.day - timedelta(days=7)
    return _When(saturday, saturday + timedelta(days=1), 2)


def _this_month(published: date) -> _When:
    """First of the publication month to publication."""
    return _When(published.replace(day=1), published, 3)


def _last_month(published: date) -> _When:
    """The whole month before the publication month."""
    end = published.replace(day=1) - timedelta(days=1)
    return _When(end.replace(day=1), end, 3)


def _this_year(published: date) -> _When:
    """1 January of the publication year to publication."""
    return _When(date(published.year, 1, 1), published, 3)


def _last_year(published: date) -> _When:
    """The year before publication: background."""
    return _When(date(published.year - 1, 1, 1), date(published.year - 1, 12, 31), 3, past=True)


def _recent(days: int, precision: int) -> Callable[[date], _When]:
    """A resolver for "in recent days / weeks": the last ``days`` days up to publication."""

    def resolve(published: date) -> _When:
        return _When(published - timedelta(days=days), published, precision)

    return resolve


def _ago(match: re.Match[str], published: date | None, text: str) -> _When | None:
    """"two days ago", "a week ago", "three months ago" (background), "years ago" (background)."""
    unit = match.group("unit").lower().rstrip("s")
    amount = _amount(match.group("n"))
    if unit == "year" or amount is None:
        return _When(None, None, 3, past=True)
    if published is None:
        return _When(None, None, {"day": 1, "week": 2}.get(unit, 3))
    if unit == "day" and match.group("n").lower() in VAGUE_AMOUNTS:
        return _When(published - timedelta(days=amount), published, 2)
    if unit == "day":
        return _days_before(amount)(published)
    if unit == "week":
        day = shift_day(published, -7 * amount)
        return _When(day, shift_day(day, 6), 2) if day else None
    day = shift_day(published, -30 * amount)
    return _When(day, shift_day(day, 30), 3) if day else None


def _amount(word: str | None) -> int | None:
    """The number in "two days ago"; None for a vague "years ago"."""
    if word is None:
        return None
    word = word.lower()
    return int(word) if word.isdecimal() else NUMBER_WORDS.get(word)


def _anaphoric(match: re.Match[str], published: date | None, text: str) -> _When | None:
    """"the same day", "the next day": left to the caller, with the shift in days."""
    return _When(None, None, 1, shift=ANAPHORIC_SHIFTS[" ".join(match.group(0).lower().split())])


def _days_later(match: re.Match[str], published: date | None, text: str) -> _When | None:
    """"two days later", "three days earlier", "deux jours plus tard": anaphoric, ``shift`` N or -N."""
    days = _amount(match.group("n"))
    if days is None or match.group("n").lower() in VAGUE_AMOUNTS:
        return None
    later = match.group("dir").lower() in {"later", "plus tard"}
    return _When(None, None, 1, shift=days if later else -days)


def _vague_past(match: re.Match[str], published: date | None, text: str) -> _When | None:
    """"in recent months", "in recent years", "in the past": background, no day."""
    return _When(None, None, 3, past=True)


def _relative(resolve: Callable[[date], _When | None], precision: int, past: bool = False) -> _Resolver:
    """Wrap a publication-date resolver; without a publication date the day stays unknown."""

    def wrapped(match: re.Match[str], published: date | None, text: str) -> _When | None:
        if published is None:
            return _When(None, None, precision, past)
        return resolve(published)

    return wrapped


def _phrases(*words: str) -> re.Pattern[str]:
    """A pattern for any of ``words`` (lowercase: patterns run on the lowercased text) as whole words."""
    return re.compile(r"\b(?:" + "|".join(words) + r")(?![\w-])")


_COUNTS = "|".join(w for w, n in NUMBER_WORDS.items() if n >= 2 and w not in VAGUE_AMOUNTS)
"""The number words of "two days later", "deux jours plus tard": a count of at least two, not vague."""
_ENGLISH_AMOUNTS = "|".join(ENGLISH_NUMBER_WORDS)
"""The number words of "two days ago", "a few weeks ago"."""

_PERIODS: dict[str, _Resolver] = {
    "today": _relative(_days_before(0), 1),
    "yesterday": _relative(_days_before(1), 1),
    "day_before_yesterday": _relative(_days_before(2), 1),
    "this_week": _relative(_this_week, 2),
    "last_week": _relative(_last_week, 2),
    "weekend": _relative(_weekend, 2),
    "last_weekend": _relative(_last_weekend, 2),
    "this_month": _relative(_this_month, 3),
    "last_month": _relative(_last_month, 3),
    "this_year": _relative(_this_year, 3),
    "last_year": _relative(_last_year, 3, past=True),
    "recent_days": _relative(_recent(WEEK_DAYS, 2), 2),
    "recent_weeks": _relative(_recent(30, 3), 3),
    "vague_past": _vague_past,
}
"""What each period of the ``relative`` table of ``DATES_FILE`` denotes."""


def _relative_rules() -> list[_Rule]:
    """The ``relative`` table of ``DATES_FILE`` as rules; ``ValueError`` names an unknown period."""
    rules: list[_Rule] = []
    for entry in _WORDS["relative"]["expressions"]:
        if entry["period"] not in _PERIODS:
            raise ValueError(f"{DATES_FILE}: unknown period {entry['period']!r}")
        rules.append((tuple(str(w) for w in entry["needs"]), _phrases(*(str(p) for p in entry["phrases"])),
                      _PERIODS[entry["period"]]))
    return rules


_RELATIVE: list[_Rule] = [
    *_relative_rules(),
    (("day", "night", "morning", "eve", "jour", "lendemain", "veille"),
     _phrases(*(r"\s+".join(map(re.escape, p.split())) for p in ANAPHORIC_SHIFTS)), _anaphoric),
    (("days", "jours"),
     re.compile(rf"\b(?P<n>\d+|{_COUNTS})\s+"
                r"(?:days|jours)\s+(?P<dir>later|earlier|plus\s+tard|plus\s+tôt)\b"), _days_later),
    (("ago",),
     re.compile(rf"\b(?:(?P<n>\d+|{_ENGLISH_AMOUNTS})\s+)?"
                r"(?P<unit>days?|weeks?|months?|years?)\s+ago\b"), _ago),
]

_RULES: list[_Rule] = [
    ((), re.compile(rf"{_NOT_AFTER_NUMBER}(?P<y>(?:19|20)\d\d)(?P<sep>[-/.])(?P<m>[01]?\d)(?P=sep)"
                    rf"(?P<d>[0-3]?\d){_NOT_BEFORE_NUMBER}"), _iso),
    ((), re.compile(rf"{_NOT_AFTER_NUMBER}(?P<a>[0-3]?\d)(?P<sep>[-/.])(?P<b>[0-3]?\d)(?P=sep)"
                    rf"(?P<y>(?:19|20)\d\d|\d\d){_NOT_BEFORE_NUMBER}"), _numeric),
    ((), re.compile(rf"(?=[\dmtwfsldjv])\b{_LEAD_WEEKDAY}{_DAY}{_DAY2}\s+(?:of\s+)?{_MONTH}{_YEAR_AFTER}"),
     _day_month),
    ((), re.compile(rf"(?=[mtwfsldjvaond])\b{_LEAD_WEEKDAY}{_MONTH}\s+(?:the\s+)?{_DAY}{_DAY2_AFTER_MONTH}"
                    rf"(?![\d:])(?:(?:\s*,\s*|\s+)(?P<y>(?:19|20)\d\d))?(?!\d)"), _day_month),
    ((), re.compile(rf"(?=[mtwfsldjvaond])\b{_LEAD_WEEKDAY}{_MONTH}\s+(?P<d>[0-3]?\d)(?P<y>(?:19|20)\d\d)(?!\d)"),
     _day_month),
    ((), re.compile(rf"(?=[emlbdfjasond])\b"
                    rf"(?:(?P<part>early|mid|late|end\s+of|beginning\s+of|début|debut|fin|mi)[\s-]+)?"
                    rf"{_MONTH}(?:\s+(?:of\s+)?(?P<y>(?:19|20)\d\d))?(?!\d)"), _month_year),
    ((), re.compile(rf"(?=[12])(?<![\d,.$€£#])\b(?P<y>(?:19|20)\d\d)"
                    rf"(?P<to>\s*[-–—/]\s*|\s+(?:to|until|till|au|à)\s+)"
                    rf"(?P<y2>(?:19|20)\d\d|\d\d){_NOT_BEFORE_NUMBER}(?![%,]\d|\w)"), _year_range),
    ((), re.compile(r"(?=\d)(?<![\d,.$€£#])(?<!\d[-–/])\b(?P<y>\d{4})\b(?![\d%]|,\d|\.\d)"), _bare_year),
    (("day", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
     re.compile(rf"(?=[tlpncmwfsdjv])\b(?:(?P<mod>this|last|past|next|coming|ce)\s+)?{_WEEKDAY}"
                r"(?:\s+(?P<after>dernier|prochain))?"
                r"(?:\s+(?:morning|afternoon|evening|night|matin|soir|après-midi))?"), _weekday),
    (("night", "nuit"),
     re.compile(rf"\b(?:overnight\s+(?:on\s+|from\s+)?|(?:the\s+)?night\s+(?:of|from)\s+|"
                rf"(?:dans\s+)?(?:la\s+)?nuit\s+(?:de|du)\s+)(?P<first>{_WEEKDAY_NAMES})\b"
                rf"(?:\s+(?:night\s+)?(?:into|to|and|à|au)\s+(?:{_WEEKDAY_NAMES})\b)?"
                rf"|\bovernight\s+(?:into|to)\s+(?P<into>{_WEEKDAY_NAMES})\b"), _night),
    *_RELATIVE,
]
