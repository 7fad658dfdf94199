"""Evaluating: sitrep's events against an ACLED-format export the user owns.

    gold CSV -> records  ·  predictions (JSONL, database, or sitrep run on the gold notes)
             -> one-to-one matching -> event-level precision/recall/F1 and per-field accuracy

Both sides are event records shaped like ``Event.to_dict()``; ``read_gold`` turns ACLED's CSV rows into
that shape. A gold event and a predicted event match when they have the same event type, their dates
are at most ``MAX_DAYS`` apart and their coordinates at most ``MAX_KM`` apart. Matching is greedy and
one-to-one: candidate pairs are taken closest first (a prediction read from the gold row's own notes
first, then fewer days apart, then fewer kilometres), and each event is used at most once.

Over the matched pairs, each field in ``FIELDS`` is scored where it can be: actors are compared by
``normalise_actor`` (case, accents and ACLED's period suffixes such as "(2022-)" ignored); admin1 only
where the gold row gives one; fatalities exactly and within ``FATALITY_TOLERANCE`` of the gold figure.
Predictions dated outside the gold file's period are left out (the gold file cannot judge them) and
counted apart, as are undated predictions.

Column names are read in any case ("EVENT_DATE" as in older ACLED exports); ``ALLY_ACTOR_1``/``2`` are
the older names of ``assoc_actor_1``/``2``. A field whose column the gold file lacks is not scored, and
``Evaluation.not_compared`` says, in words, everything that could not be compared and why: missing
columns, gold event types outside ACLED's current taxonomy, events without a date or coordinates.
"""

from __future__ import annotations

import csv
import json
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sitrep.errors import MalformedRecord, UnreadableInput
from sitrep.models import Article
from sitrep.resolve.gazetteer import distance_km

__all__ = [
    "FIELDS", "Evaluation", "FieldScore", "Match", "evaluate", "gold_articles", "in_period",
    "match_events", "normalise_actor", "not_compared", "predict", "print_report", "read_gold", "read_predictions",
]  # fmt: skip

Record = dict[str, Any]

MAX_DAYS = 1
"""Largest date difference, in days, between matched events (ACLED and news disagree by a day around
midnight and for overnight events)."""
MAX_KM = 25.0
"""Largest distance between matched events: about a district, the scale of ACLED's geo_precision 2."""
FATALITY_TOLERANCE = 0.10
"""Relative tolerance of the lenient fatality score: |predicted - gold| <= 10% of gold."""
MAX_RANGE_DAYS = 366
"""A predicted date range longer than this is matched on its first year only."""

REQUIRED_COLUMNS = ("event_id_cnty", "event_date", "event_type", "latitude", "longitude")
OLD_COLUMNS = {"ally_actor_1": "assoc_actor_1", "ally_actor_2": "assoc_actor_2"}
"""Column names of ACLED's exports before 2019, and today's names for them."""
EVENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests",
                         "Riots", "Strategic developments"})
"""ACLED's event types since its 2019 taxonomy (older exports use others, e.g. 'Riots/Protests')."""
OLD_EVENT_TYPES = {
    "battle-no change of territory": "Battles", "battle-government regains territory": "Battles",
    "battle-non-state actor overtakes territory": "Battles", "remote violence": "Explosions/Remote violence",
    "strategic development": "Strategic developments", "headquarters or base established": "Strategic developments",
    "non-violent transfer of territory": "Strategic developments",
}
"""Event types of ACLED's taxonomy before 2019 and the type each became (ACLED's 2019 codebook, which
made the territorial battles and remote violence sub-event types). 'Riots/Protests' became two types,
Protests and Riots, and so is not read as either."""
FIELD_COLUMNS = {"fatalities_within_10pct": "fatalities"}
"""The gold column each scored field reads, where it is not the field's own name."""
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y")
"""ISO dates and ACLED's '30 November 2024' (also '30-November-2024' and abbreviated months)."""
INTER_CODES = (
    "State forces", "Rebel group", "Political militia", "Identity militia",
    "Rioters", "Protesters", "Civilians", "External/Other forces",
)  # fmt: skip
"""ACLED's inter codes 1-8: older exports give the number, newer ones the words."""
_PERIOD = re.compile(r"\s*\(\d{4}-(?:\d{4})?\)")


# -- reading ---------------------------------------------------------------------------------------


