"""News snippets scored by ACLED sub-type: the tuning set and the held-out set.

    python bench/snippets.py                  # figures on both sets
    python bench/snippets.py --set heldout    # one set (tune or heldout)
    python bench/snippets.py --misses         # also the tuning set's wrong snippets (never the held-out set's)
    python bench/snippets.py --classifier embeddings   # sub-types with the sentence-embedding model too

A snippet file holds one JSON record per line: ``id``, ``text`` (one or two sentences of news) and
``gold.sub_event_type``, the ACLED sub-type a careful coder gives (one of the 25 in
``sitrep.extraction.taxonomy.TYPE_OF``), or null for news that reports no political event.

- ``tests/data/snippets.jsonl`` (ids ``tune-``): the tuning set. The trigger rules were written with
  these snippets in view; ``tests/test_taxonomy.py`` holds its figures.
- ``tests/data/snippets_heldout.jsonl`` (ids ``heldout-``): written apart from the rules, by someone who
  had not seen them, and never used to change them. Its figures are a measurement on unseen wording; no
  test pins them, and this script does not list its misses.

Each text is read by ``sitrep.extract`` with the publication day ``PUBLISHED`` (snippets carry no date),
and the classifier chosen (``--classifier``: the trigger rules, or with them the sentence-embedding model
of the ``embeddings`` extra).
A snippet's prediction is its primary event's sub-type, the event of highest ``confidence`` (first on
ties), or ``NONE`` when there is no event: the reference definitions for snippet suites.

Figures (0-1): ``weighted_f1``: over the snippets whose gold is a sub-type, the F1 of each gold sub-type
weighted by its number of snippets (a prediction of a sub-type on a null-gold snippet does not count
here); ``none_rejected``: share of the null-gold snippets given no event. Also printed: how many
snippets of each kind, and of the political ones how many got their sub-type and how many no event.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import sitrep
from sitrep.extraction.taxonomy import TYPE_OF
from sitrep.pipeline import CLASSIFIERS

ROOT = Path(__file__).resolve().parents[1]
SETS = {"tune": ROOT / "tests" / "data" / "snippets.jsonl",
        "heldout": ROOT / "tests" / "data" / "snippets_heldout.jsonl"}
"""Each snippet set by name; the name is also the prefix of its ids."""
PUBLISHED = "2024-06-15"
"""Publication day given with every snippet, so that an event can be dated (sitrep gives no undated events)."""
NONE = "NONE"
"""The prediction, and gold label, of a snippet with no event."""


@dataclass(frozen=True)
class Snippet:
    """One snippet and the sub-type a careful coder gives it (None: no political event)."""

    id: str
    text: str
    gold: str | None


def load(path: Path, prefix: str | None = None) -> list[Snippet]:
    """The snippets of one file, in file order.

    Raises ``ValueError`` naming the file and line when a record is not JSON, lacks an ``id`` or
    ``text`` string, has an id without ``prefix`` or seen before, or a gold that is neither null nor one
    of the 25 ACLED sub-types.
    """
    snippets: list[Snippet] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{path}, line {number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{where}: not a JSON record ({error.msg})") from None
            if not isinstance(record, dict):
                raise ValueError(f"{where}: a snippet is a JSON object, not {type(record).__name__}")
            sid, text, gold = record.get("id"), record.get("text"), record.get("gold")
            if not isinstance(sid, str) or not sid:
                raise ValueError(f"{where}: no 'id' string")
            if prefix is not None and not sid.startswith(prefix + "-"):
                raise ValueError(f"{where}: id {sid!r} does not start with {prefix + '-'!r}")
            if sid in seen:
                raise ValueError(f"{where}: id {sid!r} used twice")
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"{where}: no 'text' string")
            if not isinstance(gold, dict) or "sub_event_type" not in gold:
                raise ValueError(f"{where}: no 'gold' object with a 'sub_event_type'")
            label = gold["sub_event_type"]
            if label is not None and label not in TYPE_OF:
                raise ValueError(f"{where}: {label!r} is not an ACLED sub-event type (or null)")
            seen.add(sid)
            snippets.append(Snippet(sid, text, label))
    return snippets


def predict(snippets: Sequence[Snippet], classifier: str = "rules") -> dict[str, str]:
    """The primary event's sub-type per snippet id, or ``NONE``."""
    predicted = {}
    for snippet in snippets:
        events = sitrep.extract(snippet.text, published=PUBLISHED, classifier=classifier)
        best = max(enumerate(events), key=lambda ie: (ie[1].confidence, -ie[0]), default=None)
        predicted[snippet.id] = best[1].sub_event_type if best else NONE
    return predicted


def weighted_f1(pairs: Sequence[tuple[str, str]]) -> float:
    """F1 per gold label over (gold, predicted) pairs, averaged with the labels' gold counts as weights."""
    total, score = 0, 0.0
    for label in {gold for gold, _ in pairs}:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        score += f1 * (tp + fn)
        total += tp + fn
    return score / total if total else 0.0


def scores(snippets: Sequence[Snippet], predicted: dict[str, str]) -> tuple[float, float]:
    """(weighted F1 over the sub-types, none_rejected) of the predictions for ``snippets``."""
    political = [(s.gold, predicted[s.id]) for s in snippets if s.gold is not None]
    ordinary = [predicted[s.id] for s in snippets if s.gold is None]
    rejected = sum(p == NONE for p in ordinary) / len(ordinary) if ordinary else 0.0
    return weighted_f1(political), rejected


def misses(snippets: Sequence[Snippet], predicted: dict[str, str]) -> list[str]:
    """One line per snippet whose prediction is not its gold: id, gold, prediction, text."""
    return [f"{s.id}  {s.gold or NONE} -> {predicted[s.id]}  {s.text}"
            for s in snippets if predicted[s.id] != (s.gold or NONE)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=sorted(SETS), action="append", help="score only this set (repeatable)")
    parser.add_argument("--misses", action="store_true", help="list the tuning set's wrong snippets on stderr")
    parser.add_argument("--classifier", choices=CLASSIFIERS, default="rules",
                        help="what decides the sub-types (embeddings: needs sitrep[embeddings])")
    args = parser.parse_args()
    report = {}
    for name in args.set or list(SETS):
        snippets = load(SETS[name], prefix=name)
        predicted = predict(snippets, args.classifier)
        f1, rejected = scores(snippets, predicted)
        political = [s for s in snippets if s.gold is not None]
        report[name] = {"weighted_f1": round(f1, 4), "none_rejected": round(rejected, 4),
                        "political": len(political),
                        "political_right": sum(predicted[s.id] == s.gold for s in political),
                        "political_no_event": sum(predicted[s.id] == NONE for s in political),
                        "non_political": len(snippets) - len(political)}
        if args.misses and name == "tune":
            print("\n".join(misses(snippets, predicted)), file=sys.stderr)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
