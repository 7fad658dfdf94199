"""Score sitrep on every evaluation suite with the reference scorer and rewrite docs/EVALUATION.md.

    python bench/evaluate.py --shared ../shared [--limit N] [--suite NAME]

Each suite file in SHARED/data/eval (the dev files) goes through SHARED/eval/run.sh, which strips the
gold labels, calls `sitrep` as the contract says and scores its output. The figures printed by the
scorer are the ones recorded; nothing here re-scores.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCORES = ROOT / "docs" / "eval_scores.json"
PINNED = ROOT / "tests" / "eval_pinned.json"
REPORT = ROOT / "docs" / "EVALUATION.md"
GATED = ("detected", "event_type", "sub_event_type", "date", "admin1", "geo_25km", "fatalities", "fatalities_nonzero",
         "actor_recall_lenient", "governorate", "deaths_within_10pct", "cause_subtype_balanced", "actor_class_balanced",
         "e2e_acc161", "resolution_acc161", "precision_vs_annotated", "content_f1_iou50", "source_of_matched",
         "event_f1", "event_precision", "clean_negatives", "fatalities_of_matched", "actor_recall_of_matched",
         "pair_precision", "pair_recall")
"""The metrics the quality gate in tests/test_eval_gate.py holds at their pinned values."""

FLOORS: dict[str, dict[str, float]] = {
    "acled_notes": {"event_type": 0.85, "sub_event_type": 0.75, "date": 0.95, "admin1": 0.85, "geo_25km": 0.70,
                    "fatalities": 0.80, "fatalities_nonzero": 0.60, "actor_recall_lenient": 0.70},
    "fakes": {"detected": 0.90, "governorate": 0.75, "date": 0.50, "deaths_within_10pct": 0.45,
              "cause_subtype_balanced": 0.60, "actor_class_balanced": 0.50},
    "geoparse_lgl": {"e2e_acc161": 0.65, "resolution_acc161": 0.88, "precision_vs_annotated": 0.60},
    "geoparse_trnews": {"e2e_acc161": 0.65, "resolution_acc161": 0.88, "precision_vs_annotated": 0.60},
    "attribution_polnear": {"content_f1_iou50": 0.50, "source_of_matched": 0.70},
    "events_voa": {"event_f1": 0.70, "event_precision": 0.70, "clean_negatives": 0.85, "fatalities_of_matched": 0.75,
                   "actor_recall_of_matched": 0.70},
    "events_fakes": {"event_f1": 0.75, "event_precision": 0.75, "fatalities_of_matched": 0.75,
                     "actor_recall_of_matched": 0.70},
    "fusion_fakes": {"pair_precision": 0.92, "pair_recall": 0.65},
}
ANCHORS: dict[str, str] = {
    "acled_notes": "0.94 sub-type micro-F1 on ACLED notes (BERT fine-tuned on ACLED)",
    "fakes": "0.81 exact casualty counts (generative model, other data)",
    "geoparse_lgl": "Mordecai3: 0.607 end to end within 161 km (LGL + TR-News + GeoWebNews)",
    "geoparse_trnews": "Mordecai3: 0.607 end to end within 161 km (LGL + TR-News + GeoWebNews)",
    "attribution_polnear": "none published for this scorer",
    "events_voa": "none published: every event of whole articles, matched on country, day within one and type",
    "events_fakes": "none published: every event of whole articles, matched on country, day within one and type",
    "fusion_fakes": "fusing on day, province and type alone: pair precision 0.88, recall 0.47 (on an earlier "
                    "extraction)",
}


def suites(shared: Path) -> list[Path]:
    return sorted(p for p in (shared / "data" / "eval").glob("*.dev.jsonl"))


def run_suite(shared: Path, suite: Path, limit: int) -> dict[str, float]:
    """Run one suite through the reference runner; the scorer's JSON line plus timing."""
    sitrep = ROOT / ".venv" / "bin" / "sitrep"
    args = ["bash", str(shared / "eval" / "run.sh"), str(suite)]
    if limit:
        args += ["--limit", str(limit)]
    args.append("--json")
    env = {**os.environ, "SITREP": str(sitrep)}
    out = subprocess.run(args, env=env, check=True, capture_output=True, text=True).stdout.splitlines()
    result: dict[str, float] = json.loads(out[0])
    for line in out[1:]:
        key, _, value = line.partition(" ")
        result[key.strip()] = float(value)
    return result


