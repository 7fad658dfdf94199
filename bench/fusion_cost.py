"""Cost of fusing one article into a store that already holds many events, against an empty store.

    python bench/fusion_cost.py [--stored 100000] [--articles 300] [--seed 1]

Fills a store (SQLite, a temporary file) with ``--stored`` synthetic reports spread like a conflict
dataset (a few countries much reported, many days, a town each from a fixed pool, the sub-types of
ACLED's violent types), fused once (``Store.fuse``), then times adding ``--articles`` new articles of
three reports each, with fusion, into that store and into an empty one. Prints milliseconds per article
and the ratio full / empty (the floor: at most 2). No text is read: the reports are records.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sitrep.fuse import words
from sitrep.models import Article
from sitrep.store import Store

COUNTRIES = ("Syria", "Yemen", "Nigeria", "Somalia", "Sudan", "Iraq", "Afghanistan", "Mali", "Ukraine", "Myanmar")
WEIGHTS = (30, 15, 10, 10, 8, 8, 8, 5, 3, 3)
SUB_TYPES = (("Battles", "Armed clash"), ("Explosions/Remote violence", "Air/drone strike"),
             ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
             ("Explosions/Remote violence", "Remote explosive/landmine/IED"), ("Violence against civilians", "Attack"))
WORDS = ("strike", "market", "village", "convoy", "checkpoint", "school", "hospital", "fighters", "army", "shelling",
         "killed", "wounded", "civilians", "rebels", "troops", "bombing", "attack", "clashes", "police", "drone")
FIRST_DAY = date(2015, 1, 1)
DAYS = 3 * 365
TOWNS = 200
"""Towns per country."""


def synthetic(rng: random.Random, article_id: str, n: int) -> tuple[Article, list[dict[str, Any]]]:
    country = rng.choices(COUNTRIES, WEIGHTS)[0]
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    records = []
    for i in range(n):
        town = rng.randrange(TOWNS)
        kind, sub = rng.choice(SUB_TYPES)
        text = " ".join(rng.choice(WORDS) for _ in range(14))
        records.append({
            "event_id": f"{article_id}-{i}", "article_id": article_id, "event_date": day.isoformat(),
            "time_precision": 1, "event_type": kind, "sub_event_type": sub, "actor1": "Unidentified Armed Group",
            "inter1": "Political militia", "actor2": None, "inter2": None, "country": country, "iso3": None,
            "admin1": f"{country} province {town % 12}", "location": f"{country} town {town}",
            "geonameid": COUNTRIES.index(country) * 1000 + town, "latitude": 10 + town * 0.5,
            "longitude": 20 + (town % 12) * 0.5, "geo_precision": 1, "fatalities": rng.randrange(4),
            "sources": [], "evidence": [{"start": 0, "end": len(text), "text": text}], "notes": text,
            "confidence": 0.7,
        })
    return Article(id=article_id, text=f"article {article_id}", outlet="Synthetic"), records


def per_article_ms(store: Store, items: list[tuple[Article, list[dict[str, Any]]]]) -> float:
    start = time.perf_counter()
    for article, records in items:
        store.add(article, records)
    return 1000 * (time.perf_counter() - start) / len(items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stored", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    probes = [synthetic(rng, f"probe-{i}", 3) for i in range(args.articles)]
    words("warm up the stop words")  # loaded once per process: not part of an article's cost
    with tempfile.TemporaryDirectory() as folder:
        with Store(Path(folder) / "empty.db") as empty:
            empty_ms = per_article_ms(empty, probes)
        with Store(Path(folder) / "full.db", fuse=False) as full:
            start = time.perf_counter()
            filled = 0
            while filled < args.stored:
                article, records = synthetic(rng, f"stored-{filled}", 3)
                full.add(article, records)
                filled += len(records)
            fill_s = time.perf_counter() - start
            start = time.perf_counter()
            full.fuse()
            fuse_s = time.perf_counter() - start
            full_ms = per_article_ms(full, probes)
    print(f"{'stored_reports':24s} {filled}")
    print(f"{'fill_seconds':24s} {fill_s:.1f}")
    print(f"{'fuse_all_seconds':24s} {fuse_s:.1f}")
    print(f"{'ms_per_article_empty':24s} {empty_ms:.2f}")
    print(f"{'ms_per_article_full':24s} {full_ms:.2f}")
    print(f"{'full_over_empty':24s} {full_ms / empty_ms:.2f}")


if __name__ == "__main__":
    main()
