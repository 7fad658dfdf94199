"""The figures of ``sitrep watch`` in docs/PERFORMANCE.md: alert latency and memory over many items.

    python bench/watch.py latency [--items 20] [--interval 30] [--seed 1]
    python bench/watch.py memory [--items 10000] [--batch 100] [--every 500]
    python bench/watch.py store [--items 10000] [--report-cache 2000] [--every 1000]

Both start a server on localhost (a feed, the items' pages, a webhook receiver, no robots.txt) and one
``sitrep watch`` process (``--alerts`` with one rule that matches every event, delivered to the webhook),
polling one feed whose items carry only a summary, so that each item's page is fetched and read.

- latency: ``--items`` items appear on the feed one at a time, at random moments (gaps drawn between 0
  and ``--interval`` seconds), while the watch polls it every ``--interval`` seconds. For each item: the
  seconds from its appearing on the feed to its alert reaching the webhook (both timed by the server).
  Prints the median and the worst; the floor: both under the interval plus 15 s.
- memory: ``--items`` items, ``--batch`` new ones on the feed at each poll (the older ones gone), read as
  fast as the watch goes. The resident memory of the watch process (VmRSS) is read every ``--every``
  items, while it waits for the next page. Prints it after the first 1,000 items and at the end, and
  the growth; the floor: at most 10%.
- store: the store alone, in this process: ``--items`` synthetic articles of one report each (the
  records of bench/fusion_cost.py, no text analysed) added with fusion, the store keeping at most
  ``--report-cache`` reports parsed; resident memory every ``--every`` articles. Quick, and without the
  rest of a watch: it shows what the store's cache of parsed reports costs.

The articles are short synthetic dispatches (a deadly attack in one of twenty towns, a different day for
every ten items), so that each is an event of its own and the store grows as a real one does.
Prints one line per figure; exit status 1 when a floor is not met.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

TOWNS = (("Mopti", "Mali"), ("Gao", "Mali"), ("Goma", "Democratic Republic of Congo"),
         ("Bunia", "Democratic Republic of Congo"), ("Maiduguri", "Nigeria"), ("Kano", "Nigeria"),
         ("Baidoa", "Somalia"), ("Kismayo", "Somalia"), ("Aleppo", "Syria"), ("Homs", "Syria"),
         ("Kharkiv", "Ukraine"), ("Kherson", "Ukraine"), ("El Fasher", "Sudan"), ("Nyala", "Sudan"),
         ("Djibo", "Burkina Faso"), ("Kaya", "Burkina Faso"), ("Taiz", "Yemen"), ("Marib", "Yemen"),
         ("Kandahar", "Afghanistan"), ("Mandalay", "Myanmar"))
FIRST_DAY = date(2023, 1, 2)
LATENCY_MARGIN_S = 15.0
"""The floor: an alert within the poll interval plus this."""
MEMORY_GROWTH = 0.10
"""The floor: resident memory after all items at most this much above its value after the first 1,000."""


def dispatch(n: int) -> tuple[str, str, date]:
    """Item ``n``: title, text and day of publication."""
    town, country = TOWNS[n % len(TOWNS)]
    killed = 3 + n % 17
    day = FIRST_DAY + timedelta(days=n // 10)
    title = f"Gunmen kill {killed} in attack near {town} (dispatch {n})"
    text = (f"Gunmen killed {killed} civilians in an attack on a market near the town of {town} in {country} "
            f"on {day.day} {day:%B %Y}, a local official said. Dispatch number {n} of the wire. The attackers fled on "
            f"motorbikes and the wounded were taken to hospital, residents said.")
    return title, text, day


class Feed:
    """What the server shows: the feed's items, and what it has seen (alerts, pages served)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.items: list[int] = []
        self.appeared: dict[int, float] = {}
        self.alerted: dict[int, float] = {}
        self.pages = 0
        self.feed_requests = 0
        self.on_page: Any = None
        self.next_batch: Any = None

    def rss(self, base: str) -> bytes:
        with self.lock:
            self.feed_requests += 1
            if self.next_batch is not None:
                self.items = self.next_batch()
            items = list(self.items)
        parts = []
        for n in items:
            title, _, day = dispatch(n)
            stamp = format_datetime(datetime(day.year, day.month, day.day, 12, tzinfo=UTC), usegmt=True)
            parts.append(f"<item><title>{escape(title)}</title><link>{base}/news/{n}</link>"
                         f"<guid>urn:bench:{n}</guid><pubDate>{stamp}</pubDate>"
                         f"<description>Summary only.</description></item>")
        return ("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Bench Wire</title>"
                f"<link>{base}/</link>{''.join(parts)}</channel></rss>").encode()


