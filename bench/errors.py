"""Count the largest classes of error on a suite, for the error analysis in docs/EVALUATION.md.

    python bench/errors.py SUITE_FILE [--limit N]

Runs sitrep on the suite (gold stripped, as the reference runner does), judges each record on the
same event as the reference scorer, and buckets the misses of each judged field by a simple cause.
Prints counts per bucket, largest first, and a few examples of each (for reading, not for tuning).
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371 * 2 * math.asin(min(1.0, math.sqrt(a)))


def predict(rows: list[dict]) -> dict[str, list[dict]]:
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "input.jsonl"
        source.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "gold"}) + "\n" for r in rows))
        out = subprocess.run([str(ROOT / ".venv" / "bin" / "sitrep"), "extract", str(source), "-q"],
                             capture_output=True, text=True, check=True).stdout
    groups: dict[str, list[dict]] = collections.defaultdict(list)
    for line in out.splitlines():
        event = json.loads(line)
        groups[event["article_id"]].append(event)
    return groups


def acled_notes(row: dict, events: list[dict]) -> list[str]:
    gold = row["gold"]
    if not events:
        return [f"no event ({gold['sub_event_type']})"]
    e = max(events, key=lambda x: x["confidence"])
    causes = []
    if e["sub_event_type"] != gold["sub_event_type"]:
        causes.append(f"sub-type {gold['sub_event_type']} -> {e['sub_event_type']}")
    if e["latitude"] is None or km(e["latitude"], e["longitude"], gold["latitude"], gold["longitude"]) > 25:
        causes.append(f"place > 25 km, coded at precision {e['geo_precision']}")
    if e["fatalities"] != gold["fatalities"]:
        causes.append("fatalities " + ("over" if e["fatalities"] > gold["fatalities"] else "under")
                      + (" (gold 0)" if gold["fatalities"] == 0 else ""))
    if e["event_date"] != gold["event_date"]:
        causes.append("date")
    return causes


def fakes(row: dict, events: list[dict]) -> list[str]:
    gold = row["gold"]
    if not events:
        return ["no event"]
    e = max(events, key=lambda x: x.get("fatalities") or 0)
    total = gold["civilians"] + gold["noncivilians"]
    causes = []
    if abs(e["fatalities"] - total) > max(1, 0.1 * total):
        causes.append("deaths " + ("over" if e["fatalities"] > total else "under"))
    if e["event_date"] != gold["date"]:
        causes.append("date " + ("unknown" if e["event_date"] is None else
                                 "earlier" if e["event_date"] < gold["date"] else "later"))
    if e["geo_precision"] == 3:
        causes.append("place only a country or province")
    return causes


JUDGES = {"acled_notes": acled_notes, "fakes": fakes}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("suite_file", type=Path)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--examples", type=int, default=0)
    args = parser.parse_args()
    judge = JUDGES[args.suite_file.name.split(".")[0]]
    rows = [json.loads(line) for line in args.suite_file.open(encoding="utf-8")]
    rows = rows[: args.limit] if args.limit else rows
    groups = predict(rows)
    counts: collections.Counter[str] = collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    for row in rows:
        for cause in judge(row, groups.get(row["id"], [])):
            counts[cause] += 1
            examples[cause].append(row["text"][:160])
    for cause, n in counts.most_common(15):
        print(f"{n:6d}  {cause}")
        for text in examples[cause][: args.examples]:
            print(f"        {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
