"""Load on the HTTP API: concurrent clients asking ``GET /events`` by country and dates of a big store.

    python bench/api_load.py [--db PATH_OR_URL] [--events 100000] [--clients 20] [--requests 50]
                             [--warmup 5] [--workers 1]

Fills a store with ``--events`` synthetic event reports (``bench/pg_load.py``'s: countries weighted
like a conflict dataset, three years of days; each report its own fused event), unless the store
already holds that many: an SQLite file (default: a temporary one) or a PostgreSQL database
(``postgresql://...``, which must exist). Then starts ``sitrep serve --workers N`` on it in its own
process, creates a reader's token, and runs ``--clients`` concurrent clients, each sending
``--warmup`` requests (not counted: the server opens its connections to the database), then
``--requests`` requests one after the other: ``GET /events?country=C&since=D&until=D+30`` (a country
drawn by its weight, 30 days from a random day; the first page of 100 events and the total). The
clients speak HTTP/1.1 on a kept-alive connection each and parse the answers after the run, so that
as little of the machine's CPU as possible goes to them rather than to the server.

Prints the load average before and after, the latency percentiles in milliseconds over the counted
requests, the requests per second, the events a page held on average, and the CPU per request (ms)
of the server's processes, of the PostgreSQL processes serving their connections (when the server is
on this machine) and of the clients. CPU per request is the figure
other work on the machine disturbs least; latency measures the queue for the CPU as much as the work.
Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

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


async def client(base: str, token: str, requests: int, seed: int, times: list[float], bodies: list[bytes]) -> None:
    """One client: ``requests`` requests one after the other on one kept-alive connection, each latency
    (ms, from sending the request to the answer's last byte) in ``times``, each answer in ``bodies``.

    HTTP/1.1 on the bare socket, as load generators do: the clients share the machine's cores with
    the server, and a general client (httpx) spends about 2 ms of CPU per request of its own."""
    rng = random.Random(seed)
    where = urlsplit(base)
    reader, writer = await asyncio.open_connection(where.hostname, where.port)
    head = f"Host: {where.netloc}\r\nAuthorization: Bearer {token}\r\nAccept: application/json\r\n\r\n"
    try:
        for _ in range(requests):
            country = rng.choices(COUNTRIES, [c[2] for c in COUNTRIES])[0][rng.randrange(2)]
            since = FIRST_DAY + timedelta(days=rng.randrange(DAYS - 30))
            query = urlencode({"country": country, "since": since.isoformat(),
                               "until": (since + timedelta(days=30)).isoformat()})
            start = time.perf_counter()
            writer.write(f"GET /events?{query} HTTP/1.1\r\n{head}".encode())
            status, body = await _response(reader)
            times.append(1000 * (time.perf_counter() - start))
            if status != 200:
                raise RuntimeError(f"GET /events?{query}: {status} {body[:300]!r}")
            bodies.append(body)
    finally:
        writer.close()


async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """(status, body) of one HTTP/1.1 answer with a Content-Length (as the API's are)."""
    lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    headers = dict(line.split(":", 1) for line in lines[1:] if ":" in line)
    length = next(int(v) for k, v in headers.items() if k.strip().lower() == "content-length")
    return int(lines[0].split()[1]), await reader.readexactly(length)


async def load(base: str, token: str, clients: int, requests: int) -> tuple[list[float], list[bytes], float]:
    """(each request's latency in ms, each answer's body, the seconds of the run)."""
    times: list[float] = []
    bodies: list[bytes] = []
    start = time.perf_counter()
    await asyncio.gather(*(client(base, token, requests, n, times, bodies) for n in range(clients)))
    return times, bodies, time.perf_counter() - start


def cpu_seconds(pid: int) -> float:
    """The CPU seconds (user and system) process ``pid`` has used; -1 where ``/proc`` does not say."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def processes() -> dict[int, tuple[str, int]]:
    """Every process ``/proc`` shows: its id -> (its name, its parent's id)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        found[int(stat.parent.name)] = (name, int(text.rsplit(")", 1)[1].split()[1]))
    return found


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants."""
    table = processes()
    found, frontier = [pid], [pid]
    while frontier:
        frontier = [child for child, (_, parent) in table.items() if parent in frontier]
        found += frontier
    return found


def backends(db: str) -> list[int]:
    """The processes of the local PostgreSQL server that serve connections to ``db``'s database (none
    when the server is on another machine)."""
    if urlsplit(db).hostname not in ("127.0.0.1", "localhost", "::1"):
        return []
    with Store(db, create=False) as store:
        rows = store._conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                   "AND pid <> pg_backend_pid()").fetchall()
    return [int(pid) for (pid,) in rows]


def cpu(pids: list[int]) -> float:
    return sum(max(cpu_seconds(pid), 0.0) for pid in pids)


def serve(db: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    """``sitrep serve --workers N`` on ``db``, once it answers."""
    command = [sys.executable, "-m", "sitrep", "serve", "--db", db, "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(command, cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    sys.exit("sitrep serve did not answer within 60 s")


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="an SQLite file or postgresql://... (default: a temporary SQLite file)")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50, help="requests per client")
    parser.add_argument("--warmup", type=int, default=5, help="requests per client before the counted ones")
    parser.add_argument("--workers", type=int, default=1, help="server processes (sitrep serve --workers)")
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
    base = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(load(base, token, args.clients, args.warmup))
        server = tree(process.pid)
        database = backends(db) if backend == "postgresql" else []
        before = os.getloadavg()[0], cpu(server), cpu(database), time.process_time()
        times, bodies, seconds = asyncio.run(load(base, token, args.clients, args.requests))
        database = sorted({*database, *(backends(db) if backend == "postgresql" else [])})  # and new ones
        after = os.getloadavg()[0], cpu(server), cpu(database), time.process_time()
    finally:
        process.terminate()
        process.wait(timeout=30)
        folder.cleanup()
    sizes = [len(json.loads(body)["events"]) for body in bodies]
    cuts = statistics.quantiles(times, n=100)
    print(f"{'store':24s} {backend}, {args.events} events")
    print(f"{'clients':24s} {args.clients} x {args.requests} requests (after {args.warmup}), "
          f"{args.workers} server process(es)")
    print(f"{'load_average':24s} {before[0]:.1f} before, {after[0]:.1f} after")
    print(f"{'latency_ms_p50':24s} {statistics.median(times):.1f}")
    print(f"{'latency_ms_p95':24s} {cuts[94]:.1f}")
    print(f"{'latency_ms_p99':24s} {cuts[98]:.1f}")
    print(f"{'requests_per_second':24s} {len(times) / seconds:.0f}")
    print(f"{'server_cpu_ms_per_request':24s} {1000 * (after[1] - before[1]) / len(times):.2f}")
    if database:
        print(f"{'postgres_cpu_ms_per_request':24s} {1000 * (after[2] - before[2]) / len(times):.2f}")
    print(f"{'client_cpu_ms_per_request':24s} {1000 * (after[3] - before[3]) / len(times):.2f}")
    print(f"{'events_per_page':24s} {statistics.mean(sizes):.0f}")


if __name__ == "__main__":
    main()