def read_gold(path: str | Path, required: Sequence[str] = ()) -> list[Record]:
    """The rows of an ACLED-format CSV export as event records (``Event.to_dict()``'s keys); a field
    whose column the file lacks is absent from every record.

    Column names are read in any case. Raises ``UnreadableInput`` when the file cannot be read or lacks
    a column of ``REQUIRED_COLUMNS`` or ``required``, and ``MalformedRecord`` (naming file:line) for a
    row whose date or coordinates cannot be read.
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, delimiter=_delimiter(handle))
            reader.fieldnames = [_column(name) for name in reader.fieldnames or []]
            _check_columns(str(path), reader.fieldnames, (*REQUIRED_COLUMNS, *required))
            return [_gold_record(row, f"{path}:{reader.line_num}") for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise UnreadableInput(str(path), f"cannot read the CSV file ({err})") from err


def read_predictions(path: str | Path) -> list[Record]:
    """Event records from a JSON Lines file, as ``sitrep extract --format jsonl`` writes them."""
    try:
        with open(path, encoding="utf-8") as handle:
            return [_prediction(line, f"{path}:{number}") for number, line in enumerate(handle, 1)
                    if line.strip()]
    except (OSError, UnicodeDecodeError) as err:
        raise UnreadableInput(str(path), f"cannot read the file ({err})") from err


def gold_articles(gold: Iterable[Record]) -> list[Article]:
    """One article per gold row with notes: id = event_id_cnty, text = notes, no publication date.

    The row's event_date is not given as the publication date: that would hand sitrep the answer.
    ACLED notes state their date ("On 30 November 2024, ...").
    """
    return [Article(id=g["event_id"], text=g["notes"]) for g in gold if g.get("notes", "").strip()]


def predict(articles: Iterable[Article], workers: int = 1,
            on_article: Callable[[], None] = lambda: None) -> list[Record]:
    """Run sitrep's default pipeline over ``articles``; the event records it finds."""
    from sitrep.pipeline import Analysis, default_pipeline

    records: list[Record] = []
    for item in default_pipeline().stream(articles, workers=workers):
        if isinstance(item, Analysis):
            records.extend(e.to_dict() for e in item.events)
            on_article()
    return records


def _delimiter(handle: Any) -> str:
    """The delimiter of a CSV file (comma, semicolon or tab), sniffed from its start. Only the delimiter
    is sniffed: quoting stays the standard one (doubled quotes inside quoted cells), which the sniffer
    misreads in long notes."""
    sample = handle.read(8192)
    handle.seek(0)
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _column(name: str) -> str:
    """A column name as sitrep reads it: lower case, today's ACLED name."""
    folded = name.strip().lower()
    return OLD_COLUMNS.get(folded, folded)


def _check_columns(source: str, columns: Sequence[str], required: Sequence[str]) -> None:
    missing = [c for c in required if c not in columns]
    if missing:
        raise UnreadableInput(source, f"not an ACLED-format export with the columns needed here: no column "
                                      f"{', '.join(missing)} (needed: {', '.join(required)}; any case)")


def _gold_record(row: dict[str, str | None], where: str) -> Record:
    cell = {k: (v or "").strip() for k, v in row.items() if k is not None}
    record: Record = {
        "event_id": cell["event_id_cnty"],
        "event_date": _parse_date(cell["event_date"], where).isoformat(),
        "date_end": None,
        "event_type": OLD_EVENT_TYPES.get(cell["event_type"].casefold(), cell["event_type"]),
        "latitude": _number(cell["latitude"], "latitude", where),
        "longitude": _number(cell["longitude"], "longitude", where),
        "notes": cell.get("notes", ""),
    }
    optional: dict[str, Callable[[str], Any]] = {
        "sub_event_type": str, "actor1": str, "actor2": lambda v: v or None, "inter1": _inter, "inter2": _inter,
        "country": str, "admin1": lambda v: v or None, "location": str,
        "fatalities": lambda v: _fatalities(v, where),
    }
    record.update({key: read(cell[key]) for key, read in optional.items() if key in cell})
    if record["event_type"] != cell["event_type"]:
        record["acled_event_type"] = cell["event_type"]  # as the export gave it, before 2019
    return record


def _parse_date(text: str, where: str) -> date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise MalformedRecord(where, f"event_date '{text}' is not a date; use 2024-11-30 or 30 November 2024")


def _number(text: str, column: str, where: str) -> float | None:
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise MalformedRecord(where, f"{column} '{text}' is not a number") from None


def _fatalities(text: str, where: str) -> int | None:
    value = _number(text, "fatalities", where)
    return None if value is None else int(value)


