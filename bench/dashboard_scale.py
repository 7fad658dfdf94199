"""The dashboard's summaries on a store of many events: how long the server takes to answer the page.

    python bench/dashboard_scale.py [--events 50000] [--db PATH]

Builds (once: an existing ``--db`` is reused) a store of made-up events spread over 700 days and a wide
box of the world, each its own article, stored without fusion, then times ``sitrep.dashboard``: the
first read of the store under a filter, the same again (kept), the map of the whole world (grid clusters)
and of a 30-degree box (points), and the timeline. Prints one line per filter: the figures
docs/DASHBOARD.md quotes.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sitrep import dashboard  # noqa: E402
from sitrep.models import Article  # noqa: E402
from sitrep.store import Store  # noqa: E402

TYPES = [("Battles", "Armed clash"), ("Protests", "Peaceful protest"),
         ("Explosions/Remote violence", "Air/drone strike"), ("Violence against civilians", "Attack"),
         ("Riots", "Mob violence")]
COUNTRIES = ["Syria", "Mali", "Sudan", "Kenya"]


def build(path: str, n: int) -> None:
    """``n`` made-up events, one per article, in a new store at ``path`` (no fusion)."""
    rng = random.Random(1)
    with Store(path, fuse=False) as store:
        for i in range(n):
            day = date(2023, 1, 1) + timedelta(days=rng.randrange(700))
            event_type, sub = rng.choice(TYPES)
            text = f"Made-up event {i}."
            article = Article(id=f"a{i}", text=text, title=None, published=day, url=None, outlet=None, language="en")
            store.add(article, [{
                "event_id": f"e{i:06d}", "article_id": f"a{i}", "event_date": day.isoformat(), "time_precision": 1,
                "event_type": event_type, "sub_event_type": sub, "actor1": "Unidentified Armed Group",
                "inter1": "Political militia", "actor2": None, "country": rng.choice(COUNTRIES), "iso3": None,
                "admin1": None, "location": "", "latitude": round(rng.uniform(-35, 55), 4),
                "longitude": round(rng.uniform(-20, 120), 4), "geo_precision": rng.choice([1, 2, 3]),
                "fatalities": rng.choice([0, 0, 1, 2, 5, 12]), "fatalities_low": 0, "sources": [],
                "evidence": [{"start": 0, "end": len(text), "text": text}], "notes": "", "confidence": 0.8}])


def timed(f: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    value = f()
    return value, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--db", help="the store to build or reuse (default: a temporary one)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "scale.db")
        if not Path(db).exists():
            _, seconds = timed(lambda: build(db, args.events))
            print(f"built {args.events} events in {seconds:.0f} s")
        for label, filters in [("no filter", dashboard.Filters()), ("one country", dashboard.Filters(country="Mali")),
                               ("5+ fatalities", dashboard.Filters(min_fatalities=5))]:
            measure(db, label, filters)
    return 0


def measure(db: str, label: str, filters: dashboard.Filters) -> None:
    found, first = timed(lambda: dashboard.summaries(db, filters))
    _, again = timed(lambda: dashboard.summaries(db, filters))
    world, t_world = timed(lambda: dashboard.map_view(found, None, 2))
    box, t_box = timed(lambda: dashboard.map_view(found, (0.0, 0.0, 30.0, 30.0), 5))
    _, t_line = timed(lambda: dashboard.timeline(found))
    print(f"{label}: {len(found)} events; first read {first:.2f} s, kept {again * 1000:.1f} ms; "
          f"world map {t_world * 1000:.0f} ms ({len(world.get('clusters', world.get('points')))} marks, "
          f"{len(json.dumps(world)) // 1024} KiB); 30-degree box {t_box * 1000:.0f} ms ({box['in_view']} "
          f"points, {len(json.dumps(box)) // 1024} KiB); timeline {t_line * 1000:.0f} ms")


if __name__ == "__main__":
    sys.exit(main())