START, END = "<!-- figures: start -->", "<!-- figures: end -->"
"""docs/EVALUATION.md is rewritten between these markers only; the error analysis around them is kept."""


def write_report(scores: dict[str, dict[str, float]], limit: int) -> None:
    old = REPORT.read_text() if REPORT.exists() else f"# Evaluation\n\n{START}\n{END}\n"
    head, _, rest = old.partition(START)
    _, _, tail = rest.partition(END)
    REPORT.write_text(f"{head}{START}\n{report(scores, limit)}\n{END}{tail}")


def report(scores: dict[str, dict[str, float]], limit: int) -> str:
    lines = ["Figures from the reference scorer (`../shared/eval/score.py`) on the dev suites, produced by "
             "`make eval` (`python bench/evaluate.py --shared ../shared"
             + (f" --limit {limit}" if limit else "") + "`), on " + date.today().isoformat() + ".",
             "A floor is the minimum the project commits to; the anchor is the best published figure we know.", ""]
    for name, result in scores.items():
        lines += [f"### {name}", "", f"Command: `../shared/eval/run.sh ../shared/data/eval/{name}.dev.jsonl`", "",
                  "| metric | sitrep | floor | status |", "|---|---|---|---|"]
        floors = FLOORS.get(name, {})
        for metric, value in result.items():
            floor = floors.get(metric)
            status = "" if floor is None else ("ok" if value >= floor else "**below**")
            lines.append(f"| {metric} | {value} | {'' if floor is None else floor} | {status} |")
        lines += ["", f"Best published anchor: {ANCHORS.get(name, 'n/a')}.", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--limit", type=int, default=0, help="Only the first N articles of each suite.")
    parser.add_argument("--suite", action="append", help="Only these suites (by name).")
    parser.add_argument("--pin", action="store_true", help="Pin the new figures for the quality gate.")
    parser.add_argument("--allow-lower", metavar="REASON",
                        help="Let --pin lower a pinned figure; give the reason (repeat it in the commit message).")
    args = parser.parse_args()
    if not (args.shared / "data" / "eval").is_dir():
        print(f"no evaluation data under {args.shared}/data/eval", file=sys.stderr)
        return 2
    scores = json.loads(SCORES.read_text()) if SCORES.exists() else {}
    for suite in suites(args.shared):
        name = suite.name.split(".")[0]
        if args.suite and name not in args.suite:
            continue
        print(f"scoring {name} ...", file=sys.stderr)
        scores[name] = run_suite(args.shared, suite, args.limit)
        print(json.dumps({name: scores[name]}), file=sys.stderr)
    SCORES.write_text(json.dumps(scores, indent=2, sort_keys=True) + "\n")
    write_report(scores, args.limit)
    if args.pin:
        return pin(scores, args.allow_lower)
    return 0


def pin(scores: dict[str, dict[str, float]], allow_lower: str | None) -> int:
    """Write the gated figures to the pinned file; refuse to lower one without a reason."""
    pinned = json.loads(PINNED.read_text()) if PINNED.exists() else {}
    lowered = [f"{suite}.{metric}: {pinned[suite][metric]} -> {value}"
               for suite, result in scores.items() for metric, value in result.items()
               if metric in GATED and value < pinned.get(suite, {}).get(metric, 0)]
    if lowered and not allow_lower:
        print("refusing to lower pinned figures (pass --allow-lower REASON):\n  " + "\n  ".join(lowered),
              file=sys.stderr)
        return 1
    for suite, result in scores.items():
        if gated := {m: v for m, v in result.items() if m in GATED}:
            pinned[suite] = gated
    PINNED.write_text(json.dumps(pinned, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