def _inter(text: str) -> str | None:
    """ACLED's inter code as words, whether the export gives '1' or 'State forces'."""
    if text.isdigit() and 1 <= int(text) <= len(INTER_CODES):
        return INTER_CODES[int(text) - 1]
    return text or None


def _prediction(line: str, where: str) -> Record:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise MalformedRecord(where, f"not JSON ({err.msg})") from None
    if not isinstance(record, dict) or not {"event_date", "event_type"} <= record.keys():
        raise MalformedRecord(where, "not an event record (needs event_date and event_type); "
                                     "write one with: sitrep extract INPUT... --format jsonl")
    return record


# -- matching --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """A gold event paired with the predicted event that codes it."""

    gold: Record
    pred: Record
    days: int
    """Days between the gold date and the predicted date (or its date range)."""
    km: float
    """Great-circle distance between the two locations."""


def match_events(gold: Sequence[Record], pred: Sequence[Record], max_days: int = MAX_DAYS,
                 max_km: float = MAX_KM) -> tuple[list[Match], list[Record], list[Record]]:
    """Pair gold and predicted events one to one: (matches, unmatched gold, unmatched predictions).

    Greedy: every admissible pair (same event type, ``max_days``, ``max_km``) is ranked by
    (not from the gold row's own notes, days, km, gold order, prediction order) and taken if both
    events are still free.
    """
    candidates = sorted(_candidates(gold, pred, max_days, max_km))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    matches: list[tuple[int, Match]] = []
    for _, days, km, i, j in candidates:
        if i in used_gold or j in used_pred:
            continue
        used_gold.add(i)
        used_pred.add(j)
        matches.append((i, Match(gold[i], pred[j], days, km)))
    return ([m for _, m in sorted(matches, key=lambda pair: pair[0])],
            [g for i, g in enumerate(gold) if i not in used_gold],
            [p for j, p in enumerate(pred) if j not in used_pred])


def _candidates(gold: Sequence[Record], pred: Sequence[Record], max_days: int,
                max_km: float) -> Iterator[tuple[bool, int, float, int, int]]:
    index = _by_type_and_day(pred)
    for i, g in enumerate(gold):
        day = _day(g.get("event_date"))
        if day is None:
            continue
        kind = _fold(g.get("event_type"))
        near = {j for shift in range(-max_days, max_days + 1)
                for j in index.get((kind, day + timedelta(days=shift)), ())}
        for j in sorted(near):
            days, km = _days_apart(g, pred[j]), _distance_km(g, pred[j])
            if days is not None and km is not None and days <= max_days and km <= max_km:
                yield (not _same_article(g, pred[j]), days, km, i, j)


def _by_type_and_day(pred: Sequence[Record]) -> dict[tuple[str, date], list[int]]:
    """(event type, day) -> the predictions of that type on that day (every day of a date range)."""
    index: dict[tuple[str, date], list[int]] = {}
    for j, p in enumerate(pred):
        start = _day(p.get("event_date"))
        end = _day(p.get("date_end")) or start
        if start is None or end is None:
            continue
        for offset in range(min((end - start).days, MAX_RANGE_DAYS) + 1):
            index.setdefault((_fold(p.get("event_type")), start + timedelta(days=offset)), []).append(j)
    return index


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _days_apart(gold: Record, pred: Record) -> int | None:
    """Days from the gold date to the predicted date, or to the predicted range when it has one."""
    day, start = _day(gold.get("event_date")), _day(pred.get("event_date"))
    if day is None or start is None:
        return None
    end = _day(pred.get("date_end")) or start
    if start <= day <= end:
        return 0
    return min(abs((day - start).days), abs((day - end).days))


def _distance_km(a: Record, b: Record) -> float | None:
    """Great-circle distance; None when either side has no coordinates."""
    coords = [c for c in (a.get("latitude"), a.get("longitude"), b.get("latitude"), b.get("longitude"))
              if isinstance(c, int | float)]
    return distance_km(*coords) if len(coords) == 4 else None


def _same_article(gold: Record, pred: Record) -> bool:
    ids = pred.get("article_ids") or [pred.get("article_id")]
    return gold.get("event_id") in ids


# -- scoring ---------------------------------------------------------------------------------------


