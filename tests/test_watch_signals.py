"""``sitrep watch`` as a process of its own, polling a feed server on localhost that the tests start, told
to stop with SIGTERM (it finishes the article in hand and exits cleanly) and killed with SIGKILL at random
moments, again and again (in the end every item is stored exactly once, as by one run never killed)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.test_watch import STORIES, page, rss, serve_robots

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
HANG_S = 180.0
"""Longest wait for a process that should end; only a broken watch reaches it."""


def dispatch(n: int) -> tuple[str, list[str]]:
    """Article ``n``: one of our stories, its first sentence numbered so that each text is its own."""
    title, _, paragraphs = STORIES[list(STORIES)[n % len(STORIES)]]
    return f"{title} ({n})", [f"Dispatch {n}. " + paragraphs[0], *paragraphs[1:]]


def item(server: HTTPServer, n: int, prefix: str) -> dict[str, str]:
    return {"guid": f"urn:{prefix}:{n}", "title": dispatch(n)[0], "link": server.url_for(f"/{prefix}/{n}"),
            "summary": "Summary only."}


def write_sources(tmp_path: Path, server: HTTPServer, interval: float = 300) -> Path:
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"defaults: {{delay: 0, backoff: 0.01, interval: {interval}}}\n"
                       f"feeds:\n  - url: {server.url_for('/feed.xml')}\n", encoding="utf-8")
    return sources


def watch(sources: Path, db: Path, *more: str) -> list[str]:
    return [sys.executable, "-m", "sitrep", "watch", str(sources), "--db", str(db), *more]


def stored(db: Path) -> dict[str, str]:
    """URL -> text of each stored article (none while the database is not there yet)."""
    if not db.exists():
        return {}
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return dict(conn.execute("SELECT url, text FROM articles").fetchall())
    except sqlite3.OperationalError:  # not created yet
        return {}


def test_sigterm_finishes_the_article_in_hand_and_cuts_a_retry_wait_short(
        httpserver: HTTPServer, tmp_path: Path) -> None:
    serve_robots(httpserver)
    items = [item(httpserver, n, "t") for n in range(4)]
    httpserver.expect_request("/feed.xml").respond_with_data(rss(items), content_type="application/rss+xml")
    asked, answer = threading.Event(), threading.Event()

    def held(request: Request, n: int) -> Response:
        """Page ``n``: /t/1 is answered only once the test says so."""
        if n == 1:
            asked.set()
            answer.wait(HANG_S)
        return Response(page(*dispatch(n)), content_type="text/html")

    busy = threading.Event()

    def unavailable(request: Request) -> Response:
        busy.set()
        return Response("try later", status=503, headers={"Retry-After": "120"})

    for n in range(4):
        if n == 2:
            httpserver.expect_oneshot_request("/t/2").respond_with_handler(unavailable)
        httpserver.expect_request(f"/t/{n}").respond_with_handler(lambda r, n=n: held(r, n))
    sources, db = write_sources(tmp_path, httpserver), tmp_path / "w.db"

    # 1. SIGTERM while the page of item 1 is on its way: the page is read, analysed, stored; nothing after
    process = subprocess.Popen(watch(sources, db), stderr=subprocess.PIPE, text=True, env=ENV)
    try:
        assert asked.wait(HANG_S), "the watch never asked for the page of item 1"
        process.send_signal(signal.SIGTERM)
        time.sleep(0.5)  # the signal is handled while the answer is awaited
        answer.set()
        _, log = process.communicate(timeout=HANG_S)
    finally:
        process.kill()
    assert process.returncode == 0, log
    assert "SIGTERM: stopping once the article in hand is stored" in log
    first = stored(db)
    assert sorted(first) == [items[0]["link"], items[1]["link"]]
    assert "Dispatch 1." in first[items[1]["link"]]  # the page, not the summary
    paths = [request.path for request, _ in httpserver.log]
    assert "/t/2" not in paths

    # 2. started again, it goes on with item 2, whose server says to come back in 120 s: SIGTERM ends that
    # wait at once, and item 2 is neither stored from its summary nor marked seen
    process = subprocess.Popen(watch(sources, db), stderr=subprocess.PIPE, text=True, env=ENV)
    try:
        assert busy.wait(HANG_S), "the watch never asked for the page of item 2"
        process.send_signal(signal.SIGTERM)
        _, log = process.communicate(timeout=HANG_S / 2)  # far less than the 120 s the server asked for
    finally:
        process.kill()
    assert process.returncode == 0, log
    assert sorted(stored(db)) == sorted(first)
    with sqlite3.connect(db) as conn:
        assert not conn.execute("SELECT 1 FROM watch_seen WHERE key = ?", ("guid:urn:t:2",)).fetchall()
        (failures,) = conn.execute("SELECT failures FROM watch_sources").fetchone()
    assert not failures  # stopping is no failure of the source

    # 3. once more, to the end: every item once, each read from its page
    done = subprocess.run(watch(sources, db, "--once"), capture_output=True, text=True, env=ENV, timeout=HANG_S)
    assert done.returncode == 0, done.stderr
    final = stored(db)
    assert sorted(final) == sorted(i["link"] for i in items)
    assert all(f"Dispatch {n}." in final[items[n]["link"]] for n in range(4))


KILL_ITEMS, KILLS = 12, 6


def test_watch_killed_at_random_moments_while_it_polls_stores_every_item_once(
        httpserver: HTTPServer, tmp_path: Path) -> None:
    """A feed that grows by two items each time it is read; a watch polling it every second, killed
    (SIGKILL) at random moments: half of the kills at any time after the start (loading, opening the
    database, polling), half just after it stored an article (fetching, analysing, fusing, writing).
    In the end the stored articles, reports and fused events are those of one run never killed."""
    serve_robots(httpserver)
    items = [item(httpserver, n, "k") for n in range(KILL_ITEMS)]
    polls = [0]

    def growing_feed(request: Request) -> Response:
        polls[0] += 1
        return Response(rss(items[:4 + 2 * polls[0]]), content_type="application/rss+xml")

    def slow_page(request: Request, n: int) -> Response:
        time.sleep(0.05)  # kills land while pages are fetched, too
        return Response(page(*dispatch(n)), content_type="text/html")

    httpserver.expect_request("/feed.xml").respond_with_handler(growing_feed)
    for n in range(KILL_ITEMS):
        httpserver.expect_request(f"/k/{n}").respond_with_handler(lambda r, n=n: slow_page(r, n))
    sources, db = write_sources(tmp_path, httpserver, interval=1), tmp_path / "k.db"
    rng, killed, mid_poll = random.Random(7), 0, 0
    for round_ in range(KILLS):
        before = len(stored(db))
        process = subprocess.Popen(watch(sources, db, "-q"), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, env=ENV)
        try:
            if round_ % 2 == 0:
                time.sleep(rng.uniform(0.0, 6.0))
            else:
                deadline = time.monotonic() + HANG_S
                while len(stored(db)) <= before and len(stored(db)) < KILL_ITEMS and time.monotonic() < deadline:
                    time.sleep(0.01)
                time.sleep(rng.uniform(0.0, 0.15))
            if 0 < len(stored(db)) < KILL_ITEMS:
                mid_poll += 1
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
        killed += process.returncode == -signal.SIGKILL
    for _ in range(3):  # whatever is left, with no kill
        last = subprocess.run(watch(sources, db, "--once", "-q"), capture_output=True, text=True, env=ENV,
                              timeout=HANG_S)
        assert last.returncode == 0, last.stderr
    reference = tmp_path / "reference.db"  # one run, never killed, of the whole feed
    polls[0] = KILL_ITEMS
    clean = subprocess.run(watch(sources, reference, "--once", "-q"), capture_output=True, text=True, env=ENV,
                           timeout=HANG_S)
    assert clean.returncode == 0, clean.stderr
    assert killed >= KILLS - 1 and mid_poll >= 2
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert sorted(stored(db)) == sorted(i["link"] for i in items)  # every item, once
    assert contents(db) == contents(reference)


def contents(db: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], int]:
    """Each report (article URL, date, sub-type, place, deaths), each fused event (date, sub-type, place,
    reports) and the number of item keys seen."""
    with sqlite3.connect(db) as conn:
        reports = conn.execute(
            "SELECT a.url, e.event_date, e.sub_event_type, json_extract(e.record, '$.location'), "
            "json_extract(e.record, '$.fatalities') FROM events e JOIN articles a ON a.id = e.article_id "
            "ORDER BY 1, 2, 3, 4, 5").fetchall()
        fused = conn.execute(
            "SELECT event_date, sub_event_type, json_extract(record, '$.location'), reports FROM fused_events "
            "ORDER BY 1, 2, 3, 4").fetchall()
        seen = conn.execute("SELECT count(*) FROM watch_seen").fetchone()[0]
    return reports, fused, seen