def page(n: int) -> bytes:
    title, text, _ = dispatch(n)
    return (f"<html lang=\"en\"><head><title>{escape(title)}</title></head><body><nav><a href=\"/\">Home</a></nav>"
            f"<article><h1>{escape(title)}</h1><p>{escape(text)}</p></article><footer>Bench Wire</footer>"
            "</body></html>").encode()


def serve(feed: Feed) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def answer(self, status: int, body: bytes = b"", content_type: str = "text/plain") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path == "/feed.xml":
                self.answer(200, feed.rss(base), "application/rss+xml")
            elif self.path.startswith("/news/") and self.path[6:].isdigit():
                n = int(self.path[6:])
                with feed.lock:
                    feed.pages += 1
                    count = feed.pages
                if feed.on_page is not None:
                    feed.on_page(count)
                self.answer(200, page(n), "text/html; charset=utf-8")
            else:
                self.answer(404)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            now = time.monotonic()
            alert = json.loads(body)
            with feed.lock:
                for report in alert.get("reports") or []:
                    tail = str(report.get("url") or "").rsplit("/news/", 1)[-1]
                    if tail.isdigit():
                        feed.alerted.setdefault(int(tail), now)
            self.answer(200)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, base


def start_watch(folder: Path, base: str, interval: float, delay: float) -> subprocess.Popen[bytes]:
    sources = folder / "sources.yaml"
    sources.write_text(f"defaults: {{interval: {interval}, delay: {delay}, timeout: 20}}\n"
                       f"feeds:\n  - url: {base}/feed.xml\n    outlet: Bench Wire\n    language: en\n",
                       encoding="utf-8")
    rules = folder / "alerts.yaml"
    rules.write_text(f"channels:\n  hook:\n    webhook: {base}/hook\nrules:\n  - name: all\n    to: [hook]\n",
                     encoding="utf-8")
    command = [sys.executable, "-m", "sitrep", "watch", str(sources), "--db", str(folder / "watch.db"),
               "--alerts", str(rules), "-q"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    print("$ " + " ".join(command[2:]), file=sys.stderr)
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def latency(items: int, interval: float, seed: int) -> bool:
    rng = random.Random(seed)
    feed = Feed()
    server, base = serve(feed)
    with tempfile.TemporaryDirectory(prefix="sitrep-watch-bench-") as tmp:
        process = start_watch(Path(tmp), base, interval, delay=1.0)
        try:
            while feed.feed_requests == 0:  # the watch has started and polled the empty feed
                if process.poll() is not None:
                    raise SystemExit(f"the watch ended with status {process.returncode}")
                time.sleep(0.1)
            for n in range(items):
                time.sleep(rng.uniform(0, interval))
                with feed.lock:
                    feed.items = [*feed.items, n][-50:]
                    feed.appeared[n] = time.monotonic()
                print(f"item {n} on the feed", file=sys.stderr)
            deadline = time.monotonic() + interval + 120
            while len(feed.alerted) < items and time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            stop(process)
            server.shutdown()
    waits = [feed.alerted[n] - feed.appeared[n] for n in range(items) if n in feed.alerted]
    missing = items - len(waits)
    floor = interval + LATENCY_MARGIN_S
    median = statistics.median(waits) if waits else float("nan")
    worst = max(waits) if waits else float("nan")
    print(f"poll_interval_s: {interval:g}")
    print(f"items: {items}")
    print(f"alerts_missing: {missing}")
    print(f"latency_median_s: {median:.1f} (floor < {floor:g})")
    print(f"latency_worst_s: {worst:.1f} (floor < {floor:g})")
    print(f"latency_each_s: {' '.join(f'{w:.1f}' for w in waits)}")
    return missing == 0 and worst < floor


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def memory(items: int, batch: int, every: int) -> bool:
    feed = Feed()
    cursor = [0]
    samples: dict[int, int] = {}
    started = [0.0]

    def next_batch() -> list[int]:
        first = cursor[0]
        cursor[0] = min(items, first + batch)
        return list(range(first, cursor[0]))

    feed.next_batch = next_batch
    server, base = serve(feed)
    with tempfile.TemporaryDirectory(prefix="sitrep-watch-bench-") as tmp:
        process = start_watch(Path(tmp), base, interval=1.0, delay=0.0)

        def on_page(count: int) -> None:
            # the page of item ``count`` is asked for: items 1..count-1 are stored and alerted
            done = count - 1
            if done == 0:
                started[0] = time.monotonic()
            if done and done % every == 0:
                samples[done] = rss_kb(process.pid)
                print(f"{done} items: {samples[done] / 1024:.0f} MB", file=sys.stderr, flush=True)

        feed.on_page = on_page
        try:
            while feed.pages < items and process.poll() is None:
                time.sleep(0.5)
            deadline = time.monotonic() + 300
            while len(feed.alerted) < items and time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.5)
            elapsed = time.monotonic() - started[0]
            if process.poll() is None:
                samples[items] = rss_kb(process.pid)
        finally:
            stop(process)
            server.shutdown()
    first = samples.get(1000) or samples[min(samples)]
    last = samples[items]
    growth = last / first - 1
    print(f"items: {items} ({len(feed.alerted)} alerted)")
    print(f"items_per_s: {items / elapsed:.1f}")
    print(f"rss_mb_after_1000: {first / 1024:.0f}")
    print(f"rss_mb_after_{items}: {last / 1024:.0f}")
    print(f"rss_growth_after_1000: {growth * 100:+.1f}% (floor <= {MEMORY_GROWTH * 100:g}%)")
    print(f"rss_mb_each_{every}: {' '.join(f'{samples[k] / 1024:.0f}' for k in sorted(samples))}")
    return growth <= MEMORY_GROWTH and len(feed.alerted) == items


