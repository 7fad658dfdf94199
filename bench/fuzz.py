"""The long fuzz run: the suite's fuzz properties (tests/fuzzing.py) for as long as a time budget allows.

    python bench/fuzz.py [--seconds 600] [--seed 0] [--mutations 20] [--targets read,text,export,store]
                         [--out FILE]

Each target gets an equal share of the budget and runs in rounds of generated inputs (hypothesis,
one seed per round: ``--seed`` and the round number). Generating a structured input costs
hypothesis milliseconds, far more than checking most of them, so each generated input is also the
seed of ``--mutations`` cheap mutants (fragments spliced in, characters and bytes changed, fields
replaced, by a ``random.Random`` seeded from the run's seed): every one is an input tried. A failure is
recorded, not raised: the run goes on, and the report gives the inputs tried per target, the failures
by kind (exception type and where it was raised) and one reproducing input of each kind. Exit status
1 when anything failed. ``make fuzz`` runs it with ``FUZZ_SECONDS`` (default 600).
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests import fuzzing  # noqa: E402

ROUND = 200
"""Inputs per round (one hypothesis run with its own seed)."""

TARGETS: dict[str, tuple[Any, Callable[..., int]]] = {
    "read": (st.tuples(st.lists(fuzzing.input_file(), min_size=1, max_size=4)), fuzzing.check_read),
    "text": (st.tuples(fuzzing.news_text(), fuzzing.published_dates), fuzzing.check_text),
    "export": (st.tuples(st.lists(fuzzing.event_record(), max_size=4)), fuzzing.check_export),
    "store": (st.tuples(fuzzing.news_text(max_parts=3), st.lists(fuzzing.event_record(), max_size=3)),
              fuzzing.check_store),
}


def mutate(value: Any, rng: random.Random) -> Any:
    """A cheap mutant of a generated input, of the same shape (an event record keeps its schema's types:
    exports and the store take sitrep's own records)."""
    if isinstance(value, str):
        return _mutate_text(value, rng)
    if isinstance(value, bytes):
        return _mutate_bytes(value, rng)
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], bytes):
        return value[0], _mutate_bytes(value[1], rng)  # (suffix, content) of a file: the content only
    if isinstance(value, tuple):
        return tuple(mutate(v, rng) if rng.random() < 0.7 else v for v in value)
    if isinstance(value, list):
        return [mutate(v, rng) if rng.random() < 0.5 else v for v in value]
    if isinstance(value, dict):
        record = dict(value)
        for key in rng.sample(sorted(record), k=min(len(record), rng.randint(1, 3))):
            record[key] = _field(key, record[key], rng)
        return record
    return value


TEXT_FIELDS = frozenset({"article_id", "event_type", "sub_event_type", "actor1", "actor2", "inter1", "inter2",
                         "country", "iso3", "admin1", "admin2", "location", "notes"})
COUNT_FIELDS = frozenset({"geonameid", "fatalities_low", "fatalities_best", "fatalities_high", "deaths_civilians",
                          "deaths_side_1", "deaths_side_2"})


def _field(key: str, value: Any, rng: random.Random) -> Any:
    """A new value for one field of an event record, of the field's type."""
    def text() -> str:
        return _mutate_text(value if isinstance(value, str) else rng.choice(fuzzing.UNICODE_FRAGMENTS), rng,
                            unicode_only=True)

    if key in TEXT_FIELDS:
        return rng.choice([None, "", text(), rng.choice(fuzzing.UNICODE_FRAGMENTS)])
    if key in COUNT_FIELDS:
        return rng.choice([None, 0, 1, -1, 10**12, rng.randint(-10**6, 10**9)])
    if key == "fatalities":
        return rng.choice([0, 1, 10**12, rng.randint(0, 10**9)])
    if key in {"latitude", "longitude"}:
        return rng.choice([None, 0.0, -0.0, rng.uniform(-90, 90), -90.0, 90.0])
    if key in {"event_date", "date_end"}:
        return rng.choice([None, "", "0001-01-01", "9999-12-31", "2024-02-29", text()])
    if key in {"assoc_actor_1", "assoc_actor_2", "article_ids"}:
        return [text() for _ in range(rng.randint(0, 3))]
    if key == "sources":
        return [{"name": text(), "kind": "media", "claim": "reported"} for _ in range(rng.randint(0, 3))]
    if key == "event_id":
        return text() or "e"
    return value


