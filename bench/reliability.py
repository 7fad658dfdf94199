"""The reliability figures of docs/RELIABILITY.md.

    python bench/reliability.py [kills|poison|race|stdin ...] [--kills 50] [--articles 300]
                                [--races 20] [--stdin-gib 2]

- kills:  ingest of ``--articles`` generated articles killed with SIGKILL ``--kills`` times at random
          points, started again each time, then left to finish: integrity check, every article stored
          once, events identical to a clean run's.
- poison: a batch of ``--articles`` good articles with one poisoned article in the middle (event
          extraction made to raise on it, as a bug in a rule would), ingested with 1 and 2 workers:
          the good ones stored, exit status 1, the poisoned one named on stderr, nothing of it stored.
- race:   ``--races`` times, two processes create the same new database at the same moment.
- stdin:  ``sitrep extract -`` reading one line of ``--stdin-gib`` GiB from standard input, as a
          text and as a JSON Lines record; peak memory (maximum resident set size, /usr/bin/time -v).

Prints one line per figure; exit status 1 when a floor is not met.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.reliability import (  # noqa: E402
    database_state,
    generate_articles,
    ingest_command,
    ingest_with_kills,
    write_jsonl,
)

POISON_MARK = "POISONED-ARTICLE"
POISONED_INGEST = f"""
import sys
import sitrep.pipeline as pipeline
real = pipeline.extract_events
def extract_events(resolved, *args):
    if {POISON_MARK!r} in resolved.article.text:
        raise ValueError("could not convert string to float: '\\u00b2'")
    return real(resolved, *args)
pipeline.extract_events = extract_events
from sitrep.cli import main
sys.argv = ["sitrep", *sys.argv[1:]]
main()
"""


def kills(work: Path, count: int, articles: int) -> bool:
    records = generate_articles(articles, seed=50)
    source = write_jsonl(records, work / "articles.jsonl")
    clean, killed = work / "clean.db", work / "killed.db"
    started = time.monotonic()
    subprocess.run(ingest_command(source, clean), check=True, capture_output=True)
    run = ingest_with_kills(source, killed, articles, count, seed=50, timeout=600)
    after, expected = database_state(killed), database_state(clean)
    same = after["events"] == expected["events"]
    survived = after["integrity"] == "ok" and after["article_ids"] == sorted(r["id"] for r in records) and same
    print(f"kills: {run.kills} SIGKILLs over {articles} articles in {run.runs} runs "
          f"({time.monotonic() - started:.0f} s): integrity {after['integrity']}, "
          f"{len(after['article_ids'])} of {articles} articles stored once, "
          f"{len(after['events'])} events {'identical to' if same else 'DIFFERENT from'} a clean run's "
          f"-> {'survived' if survived else 'FAILED'}")
    return survived and run.kills == count


def poison(work: Path, articles: int) -> bool:
    records = generate_articles(articles, seed=300)
    middle = {"id": "poisoned-1", "text": f"{POISON_MARK}: gunmen killed 4 people in Kano on Monday."}
    source = write_jsonl([*records[: articles // 2], middle, *records[articles // 2:]], work / "batch.jsonl")
    ok = True
    for workers in ("1", "2"):
        db = work / f"poison{workers}.db"
        command = [sys.executable, "-c", POISONED_INGEST, "ingest", str(source), "--db", str(db),
                   "--workers", workers]
        result = subprocess.run(command, capture_output=True, text=True, timeout=1200)
        state = database_state(db)
        named = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        good = len(state["article_ids"]) == articles and "poisoned-1" not in state["article_ids"]
        passed = result.returncode == 1 and good and len(named) == 1 and "poisoned-1" in named[0]
        ok &= passed
        print(f"poison (--workers {workers}): {len(state['article_ids'])} of {articles} good articles stored, "
              f"exit {result.returncode}, named: {named[0] if named else 'nothing'} -> "
              f"{'as required' if passed else 'FAILED'}")
    return ok


def _open(path: str, barrier: Any, results: Any) -> None:
    from sitrep.store import Store

    barrier.wait()
    try:
        Store(path).close()
        results.put("ok")
    except Exception as error:  # counted as a failure below
        results.put(f"{type(error).__name__}: {error}")


def race(work: Path, count: int) -> bool:
    context = multiprocessing.get_context("fork")
    succeeded, failures = 0, []
    for attempt in range(count):
        barrier, results = context.Barrier(2), context.Queue()
        path = str(work / f"race{attempt}.db")
        processes = [context.Process(target=_open, args=(path, barrier, results)) for _ in range(2)]
        for process in processes:
            process.start()
        for process in processes:
            process.join(120)
        outcome = [results.get(timeout=10) for _ in processes]
        if outcome == ["ok", "ok"]:
            succeeded += 1
        else:
            failures.append(outcome)
    print(f"race: {succeeded} of {count} two-process creations of one new database succeeded"
          + (f"; failures: {failures[:3]}" if failures else ""))
    return succeeded == count


def stdin(gib: float) -> bool:
    size = int(gib * 1024**3)
    ok = True
    for kind, head in (("text", b""), ("JSON Lines record", b'{"text": "')):
        command = ["/usr/bin/time", "-v", str(ROOT / ".venv" / "bin" / "sitrep"), "extract", "-", "-q"]
        started = time.monotonic()
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE)
        assert process.stdin is not None
        chunk = b"a" * (8 * 1024 * 1024)
        sent = 0
        try:
            process.stdin.write(head)
            while sent < size:
                process.stdin.write(chunk[: size - sent])
                sent += min(len(chunk), size - sent)
            process.stdin.write(b'"}\n' if head else b"\n")
            process.stdin.close()
        except BrokenPipeError:
            pass  # sitrep stopped reading once the line was over the limit: as it should
        with contextlib.suppress(BrokenPipeError):
            process.stdin.close()
        assert process.stderr is not None
        text = process.stderr.read().decode(errors="replace")
        process.wait()
        peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) * 1024  # type: ignore[union-attr]
        named = [line for line in text.splitlines() if line.startswith("error:")]
        passed = peak < 1024**3 and process.returncode == 1 and bool(named)
        ok &= passed
        print(f"stdin ({kind}, one line of {gib:g} GiB, {sent / 1024**3:.2f} GiB sent before sitrep stopped "
              f"reading or the end): peak memory {peak / 1024**2:.0f} MiB, exit {process.returncode}, "
              f"{named[0] if named else 'no error'} ({time.monotonic() - started:.0f} s) -> "
              f"{'under 1 GiB' if passed else 'FAILED'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checks", nargs="*", default=["kills", "poison", "race", "stdin"])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--races", type=int, default=20)
    parser.add_argument("--stdin-gib", type=float, default=2.0)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for check in args.checks:
            if check == "kills":
                results.append(kills(work, args.kills, args.articles))
            elif check == "poison":
                results.append(poison(work, args.articles))
            elif check == "race":
                results.append(race(work, args.races))
            elif check == "stdin":
                results.append(stdin(args.stdin_gib))
            else:
                parser.error(f"unknown check {check!r}")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