def store_memory(items: int, report_cache: int, every: int) -> bool:
    from fusion_cost import synthetic  # bench/, beside this file

    from sitrep.store import Store

    rng = random.Random(1)
    samples: dict[int, int] = {}
    with tempfile.TemporaryDirectory(prefix="sitrep-watch-bench-") as tmp, Store(Path(tmp) / "s.db") as store:
        store.report_cache = report_cache
        for n in range(1, items + 1):
            store.add(*synthetic(rng, f"a-{n}", 1))
            if n % every == 0:
                samples[n] = rss_kb(os.getpid())
                print(f"{n} articles: {samples[n] / 1024:.0f} MB", file=sys.stderr, flush=True)
    first, last = samples.get(1000) or samples[min(samples)], samples[max(samples)]
    growth = last / first - 1
    print(f"report_cache: {report_cache}")
    print(f"rss_mb_after_1000: {first / 1024:.0f}")
    print(f"rss_mb_after_{max(samples)}: {last / 1024:.0f}")
    print(f"rss_growth_after_1000: {growth * 100:+.1f}% (floor <= {MEMORY_GROWTH * 100:g}%)")
    return growth <= MEMORY_GROWTH


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("figure", choices=("latency", "memory", "store"))
    parser.add_argument("--items", type=int, help="items (latency: 20, memory: 10000)")
    parser.add_argument("--interval", type=float, default=30.0, help="latency: seconds between two polls")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=100, help="memory: new items on the feed per poll")
    parser.add_argument("--every", type=int, help="items between two readings (memory: 500, store: 1000)")
    parser.add_argument("--report-cache", type=int, default=2000, help="store: reports kept parsed")
    args = parser.parse_args()
    if args.figure == "latency":
        ok = latency(args.items or 20, args.interval, args.seed)
    elif args.figure == "memory":
        ok = memory(args.items or 10_000, args.batch, args.every or 500)
    else:
        ok = store_memory(args.items or 10_000, args.report_cache, args.every or 1000)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
