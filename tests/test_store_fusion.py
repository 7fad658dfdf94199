"""Fusion in the store: incremental, order-free, rebuildable, reversible; records written here. Each test
on SQLite and on PostgreSQL (``new_db``), but the one on an old SQLite file."""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sitrep.models import Article
from sitrep.store import MIGRATIONS, Store
from tests.test_fuse import DOUMA, JISR, SARAQIB

STRIKE = "Warplanes struck a market in Saraqib, killing 12 civilians, the monitor said."


def record(event_id: str, article_id: str, text: str = STRIKE, place: dict[str, Any] | None = None,
           **fields: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "event_id": event_id, "article_id": article_id, "event_date": "2019-03-03", "date_end": None,
        "time_precision": 1, "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
        "actor1": "Military Forces of Syria (2000-2024)", "inter1": "State forces", "actor2": "Civilians (Syria)",
        "inter2": "Civilians", "country": "Syria", "iso3": "SYR", "fatalities": 12, "fatalities_low": 12,
        "fatalities_best": 12, "fatalities_high": 12, "sources": [],
        "evidence": [{"start": 0, "end": len(text), "text": text}], "notes": text, "confidence": 0.8,
        **(place or SARAQIB),
    }
    rec.update(fields)
    return rec


def article(article_id: str, published: str, outlet: str) -> Article:
    from datetime import date

    return Article(id=article_id, text=f"The text of {article_id}.", published=date.fromisoformat(published),
                   outlet=outlet)


# Six articles: three on the Saraqib strike (one dated a day later, one with a headline and a body report),
# one on a strike the same day in another town, one on Douma, one on Saraqib a week later.
ARTICLES: list[tuple[Article, list[dict[str, Any]]]] = [
    (article("A", "2019-03-03", "Outlet A"), [record("a-1", "A")]),
    (article("B", "2019-03-04", "Outlet B"), [record("b-1", "B", event_date="2019-03-04", fatalities=15,
                                                     fatalities_best=15, fatalities_high=15)]),
    (article("C", "2019-03-05", "Outlet C"), [
        record("c-1", "C", "Jets bombed the Saraqib market."),
        record("c-2", "C", "Twelve civilians were killed in Saraqib when warplanes struck a market.")]),
    (article("D", "2019-03-04", "Outlet D"), [record("d-1", "D", STRIKE.replace("Saraqib", "Jisr ash-Shughur"), JISR)]),
    (article("E", "2019-03-04", "Outlet E"), [record("e-1", "E", "Shells hit Douma.", DOUMA,
                                                     sub_event_type="Shelling/artillery/missile attack")]),
    (article("F", "2019-03-11", "Outlet F"), [record("f-1", "F", event_date="2019-03-10")]),
]


NewDb = Callable[[str], str]


def fill(path: str | Path, order: list[int], fuse: bool = True) -> Store:
    store = Store(path, fuse=fuse)
    for i in order:
        store.add(*ARTICLES[i])
    return store


def events(store: Store, **filters: Any) -> list[dict[str, Any]]:
    return list(store.events(**filters))


def test_reports_of_one_incident_are_one_event_with_all_their_reports(new_db: NewDb) -> None:
    with fill(new_db("s.db"), list(range(6))) as store:
        records = events(store)
        assert len(records) == 4
        idlib = records[0]
        assert idlib["event_id"] == "a-1" and idlib["article_ids"] == ["A", "B", "C"]
        assert [r["event_id"] for r in idlib["reports"]] == ["a-1", "b-1", "c-1", "c-2"]
        assert idlib["reports"][1]["outlet"] == "Outlet B" and idlib["reports"][1]["published"] == "2019-03-04"
        assert idlib["fatalities"] == 12 and idlib["fatalities_high"] == 15
        assert {r["event_id"] for r in records} == {"a-1", "d-1", "e-1", "f-1"}
        assert len(events(store, fused=False)) == 7
        assert store.counts() == {"articles": 6, "events": 7}


def test_the_same_articles_in_any_order_give_the_same_events(new_db: NewDb) -> None:
    with fill(new_db("first.db"), list(range(6))) as store:
        expected = events(store)
    rng = random.Random(3)
    for n in range(6):
        order = list(range(6))
        rng.shuffle(order)
        with fill(new_db(f"{n}.db"), order) as store:
            assert events(store) == expected, order


def test_rebuild_gives_what_incremental_ingest_gave(new_db: NewDb) -> None:
    with fill(new_db("s.db"), [5, 3, 1, 0, 4, 2]) as store:
        expected = events(store)
        assert store.fuse(rebuild=True) == {"reports": 7, "events": 4}
        assert events(store) == expected
    with fill(new_db("late.db"), list(range(6)), fuse=False) as store:
        assert len(events(store)) == 7  # not fused yet: each report is its own event
        assert store.fuse() == {"reports": 7, "events": 4}
        assert events(store) == expected


def test_a_store_keeping_few_reports_parsed_fuses_as_one_keeping_all(new_db: NewDb) -> None:
    with fill(new_db("all.db"), [5, 3, 1, 0, 4, 2]) as store:
        expected = events(store)
    with Store(new_db("few.db")) as store:
        store.report_cache = 2  # the least recently used are dropped, and read again when needed
        for i in [5, 3, 1, 0, 4, 2]:
            store.add(*ARTICLES[i])
            assert len(store._reports) <= 2
        assert events(store) == expected
        assert store.fuse(rebuild=True) == {"reports": 7, "events": 4} and events(store) == expected


