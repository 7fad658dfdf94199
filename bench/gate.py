"""The owned quality gate: sitrep on articles we wrote ourselves, scored against what a careful coder reads.

    python bench/gate.py                                   # figures, then each article's misses and extras
    python bench/gate.py --pin [--allow-lower REASON]      # pin the figures for tests/test_gate.py
                                                           # and show them in docs/EVALUATION.md

The suite is ``tests/gate/articles.jsonl``: one article record per line (``id``, ``title``, ``text``,
``published``, ``url``, ``outlet``, ``language``) with ``gold.events``, every event a careful coder
codes from it under ACLED's rules (``event_date``, ``date_end``, ``event_type``, ``sub_event_type``,
``actor1``, ``actor2``, ``country``, ``admin1``, ``location``, ``fatalities``, ``optional``,
``evidence``), or none. sitrep reads the file as ``sitrep extract`` does (the gold is ignored).

Matching, within each article and one to one: a predicted event codes a gold event when the country is
the same, the day is at most ``MAX_DAYS`` away (or inside the gold event's date range; a gold event
without a date accepts any) and the event type is the same. Pairs are taken fewest days apart first,
then required gold before optional, then same sub-type, then in reading order. A gold event marked
``optional`` (one a coder may or may not code) counts neither as missed nor, when matched, as predicted.

Figures (0-1): ``event_precision``, ``event_recall``, ``event_f1`` over the required gold events;
over the matched pairs ``sub_event_type_of_matched``, ``fatalities_of_matched`` (exact) and
``actor_recall_of_matched`` (share of gold actor1/actor2 found among the event's actors, names compared
by ``sitrep.evaluate.normalise_actor``, one containing the other accepted); ``clean_negatives``: share of
the articles with no required event that get no event (events matching optional gold excepted).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sitrep.evaluate import normalise_actor, predict
from sitrep.models import Article
from sitrep.read import read_inputs

ROOT = Path(__file__).resolve().parents[1]
SUITE = ROOT / "tests" / "gate" / "articles.jsonl"
PINNED = ROOT / "tests" / "gate" / "pinned.json"
REPORT = ROOT / "docs" / "EVALUATION.md"
START, END = "<!-- owned gate: start -->", "<!-- owned gate: end -->"
"""docs/EVALUATION.md shows the pinned figures between these markers; --pin rewrites them."""
MAX_DAYS = 1
"""Largest date difference, in days, between a gold event and the predicted event that codes it."""

Record = dict[str, Any]


@dataclass(frozen=True)
class ArticleResult:
    """One article's gold events against sitrep's events for it."""

    id: str
    matched: tuple[tuple[Record, Record], ...]
    """(gold, predicted) pairs, required and optional gold alike."""
    missed: tuple[Record, ...]
    """Required gold events with no predicted event."""
    extra: tuple[Record, ...]
    """Predicted events that code no gold event."""

    @property
    def negative(self) -> bool:
        """True when the article has no required event."""
        return not self.missed and not any(not g.get("optional") for g, _ in self.matched)


# -- matching --------------------------------------------------------------------------------------


def match_article(article_id: str, gold: Sequence[Record], pred: Sequence[Record]) -> ArticleResult:
    """Pair one article's gold and predicted events one to one (see the module docstring)."""
    candidates = sorted(
        (days, bool(g.get("optional")), _fold(g.get("sub_event_type")) != _fold(p.get("sub_event_type")), i, j)
        for i, g in enumerate(gold) for j, p in enumerate(pred)
        if (days := _days_apart(g, p)) is not None and _same(g, p, "country") and _same(g, p, "event_type")
    )
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for *_, i, j in candidates:
        if i not in used_gold and j not in used_pred:
            used_gold.add(i)
            used_pred.add(j)
            pairs.append((i, j))
    return ArticleResult(
        article_id,
        tuple((gold[i], pred[j]) for i, j in sorted(pairs)),
        tuple(g for i, g in enumerate(gold) if i not in used_gold and not g.get("optional")),
        tuple(p for j, p in enumerate(pred) if j not in used_pred),
    )


def _days_apart(gold: Record, pred: Record) -> int | None:
    """Days from the predicted date (or range) to the gold date (or range); None beyond ``MAX_DAYS``."""
    g_start, p_start = _day(gold.get("event_date")), _day(pred.get("event_date"))
    if g_start is None:
        return 0
    if p_start is None:
        return None
    g_end, p_end = _day(gold.get("date_end")) or g_start, _day(pred.get("date_end")) or p_start
    days = max(0, (p_start - g_end).days, (g_start - p_end).days)
    return days if days <= MAX_DAYS else None


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _fold(value: Any) -> str:
    return normalise_actor(str(value)) if value not in (None, "") else ""


def _same(gold: Record, pred: Record, field: str) -> bool:
    return _fold(gold.get(field)) == _fold(pred.get(field))


# -- scoring ---------------------------------------------------------------------------------------


