"""The store: idempotent, transactional, migrated, filterable; each test on an SQLite file in tmp_path and
on a PostgreSQL database (``new_db``), but those about SQLite files and their old versions."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sitrep.errors import MissingDatabase, StoreError
from sitrep.models import Article
from sitrep.store import SCHEMA_VERSION, Store

ALEPPO = Article(id="aleppo-1", text="Rebels entered Aleppo on Friday.", published=date(2024, 11, 30),
                 url="https://news.example.org/aleppo", title="Rebels enter Aleppo", outlet="Example News")
GOMA = Article(id="goma-1", text="M23 clashed with the army near Goma.", outlet="Example Monitor")


def event(event_id: str, **fields: Any) -> dict[str, Any]:
    """A minimal event record in the shape of ``Event.to_dict()``."""
    record: dict[str, Any] = {
        "event_id": event_id,
        "article_id": "aleppo-1",
        "event_date": "2024-11-29",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": "Hayat Tahrir al-Sham",
        "inter1": "Rebel group",
        "actor2": "Military Forces of Syria (2000-2024)",
        "inter2": "State forces",
        "country": "Syria",
        "iso3": "SYR",
        "location": "Aleppo",
        "fatalities": 0,
        "sources": [{"name": "Syrian Observatory for Human Rights", "kind": "monitor", "claim": "reported"}],
        "notes": "Rebels took Aleppo. «quoted» text stays as written.",
    }
    record.update(fields)
    return record


ALEPPO_EVENTS = [
    event("e-aleppo-battle"),
    event(
        "e-aleppo-strike",
        event_date="2024-12-01",
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        actor1="Military Forces of Russia (2000-)",
        inter1="State forces",
        actor2="Civilians (Syria)",
        inter2="Civilians",
    ),
]
GOMA_EVENTS = [
    event(
        "e-goma",
        article_id="goma-1",
        event_date="2024-12-01",
        sub_event_type="Armed clash",
        actor1="M23: March 23 Movement",
        actor2="Military Forces of the Democratic Republic of Congo (2019-)",
        country="Democratic Republic of Congo",
        iso3="COD",
    )
]


NewDb = Callable[[str], str]


@pytest.fixture
def store(new_db: NewDb) -> Iterator[Store]:
    with Store(new_db("sitrep.db")) as s:
        s.add(ALEPPO, ALEPPO_EVENTS)
        s.add(GOMA, GOMA_EVENTS)
        yield s


def ids(records: Any) -> list[str]:
    return [r["event_id"] for r in records]


def test_new_database_is_wal_and_versioned(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 1
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"articles", "events"} <= tables
    finally:
        conn.close()


def test_reopening_keeps_the_data(new_db: NewDb) -> None:
    path = new_db("sitrep.db")
    with Store(path) as s:
        s.add(ALEPPO, ALEPPO_EVENTS)
    with Store(path) as s:
        assert s.counts() == {"articles": 1, "events": 2}
        assert s.has(ALEPPO)


def test_records_come_back_unchanged_with_their_reports(store: Store) -> None:
    records = list(store.events(country="Syria"))
    assert [{k: v for k, v in r.items() if k != "reports"} for r in records] == ALEPPO_EVENTS
    assert records[0]["reports"] == [{
        "article_id": "aleppo-1", "url": "https://news.example.org/aleppo", "title": "Rebels enter Aleppo",
        "outlet": "Example News", "published": "2024-11-30", "fatalities": 0, "event_date": "2024-11-29",
    }]
    (goma,) = store.events(country="COD")
    assert goma["reports"][0]["outlet"] == "Example Monitor" and goma["reports"][0]["url"] is None


def test_undated_events_come_last_and_match_no_date_filter(new_db: NewDb) -> None:
    with Store(new_db("s.db")) as s:
        s.add(ALEPPO, [event("undated", event_date=None, time_precision=3), *ALEPPO_EVENTS])
        assert ids(s.events()) == ["e-aleppo-battle", "e-aleppo-strike", "undated"]
        assert "undated" not in ids(s.events(until=date(2024, 12, 31)))
        assert "undated" not in ids(s.events(since=date(2024, 1, 1)))
        (undated,) = (r for r in s.events() if r["event_id"] == "undated")
        assert undated["event_date"] is None and undated["reports"][0]["event_date"] is None


def test_opening_an_old_database_replaces_the_stand_ins_with_nulls(tmp_path: Path) -> None:
    from sitrep.store import MIGRATIONS

    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
    conn.execute("INSERT INTO articles VALUES ('a', 'h', NULL, NULL, NULL, NULL, 'en', 'text', 'now')")
    old = event("old", article_id="a", event_date="0001-01-01", location="Syria", latitude=0.0, longitude=0.0)
    kept = event("kept", article_id="a", latitude=36.2, longitude=37.1)
    for record in (old, kept):
        conn.execute("INSERT INTO events VALUES (?, 'a', ?, 'Battles', 'Armed clash', 'Syria', 'SYR', NULL, NULL, ?)",
                     (record["event_id"], record["event_date"], json.dumps(record)))
    conn.commit()
    conn.close()
    with Store(path) as s:
        records = {r["event_id"]: r for r in s.events()}
        assert list(records) == ["kept", "old"]
        assert (records["old"]["event_date"], records["old"]["latitude"], records["old"]["longitude"],
                records["old"]["location"]) == (None, None, None, "")
        assert records["kept"]["latitude"] == 36.2 and records["kept"]["location"] == "Aleppo"
        assert s.counts() == {"articles": 1, "events": 2}
        assert ids(s.events(until=date(2024, 12, 31))) == ["kept"]


def test_adding_the_same_article_again_is_a_no_op(store: Store) -> None:
    assert store.add(ALEPPO, ALEPPO_EVENTS) is False
    assert store.add(ALEPPO, []) is False
    assert store.counts() == {"articles": 2, "events": 3}


def test_has(store: Store) -> None:
    assert store.has(ALEPPO)
    assert not store.has(Article(id="aleppo-1", text="A corrected version."))
    assert not store.has(Article(id="other", text=ALEPPO.text))


def test_new_text_under_the_same_id_replaces_the_article_and_its_events(store: Store) -> None:
    corrected = Article(id="aleppo-1", text="Rebels entered Aleppo on Friday, the army said.")
    assert store.add(corrected, [event("e-aleppo-corrected")]) is True
    assert store.counts() == {"articles": 2, "events": 2}
    assert ids(store.events(country="Syria")) == ["e-aleppo-corrected"]
    assert store.has(corrected) and not store.has(ALEPPO)


def test_same_event_id_from_another_article_is_kept_once(store: Store) -> None:
    other = Article(id="aleppo-2", text="A second report on the fall of Aleppo.")
    assert store.add(other, [event("e-aleppo-battle", notes="second report")]) is True
    assert store.counts() == {"articles": 3, "events": 3}
    (kept,) = (r for r in store.events() if r["event_id"] == "e-aleppo-battle")
    assert kept["notes"] != "second report"


def test_a_failed_add_writes_nothing(store: Store) -> None:
    with pytest.raises(ValueError, match="no event_id"):
        store.add(Article(id="bad", text="Something."), [event("ok"), {"event_type": "Battles"}])
    assert store.counts() == {"articles": 2, "events": 3}


def test_filter_by_country_name_or_iso3_any_case(store: Store) -> None:
    assert ids(store.events(country="syria")) == ["e-aleppo-battle", "e-aleppo-strike"]
    assert ids(store.events(country="COD")) == ["e-goma"]
    assert ids(store.events(country="Yemen")) == []


def test_filter_by_dates_inclusive(store: Store) -> None:
    assert ids(store.events(since=date(2024, 12, 1))) == ["e-aleppo-strike", "e-goma"]
    assert ids(store.events(until=date(2024, 11, 29))) == ["e-aleppo-battle"]
    assert ids(store.events(since=date(2024, 11, 30), until=date(2024, 11, 30))) == []


def test_filter_by_type_or_sub_type(store: Store) -> None:
    assert ids(store.events(event_type="battles")) == ["e-aleppo-battle", "e-goma"]
    assert ids(store.events(event_type="Air/drone strike")) == ["e-aleppo-strike"]


def test_filter_by_actor_substring_on_either_side(store: Store) -> None:
    assert ids(store.events(actor="tahrir")) == ["e-aleppo-battle"]
    assert ids(store.events(actor="civilians")) == ["e-aleppo-strike"]
    assert ids(store.events(actor="MILITARY FORCES OF SYRIA")) == ["e-aleppo-battle"]


def test_filters_combine(store: Store) -> None:
    assert ids(
        store.events(country="Syria", since=date(2024, 12, 1), event_type="Explosions/Remote violence")
    ) == ["e-aleppo-strike"]
    assert ids(store.events(country="Syria", actor="M23")) == []


def test_in_memory_store() -> None:
    with Store(":memory:") as s:
        assert s.add(GOMA, GOMA_EVENTS)
        assert s.counts() == {"articles": 1, "events": 1}


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("this is not SQLite " * 100, encoding="utf-8")
    with pytest.raises(StoreError, match=r"Cannot open the database .*notes\.db"):
        Store(path)


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="Cannot open the database"):
        Store(tmp_path)


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="Upgrade sitrep"):
        Store(path)


def test_a_missing_database_is_not_created_when_only_reading(tmp_path: Path) -> None:
    path = tmp_path / "typo.db"
    with pytest.raises(MissingDatabase, match=r"No database at .*typo\.db\. Create one with: sitrep ingest"):
        Store(path, create=False)
    assert not path.exists()
    with pytest.raises(MissingDatabase):
        Store(tmp_path, create=False)  # a folder is no database either
