"""Fill a PostgreSQL store with many synthetic events, fast, for the load benchmarks of what reads it.

    python bench/pg_load.py postgresql://USER@HOST/NAME [--events 100000] [--per-article 2] [--seed 1]
                            [--replace] [--queries 200]

The database must exist; sitrep's tables are created if missing. A store already holding articles is
refused unless ``--replace`` (which empties every sitrep table first, tokens and reviews too).
``--events`` event records are made from ``--events / --per-article`` synthetic articles (countries
weighted like a conflict dataset, three years of days, a town each from a fixed pool, ACLED's types and
sub-types, a few actors), turned into rows by the store's own row functions and written with COPY in one
write transaction (holding the store's write lock, as ``Store.add`` does). Each report is its own fused
event, as after ``sitrep fuse`` when no two reports tell of one incident; no link is written. Then the
tables are analysed.

Prints the rows written, the seconds taken and the events per second, then ``--queries`` reads through
``Store.events`` with a country and a 30-day filter (the query behind ``GET /events?country=&since=&until=``),
each timed: p50 and p95 in milliseconds and the events a read gives on average. No text is read.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from typing import Any

from sitrep.models import Article
from sitrep.store import Store, _answer, _article_report, _article_row, _content_hash, _event_row, _fused_row

COUNTRIES = (("Syria", "SYR", 30), ("Yemen", "YEM", 15), ("Nigeria", "NGA", 10), ("Somalia", "SOM", 10),
             ("Sudan", "SDN", 8), ("Iraq", "IRQ", 8), ("Afghanistan", "AFG", 8), ("Mali", "MLI", 5),
             ("Ukraine", "UKR", 12), ("Myanmar", "MMR", 8), ("Democratic Republic of Congo", "COD", 7),
             ("Burkina Faso", "BFA", 5), ("Mexico", "MEX", 6), ("Colombia", "COL", 3), ("Pakistan", "PAK", 5),
             ("India", "IND", 4), ("Ethiopia", "ETH", 4), ("Cameroon", "CMR", 3), ("Libya", "LBY", 2),
             ("Kenya", "KEN", 2))
TYPES = (("Battles", "Armed clash"), ("Explosions/Remote violence", "Air/drone strike"),
         ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
         ("Explosions/Remote violence", "Remote explosive/landmine/IED"), ("Violence against civilians", "Attack"),
         ("Violence against civilians", "Abduction/forced disappearance"), ("Protests", "Peaceful protest"),
         ("Riots", "Violent demonstration"), ("Strategic developments", "Looting/property destruction"))
ACTORS = (("Unidentified Armed Group", "Political militia"), ("Civilians", "Civilians"),
          ("Protesters", "Protesters"), ("Rioters", "Rioters"), ("Police Forces", "State forces"),
          ("Military Forces", "State forces"))
FIRST_DAY = date(2022, 1, 1)
DAYS = 3 * 365
TOWNS = 300
"""Towns per country."""


def synthetic(rng: random.Random, article_id: str, n: int) -> tuple[Article, list[dict[str, Any]]]:
    """An article of one country and day with ``n`` event records in the shape of ``Event.to_dict()``."""
    country, iso3, _ = rng.choices(COUNTRIES, [c[2] for c in COUNTRIES])[0]
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    records = []
    for i in range(n):
        town = rng.randrange(TOWNS)
        kind, sub = rng.choice(TYPES)
        (actor1, inter1), (actor2, inter2) = rng.sample(ACTORS, 2)
        notes = f"On {day:%d %B %Y}, {actor1.lower()} and {actor2.lower()} in {country} town {town} ({sub.lower()})."
        fatalities = rng.choice((0, 0, 0, 1, 2, 3, 5, 12))
        records.append({
            "event_id": f"{article_id}-{i}", "article_id": article_id, "event_date": day.isoformat(),
            "date_end": None, "time_precision": 1, "event_type": kind, "sub_event_type": sub,
            "actor1": f"{actor1} ({country})", "inter1": inter1, "actor2": f"{actor2} ({country})", "inter2": inter2,
            "country": country, "iso3": iso3, "admin1": f"{country} province {town % 12}",
            "location": f"{country} town {town}", "geonameid": None, "latitude": round(-30 + town * 0.2, 4),
            "longitude": round(-60 + (town % 40) * 3.1, 4), "geo_precision": 2, "fatalities": fatalities,
            "fatalities_low": fatalities, "fatalities_best": fatalities, "fatalities_high": fatalities,
            "sources": [], "evidence": [{"start": 0, "end": len(notes), "text": notes}], "notes": notes,
            "confidence": 0.7,
        })
    text = " ".join(r["notes"] for r in records)
    return Article(id=article_id, text=text, published=day + timedelta(days=1), outlet="Synthetic",
                   url=f"https://news.example.org/{article_id}"), records


def fill(store: Store, events: int, per_article: int, seed: int) -> int:
    """Write ``events`` synthetic reports (and as many fused events) with COPY; the rows written."""
    rng = random.Random(seed)
    conn = store._conn
    db: Any = conn.conn  # type: ignore[attr-defined]  # the PostgreSQL connection, for COPY
    written = 0
    conn.begin()
    try:
        with db.cursor() as cursor:
            with cursor.copy("COPY articles (id, content_hash, title, published, url, outlet, language, text, "
                             "ingested_at) FROM STDIN") as articles_copy:
                batches: list[list[tuple[dict[str, Any], str | None]]] = []
                for n in range(0, events, per_article):
                    article, records = synthetic(rng, f"load-{n // per_article:07d}", min(per_article, events - n))
                    articles_copy.write_row(_article_row(article, _content_hash(article.text)))
                    primary = _article_report(article)  # each report its own event: one answer for both rows
                    batches.append([(r, _answer(store._with_reports(r, primary))) for r in records])
            with cursor.copy("COPY events (event_id, article_id, event_date, event_type, sub_event_type, country, "
                             "iso3, actor1, actor2, record, latitude, longitude, fatalities, date_end, answer, "
                             "fused_id) FROM STDIN") as events_copy:
                for records in batches:
                    for record, answer in records:
                        events_copy.write_row((*_event_row(record["article_id"], record, answer), record["event_id"]))
            with cursor.copy("COPY fused_events (event_id, article_id, event_date, event_type, sub_event_type, "
                             "country, iso3, actor1, actor2, record, latitude, longitude, fatalities, reports, review, "
                             "answer) FROM STDIN") as fused_copy:
                for records in batches:
                    for record, answer in records:
                        fused_copy.write_row(_fused_row(record, 1, answer))
                        written += 1
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    for table in ("articles", "events", "fused_events"):
        db.execute(f"ANALYZE {table}")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", help="postgresql://USER@HOST/NAME (the database must exist)")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--per-article", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--replace", action="store_true", help="empty sitrep's tables first")
    parser.add_argument("--queries", type=int, default=200, help="timed country and date reads afterwards")
    args = parser.parse_args()
    with Store(args.db, fuse=False) as store:
        if store.backend != "postgresql":
            sys.exit(f"{args.db}: not a PostgreSQL address (postgresql://USER@HOST/NAME)")
        if store.counts()["articles"]:
            if not args.replace:
                sys.exit(f"{store.path} already holds articles; give --replace to empty it first")
            tables = [r[0] for r in store._conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                "AND table_type = 'BASE TABLE' AND table_name <> 'sitrep_schema' ORDER BY 1")]
            store._conn.begin()
            store._conn.execute(f"TRUNCATE {', '.join(tables)}")  # names from the catalogue
            store._conn.commit()
        start = time.perf_counter()
        written = fill(store, args.events, args.per_article, args.seed)
        seconds = time.perf_counter() - start
        print(f"{'events_written':24s} {written}")
        print(f"{'fill_seconds':24s} {seconds:.1f}")
        print(f"{'events_per_second':24s} {written / seconds:.0f}")
        rng = random.Random(args.seed + 1)
        times, found = [], []
        for _ in range(args.queries):
            country = rng.choices(COUNTRIES, [c[2] for c in COUNTRIES])[0][rng.randrange(2)]
            since = FIRST_DAY + timedelta(days=rng.randrange(DAYS - 30))
            t = time.perf_counter()
            found.append(sum(1 for _ in store.events(country=country, since=since, until=since + timedelta(days=30))))
            times.append(1000 * (time.perf_counter() - t))
        if times:
            p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
            print(f"{'read_ms_p50':24s} {statistics.median(times):.1f}")
            print(f"{'read_ms_p95':24s} {p95:.1f}")
            print(f"{'events_per_read':24s} {statistics.mean(found):.0f}")


if __name__ == "__main__":
    main()