def test_the_event_id_stays_when_a_later_report_joins(new_db: NewDb) -> None:
    with fill(new_db("s.db"), [0, 1]) as store:
        assert [r["event_id"] for r in events(store)] == ["a-1"]
        store.add(*ARTICLES[2])
        (idlib,) = (r for r in events(store) if r["location"] == "Saraqib" and r["event_date"] == "2019-03-03")
        assert idlib["event_id"] == "a-1" and len(idlib["reports"]) == 4


def test_a_replaced_article_leaves_its_event_and_the_rest_is_regrouped(new_db: NewDb) -> None:
    with fill(new_db("s.db"), list(range(6))) as store:
        corrected = Article(id="A", text="A corrected text.", outlet="Outlet A")
        store.add(corrected, [record("a-9", "A", "Protesters marched in Saraqib.", event_type="Protests",
                                     sub_event_type="Peaceful protest")])
        idlib = store.event("b-1")
        assert idlib is not None and idlib["article_ids"] == ["B", "C"]
        protest = store.event("a-9")
        assert protest is not None and [r["article_id"] for r in protest["reports"]] == ["A"]
        assert store.event("a-1") is None


def test_an_event_says_why_its_reports_were_fused(new_db: NewDb) -> None:
    with fill(new_db("s.db"), list(range(6))) as store:
        fused = store.event("c-2")  # a report's id finds its event
        assert fused is not None and fused["event_id"] == "a-1"
        assert fused["links"] and all(link["score"] >= 6 for link in fused["links"])
        assert any("the same place (Saraqib)" in reason for link in fused["links"] for reason in link["reasons"])
        lone = store.event("e-1")
        assert lone is not None and lone["links"] == [] and [r["article_id"] for r in lone["reports"]] == ["E"]
        assert store.event("nope") is None


def test_filters_apply_to_fused_events(new_db: NewDb) -> None:
    with fill(new_db("s.db"), list(range(6))) as store:
        assert [r["event_id"] for r in store.events(event_type="Shelling/artillery/missile attack")] == ["e-1"]
        from datetime import date

        assert [r["event_id"] for r in store.events(since=date(2019, 3, 5))] == ["f-1"]


def test_an_old_database_gets_fusion_and_keeps_its_events(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0] + ";" + MIGRATIONS[1] + "; PRAGMA user_version = 2;")
    for art, records in ARTICLES[:2]:
        conn.execute("INSERT INTO articles VALUES (?, 'h', NULL, ?, NULL, ?, 'en', 'text', 'now')",
                     (art.id, art.published.isoformat() if art.published else None, art.outlet))
        for r in records:
            conn.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, 'Syria', 'SYR', NULL, NULL, ?)",
                         (r["event_id"], art.id, r["event_date"], r["event_type"], r["sub_event_type"], json.dumps(r)))
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert [r["event_id"] for r in store.events()] == ["a-1", "b-1"]  # as before, until fused
        # the records as the API gives them were written when the database was opened (step 6)
        assert store._conn.execute("SELECT count(*) FROM events WHERE answer IS NULL").fetchone() == (0,)
        assert [json.loads(t) for t in store.page_json()[0]] == list(store.events())
        assert store.fuse() == {"reports": 2, "events": 1}
        (fused,) = store.events()
        assert fused["article_ids"] == ["A", "B"]


def test_a_report_another_process_rewrote_is_read_again(new_db: NewDb) -> None:
    path = new_db("shared.db")
    with Store(path) as first, Store(path) as second:
        first.add(*ARTICLES[0])
        first.add(*ARTICLES[1])
        # The other process stores a new version of article B: the same report id, now in Douma.
        second.add(Article(id="B", text="B corrected.", outlet="Outlet B"),
                   [record("b-1", "B", "Shells hit Douma.", DOUMA)])
        first.add(*ARTICLES[2])
        saraqib = first.event("a-1")
        assert saraqib is not None and [r["event_id"] for r in saraqib["reports"]] == ["a-1", "c-1", "c-2"]


def stored_pages(store: Store, **filters: Any) -> list[str]:
    """The JSON texts of every page of ``page_json``, two records a page."""
    texts: list[str] = []
    while True:
        page, total = store.page_json(**filters, limit=2, offset=len(texts))
        texts += page
        if not page:
            assert total == len(texts)
            return texts


def test_pages_are_read_as_stored_and_say_what_the_records_built_when_read_say(new_db: NewDb) -> None:
    with fill(new_db("s.db"), [5, 3, 1, 0, 4, 2, 1]) as store:
        store.add(article("G", "2019-03-12", "Outlet G"), [record("g-1", "G", "Shells hit Douma again.", DOUMA,
                                                                  sub_event_type="Shelling/artillery/missile attack")])
        store.fuse()
        store.review("e-1", "corrected", {"fatalities": 3}, "the hospital's count", by="alice")
        for filters in ({}, {"fused": False}, {"sort": "-fatalities"}, {"reviewed": "only"}, {"country": "syr"}):
            built = events(store, **filters)  # every record at once: built from the stored records
            stored = stored_pages(store, **filters)
            assert [json.loads(text) for text in stored] == built, filters
            assert stored == [json.dumps(r, ensure_ascii=False) for r in built], filters
        douma = next(json.loads(t) for t in stored_pages(store) if json.loads(t)["location"] == "Douma")
        assert douma["fatalities"] == 3 and douma["review"]["status"] == "corrected"
        assert [r["article_id"] for r in douma["reports"]] == ["E", "G"]
        # rows an older sitrep wrote have no stored text: built when read, the same
        before = {f: stored_pages(store, fused=f) for f in (True, False)}
        for table in ("events", "fused_events"):
            store._conn.execute(f"UPDATE {table} SET answer = NULL")
        assert {f: stored_pages(store, fused=f) for f in (True, False)} == before