def normalise_actor(name: str | None) -> str:
    """An actor name for comparison: no period suffix ('(2000-2024)', '(2022-)'), accents or case."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", _PERIOD.sub("", name))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def _fold(value: Any) -> str:
    """Any field value for comparison, the way actor names are compared ("" for missing)."""
    return normalise_actor(str(value)) if value not in (None, "") else ""


def _within_tolerance(gold: int, pred: int) -> bool:
    return abs(pred - gold) <= FATALITY_TOLERANCE * gold


Scorer = Callable[[Record, Record], bool | None]
"""Scores one matched pair on one field: True right, False wrong, None not scorable."""


def _same(field: str, only_if_gold: bool = False) -> Scorer:
    def score(gold: Record, pred: Record) -> bool | None:
        if field not in gold or (only_if_gold and not gold.get(field)):
            return None
        return _fold(gold.get(field)) == _fold(pred.get(field))

    return score


def _fatality_score(compare: Callable[[int, int], bool]) -> Scorer:
    def score(gold: Record, pred: Record) -> bool | None:
        g, p = gold.get("fatalities"), pred.get("fatalities")
        if not isinstance(g, int) or not isinstance(p, int):
            return None
        return compare(g, p)

    return score


FIELDS: dict[str, Scorer] = {
    "sub_event_type": _same("sub_event_type"),
    "actor1": _same("actor1"),
    "actor2": _same("actor2"),
    "inter1": _same("inter1"),
    "inter2": _same("inter2"),
    "admin1": _same("admin1", only_if_gold=True),
    "fatalities": _fatality_score(lambda g, p: g == p),
    "fatalities_within_10pct": _fatality_score(_within_tolerance),
}
"""The fields scored over matched pairs, in report order."""


@dataclass(frozen=True)
class FieldScore:
    """Accuracy of one field over the matched pairs where it could be scored."""

    scored: int
    """Matched pairs where the field could be scored."""
    correct: int

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.scored if self.scored else None


@dataclass(frozen=True)
class Evaluation:
    """The result of comparing predicted events with gold events."""

    matches: tuple[Match, ...]
    unmatched_gold: tuple[Record, ...]
    """Gold events sitrep missed."""
    unmatched_pred: tuple[Record, ...]
    """Predicted events with no gold counterpart."""
    max_days: int = MAX_DAYS
    """The date tolerance the matching used."""
    max_km: float = MAX_KM
    """The distance limit the matching used."""
    out_of_scope: int = 0
    """Predictions left out because they fall outside the gold file's period."""
    not_compared: tuple[str, ...] = ()
    """What could not be compared, and why, one sentence each (see ``not_compared``)."""

    @property
    def precision(self) -> float:
        total = len(self.matches) + len(self.unmatched_pred)
        return len(self.matches) / total if total else 0.0

    @property
    def recall(self) -> float:
        total = len(self.matches) + len(self.unmatched_gold)
        return len(self.matches) / total if total else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def fields(self) -> dict[str, FieldScore]:
        """Per-field accuracy over the matched pairs."""
        return {name: _field_score(scorer, self.matches) for name, scorer in FIELDS.items()}

    @property
    def median_km(self) -> float | None:
        """Median distance between matched gold and predicted locations."""
        return statistics.median(m.km for m in self.matches) if self.matches else None

    def to_dict(self) -> Record:
        """The JSON report of ``sitrep evaluate --format json``."""
        return {
            "gold": len(self.matches) + len(self.unmatched_gold),
            "predicted": len(self.matches) + len(self.unmatched_pred),
            "matched": len(self.matches),
            "outside_gold_period": self.out_of_scope,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "fields": {name: {"scored": s.scored, "correct": s.correct,
                              "accuracy": None if s.accuracy is None else round(s.accuracy, 4)}
                       for name, s in self.fields.items()},
            "median_km": None if self.median_km is None else round(self.median_km, 3),
            "not_compared": list(self.not_compared),
            "settings": {"max_days": self.max_days, "max_km": self.max_km,
                         "fatality_tolerance": FATALITY_TOLERANCE},
            "matches": [{"gold": m.gold.get("event_id"), "predicted": m.pred.get("event_id"), "days": m.days,
                         "km": round(m.km, 3)} for m in self.matches],
            "unmatched_gold": [g.get("event_id") for g in self.unmatched_gold],
            "unmatched_predicted": [p.get("event_id") for p in self.unmatched_pred],
        }


def _field_score(scorer: Scorer, matches: Iterable[Match]) -> FieldScore:
    results = [r for r in (scorer(m.gold, m.pred) for m in matches) if r is not None]
    return FieldScore(len(results), sum(results))


