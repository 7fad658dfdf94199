"""Harness for the reliability checks: ingest killed with SIGKILL at random points and started again,
and a poisoned article in a batch. Used by the suite (``tests/test_reliability.py``, small) and by
``bench/reliability.py`` (the figures in docs/RELIABILITY.md).

Articles are generated from sentence templates written for this file: short, varied in actors,
places, figures and days, each with its own id, so that most yield events.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TEMPLATES = (
    "Gunmen killed {n} villagers in an attack on {place} on {day}, police said.",
    "Soldiers clashed with {group} fighters near {place} on {day}; {n} people died, officials said.",
    "An air strike hit a market in {place} on {day}, killing {n} civilians, a monitor said.",
    "Hundreds of protesters marched through {place} on {day} against rising prices, organisers said.",
    "A roadside bomb exploded near a checkpoint in {place} on {day}, wounding {n} soldiers.",
    "{group} militants abducted {n} students from a school in {place} on {day}, residents said.",
)
PLACES = ("Maiduguri", "Goma", "Mogadishu", "Aleppo", "Kandahar", "Bamako", "Khartoum", "Idlib", "Kano", "Bunia")
GROUPS = ("Boko Haram", "M23", "al-Shabaab", "Islamic State", "JNIM", "RSF")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def generate_articles(count: int, seed: int = 0) -> list[dict[str, Any]]:
    """``count`` short article records, reproducible from ``seed``."""
    rng = random.Random(seed)
    records = []
    for i in range(count):
        sentences = [rng.choice(TEMPLATES).format(n=rng.randint(2, 40), place=rng.choice(PLACES),
                                                  group=rng.choice(GROUPS), day=rng.choice(DAYS))
                     for _ in range(rng.randint(1, 3))]
        records.append({"id": f"gen-{seed}-{i:04d}", "text": " ".join(sentences),
                        "published": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                        "outlet": rng.choice(["Example Wire", "Daily Example"])})
    return records


def write_jsonl(records: list[dict[str, Any]], path: Path) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def ingest_command(source: Path, db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "sitrep", "ingest", str(source), "--db", str(db), "-q", *extra]


def stored_count(db: Path) -> int:
    """Articles stored now, read by another connection (0 while the database is not there yet)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:  # schema not created yet
        return 0


@dataclass
class KillRun:
    kills: int
    """SIGKILLs delivered while ingest was running."""
    runs: int
    """Processes started, the last one left to finish."""
    stored_at_kill: list[int]
    """Articles stored when each kill was sent."""


def ingest_with_kills(source: Path, db: Path, total: int, kills: int, seed: int = 0,
                      timeout: float = 300) -> KillRun:
    """Ingest ``source`` into ``db``, killing the process with SIGKILL ``kills`` times at random points
    (once a random number of articles is stored, then after a random pause of up to 0.2 s), starting it
    again each time; then let a last run finish. Raises when a run fails other than by the kill."""
    rng = random.Random(seed)
    targets = sorted(rng.sample(range(1, total), kills)) if kills < total else list(range(1, total))
    delivered, runs, at_kill = 0, 0, []
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    for target in targets:
        process = subprocess.Popen(ingest_command(source, db), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, env=env)
        runs += 1
        deadline = time.monotonic() + timeout
        while process.poll() is None and stored_count(db) < target and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0, 0.2))
        if process.poll() is None:
            at_kill.append(stored_count(db))
            process.send_signal(signal.SIGKILL)
            delivered += 1
        process.wait()
        _, err = process.communicate()
        if process.returncode not in (0, -signal.SIGKILL):
            raise RuntimeError(f"ingest failed ({process.returncode}): {err.decode(errors='replace')[-2000:]}")
    last = subprocess.run(ingest_command(source, db), capture_output=True, text=True, env=env, timeout=timeout)
    runs += 1
    if last.returncode != 0:
        raise RuntimeError(f"the last ingest failed ({last.returncode}): {last.stderr[-2000:]}")
    return KillRun(delivered, runs, at_kill)


def database_state(db: Path) -> dict[str, Any]:
    """What a kill must not change: integrity, the stored article ids (each once) and the event records."""
    from sitrep.store import Store

    with sqlite3.connect(db) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        ids = [row[0] for row in conn.execute("SELECT id FROM articles ORDER BY id")]
    with Store(db) as store:
        events = sorted(json.dumps(e, sort_keys=True) for e in store.events())
    return {"integrity": integrity, "article_ids": ids, "events": events}