def _mutate_text(text: str, rng: random.Random, unicode_only: bool = False) -> str:
    fragments = fuzzing.UNICODE_FRAGMENTS if unicode_only else fuzzing.FRAGMENTS
    for _ in range(rng.randint(1, 4)):
        i = rng.randint(0, len(text))
        roll = rng.random()
        if roll < 0.5:
            piece = rng.choice(fragments + fuzzing.SENTENCES)
        elif roll < 0.7:
            code = rng.randint(0, 0x10FFFF)
            piece = chr(code) if not (unicode_only and 0xD800 <= code <= 0xDFFF) else "\ufffd"
        elif roll < 0.85:
            piece = str(rng.randint(0, 10 ** rng.randint(1, 30)))
        else:
            text, piece = text[:i] + text[i + rng.randint(1, 30):], ""
        text = text[:i] + piece + text[i:]
    return text


def _mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        i = rng.randint(0, len(out))
        roll = rng.random()
        if roll < 0.4:
            out[i:i] = rng.choice(fuzzing.FRAGMENTS).encode("utf-8", "surrogatepass")
        elif roll < 0.7:
            out[i:i] = rng.randbytes(rng.randint(1, 8))
        elif roll < 0.85:
            out[i:i] = rng.choice([b"\\ud800", b"[" * 5000, b'"published": "0001-01-01", ', b"\n", b"\r", b"\x00"])
        else:
            del out[i:i + rng.randint(1, 30)]
    return bytes(out)


def run_target(name: str, seconds: float, base_seed: int, mutations: int) -> dict[str, Any]:
    """Fuzz one target for ``seconds``; its counts, failures by kind and an example of each."""
    strategy, check = TARGETS[name]
    tried = generated = 0
    failures: Counter[str] = Counter()
    examples: dict[str, str] = {}
    deadline = time.monotonic() + seconds
    rounds = 0
    rng = random.Random(f"{base_seed}-{name}")

    def attempt(args: tuple[Any, ...]) -> None:
        nonlocal tried
        tried += 1
        try:
            check(*args)
        except Exception as error:  # recorded, the run goes on
            frame = traceback.extract_tb(error.__traceback__)[-1]
            kind = f"{type(error).__name__} at {Path(frame.filename).name}:{frame.lineno}"
            failures[kind] += 1
            examples.setdefault(kind, f"{error!s:.300} <- {args!r:.600}")

    def one(args: tuple[Any, ...]) -> None:
        nonlocal generated
        if time.monotonic() > deadline:
            return
        generated += 1
        attempt(args)
        for _ in range(mutations):
            attempt(mutate(args, rng))

    while time.monotonic() < deadline:
        test = settings(max_examples=ROUND, database=None, deadline=None, phases=[Phase.generate],
                        suppress_health_check=list(HealthCheck))(given(strategy)(one))
        seed(base_seed * 100_000 + rounds)(test)()
        rounds += 1
    return {"target": name, "inputs": tried, "generated": generated, "rounds": rounds,
            "failures": sum(failures.values()), "kinds": dict(failures), "examples": examples}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=600, help="Time budget of the whole run.")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--mutations", type=int, default=20, help="Mutants tried per generated input.")
    parser.add_argument("--targets", default=",".join(TARGETS), help="Comma-separated: " + ", ".join(TARGETS))
    parser.add_argument("--out", type=Path, help="Also write the report as JSON here.")
    args = parser.parse_args()
    logging.getLogger("sitrep").setLevel(logging.ERROR)  # odd inputs are the point: no warning per input
    names = [n for n in args.targets.split(",") if n]
    started = time.monotonic()
    reports = [run_target(name, args.seconds / len(names), args.seed, args.mutations) for name in names]
    elapsed = time.monotonic() - started
    total, failed = sum(r["inputs"] for r in reports), sum(r["failures"] for r in reports)
    for r in reports:
        print(f"{r['target']:8s} {r['inputs']:8d} inputs ({r['generated']} generated)  {r['failures']:5d} failures")
        for kind, count in sorted(r["kinds"].items(), key=lambda kv: -kv[1]):
            print(f"    {count:5d}  {kind}\n           e.g. {r['examples'][kind]}")
    print(f"{'total':8s} {total:8d} inputs  {failed:5d} failures in {elapsed:.0f} s "
          f"(seed {args.seed}, {args.mutations} mutants per generated input)")
    if args.out:
        args.out.write_text(json.dumps({"seconds": round(elapsed), "seed": args.seed, "inputs": total,
                                        "failures": failed, "targets": reports}, indent=2, ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