def figures(results: Sequence[ArticleResult]) -> dict[str, float]:
    """The gate's figures over every article (see the module docstring), rounded to 4 places."""
    required = [(g, p) for r in results for g, p in r.matched if not g.get("optional")]
    missed = sum(len(r.missed) for r in results)
    extra = sum(len(r.extra) for r in results)
    precision = _share(len(required), len(required) + extra)
    recall = _share(len(required), len(required) + missed)
    actors = [_actor_found(name, p) for g, p in required for name in (g.get("actor1"), g.get("actor2")) if name]
    negatives = [r for r in results if r.negative]
    return {name: round(value, 4) for name, value in {
        "event_precision": precision,
        "event_recall": recall,
        "event_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "sub_event_type_of_matched": _share(sum(_same(g, p, "sub_event_type") for g, p in required), len(required)),
        "fatalities_of_matched": _share(sum(g.get("fatalities") == p.get("fatalities") for g, p in required),
                                        len(required)),
        "actor_recall_of_matched": _share(sum(actors), len(actors)),
        "clean_negatives": _share(sum(not r.extra for r in negatives), len(negatives)),
    }.items()}


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _actor_found(name: str, pred: Record) -> bool:
    """Whether a gold actor name is among the predicted event's actors (one name may contain the other)."""
    wanted = normalise_actor(name)
    found = [normalise_actor(a) for a in (pred.get("actor1"), pred.get("actor2"),
                                          *pred.get("assoc_actor_1", ()), *pred.get("assoc_actor_2", ()))]
    return any(a and (wanted in a or a in wanted) for a in found)


# -- running ---------------------------------------------------------------------------------------


def read_suite(path: Path = SUITE) -> list[Record]:
    """The suite's article records, gold included."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def run(path: Path = SUITE) -> list[ArticleResult]:
    """Extract every article of the suite with sitrep's default pipeline and match it to its gold."""
    articles: list[Article] = []
    for item in read_inputs([str(path)]):
        if not isinstance(item, Article):
            raise ValueError(f"{path}: {item}")
        articles.append(item)
    by_article: dict[str, list[Record]] = {}
    for event in predict(articles):
        by_article.setdefault(event["article_id"], []).append(event)
    return [match_article(r["id"], r["gold"]["events"], by_article.get(r["id"], [])) for r in read_suite(path)]


def describe(results: Sequence[ArticleResult]) -> str:
    """Each article's missed and extra events, one line each: what to look at when a figure falls."""
    lines = []
    for r in results:
        lines += [f"{r.id}: missed {_brief(g)}" for g in r.missed]
        lines += [f"{r.id}: extra  {_brief(p)}" for p in r.extra]
        lines += [f"{r.id}: differs {field}: gold {g.get(field)!r}, sitrep {p.get(field)!r}"
                  for g, p in r.matched for field in ("sub_event_type", "fatalities") if g.get(field) != p.get(field)]
    return "\n".join(lines)


def _brief(event: Record) -> str:
    return (f"{event.get('event_date')} {event.get('sub_event_type')} {event.get('actor1')} / {event.get('actor2')} "
            f"in {event.get('location') or '?'}, {event.get('country')}, {event.get('fatalities')} dead")


# -- pinning ---------------------------------------------------------------------------------------


def pin(current: dict[str, float], allow_lower: str | None, path: Path = PINNED) -> int:
    """Write ``current`` as the pinned figures; refuse to lower one unless ``allow_lower`` gives a reason."""
    pinned = json.loads(path.read_text()) if path.exists() else {}
    lowered = [f"{m}: {pinned[m]} -> {v}" for m, v in current.items() if v < pinned.get(m, 0)]
    if lowered and not allow_lower:
        print("refusing to lower pinned figures (pass --allow-lower REASON):\n  " + "\n  ".join(lowered),
              file=sys.stderr)
        return 1
    path.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n")
    write_report(current)
    print(f"pinned in {path.relative_to(ROOT)}" + (f" (lowered: {'; '.join(lowered)})" if lowered else ""),
          file=sys.stderr)
    return 0


def write_report(current: dict[str, float]) -> None:
    """Rewrite the owned gate's table in docs/EVALUATION.md (between ``START`` and ``END``)."""
    text = REPORT.read_text()
    if START not in text or END not in text:
        raise ValueError(f"{REPORT}: no {START} ... {END} block to rewrite")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    suite = read_suite()
    events = [e for r in suite for e in r["gold"]["events"]]
    lines = [f"Pinned on {date.today().isoformat()} by `python bench/gate.py --pin`, over {len(suite)} articles: "
             f"{sum(bool(r['gold']['events']) for r in suite)} with events "
             f"({sum(not e['optional'] for e in events)} required, {sum(e['optional'] for e in events)} optional), "
             f"{sum(not r['gold']['events'] for r in suite)} without.", "",
             "| figure | pinned |", "|---|---|", *(f"| {m} | {v} |" for m, v in current.items())]
    REPORT.write_text(f"{head}{START}\n" + "\n".join(lines) + f"\n{END}{tail}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pin", action="store_true", help="Pin the figures for the quality gate.")
    parser.add_argument("--allow-lower", metavar="REASON",
                        help="Let --pin lower a pinned figure; give the reason (repeat it in the commit message).")
    args = parser.parse_args()
    results = run()
    current = figures(results)
    print(json.dumps(current, indent=2))
    print(describe(results), file=sys.stderr)
    return pin(current, args.allow_lower) if args.pin else 0


if __name__ == "__main__":
    sys.exit(main())