def evaluate(gold: Sequence[Record], pred: Sequence[Record], max_days: int = MAX_DAYS,
             max_km: float = MAX_KM) -> Evaluation:
    """Match ``pred`` against ``gold`` and score the result.

    Predictions dated outside the gold file's period (widened by ``max_days``) are left out: the gold
    file says nothing about them. ``Evaluation.out_of_scope`` counts them.
    """
    in_scope = in_period(gold, pred, max_days)
    undated = sum(1 for p in pred if _day(p.get("event_date")) is None)
    matches, missed, extra = match_events(gold, in_scope, max_days, max_km)
    return Evaluation(tuple(matches), tuple(missed), tuple(extra), max_days, max_km,
                      len(pred) - len(in_scope) - undated, tuple(not_compared(gold, pred)))


def not_compared(gold: Sequence[Record], pred: Sequence[Record]) -> list[str]:
    """What the evaluation cannot compare, and why, one sentence each: scored fields whose column the
    gold file lacks, gold event types outside ACLED's taxonomy, events without a date or coordinates."""
    reasons = []
    if gold:
        for name in FIELDS:
            column = FIELD_COLUMNS.get(name, name)
            if not any(column in g for g in gold):
                reasons.append(f"{name}: not scored, the gold file has no {column} column.")
    for (old, new), n in sorted(Counter((g["acled_event_type"], g["event_type"]) for g in gold
                                        if "acled_event_type" in g).items()):
        reasons.append(f"{n} gold event{_s(n)} of ACLED's pre-2019 type {old!r} compared as {new!r}.")
    known = {kind.casefold() for kind in EVENT_TYPES}
    for kind, n in sorted(Counter(g["event_type"] for g in gold
                                  if str(g.get("event_type")).casefold() not in known).items()):
        reasons.append(f"{n} gold event{_s(n)} of type {kind!r} cannot match: not one of ACLED's event types "
                       f"since 2019 ({', '.join(sorted(EVENT_TYPES))}).")
    _count(reasons, sum(1 for g in gold if _distance_km(g, g) is None),
           "gold event{s} without latitude and longitude cannot match: matching needs a distance.")
    _count(reasons, sum(1 for p in pred if _day(p.get("event_date")) is None),
           "predicted event{s} without a date left out: matching needs a date.")
    _count(reasons, sum(1 for p in pred if _day(p.get("event_date")) and _distance_km(p, p) is None),
           "predicted event{s} without coordinates cannot match (the text names no place).")
    return reasons


def _count(reasons: list[str], n: int, text: str) -> None:
    if n:
        reasons.append(f"{n} {text.format(s=_s(n))}")


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def in_period(gold: Iterable[Record], pred: Iterable[Record], max_days: int = MAX_DAYS) -> list[Record]:
    """The predictions that overlap the gold file's period, widened by ``max_days`` on each side."""
    days = [date.fromisoformat(g["event_date"]) for g in gold]
    if not days:
        return []
    first, last = min(days) - timedelta(days=max_days), max(days) + timedelta(days=max_days)
    return [p for p in pred if _overlaps(p, first, last)]


def _overlaps(pred: Record, first: date, last: date) -> bool:
    start = _day(pred.get("event_date"))
    if start is None:
        return False
    end = _day(pred.get("date_end")) or start
    return start <= last and end >= first


# -- reporting -------------------------------------------------------------------------------------


def print_report(result: Evaluation, console: Any = None) -> None:
    """Print the evaluation as two tables: event-level scores, then per-field accuracy."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    summary = Table("events", "value", title="Event detection")
    for label, value in _summary_rows(result):
        summary.add_row(label, value)
    fields = Table("field", "scored pairs", "correct", "accuracy", title="Fields of matched events")
    for name, score in result.fields.items():
        fields.add_row(name, str(score.scored), str(score.correct), _percent(score.accuracy))
    median = "n/a" if result.median_km is None else f"{result.median_km:.1f} km"
    fields.add_row("location (median distance)", str(len(result.matches)), "", median)
    console.print(summary)
    console.print(fields)
    if result.not_compared:
        console.print("Not compared:")
        for reason in result.not_compared:
            console.print(f"  - {reason}", markup=False)


def _summary_rows(result: Evaluation) -> list[tuple[str, str]]:
    return [
        ("gold events", str(len(result.matches) + len(result.unmatched_gold))),
        ("predicted events", str(len(result.matches) + len(result.unmatched_pred))),
        ("matched", str(len(result.matches))),
        ("missed (gold only)", str(len(result.unmatched_gold))),
        ("extra (predicted only)", str(len(result.unmatched_pred))),
        ("outside the gold period", str(result.out_of_scope)),
        ("precision", _percent(result.precision)),
        ("recall", _percent(result.recall)),
        ("F1", _percent(result.f1)),
    ]


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"

