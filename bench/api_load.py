"""Load on the HTTP API: concurrent clients asking ``GET /events`` by country and dates of a big store.

    python bench/api_load.py [--db PATH_OR_URL] [--events 100000] [--clients 20] [--requests 50]
                             [--keep] [--workers 1]

Fills a store with ``--events`` synthetic event reports (``bench/pg_load.py``'s: countries weighted
like a conflict dataset, three years of days; each report its own fused event), unless the store
already holds that many: an SQLite file (default: a temporary one) or a PostgreSQL database
(``postgresql://...``, which must exist). Then starts ``sitrep serve`` on it in its own process
(``--workers`` uvicorn processes), creates a reader's token, and runs ``--clients`` concurrent
clients, each sending ``--requests`` requests one after the other:
``GET /events?country=C&since=D&until=D+30`` (a country drawn by its weight, 30 days from a random
day; the first page of 100 events and the total). Prints the latency percentiles in milliseconds over
all requests, the requests per second, the events a page held on average, and the CPU the server
process spent per request (a figure other work on the machine disturbs less than latency; with
PostgreSQL, the database server's own CPU is not in it). Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pg_load import COUNTRIES, DAYS, FIRST_DAY, fill, synthetic  # noqa: E402
from sitrep.store import (  # noqa: E402
    _ARTICLE_UPSERT,
    _EVENT_INSERT,
    _FUSED_INSERT,
    Store,
    _answer,
    _article_report,
    _article_row,
    _content_hash,
    _event_row,
    _fused_row,
)


def fill_sqlite(store: Store, events: int, per_article: int = 2, seed: int = 1) -> int:
    """``pg_load.fill`` for an SQLite store: the same synthetic rows, through the store's inserts."""
    rng = random.Random(seed)
    written = 0
    store._conn.begin()
    try:
        for n in range(0, events, per_article):
            article, records = synthetic(rng, f"load-{n // per_article:07d}", min(per_article, events - n))
            store._conn.execute(_ARTICLE_UPSERT, _article_row(article, _content_hash(article.text)))
            primary = _article_report(article)  # each report its own event: one answer for both rows
            pairs = [(r, _answer(store._with_reports(r, primary))) for r in records]
            store._conn.executemany(_EVENT_INSERT, [_event_row(r["article_id"], r, a) for r, a in pairs])
            store._conn.executemany(_FUSED_INSERT, [_fused_row(r, 1, a) for r, a in pairs])
            written += len(records)
        store._conn.execute("UPDATE events SET fused_id = event_id")
        store._conn.commit()
    except BaseException:
        store._conn.rollback()
        raise
    store._conn.execute("ANALYZE")
    return written


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def client(base: str, token: str, requests: int, seed: int, times: list[float], sizes: list[int]) -> None:
    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as http:
        for _ in range(requests):
            country = rng.choices(COUNTRIES, [c[2] for c in COUNTRIES])[0][rng.randrange(2)]
            since = FIRST_DAY + timedelta(days=rng.randrange(DAYS - 30))
            params = {"country": country, "since": since.isoformat(), "until": (since + timedelta(days=30)).isoformat()}
            start = time.perf_counter()
            answer = await http.get("/events", params=params)
            times.append(1000 * (time.perf_counter() - start))
            answer.raise_for_status()
            sizes.append(len(answer.json()["events"]))


async def load(base: str, token: str, clients: int, requests: int) -> tuple[list[float], list[int], float]:
    times: list[float] = []
    sizes: list[int] = []
    start = time.perf_counter()
    await asyncio.gather(*(client(base, token, requests, n, times, sizes) for n in range(clients)))
    return times, sizes, time.perf_counter() - start


def cpu_seconds(pid: int) -> float:
    """The CPU seconds (user and system) process ``pid`` has used; -1 where ``/proc`` does not say."""
    import os

    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve(db: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    """``sitrep serve`` on ``db`` (``--workers`` > 1: uvicorn's own workers), once it answers."""
    if workers > 1:
        command = [sys.executable, "-m", "uvicorn", "--factory", "bench.api_load:app", "--port", str(port),
                   "--workers", str(workers), "--log-level", "warning"]
    else:
        command = [sys.executable, "-m", "sitrep", "serve", "--db", db, "--port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT, env={**_env(), "SITREP_API_LOAD_DB": db},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    sys.exit("sitrep serve did not answer within 60 s")


def app() -> Any:
    """The application for uvicorn's workers (``--workers`` > 1)."""
    import os

    from sitrep.serve import create_app

    return create_app(os.environ["SITREP_API_LOAD_DB"])


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="an SQLite file or postgresql://... (default: a temporary SQLite file)")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50, help="requests per client")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory(prefix="sitrep-api-load-")
    db = args.db or str(Path(folder.name) / "load.db")
    with Store(db, fuse=False) as store:
        held = store.counts()["events"]
        if held == 0:
            start = time.perf_counter()
            filler = fill if store.backend == "postgresql" else fill_sqlite
            written = filler(store, args.events, 2, 1)
            print(f"{'events_written':24s} {written} ({time.perf_counter() - start:.0f} s)")
        elif held != args.events:
            print(f"{store.path} holds {held} events (not {args.events}): measured as it is", file=sys.stderr)
        token, _ = store.create_token("reader", "api-load")
        backend = store.backend
    port = free_port()
    process = serve(db, port, args.workers)
    try:
        cpu = cpu_seconds(process.pid)
        times, sizes, seconds = asyncio.run(load(f"http://127.0.0.1:{port}", token, args.clients, args.requests))
        cpu = cpu_seconds(process.pid) - cpu
    finally:
        process.terminate()
        process.wait(timeout=30)
        folder.cleanup()
    cuts = statistics.quantiles(times, n=100)
    print(f"{'store':24s} {backend}, {args.events} events")
    print(f"{'clients':24s} {args.clients} x {args.requests} requests, {args.workers} server process(es)")
    print(f"{'latency_ms_p50':24s} {statistics.median(times):.1f}")
    print(f"{'latency_ms_p95':24s} {cuts[94]:.1f}")
    print(f"{'latency_ms_p99':24s} {cuts[98]:.1f}")
    print(f"{'requests_per_second':24s} {len(times) / seconds:.0f}")
    if args.workers == 1 and cpu >= 0:
        print(f"{'server_cpu_ms_per_request':24s} {1000 * cpu / len(times):.1f}")
    print(f"{'events_per_page':24s} {statistics.mean(sizes):.0f}")


if __name__ == "__main__":
    main()
