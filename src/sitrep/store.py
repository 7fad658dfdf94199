"""Storing: articles and their events in a database, an SQLite file or PostgreSQL.

- **Two databases, one store.** ``Store(db)``: ``db`` is the path of an SQLite file (the embedded
  default, ``sitrep.db``) or the address of a PostgreSQL database (``postgresql://user@host/name``, for
  a team; ``pip install 'sitrep[postgres]'``). The same methods, the same queries and the same results
  on both; ``sitrep.backends`` holds the little that differs (placeholders, case folding, locks, the
  schema version). No PostGIS: places are latitude and longitude columns of the records.
- **Idempotent.** An article is known by its id and the SHA-256 of its text: adding it again is a
  no-op. The same id with a different text is a new version of the article: it replaces the stored
  text and its events.
- **Transactional.** One transaction per article (the article row and all its events, or nothing).
- **Concurrent readers and writers.** Several ingesting or watching processes can share one database;
  each article is stored exactly once and none is lost. Writers take turns: on SQLite a WAL journal, a
  busy timeout and ``BEGIN IMMEDIATE``; on PostgreSQL every write transaction first takes one
  advisory lock (``sitrep.backends.WRITE_LOCK``), so the check that an article is new, its insertion
  and the fusion of its reports with the stored ones see one state of the database, as on SQLite, with
  no deadlock or retry. Readers never wait. Analysing articles, the slow part, happens outside the
  transaction, in parallel.
- **Migrations in code.** ``MIGRATIONS`` is the list of schema steps, written for SQLite;
  ``POSTGRESQL_STEPS`` gives a step's PostgreSQL form where SQLite's does not run there
  (``sitrep.backends.postgresql_step`` translates the rest: text ordered as in SQLite, ``REAL`` as
  double precision, ``INTEGER PRIMARY KEY AUTOINCREMENT`` as an identity column). ``PRAGMA
  user_version`` (SQLite) or the table ``sitrep_schema`` (PostgreSQL) records how many steps have been
  applied, and opening a database applies the missing ones, each in a write transaction. A PostgreSQL
  database is created with the first four steps' schema at once (its step 1; 2 to 4 are empty).

  *Append a step:* add its SQL to the end of ``MIGRATIONS`` (statements separated by ``;``, none
  inside one), in SQL both databases take: ``TEXT``, ``INTEGER``, ``REAL`` columns, ``INTEGER PRIMARY
  KEY AUTOINCREMENT``, ``CREATE [UNIQUE] INDEX``, ``ALTER TABLE ... ADD COLUMN``, no SQLite functions.
  If it cannot be, also put its PostgreSQL form in ``POSTGRESQL_STEPS`` under its number (its index in
  ``MIGRATIONS`` plus one). Never edit a released step. Queries use ``?`` placeholders and ``INSERT
  ... ON CONFLICT``; what else differs goes through ``self._conn`` (``nocase_eq``, ``contains_folded``,
  ``json_text``). The tests run against both databases.
- **Events keep their whole record.** The event record (``Event.to_dict()``) is stored as JSON and given
  back with its ``reports``: the url, title, outlet and publication day of each article it was read
  from, as stored with the article. The columns beside the record exist to filter on. An event whose
  ``event_id`` is already stored (the same event reported by another article) is kept once: the
  first stored wins. Each report and fused event also keeps that record with its reports as JSON text
  (``answer``), written whenever the record is (stored, fused again, reviewed), so that a page of
  events (``page_json``, ``GET /events``) is read and joined, never built and serialised per request.
- **Reports and fused events.** Every stored event record is a *report* of the article it was read
  from, kept as read. ``add`` fuses an article's reports with the stored reports of the same incidents
  (``sitrep.fuse``): each new report is compared only with the reports of its country whose days meet
  its own (an index on country and day, so the cost does not grow with the store), the pairs found to
  tell of one incident are kept in ``fusion_links``, and the connected reports they touch are grouped
  again into ``fused_events``. The groups depend only on the set of reports, never on the order they
  came in; ``fuse(rebuild=True)`` recomputes them all from the reports. ``events()`` gives one record
  per fused event (``fused=False``: one per report), ``event(id)`` one event with its links.
- **Unknown is NULL.** An event without a known day has a NULL ``event_date`` (a null in its record);
  such events sort after the dated ones and no date filter selects them.
"""

from __future__ import annotations

import hashlib
import json
import math
import secrets
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from sitrep import fuse
from sitrep.backends import BUSY_TIMEOUT_S, Backend, connect, postgresql_step
from sitrep.errors import MissingDatabase, NotFound, StoreError
from sitrep.fuse import Report
from sitrep.models import Article
from sitrep.review import PINNED, STATUSES, ReviewError, check_fields, overlay

__all__ = ["BUSY_TIMEOUT_S", "MIGRATIONS", "POSTGRESQL_STEPS", "SCHEMA_VERSION", "Store", "migration"]

MIGRATIONS: tuple[str, ...] = (
    # 1: articles and events.
    """
    CREATE TABLE articles (
        id           TEXT PRIMARY KEY,
        content_hash TEXT NOT NULL,
        title        TEXT,
        published    TEXT,
        url          TEXT,
        outlet       TEXT,
        language     TEXT NOT NULL,
        text         TEXT NOT NULL,
        ingested_at  TEXT NOT NULL
    );
    CREATE TABLE events (
        event_id       TEXT PRIMARY KEY,
        article_id     TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        event_date     TEXT NOT NULL,
        event_type     TEXT NOT NULL,
        sub_event_type TEXT NOT NULL,
        country        TEXT,
        iso3           TEXT,
        actor1         TEXT,
        actor2         TEXT,
        record         TEXT NOT NULL
    );
    CREATE INDEX events_article ON events(article_id);
    CREATE INDEX events_date ON events(event_date);
    CREATE INDEX events_country ON events(country COLLATE NOCASE);
    """,
    # 2: unknown days and places are null, never stand-ins: event_date may be NULL, and records written
    # with the old stand-ins (day 0001-01-01, point (0, 0) with no place) get nulls and an empty location.
    """
    CREATE TABLE events_v2 (
        event_id       TEXT PRIMARY KEY,
        article_id     TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        event_date     TEXT,
        event_type     TEXT NOT NULL,
        sub_event_type TEXT NOT NULL,
        country        TEXT,
        iso3           TEXT,
        actor1         TEXT,
        actor2         TEXT,
        record         TEXT NOT NULL
    );
    INSERT INTO events_v2
        SELECT event_id, article_id, NULLIF(NULLIF(event_date, ''), '0001-01-01'), event_type, sub_event_type,
               country, iso3, actor1, actor2, record
        FROM events;
    UPDATE events_v2 SET record = json_set(record, '$.event_date', NULL)
        WHERE json_extract(record, '$.event_date') = '0001-01-01';
    UPDATE events_v2 SET record = json_set(record, '$.latitude', NULL, '$.longitude', NULL, '$.location', '')
        WHERE json_extract(record, '$.latitude') = 0 AND json_extract(record, '$.longitude') = 0;
    DROP TABLE events;
    ALTER TABLE events_v2 RENAME TO events;
    CREATE INDEX events_article ON events(article_id);
    CREATE INDEX events_date ON events(event_date);
    CREATE INDEX events_country ON events(country COLLATE NOCASE);
    """,
    # 3: fusion. Stored events are reports; ``fused_id`` names the fused event each belongs to (NULL: not
    # fused yet, shown as its own event). ``fusion_links`` holds the pairs of reports found to tell of one
    # incident; ``fused_events`` the events derived from them, rebuilt at will from the reports.
    """
    ALTER TABLE events ADD COLUMN fused_id TEXT;
    ALTER TABLE events ADD COLUMN date_end TEXT;
    UPDATE events SET date_end = json_extract(record, '$.date_end');
    CREATE INDEX events_fused ON events(fused_id);
    CREATE INDEX events_country_date ON events(country, event_date);
    CREATE INDEX events_country_spans ON events(country, date_end) WHERE date_end IS NOT NULL;
    CREATE TABLE fused_events (
        event_id       TEXT PRIMARY KEY,
        article_id     TEXT NOT NULL,
        event_date     TEXT,
        event_type     TEXT NOT NULL,
        sub_event_type TEXT NOT NULL,
        country        TEXT,
        iso3           TEXT,
        actor1         TEXT,
        actor2         TEXT,
        reports        INTEGER NOT NULL,
        record         TEXT NOT NULL
    );
    CREATE INDEX fused_events_date ON fused_events(event_date);
    CREATE INDEX fused_events_country ON fused_events(country COLLATE NOCASE);
    CREATE TABLE fusion_links (
        a       TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
        b       TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
        score   REAL NOT NULL,
        reasons TEXT NOT NULL,
        PRIMARY KEY (a, b)
    );
    CREATE INDEX fusion_links_b ON fusion_links(b);
    """,
    # 4: watching (``sitrep watch``). ``watch_sources``: each feed or folder polled, its HTTP validators
    # and when it was last polled, succeeded or failed. ``watch_seen``: the keys of every item met (its
    # guid, canonical URL, content hash, or a file's path, size and time), the article stored for it (NULL
    # when none was: a duplicate, an unreadable item). ``alert_outbox``: each alert to deliver, until
    # it is; ``alert_state``: what each rule last alerted of each fused event (to alert again only on a
    # material change).
    """
    CREATE TABLE watch_sources (
        source        TEXT PRIMARY KEY,
        kind          TEXT NOT NULL,
        etag          TEXT,
        last_modified TEXT,
        last_poll     TEXT,
        last_success  TEXT,
        last_error    TEXT,
        last_error_at TEXT,
        failures      INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE watch_seen (
        key        TEXT PRIMARY KEY,
        source     TEXT NOT NULL,
        article_id TEXT,
        seen_at    TEXT NOT NULL
    );
    CREATE INDEX watch_seen_source ON watch_seen(source);
    CREATE INDEX watch_seen_article ON watch_seen(article_id);
    CREATE TABLE alert_outbox (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        rule         TEXT NOT NULL,
        channel      TEXT NOT NULL,
        event_id     TEXT NOT NULL,
        payload      TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        attempts     INTEGER NOT NULL DEFAULT 0,
        next_try     TEXT NOT NULL,
        last_error   TEXT,
        delivered_at TEXT
    );
    CREATE INDEX alert_outbox_pending ON alert_outbox(next_try) WHERE delivered_at IS NULL;
    CREATE TABLE alert_state (
        rule     TEXT NOT NULL,
        event_id TEXT NOT NULL,
        state    TEXT NOT NULL,
        PRIMARY KEY (rule, event_id)
    );
    """,
    # 5: review and serving (``sitrep serve``). Filter columns beside the records (a point for a bounding
    # box, the ACLED figure for sums and sorting, a fused event's review status), filled from the stored
    # records by ``_fill_step_5``. ``reviews``: the analysts' decision on an event, keyed by one of its
    # reports (``sitrep.review``). ``fusion_constraints``: pairs of reports an analyst merged (together 1)
    # or split (together 0), which fusion obeys. ``audit_log``: every change, append-only, numbered in
    # order; ``audit_events``: the events and reports each change touched. ``api_tokens``: the SHA-256
    # of each token's secret, its role and name.
    """
    ALTER TABLE events ADD COLUMN latitude REAL;
    ALTER TABLE events ADD COLUMN longitude REAL;
    ALTER TABLE events ADD COLUMN fatalities INTEGER;
    ALTER TABLE fused_events ADD COLUMN latitude REAL;
    ALTER TABLE fused_events ADD COLUMN longitude REAL;
    ALTER TABLE fused_events ADD COLUMN fatalities INTEGER;
    ALTER TABLE fused_events ADD COLUMN review TEXT;
    CREATE TABLE reviews (
        event_id    TEXT PRIMARY KEY,
        status      TEXT NOT NULL,
        field_values TEXT NOT NULL,
        corrected   TEXT NOT NULL,
        note        TEXT,
        reviewer    TEXT NOT NULL,
        reviewed_at TEXT NOT NULL
    );
    CREATE TABLE fusion_constraints (
        a        TEXT NOT NULL,
        b        TEXT NOT NULL,
        together INTEGER NOT NULL,
        PRIMARY KEY (a, b)
    );
    CREATE INDEX fusion_constraints_b ON fusion_constraints(b);
    CREATE TABLE audit_log (
        seq          INTEGER PRIMARY KEY,
        created_at   TEXT NOT NULL,
        who          TEXT NOT NULL,
        token_id     TEXT,
        action       TEXT NOT NULL,
        event_id     TEXT NOT NULL,
        before_state TEXT,
        after_state  TEXT,
        note         TEXT
    );
    CREATE TABLE audit_events (
        event_id TEXT NOT NULL,
        seq      INTEGER NOT NULL,
        PRIMARY KEY (event_id, seq)
    );
    CREATE TABLE api_tokens (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        role        TEXT NOT NULL,
        secret_hash TEXT NOT NULL UNIQUE,
        created_at  TEXT NOT NULL,
        revoked_at  TEXT
    );
    """,
    # 6: each report and fused event also kept as the API gives it (``answer``: its record with its
    # ``reports``, JSON text), written with it, so that a page of events is read, not built
    # (``Store.page_json``); filled from the stored records by ``_fill_answers``. NULL (a row written by
    # an older sitrep, a record JSON cannot hold) is built when read.
    """
    ALTER TABLE events ADD COLUMN answer TEXT;
    ALTER TABLE fused_events ADD COLUMN answer TEXT
    """,
    # 7: who created and who revoked each API token (the name of the admin's token that did it over the
    # API, ``sitrep serve``; NULL: on the command line, by whoever can open the database).
    """
    ALTER TABLE api_tokens ADD COLUMN created_by TEXT;
    ALTER TABLE api_tokens ADD COLUMN revoked_by TEXT
    """,
    # 8: SQLite: the country filter (the name or the ISO3 code, any case) with a date range reads two
    # indexes, on the name and day and on the code and day, one for each side of its OR, instead of
    # every event of the days. (PostgreSQL has had them since its first step: nothing to do there.)
    """
    DROP INDEX events_country;
    DROP INDEX fused_events_country;
    CREATE INDEX events_country_day ON events(country COLLATE NOCASE, event_date);
    CREATE INDEX events_iso3_day ON events(iso3 COLLATE NOCASE, event_date);
    CREATE INDEX fused_events_country_day ON fused_events(country COLLATE NOCASE, event_date);
    CREATE INDEX fused_events_iso3_day ON fused_events(iso3 COLLATE NOCASE, event_date)
    """,
)
"""Schema steps, oldest first, written for SQLite. Append a step to change the schema (see the module
docstring); never edit a released one."""

POSTGRESQL_STEPS: dict[int, str] = {
    # 1-4: the schema of SQLite's first four steps at once. Text columns order by code point (as SQLite
    # orders them, ``postgresql_step``); the case-insensitive filters compare ``lower()`` of a column,
    # indexed.
    1: """
    CREATE TABLE articles (
        id           TEXT PRIMARY KEY,
        content_hash TEXT NOT NULL,
        title        TEXT,
        published    TEXT,
        url          TEXT,
        outlet       TEXT,
        language     TEXT NOT NULL,
        text         TEXT NOT NULL,
        ingested_at  TEXT NOT NULL
    );
    CREATE TABLE events (
        event_id       TEXT PRIMARY KEY,
        article_id     TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        event_date     TEXT,
        event_type     TEXT NOT NULL,
        sub_event_type TEXT NOT NULL,
        country        TEXT,
        iso3           TEXT,
        actor1         TEXT,
        actor2         TEXT,
        record         TEXT NOT NULL,
        fused_id       TEXT,
        date_end       TEXT
    );
    CREATE INDEX events_article ON events(article_id);
    CREATE INDEX events_date ON events(event_date);
    CREATE INDEX events_country ON events(lower(country), event_date);
    CREATE INDEX events_iso3 ON events(lower(iso3), event_date);
    CREATE INDEX events_fused ON events(fused_id);
    CREATE INDEX events_country_date ON events(country, event_date);
    CREATE INDEX events_country_spans ON events(country, date_end) WHERE date_end IS NOT NULL;
    CREATE TABLE fused_events (
        event_id       TEXT PRIMARY KEY,
        article_id     TEXT NOT NULL,
        event_date     TEXT,
        event_type     TEXT NOT NULL,
        sub_event_type TEXT NOT NULL,
        country        TEXT,
        iso3           TEXT,
        actor1         TEXT,
        actor2         TEXT,
        reports        INTEGER NOT NULL,
        record         TEXT NOT NULL
    );
    CREATE INDEX fused_events_date ON fused_events(event_date, event_id);
    CREATE INDEX fused_events_country ON fused_events(lower(country), event_date);
    CREATE INDEX fused_events_iso3 ON fused_events(lower(iso3), event_date);
    CREATE TABLE fusion_links (
        a       TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
        b       TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
        score   REAL NOT NULL,
        reasons TEXT NOT NULL,
        PRIMARY KEY (a, b)
    );
    CREATE INDEX fusion_links_b ON fusion_links(b);
    """ + MIGRATIONS[3],
    2: "",
    3: "",
    4: "",
    8: "",
}
"""The PostgreSQL form of the steps whose SQLite form does not run there, by step number (from 1)."""

SCHEMA_VERSION = len(MIGRATIONS)


def migration(step: int, database: str) -> list[str]:
    """The statements of schema step ``step`` (from 1) for ``database`` (``"sqlite"`` or ``"postgresql"``)."""
    if database == "postgresql":
        return _statements(postgresql_step(POSTGRESQL_STEPS.get(step, MIGRATIONS[step - 1])))
    return _statements(MIGRATIONS[step - 1])

_ARTICLE_UPSERT = """
    INSERT INTO articles (id, content_hash, title, published, url, outlet, language, text, ingested_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(id) DO UPDATE SET
        content_hash = excluded.content_hash, title = excluded.title, published = excluded.published,
        url = excluded.url, outlet = excluded.outlet, language = excluded.language,
        text = excluded.text, ingested_at = excluded.ingested_at
"""
_EVENT_INSERT = """
    INSERT INTO events
        (event_id, article_id, event_date, event_type, sub_event_type, country, iso3, actor1, actor2, record,
         latitude, longitude, fatalities, date_end, answer)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT DO NOTHING
"""
_FUSED_INSERT = """
    INSERT INTO fused_events
        (event_id, article_id, event_date, event_type, sub_event_type, country, iso3, actor1, actor2, record,
         latitude, longitude, fatalities, reports, review, answer)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (event_id) DO UPDATE SET
        article_id = excluded.article_id, event_date = excluded.event_date, event_type = excluded.event_type,
        sub_event_type = excluded.sub_event_type, country = excluded.country, iso3 = excluded.iso3,
        actor1 = excluded.actor1, actor2 = excluded.actor2, record = excluded.record,
        latitude = excluded.latitude, longitude = excluded.longitude, fatalities = excluded.fatalities,
        reports = excluded.reports, review = excluded.review, answer = excluded.answer
"""
_LINK_UPSERT = """
    INSERT INTO fusion_links (a, b, score, reasons) VALUES (?, ?, ?, ?)
    ON CONFLICT (a, b) DO UPDATE SET score = excluded.score, reasons = excluded.reasons
"""
SORTS: dict[str, str] = {
    "date": "event_date IS NULL, event_date, event_id",
    "-date": "event_date IS NULL, event_date DESC, event_id",
    "fatalities": "fatalities, event_date IS NULL, event_date, event_id",
    "-fatalities": "fatalities DESC, event_date IS NULL, event_date, event_id",
}
"""The orders ``Store.events`` knows, by name."""
REVIEWED: tuple[str | None, ...] = (None, "only", "unreviewed", "rejected", "all")
"""The review filters ``Store.events`` knows (None: every event but the rejected ones)."""
_REVIEW_WHERE: dict[str | None, str | None] = {
    None: "(e.review IS NULL OR e.review <> 'rejected')",
    "only": "e.review IN ('confirmed', 'corrected')",
    "unreviewed": "e.review IS NULL",
    "rejected": "e.review = 'rejected'",
    "all": None,
}
_REPORT_REVIEW_WHERE: dict[str | None, str | None] = {
    None: "(e.fused_id IS NULL OR e.fused_id NOT IN (SELECT event_id FROM fused_events WHERE review = 'rejected'))",
    "only": "e.fused_id IN (SELECT event_id FROM fused_events WHERE review IN ('confirmed', 'corrected'))",
    "unreviewed": "(e.fused_id IS NULL OR e.fused_id IN (SELECT event_id FROM fused_events WHERE review IS NULL))",
    "rejected": "e.fused_id IN (SELECT event_id FROM fused_events WHERE review = 'rejected')",
    "all": None,
}
"""``_REVIEW_WHERE`` for reports: their fused event's review."""
ROLES = ("reader", "reviewer", "admin")
"""API token roles, each allowed what the one before may do and more: read; review, merge and split;
(admin) also manage the tokens."""
ALL = 2**62
"""A page size that takes every row (``LIMIT`` must come with ``OFFSET``, and means the same on both)."""
REPORT_CACHE = 200_000
"""Reports kept parsed in memory for fusion, at most, by default (``Store.report_cache``; a few KiB each)."""


class Store:
    """A database of articles and the events read from them: an SQLite file or a PostgreSQL database.

    ``path`` is an SQLite file, ``":memory:"`` for a throwaway store, or a PostgreSQL address
    (``postgresql://user[:password]@host[:port]/name``). A missing file, or an empty PostgreSQL database,
    gets sitrep's tables, unless ``create`` is False (for commands that only read: a mistyped path
    should not give an empty database; MissingDatabase). A PostgreSQL database itself must exist.
    StoreError when the database cannot be opened; MissingDependency for a PostgreSQL address without
    ``sitrep[postgres]`` installed. Use as a context manager, or call ``close()``.
    """

    def __init__(self, path: str | Path, *, create: bool = True, fuse: bool = True) -> None:
        self.fusing = fuse
        """Whether ``add`` fuses the new reports at once (else they wait for ``fuse``)."""
        self.report_cache = REPORT_CACHE
        """Reports kept parsed for fusion, at most: the least recently used are dropped beyond it (a
        long-running ``sitrep watch`` keeps fewer, so that its memory does not grow with the store)."""
        self._reports: dict[str, Report] = {}
        """Reports read for fusion, by event id (parsed once per process; dropped when rewritten)."""
        self._data_version: int | None = None
        """The database's ``data_version`` when ``_reports`` was last checked: it changes when another
        connection commits."""
        self._conn: Backend = connect(path, create=create)
        self.path = self._conn.display
        """The database as shown in messages (a PostgreSQL address without its password)."""
        try:
            self._migrate(create)
        except self._conn.errors as err:
            self._conn.close()
            raise self._open_error(err) from err
        except StoreError:
            self._conn.close()
            raise

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._conn.name

    # -- writing ---------------------------------------------------------------------------------

    def add(self, article: Article, events: Sequence[dict[str, Any]], seen: Sequence[str] = (),
            source: str | None = None) -> bool:
        """Store ``article`` with its event records; False (and nothing written) if already stored.

        ``seen``: keys of the watched item it was read from (``mark_seen``), written in the same
        transaction, so that an item is stored and known as seen together, or neither."""
        digest = _content_hash(article.text)
        with self._transaction():
            self._mark_seen(seen, source or "", article.id)
            stored = self._conn.execute(
                "SELECT content_hash FROM articles WHERE id = ?", (article.id,)
            ).fetchone()
            if stored is not None and stored[0] == digest:
                return False
            touched: set[str] = set()
            if stored is not None:
                touched = self._forget(article.id)
            self._conn.execute(_ARTICLE_UPSERT, _article_row(article, digest))
            primary = _article_report(article)
            self._conn.executemany(_EVENT_INSERT, [
                _event_row(article.id, record, _answer(self._with_reports(record, primary))) for record in events])
            if self.fusing:
                new = [r[0] for r in self._conn.execute(
                    "SELECT event_id FROM events WHERE article_id = ? ORDER BY event_id", (article.id,))]
                self._fuse(new, touched)
            elif touched:
                self._unfuse(touched)
        return True

    def fuse(self, rebuild: bool = False) -> dict[str, int]:
        """Fuse the reports not fused yet (stored with ``fuse=False``, or by a version without fusion);
        with ``rebuild``, forget every link and fused event and fuse all reports again from their stored
        records (after a change of thresholds or gazetteer; no text is read). One transaction. Returns
        how many reports were fused and how many events they now make."""
        with self._transaction():
            if rebuild:
                self._conn.execute("DELETE FROM fusion_links")
                self._conn.execute("DELETE FROM fused_events")
                self._conn.execute("UPDATE events SET fused_id = NULL")
                self._reports.clear()
            pending = [r[0] for r in self._conn.execute(
                "SELECT event_id FROM events WHERE fused_id IS NULL ORDER BY event_date, event_id")]
            self._fuse(pending, set())
        (events,) = self._conn.execute("SELECT count(*) FROM fused_events").fetchone()
        return {"reports": len(pending), "events": events}

    # -- fusing (inside a write transaction) ------------------------------------------------------

    def _fuse(self, pending: Sequence[str], touched: set[str]) -> None:
        """Link each pending report with the fused reports of its country and days (``fuse.match``),
        then regroup every connected set of reports they touch (``fuse.cluster``), and with them the
        reports of ``touched`` (left behind by a replaced article)."""
        for event_id in pending:
            r = self._report(event_id)
            if r is not None:
                for other in self._candidates(r):
                    m = fuse.match(r, other)
                    if m.linked:
                        a, b = sorted((r.event_id, other.event_id))
                        self._conn.execute(_LINK_UPSERT, (a, b, m.score, json.dumps(m.reasons, ensure_ascii=False)))
            self._conn.execute("UPDATE events SET fused_id = event_id WHERE event_id = ?", (event_id,))
        done: set[str] = set()
        for seed in [*pending, *sorted(touched)]:
            if seed not in done:
                component = self._component({seed})
                done |= component
                self._regroup(component)

    def _candidates(self, r: Report) -> list[Report]:
        """The fused reports of ``r``'s country whose days could meet ``r``'s (index on country, day)."""
        window = fuse.candidate_window(r)
        if window is None:
            return []
        first, last = window
        # Reports that start within the window (index on country, day), then the few aggregates that
        # started earlier and reach into it (index on their last day). Spans are cut as fusion cuts them.
        earliest = first - timedelta(days=fuse.MAX_SPAN_DAYS)
        # One statement (one round trip to a server): the two parts select disjoint days.
        rows = self._conn.execute(
            "SELECT event_id FROM events WHERE country = ? AND event_date BETWEEN ? AND ? "
            "AND fused_id IS NOT NULL AND event_id != ? UNION ALL "
            "SELECT event_id FROM events WHERE country = ? AND date_end >= ? AND event_date < ? AND event_date >= ? "
            "AND fused_id IS NOT NULL AND event_id != ?",
            (r.country, first.isoformat(), last.isoformat(), r.event_id,
             r.country, first.isoformat(), first.isoformat(), earliest.isoformat(), r.event_id)).fetchall()
        rows.sort()
        return [c for c in self._reports_of([row[0] for row in rows]) if c is not None]

    def _component(self, seeds: set[str]) -> set[str]:
        """The reports connected to ``seeds`` through links and analysts' merges."""
        seen = set(seeds)
        frontier = sorted(seeds)
        while frontier:
            found: set[str] = set()
            for chunk in _chunks(frontier):
                marks = ",".join("?" * len(chunk))
                for a, b in self._conn.execute(
                    f"SELECT a, b FROM fusion_links WHERE a IN ({marks}) OR b IN ({marks}) UNION ALL "
                    f"SELECT a, b FROM fusion_constraints WHERE together = 1 AND (a IN ({marks}) OR b IN ({marks}))",
                    (*chunk, *chunk, *chunk, *chunk)
                ):
                    found.update((a, b))
            frontier = sorted(found - seen)
            seen |= found
        return seen

    def _regroup(self, component: set[str]) -> None:
        """Group the reports of one connected set into events (``fuse.cluster``, obeying analysts' merges
        and splits) and store them (``fuse.combine``, with their review laid over: ``review.overlay``)."""
        ids = sorted(component)
        reports = [r for r in self._reports_of(ids) if r is not None]
        links: dict[tuple[str, str], float] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            for a, b, score in self._conn.execute(
                f"SELECT a, b, score FROM fusion_links WHERE a IN ({marks})", chunk
            ):
                links[(a, b)] = score
        together, apart = self._constraints(ids)
        for chunk in _chunks(ids):
            self._conn.execute(f"DELETE FROM fused_events WHERE event_id IN ({','.join('?' * len(chunk))})", chunk)
        for group in fuse.cluster(reports, links, together, apart):
            record = overlay(fuse.combine(group), self._review_of([r.event_id for r in group]))
            primary = next((_report(r.article_id, r.article.get("url"), r.article.get("title"),
                                    r.article.get("outlet"), r.article.get("published"))
                            for r in group if r.article_id == record.get("article_id")), None)
            answer = _answer(self._with_reports(record, primary or self._article_report(record["article_id"])))
            self._conn.execute(_FUSED_INSERT, _fused_row(record, len(group), answer))
            members = [r.event_id for r in group]
            for chunk in _chunks(members):
                self._conn.execute(
                    f"UPDATE events SET fused_id = ? WHERE event_id IN ({','.join('?' * len(chunk))})",
                    (record["event_id"], *chunk))

    def _constraints(self, ids: Sequence[str]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """The analysts' (together, apart) pairs of reports among ``ids``."""
        together: list[tuple[str, str]] = []
        apart: list[tuple[str, str]] = []
        known = set(ids)
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            for a, b, joined in self._conn.execute(
                    f"SELECT a, b, together FROM fusion_constraints WHERE a IN ({marks})", chunk):
                if b in known:
                    (together if joined else apart).append((a, b))
        return together, apart

    def _forget(self, article_id: str) -> set[str]:
        """Delete an article's reports (their links go with them) and the events they were part of;
        return the other reports of those events' connected sets, to be grouped again."""
        old = {r[0] for r in self._conn.execute("SELECT event_id FROM events WHERE article_id = ?", (article_id,))}
        component = self._component(old) if old else set()
        for chunk in _chunks(sorted(component)):
            self._conn.execute(f"DELETE FROM fused_events WHERE event_id IN ({','.join('?' * len(chunk))})", chunk)
        self._conn.execute("DELETE FROM events WHERE article_id = ?", (article_id,))
        for event_id in old:
            self._reports.pop(event_id, None)
        return component - old

    def _unfuse(self, ids: set[str]) -> None:
        """Mark reports as not fused (shown as their own events until ``fuse`` runs)."""
        for chunk in _chunks(sorted(ids)):
            self._conn.execute(f"UPDATE events SET fused_id = NULL WHERE event_id IN ({','.join('?' * len(chunk))})",
                               chunk)

    def _report(self, event_id: str) -> Report | None:
        (r,) = self._reports_of([event_id])
        return r

    def _reports_of(self, ids: Sequence[str]) -> list[Report | None]:
        """The reports of these ids, in this order (None for an unknown id), read once per process
        (again after another process has written to the database: it may have replaced some)."""
        version = self._conn.data_version()
        if version != self._data_version:
            self._reports.clear()
            self._data_version = version
        missing = [i for i in ids if i not in self._reports]
        for chunk in _chunks(missing):
            marks = ",".join("?" * len(chunk))
            for event_id, record, *article in self._conn.execute(
                f"SELECT e.event_id, e.record, {_REPORT_COLUMNS} FROM events e "
                f"LEFT JOIN articles a ON a.id = e.article_id WHERE e.event_id IN ({marks})", chunk
            ):
                self._reports[event_id] = fuse.report(json.loads(record), _report(*article))
        found = []
        for event_id in ids:  # the ones asked for become the most recently used (a dict keeps its order)
            report = self._reports.pop(event_id, None)
            if report is not None:
                self._reports[event_id] = report
            found.append(report)
        while len(self._reports) > self.report_cache:
            del self._reports[next(iter(self._reports))]
        return found

    # -- reading ---------------------------------------------------------------------------------

    def has(self, article: Article) -> bool:
        """Whether this article, with this very text, is stored."""
        row = self._conn.execute(
            "SELECT 1 FROM articles WHERE id = ? AND content_hash = ?",
            (article.id, _content_hash(article.text)),
        ).fetchone()
        return row is not None

    def events(
        self,
        country: str | None = None,
        since: date | None = None,
        until: date | None = None,
        event_type: str | None = None,
        actor: str | None = None,
        fused: bool = True,
        *,
        bbox: tuple[float, float, float, float] | None = None,
        reviewed: str | None = None,
        sort: str = "date",
        limit: int | None = None,
        offset: int = 0,
    ) -> Iterator[dict[str, Any]]:
        """Stored event records, each with its ``reports``, filtered, sorted, a page of them.

        ``fused``: one record per fused event (a report not fused yet is its own event), else one per
        report as each article gave it. ``country``: the country name or ISO3 code, any case.
        ``since``/``until``: event dates, both inclusive (an undated event matches neither).
        ``event_type``: an event type or a sub-event type, any case. ``actor``: a part of actor1's or
        actor2's name, any case. ``bbox``: (west, south, east, north) in degrees, edges included (west
        greater than east crosses the antimeridian); an event without a place matches none.
        ``reviewed`` (``REVIEWED``): None for every event but the rejected ones, "only" for confirmed
        and corrected events, "unreviewed", "rejected", or "all" (per report: its fused event's review).
        ``sort`` (``SORTS``): "date" (undated last, then id), "-date" (latest first), "fatalities" or
        "-fatalities" (then by date). ``limit``/``offset``: a page (None: all). StoreError when the
        database cannot be read; ValueError for an unknown ``reviewed`` or ``sort``.
        """
        if sort not in SORTS:
            raise ValueError(f"unknown sort {sort!r}; one of: {', '.join(SORTS)}")
        filters = (country, since, until, event_type, actor, fused, bbox, reviewed)
        try:
            if limit is None and not offset:  # every event, streamed
                sql, params = self._query(*filters, f"e.record, {_REPORT_COLUMNS}", joined=True)
                with closing(self._conn.stream(f"SELECT * FROM ({sql}) AS found ORDER BY {SORTS[sort]}",
                                               params)) as rows:
                    for _, _, _, _, _, _, record, *article in rows:
                        yield self._with_reports(json.loads(record), _report(*article))
                return
            yield from self.page(country, since, until, event_type, actor, fused, bbox=bbox, reviewed=reviewed,
                                 sort=sort, limit=ALL if limit is None else limit, offset=offset)[0]
        except self._conn.errors as err:
            raise StoreError(f"Cannot read events from {self.path}: {err}") from err

    def page(
        self, country: str | None = None, since: date | None = None, until: date | None = None,
        event_type: str | None = None, actor: str | None = None, fused: bool = True, *,
        bbox: tuple[float, float, float, float] | None = None, reviewed: str | None = None, sort: str = "date",
        limit: int = 100, offset: int = 0,
    ) -> tuple[list[dict[str, Any]], int]:
        """(a page of the records ``events`` gives with these arguments, how many there are in all)
        (``page_json``, parsed). Errors as ``events``."""
        answers, total = self.page_json(country, since, until, event_type, actor, fused, bbox=bbox,
                                        reviewed=reviewed, sort=sort, limit=limit, offset=offset)
        return [json.loads(answer) for answer in answers], total

    def page_json(
        self, country: str | None = None, since: date | None = None, until: date | None = None,
        event_type: str | None = None, actor: str | None = None, fused: bool = True, *,
        bbox: tuple[float, float, float, float] | None = None, reviewed: str | None = None, sort: str = "date",
        limit: int = 100, offset: int = 0,
    ) -> tuple[list[str], int]:
        """``page``'s records as JSON texts (each an object, as ``json.dumps`` writes it), read as stored
        (the ``answer`` column) rather than built: one query selects the page from the filter columns,
        counts every match (``count(*) OVER ()``) and joins the page's stored texts. Errors as
        ``events``."""
        if sort not in SORTS:
            raise ValueError(f"unknown sort {sort!r}; one of: {', '.join(SORTS)}")
        sql, params = self._query(country, since, until, event_type, actor, fused, bbox, reviewed, "1 AS one")
        known = "p.event_id, p.event_date, p.fatalities, p.total"
        try:
            rows = self._conn.execute(
                f"WITH page AS (SELECT event_id, event_date, fatalities, report, count(*) OVER () AS total "
                f"FROM ({sql}) AS found ORDER BY {SORTS[sort]} LIMIT ? OFFSET ?) "
                f"SELECT event_id, total, report, answer FROM ("
                f"SELECT {known}, 0 AS report, e.answer FROM page p JOIN fused_events e ON e.event_id = p.event_id "
                f"WHERE p.report = 0 UNION ALL "
                f"SELECT {known}, 1 AS report, e.answer FROM page p JOIN events e ON e.event_id = p.event_id "
                f"WHERE p.report = 1) AS shown ORDER BY {SORTS[sort]}", [*params, limit, offset]).fetchall()
            total = rows[0][1] if rows else self.count_events(country, since, until, event_type, actor, fused,
                                                               bbox=bbox, reviewed=reviewed)
            built: dict[tuple[int, str], str] = {}  # rows without a stored answer (written by an older sitrep)
            for report, table in ((0, "fused_events"), (1, "events")):
                ids = [i for i, _, kind, answer in rows if answer is None and kind == report]
                for chunk in _chunks(ids):
                    for event_id, record, *article in self._conn.execute(
                            f"SELECT e.event_id, e.record, {_REPORT_COLUMNS} FROM {table} e LEFT JOIN articles a "
                            f"ON a.id = e.article_id WHERE e.event_id IN ({','.join('?' * len(chunk))})", chunk):
                        built[report, event_id] = json.dumps(self._with_reports(json.loads(record), _report(*article)),
                                                     ensure_ascii=False, allow_nan=False)
        except self._conn.errors as err:
            raise StoreError(f"Cannot read events from {self.path}: {err}") from err
        return [built[report, event_id] if answer is None else answer for event_id, _, report, answer in rows], \
            int(total)

    def count_events(
        self, country: str | None = None, since: date | None = None, until: date | None = None,
        event_type: str | None = None, actor: str | None = None, fused: bool = True, *,
        bbox: tuple[float, float, float, float] | None = None, reviewed: str | None = None,
    ) -> int:
        """How many records ``events`` gives with these filters, without a page."""
        sql, params = self._query(country, since, until, event_type, actor, fused, bbox, reviewed, "1 AS one")
        (count,) = self._conn.execute(f"SELECT count(*) FROM ({sql}) AS found", params).fetchone()
        return int(count)

    def stats(
        self, country: str | None = None, since: date | None = None, until: date | None = None,
        event_type: str | None = None, actor: str | None = None, fused: bool = True, *,
        bbox: tuple[float, float, float, float] | None = None, reviewed: str | None = None,
    ) -> dict[str, Any]:
        """Counts of the events ``events`` gives with these filters, and their fatalities (ACLED's
        figure), in all and by week, country and event type::

            {"events": N, "fatalities": N,
             "by_week": [{"week": "2019-03-04", "events": N, "fatalities": N}, ...],   # Monday; oldest first
             "by_country": [{"country": "Syria", ...}, ...], "by_type": [{"event_type": "Battles", ...}, ...]}

        Undated events count in ``by_week`` under the week null (last); countries and types are sorted by
        events, most first."""
        sql, params = self._query(country, since, until, event_type, actor, fused, bbox, reviewed, "1 AS one")
        rows = self._conn.execute(
            f"SELECT event_date, country, event_type, count(*), sum(fatalities) FROM ({sql}) AS found "
            "GROUP BY event_date, country, event_type", params).fetchall()
        weeks: dict[str | None, list[int]] = {}
        countries: dict[str | None, list[int]] = {}
        types: dict[str | None, list[int]] = {}
        for day, where, kind, count, dead in rows:
            week = None
            if day:
                first = date.fromisoformat(day)
                week = (first - timedelta(days=first.weekday())).isoformat()
            for table, key in ((weeks, week), (countries, where or None), (types, kind or None)):
                total = table.setdefault(key, [0, 0])
                total[0] += int(count)
                total[1] += int(dead or 0)

        def listed(table: dict[str | None, list[int]], name: str, key: Any) -> list[dict[str, Any]]:
            return [{name: k, "events": n, "fatalities": f} for k, (n, f) in sorted(table.items(), key=key)]

        return {"events": sum(n for n, _ in weeks.values()), "fatalities": sum(f for _, f in weeks.values()),
                "by_week": listed(weeks, "week", lambda kv: (kv[0] is None, kv[0] or "")),
                "by_country": listed(countries, "country", lambda kv: (-kv[1][0], kv[0] or "")),
                "by_type": listed(types, "event_type", lambda kv: (-kv[1][0], kv[0] or ""))}

    def countries_like(self, name: str, limit: int = 3) -> list[str]:
        """The stored events' country names closest to ``name`` (any case; its ISO3 code counts as the
        name), best first, at most ``limit``: what a country filter that matched nothing may have meant.
        Empty when ``name`` is a stored country (its filter is right; the other filters exclude)."""
        import difflib

        pairs = self._conn.execute("SELECT DISTINCT country, iso3 FROM events WHERE country <> ''").fetchall()
        folded = name.casefold().strip()
        if any(folded in (str(c).casefold(), str(i or "").casefold()) for c, i in pairs):
            return []
        names = {str(c).casefold(): str(c) for c, _ in pairs}
        close = difflib.get_close_matches(folded, list(names), n=limit, cutoff=0.6)
        inside = [k for k in sorted(names) if folded and (folded in k or k in folded) and k not in close]
        return [names[k] for k in [*close, *inside][:limit]]

    def _query(
        self, country: str | None, since: date | None, until: date | None, event_type: str | None,
        actor: str | None, fused: bool, bbox: tuple[float, float, float, float] | None, reviewed: str | None,
        columns: str, joined: bool = False,
    ) -> tuple[str, list[Any]]:
        """The query of the events these filters select, and its parameters. Its columns: event_id,
        event_date, fatalities, country, event_type (for sorting and grouping), report (1 for a row of
        ``events``, 0 for one of ``fused_events``), then ``columns`` (of the events or fused events,
        ``e``, and with ``joined`` of their article, ``a``)."""
        if reviewed not in REVIEWED:
            raise ValueError(f"unknown reviewed {reviewed!r}; one of: {', '.join(str(r) for r in REVIEWED)}")
        where, params = _filters(self._conn, country, since, until, event_type, actor, bbox)
        known = "e.event_id, e.event_date, e.fatalities, e.country, e.event_type"
        join = " LEFT JOIN articles a ON a.id = e.article_id" if joined else ""
        reports = f"SELECT {known}, 1 AS report, {columns} FROM events e{join}"
        if not fused:
            status = _REPORT_REVIEW_WHERE[reviewed]
            where = [*where, status] if status else where
            return reports + (" WHERE " + " AND ".join(where) if where else ""), params
        status = _REVIEW_WHERE[reviewed]
        chosen = [*where, status] if status else where
        sql = f"SELECT {known}, 0 AS report, {columns} FROM fused_events e{join}" \
            + (" WHERE " + " AND ".join(chosen) if chosen else "")
        if reviewed in (None, "unreviewed", "all"):  # reports not fused yet are unreviewed events
            sql += f" UNION ALL {reports} WHERE " + " AND ".join(["e.fused_id IS NULL", *where])
            params = params + params
        return sql, params

    def event(self, event_id: str) -> dict[str, Any] | None:
        """One fused event, by its id or the id of one of its reports, with its ``reports`` and its
        ``links`` (the pairs of reports found to tell of one incident: their score and the reasons);
        None when no event or report has this id."""
        row = self._conn.execute(
            "SELECT coalesce(fused_id, event_id) FROM events WHERE event_id = ?", (event_id,)).fetchone()
        if row is None:
            return None
        fused_id = row[0]
        found = self._conn.execute(
            f"SELECT e.record, {_REPORT_COLUMNS} FROM fused_events e LEFT JOIN articles a ON a.id = e.article_id "
            "WHERE e.event_id = ?", (fused_id,)).fetchone()
        if found is None:  # not fused yet: the report is its own event
            found = self._conn.execute(
                f"SELECT e.record, {_REPORT_COLUMNS} FROM events e LEFT JOIN articles a ON a.id = e.article_id "
                "WHERE e.event_id = ?", (fused_id,)).fetchone()
        record = self._with_reports(json.loads(found[0]), _report(*found[1:]))
        members = [r[0] for r in self._conn.execute(
            "SELECT event_id FROM events WHERE fused_id = ? ORDER BY event_id", (fused_id,))] or [fused_id]
        links = []
        for chunk in _chunks(members):
            marks = ",".join("?" * len(chunk))
            for a, b, score, reasons in self._conn.execute(
                f"SELECT a, b, score, reasons FROM fusion_links WHERE a IN ({marks}) ORDER BY score DESC, a, b", chunk
            ):
                if b in members:
                    links.append({"a": a, "b": b, "score": score, "reasons": json.loads(reasons)})
        return {**record, "links": sorted(links, key=lambda link: (-link["score"], link["a"], link["b"]))}

    def _with_reports(self, record: dict[str, Any], primary: dict[str, Any]) -> dict[str, Any]:
        """``record`` with one report per article it was read from: what the record already says of
        that article, completed with the stored article's url, title, outlet and publication day."""
        if record.get("fusion"):  # a fused event's reports are complete as stored
            return record
        given = {r.get("article_id"): r for r in record.get("reports") or () if isinstance(r, dict)}
        ids = record.get("article_ids") or [record.get("article_id")]
        reports = []
        for article_id in ids:
            stored = primary if primary["article_id"] == article_id else self._article_report(article_id)
            report = {**stored, **{k: v for k, v in given.get(article_id, {}).items() if v is not None}}
            if len(ids) == 1:
                report.setdefault("fatalities", record.get("fatalities"))
                report.setdefault("event_date", record.get("event_date"))
            reports.append(report)
        return {**record, "reports": reports}

    def _article_report(self, article_id: str) -> dict[str, Any]:
        row = self._conn.execute(f"SELECT {_REPORT_COLUMNS} FROM articles a WHERE a.id = ?", (article_id,)).fetchone()
        return _report(*row) if row else _report(article_id)

    def article(self, article_id: str) -> dict[str, Any] | None:
        """A stored article: ``id``, ``title``, ``published``, ``url``, ``outlet``, ``language``,
        ``text`` and ``spans``, the sentences its events were read from (``start``/``end``: character
        offsets into ``text``; ``event_id``: the fused event, ``report_id``: the report; each report's
        ``sub_event_type``), in text order. None when no article has this id."""
        row = self._conn.execute("SELECT id, title, published, url, outlet, language, text FROM articles "
                                 "WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        article = dict(zip(("id", "title", "published", "url", "outlet", "language", "text"), row, strict=True))
        spans = []
        for report_id, fused_id, record in self._conn.execute(
                "SELECT event_id, coalesce(fused_id, event_id), record FROM events WHERE article_id = ? "
                "ORDER BY event_id", (article_id,)):
            rec = json.loads(record)
            for span in rec.get("evidence") or ():
                if isinstance(span, dict) and span.get("article_id", article_id) == article_id:
                    spans.append({"start": span.get("start"), "end": span.get("end"), "text": span.get("text"),
                                  "event_id": fused_id, "report_id": report_id,
                                  "sub_event_type": rec.get("sub_event_type")})
        article["spans"] = sorted(spans, key=lambda sp: (sp["start"] or 0, sp["end"] or 0, sp["report_id"]))
        return article

    # -- review (``sitrep.review``, ``sitrep serve``) -----------------------------------------------

    def review(self, event_id: str, status: str, fields: dict[str, Any] | None = None, note: str | None = None,
               *, by: str, token_id: str | None = None) -> dict[str, Any]:
        """An analyst's decision on the event ``event_id`` (its id or one of its reports'): ``status``
        "confirmed" (pins the values of ``review.PINNED`` it shows), "corrected" (``fields``: the values
        to set, ``review.CORRECTABLE``) or "rejected"; ``by`` names the analyst (a token's name). Written
        with its audit entry in one transaction; returns the event as now stored (``event``), its
        ``review`` set. NotFound for an unknown id; ReviewError for a status, field or value that
        cannot be applied."""
        if status not in STATUSES:
            raise ReviewError(f"unknown status {status!r}; one of: {', '.join(STATUSES)}")
        fields = check_fields(fields or {})
        if status == "corrected" and not fields:
            raise ReviewError("a correction needs the fields it corrects")
        if status != "corrected" and fields:
            raise ReviewError(f"fields are given only with status 'corrected', not {status!r}")
        with self._transaction():
            fused_id, members = self._members(event_id)
            before = self._summary(fused_id)
            current = self._review_of(members)
            values: dict[str, Any] = dict(current["values"]) if current else {}
            corrected = set(current["corrected"]) if current else set()
            if status == "confirmed":
                shown = json.loads(self._conn.execute(
                    "SELECT record FROM fused_events WHERE event_id = ?", (fused_id,)).fetchone()[0])
                values.update({k: shown.get(k) for k in PINNED})
            values.update(fields)
            corrected |= set(fields)
            self._delete_in("reviews", "event_id", members)
            self._conn.execute(
                "INSERT INTO reviews (event_id, status, field_values, corrected, note, reviewer, reviewed_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)", (fused_id, status, json.dumps(values, ensure_ascii=False),
                                                 json.dumps(sorted(corrected)), note, by, _now()))
            self._regroup(self._component(set(members)))
            after = self._summary(self._fused_id(fused_id))
            action = {"confirmed": "confirm", "corrected": "correct", "rejected": "reject"}[status]
            self._audit(action, fused_id, members, by, token_id, before, after, note)
        return self._found(fused_id)

    def merge(self, ids: Sequence[str], *, by: str, token_id: str | None = None,
              note: str | None = None) -> dict[str, Any]:
        """Make the events of ``ids`` (event or report ids) one event, whatever fusion says, now and
        after every later fusion (until a split parts them). Returns the merged event. NotFound for an
        unknown id; ReviewError when the ids name fewer than two events."""
        with self._transaction():
            groups: dict[str, list[str]] = {}
            for given in ids:
                fused_id, members = self._members(given)
                groups.setdefault(fused_id, members)
            if len(groups) < 2:
                raise ReviewError("a merge needs the ids of at least two different events")
            before = [self._summary(f) for f in groups]
            everything = sorted({m for members in groups.values() for m in members})
            anchor = next(iter(groups))
            self._forget_constraints(everything, everything)
            self._conn.executemany("INSERT INTO fusion_constraints (a, b, together) VALUES (?, ?, 1)",
                                   [(min(anchor, m), max(anchor, m)) for m in everything if m != anchor])
            self._regroup(self._component(set(everything)))
            merged = self._fused_id(anchor)
            self._audit("merge", merged, [*everything, *groups], by, token_id, before, self._summary(merged), note)
        return self._found(merged)

    def split(self, event_id: str, article_ids: Sequence[str], *, by: str, token_id: str | None = None,
              note: str | None = None) -> list[dict[str, Any]]:
        """Take the reports of ``article_ids`` out of the event ``event_id``: they are never grouped with
        its other reports again (until a merge joins them). The event keeps its review. Returns the
        event left, then the event made of the reports taken out. NotFound for an unknown id;
        ReviewError when an article has no report in the event, or a side would be empty."""
        with self._transaction():
            fused_id, members = self._members(event_id)
            articles = dict(self._conn.execute(
                f"SELECT event_id, article_id FROM events WHERE event_id IN ({','.join('?' * len(members))})",
                members).fetchall())
            strangers = sorted(set(article_ids) - set(articles.values()))
            if strangers:
                raise ReviewError(f"no report of event {fused_id} comes from article(s) {', '.join(strangers)}")
            part = sorted(m for m in members if articles.get(m) in set(article_ids))
            rest = sorted(m for m in members if m not in set(part))
            if not part or not rest:
                raise ReviewError("a split must leave reports on both sides: give the articles of some of "
                                  "the event's reports, not all of them")
            before = self._summary(fused_id)
            self._forget_constraints(part, rest)
            self._conn.executemany("INSERT INTO fusion_constraints (a, b, together) VALUES (?, ?, 0)",
                                   [(min(p, r), max(p, r)) for p in part for r in rest])
            current = self._review_of(members)
            if current is not None and current["event_id"] in part:  # the review stays with the event left
                self._conn.execute("UPDATE reviews SET event_id = ? WHERE event_id = ?", (rest[0], current["event_id"]))
            self._delete_in("reviews", "event_id", part)
            self._regroup(self._component(set(members)))
            left, taken = self._fused_id(rest[0]), self._fused_id(part[0])
            self._audit("split", fused_id, [*members, left, taken], by, token_id, before,
                        [self._summary(left), self._summary(taken)], note)
        return [self._found(left), self._found(taken)]

    def audit(self, event_id: str) -> list[dict[str, Any]]:
        """The audit entries of an event, oldest first: every review, merge or split that touched it or
        one of its reports (``seq``, ``at``, ``by``, ``token_id``, ``action``, ``event_id``, ``before``,
        ``after``, ``note``). NotFound for an unknown id."""
        fused_id, members = self._members(event_id)
        ids = sorted({fused_id, event_id, *members})
        seqs: set[int] = set()
        for chunk in _chunks(ids):
            seqs.update(r[0] for r in self._conn.execute(
                f"SELECT seq FROM audit_events WHERE event_id IN ({','.join('?' * len(chunk))})", chunk))
        entries = []
        for chunk in _chunks([str(q) for q in sorted(seqs)]):
            entries += self._conn.execute(
                "SELECT seq, created_at, who, token_id, action, event_id, before_state, after_state, note "
                f"FROM audit_log WHERE seq IN ({','.join('?' * len(chunk))})", [int(q) for q in chunk]).fetchall()
        return [{"seq": seq, "at": at, "by": who, "token_id": token, "action": action, "event_id": eid,
                 "before": json.loads(before) if before else None, "after": json.loads(after) if after else None,
                 "note": note} for seq, at, who, token, action, eid, before, after, note in sorted(entries)]

    def _members(self, event_id: str) -> tuple[str, list[str]]:
        """(fused event id, its reports) of an event or report id, fusing a report not fused yet first
        (inside a write transaction); NotFound for an unknown id."""
        row = self._conn.execute("SELECT fused_id FROM events WHERE event_id = ?", (event_id,)).fetchone()
        if row is None:
            raise NotFound(f"no event or report {event_id!r} is stored")
        if row[0] is None:
            self._fuse([event_id], set())
            row = self._conn.execute("SELECT fused_id FROM events WHERE event_id = ?", (event_id,)).fetchone()
        fused_id = str(row[0])
        return fused_id, [r[0] for r in self._conn.execute(
            "SELECT event_id FROM events WHERE fused_id = ? ORDER BY event_id", (fused_id,))]

    def _fused_id(self, report_id: str) -> str:
        (fused_id,) = self._conn.execute("SELECT fused_id FROM events WHERE event_id = ?", (report_id,)).fetchone()
        return str(fused_id)

    def _found(self, event_id: str) -> dict[str, Any]:
        record = self.event(event_id)
        if record is None:  # pragma: no cover - the id was just written
            raise NotFound(f"no event {event_id!r} is stored")
        return record

    def _summary(self, fused_id: str) -> dict[str, Any]:
        """What the audit log keeps of an event: its id, reports, articles, review and pinned fields."""
        record = json.loads(self._conn.execute(
            "SELECT record FROM fused_events WHERE event_id = ?", (fused_id,)).fetchone()[0])
        reports = [r[0] for r in self._conn.execute(
            "SELECT event_id FROM events WHERE fused_id = ? ORDER BY event_id", (fused_id,))]
        review = record.get("review")
        return {"event_id": fused_id, "reports": reports,
                "article_ids": record.get("article_ids") or [record.get("article_id")],
                "review": review.get("status") if review else None,
                **{k: record.get(k) for k in PINNED}}

    def _review_of(self, reports: Sequence[str]) -> dict[str, Any] | None:
        """The latest review of any of these reports, None when none was reviewed."""
        found = []
        for chunk in _chunks(list(reports)):
            found += self._conn.execute(
                "SELECT event_id, status, field_values, corrected, note, reviewer, reviewed_at FROM reviews "
                f"WHERE event_id IN ({','.join('?' * len(chunk))})", chunk).fetchall()
        if not found:
            return None
        event_id, status, values, corrected, note, by, at = max(found, key=lambda r: (r[6], r[0]))
        return {"event_id": event_id, "status": status, "values": json.loads(values),
                "corrected": json.loads(corrected), "note": note, "by": by, "at": at}

    def _forget_constraints(self, left: Sequence[str], right: Sequence[str]) -> None:
        """Delete the analysts' constraints between a report of ``left`` and one of ``right``."""
        for one in _chunks(list(left)):
            for other in _chunks(list(right)):
                a, b = ",".join("?" * len(one)), ",".join("?" * len(other))
                self._conn.execute(f"DELETE FROM fusion_constraints WHERE (a IN ({a}) AND b IN ({b})) "
                                   f"OR (a IN ({b}) AND b IN ({a}))", (*one, *other, *other, *one))

    def _delete_in(self, table: str, column: str, values: Sequence[str]) -> None:
        for chunk in _chunks(list(values)):
            self._conn.execute(f"DELETE FROM {table} WHERE {column} IN ({','.join('?' * len(chunk))})", chunk)

    def _audit(self, action: str, event_id: str, touched: Sequence[str], by: str, token_id: str | None,
               before: Any, after: Any, note: str | None) -> None:
        """Append an entry to the audit log (inside the write transaction of the change)."""
        (seq,) = self._conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM audit_log").fetchone()
        self._conn.execute(
            "INSERT INTO audit_log (seq, created_at, who, token_id, action, event_id, before_state, after_state, "
            "note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, _now(), by, token_id, action, event_id, json.dumps(before, ensure_ascii=False),
             json.dumps(after, ensure_ascii=False), note))
        self._conn.executemany("INSERT INTO audit_events (event_id, seq) VALUES (?, ?)",
                               [(i, seq) for i in sorted({event_id, *touched})])

    # -- access tokens (``sitrep token``, ``sitrep serve``) -----------------------------------------

    def create_token(self, role: str, name: str | None = None, *, by: str | None = None) -> tuple[str, dict[str, Any]]:
        """A new API token of ``role`` (``ROLES``): (the token, to give once to its holder; its stored
        description: ``id``, ``name``, ``role``, ``created_at``, ``created_by``). Only the token's SHA-256
        is stored. ``by``: the name of the admin creating it over the API (None: on the command line).
        ValueError for an unknown role or an empty name."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; one of: {', '.join(ROLES)}")
        token_id = secrets.token_hex(4)
        token = f"sitrep_{token_id}_{secrets.token_urlsafe(32)}"
        name = f"{role}-{token_id}" if name is None else name.strip()
        if not name:
            raise ValueError("a token's name cannot be empty")
        info = {"id": token_id, "name": name, "role": role, "created_at": _now(), "created_by": by}
        with self._transaction():
            self._conn.execute(
                "INSERT INTO api_tokens (id, name, role, secret_hash, created_at, created_by) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (token_id, name, role, _content_hash(token), info["created_at"], by))
        return token, info

    def token(self, token: str) -> dict[str, Any] | None:
        """The holder of a token (``id``, ``name``, ``role``), None when no live token is this one."""
        row = self._conn.execute("SELECT id, name, role FROM api_tokens WHERE secret_hash = ? AND revoked_at IS NULL",
                                 (_content_hash(token),)).fetchone()
        return dict(zip(("id", "name", "role"), row, strict=True)) if row else None

    _TOKEN_FIELDS = ("id", "name", "role", "created_at", "created_by", "revoked_at", "revoked_by")

    def tokens(self) -> list[dict[str, Any]]:
        """Every token's ``id``, ``name``, ``role``, ``created_at``, ``created_by``, ``revoked_at`` and
        ``revoked_by`` (never the token), oldest first; ``..._by`` None when done on the command line."""
        cursor = self._conn.execute(f"SELECT {', '.join(self._TOKEN_FIELDS)} FROM api_tokens ORDER BY created_at, id")
        return [dict(zip(self._TOKEN_FIELDS, r, strict=True)) for r in cursor]

    def revoke_token(self, token_id: str, *, by: str | None = None) -> dict[str, Any] | None:
        """Revoke a token by its id (``by``: the name of the admin doing it over the API; None: on the
        command line): its description as ``tokens`` gives it, now revoked; None when no live token has
        this id."""
        with self._transaction():
            cursor = self._conn.execute(
                "UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL",
                (_now(), by, token_id))
            if int(cursor.rowcount) == 0:
                return None
            row = self._conn.execute(f"SELECT {', '.join(self._TOKEN_FIELDS)} FROM api_tokens WHERE id = ?",
                                     (token_id,)).fetchone()
        return dict(zip(self._TOKEN_FIELDS, row, strict=True))

    def unfused(self) -> int:
        """How many reports are not fused yet."""
        (count,) = self._conn.execute("SELECT count(*) FROM events WHERE fused_id IS NULL").fetchone()
        return int(count)

    def fused(self) -> int:
        """How many fused events the stored reports make."""
        (count,) = self._conn.execute("SELECT count(*) FROM fused_events").fetchone()
        return int(count)

    def counts(self) -> dict[str, int]:
        """How many articles and events are stored."""
        (articles,) = self._conn.execute("SELECT count(*) FROM articles").fetchone()
        (events,) = self._conn.execute("SELECT count(*) FROM events").fetchone()
        return {"articles": articles, "events": events}

    # -- watching (``sitrep watch``) ---------------------------------------------------------------

    def seen(self, keys: Sequence[str]) -> bool:
        """Whether any of these item keys ('guid:...', 'url:...', 'hash:...', 'file:...') was met."""
        keys = [k for k in keys if k]
        for chunk in _chunks(keys):
            marks = ",".join("?" * len(chunk))
            if self._conn.execute(f"SELECT 1 FROM watch_seen WHERE key IN ({marks}) LIMIT 1", chunk).fetchone():
                return True
        return False

    def mark_seen(self, keys: Sequence[str], source: str, article_id: str | None = None) -> None:
        """Remember item keys as met while watching ``source`` (``article_id``: the article stored for
        the item, if any); keys already known keep their first source and article."""
        with self._transaction():
            self._mark_seen(keys, source, article_id)

    def _mark_seen(self, keys: Sequence[str], source: str, article_id: str | None) -> None:
        now = _now()
        self._conn.executemany(
            "INSERT INTO watch_seen (key, source, article_id, seen_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [(k, source, article_id, now) for k in keys if k])

    def source_state(self, source: str) -> dict[str, Any]:
        """A watched source's stored state (``watch_sources`` columns); empty when never polled."""
        cursor = self._conn.execute("SELECT * FROM watch_sources WHERE source = ?", (source,))
        row = cursor.fetchone()
        return dict(zip([c[0] for c in cursor.description], row, strict=True)) if row else {}

    def save_source_state(self, source: str, kind: str, **fields: Any) -> None:
        """Update a watched source's state: ``fields`` among ``etag``, ``last_modified``, ``last_poll``,
        ``last_success``, ``last_error``, ``last_error_at``, ``failures``."""
        allowed = {"etag", "last_modified", "last_poll", "last_success", "last_error", "last_error_at", "failures"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"unknown source state fields: {sorted(unknown)}")
        with self._transaction():
            self._conn.execute("INSERT INTO watch_sources (source, kind) VALUES (?, ?) ON CONFLICT DO NOTHING",
                               (source, kind))
            for name, value in fields.items():
                self._conn.execute(f"UPDATE watch_sources SET {name} = ? WHERE source = ?", (value, source))

    def watch_status(self) -> list[dict[str, Any]]:
        """Per watched source: its state, the items met, the articles and events stored from them, and
        the alerts queued for those events."""
        sql = """
            SELECT s.*,
                (SELECT count(*) FROM watch_seen w WHERE w.source = s.source) AS keys_seen,
                (SELECT count(DISTINCT article_id) FROM watch_seen w WHERE w.source = s.source) AS articles,
                (SELECT count(*) FROM events e WHERE e.article_id IN
                    (SELECT article_id FROM watch_seen w WHERE w.source = s.source)) AS events,
                (SELECT count(*) FROM alert_outbox o WHERE o.event_id IN
                    (SELECT coalesce(e.fused_id, e.event_id) FROM events e WHERE e.article_id IN
                        (SELECT article_id FROM watch_seen w WHERE w.source = s.source))) AS alerts
            FROM watch_sources s ORDER BY s.source
        """
        cursor = self._conn.execute(sql)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def article_events(self, article_id: str) -> list[str]:
        """The ids of the events (fused, else the report itself) an article's reports belong to."""
        return [r[0] for r in self._conn.execute(
            "SELECT DISTINCT coalesce(fused_id, event_id) FROM events WHERE article_id = ? ORDER BY 1", (article_id,))]

    def event_reports(self, event_id: str) -> list[str]:
        """The ids of a fused event's reports (the id itself for a report not fused yet)."""
        return [r[0] for r in self._conn.execute(
            "SELECT event_id FROM events WHERE fused_id = ? ORDER BY event_id", (event_id,))] or [event_id]

    # -- alerts (``sitrep.alerts``) -----------------------------------------------------------------

    def alert_state(self, rule: str, reports: Sequence[str]) -> dict[str, Any] | None:
        """What ``rule`` last alerted of the event these reports make: the largest fatalities and
        sources alerted under any of them, and the type alerted with the most sources; None if never."""
        states: list[dict[str, Any]] = []
        for chunk in _chunks(list(reports)):
            marks = ",".join("?" * len(chunk))
            states += [json.loads(r[0]) for r in self._conn.execute(
                f"SELECT state FROM alert_state WHERE rule = ? AND event_id IN ({marks})", (rule, *chunk))]
        if not states:
            return None
        latest = max(states, key=lambda st: (st.get("sources", 0), st.get("fatalities", 0)))
        return {"fatalities": max(st.get("fatalities", 0) for st in states),
                "sources": max(st.get("sources", 0) for st in states), "sub_event_type": latest.get("sub_event_type")}

    def queue_alert(self, rule: str, event_id: str, reports: Sequence[str], state: dict[str, Any],
                    deliveries: Sequence[tuple[str, str]], now: str) -> None:
        """Record ``state`` as alerted by ``rule`` for the reports of event ``event_id`` and put the
        alert's deliveries (channel, JSON payload) in the outbox, in one transaction."""
        with self._transaction():
            self._conn.executemany("INSERT INTO alert_state (rule, event_id, state) VALUES (?, ?, ?) "
                                   "ON CONFLICT (rule, event_id) DO UPDATE SET state = excluded.state",
                                   [(rule, r, json.dumps(state)) for r in reports])
            self._conn.executemany(
                "INSERT INTO alert_outbox (rule, channel, event_id, payload, created_at, next_try) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(rule, channel, event_id, body, now, now) for channel, body in deliveries])

    def pending_alerts(self, now: str) -> list[dict[str, Any]]:
        """The alerts not delivered yet whose next try is due, oldest first."""
        cursor = self._conn.execute(
            "SELECT id, rule, channel, event_id, payload, attempts FROM alert_outbox "
            "WHERE delivered_at IS NULL AND next_try <= ? ORDER BY id", (now,))
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def alert_delivered(self, alert_id: int, when: str) -> None:
        with self._transaction():
            self._conn.execute("UPDATE alert_outbox SET delivered_at = ?, attempts = attempts + 1 WHERE id = ?",
                               (when, alert_id))

    def alert_failed(self, alert_id: int, reason: str, next_try: str) -> None:
        with self._transaction():
            self._conn.execute("UPDATE alert_outbox SET attempts = attempts + 1, last_error = ?, next_try = ? "
                               "WHERE id = ?", (reason, next_try, alert_id))

    # -- lifetime --------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the database; calling it twice is harmless."""
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- internals -------------------------------------------------------------------------------

    def _migrate(self, create: bool = True) -> None:
        """Apply the schema steps this database lacks, each with its version, in one transaction.

        The version that decides a step is read again inside the write transaction that applies it:
        of two processes creating one new database at once, the second waits, then finds the step
        applied. A database already up to date is only read. ``create`` False: a PostgreSQL database
        without sitrep's tables is refused (MissingDatabase) rather than given them.
        """
        if not create and self._conn.name == "postgresql" and self._version() == 0:
            raise MissingDatabase(
                f"No sitrep tables in the database {self.path}. Create them with: "
                f"sitrep ingest INPUT... --db {self.path}"
            )
        while (version := self._version()) < SCHEMA_VERSION:
            with self._transaction():
                if self._version() != version:
                    continue  # another process applied it meanwhile
                self._conn.script(migration(version + 1, self._conn.name))
                if version + 1 == 5:
                    self._fill_step_5()
                if version + 1 == 6:
                    self._fill_answers()
                self._conn.set_version(version + 1)

    def _fill_step_5(self) -> None:
        """Fill the filter columns step 5 adds from the stored records (read here, not in SQL: JSON
        functions differ from one database to another)."""
        for table in ("events", "fused_events"):
            rows = self._conn.execute(f"SELECT event_id, record FROM {table}").fetchall()
            self._conn.executemany(
                f"UPDATE {table} SET latitude = ?, longitude = ?, fatalities = ? WHERE event_id = ?",
                [(*_point_and_toll(json.loads(record)), event_id) for event_id, record in rows])

    def _fill_answers(self, batch: int = 2000) -> int:
        """Fill the ``answer`` of the reports and fused events that have none from their records (step 6;
        ``bench/`` after writing rows directly), ``batch`` rows at a time; how many were filled."""
        filled = 0
        for table in ("events", "fused_events"):
            last = ""
            while True:
                rows = self._conn.execute(
                    f"SELECT e.event_id, e.record, {_REPORT_COLUMNS} FROM {table} e LEFT JOIN articles a "
                    "ON a.id = e.article_id WHERE e.answer IS NULL AND e.event_id > ? ORDER BY e.event_id LIMIT ?",
                    (last, batch)).fetchall()
                if not rows:
                    break
                self._conn.executemany(f"UPDATE {table} SET answer = ? WHERE event_id = ?", [
                    (_answer(self._with_reports(json.loads(record), _report(*article))), event_id)
                    for event_id, record, *article in rows])
                filled += len(rows)
                last = rows[-1][0]
        return filled

    def _version(self) -> int:
        """The number of schema steps applied; StoreError when newer than this sitrep knows."""
        version = self._conn.version()
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {version}, newer than this sitrep knows "
                f"({SCHEMA_VERSION}). Upgrade sitrep to use this database."
            )
        return version

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction: committed on success, rolled back on any error."""
        try:
            self._conn.begin()
        except self._conn.errors as err:
            self._rollback()
            raise StoreError(f"Cannot write to {self.path}: {err}") from err
        try:
            yield
        except self._conn.errors as err:
            self._rollback()
            raise StoreError(f"Cannot write to {self.path}: {err}") from err
        except BaseException:
            self._rollback()
            raise
        else:
            try:
                self._conn.commit()
            except self._conn.errors as err:
                self._rollback()
                raise StoreError(f"Cannot write to {self.path}: {err}") from err

    def _rollback(self) -> None:
        """Roll back the open transaction, if the database has not already done so."""
        self._conn.rollback()

    def _open_error(self, err: BaseException) -> StoreError:
        return self._conn.open_error(err)


_REPORT_COLUMNS = "a.id, a.url, a.title, a.outlet, a.published"
"""What a report says of its article, in the order ``_report`` takes it."""


def _report(article_id: str | None, url: str | None = None, title: str | None = None, outlet: str | None = None,
            published: str | None = None) -> dict[str, Any]:
    return {"article_id": article_id, "url": url, "title": title, "outlet": outlet, "published": published}


def _article_report(article: Article) -> dict[str, Any]:
    """What a report says of ``article``, as ``_report`` gives it from the stored row (``_article_row``)."""
    return _report(article.id, article.url, article.title, article.outlet,
                   article.published.isoformat() if article.published else None)


def _statements(script: str) -> list[str]:
    """The statements of a migration step (they contain no semicolons of their own)."""
    return [s.strip() for s in script.split(";") if s.strip()]


def _filters(
    db: Backend, country: str | None, since: date | None, until: date | None, event_type: str | None,
    actor: str | None, bbox: tuple[float, float, float, float] | None = None,
) -> tuple[list[str], list[Any]]:
    """SQL conditions and their parameters for ``Store.events``."""
    where: list[str] = []
    params: list[Any] = []
    if country:
        where.append(f"({db.nocase_eq('e.country')} OR {db.nocase_eq('e.iso3')})")
        params += [country, country]
    if since:
        where.append("e.event_date >= ?")
        params.append(since.isoformat())
    if until:
        where.append("e.event_date <= ?")
        params.append(until.isoformat())
    if event_type:
        where.append(f"({db.nocase_eq('e.event_type')} OR {db.nocase_eq('e.sub_event_type')})")
        params += [event_type, event_type]
    if actor:
        where.append(f"({db.contains_folded('e.actor1')} OR {db.contains_folded('e.actor2')})")
        params += [db.fold(actor), db.fold(actor)]
    if bbox:
        west, south, east, north = bbox
        where.append("e.latitude BETWEEN ? AND ?")
        params += [south, north]
        if west <= east:
            where.append("e.longitude BETWEEN ? AND ?")
        else:
            where.append("(e.longitude >= ? OR e.longitude <= ?)")
        params += [west, east]
    return where, params


def _article_row(article: Article, digest: str) -> tuple[Any, ...]:
    return (
        article.id,
        digest,
        article.title,
        article.published.isoformat() if article.published else None,
        article.url,
        article.outlet,
        article.language,
        article.text,
        datetime.now(UTC).isoformat(timespec="seconds"),
    )


def _event_row(article_id: str, record: dict[str, Any], answer: str | None = None) -> tuple[Any, ...]:
    """The columns of one event record (``answer``: ``_answer`` of it with its reports, or None: built
    when read); a record without an ``event_id`` is a programming error."""
    return (*_columns(article_id, record), record.get("date_end") or None, answer)


def _columns(article_id: str, record: dict[str, Any]) -> tuple[Any, ...]:
    """The columns events and fused events share, in the order of their inserts."""
    if not record.get("event_id"):
        raise ValueError(f"An event record of article {article_id!r} has no event_id: {record!r:.200}")
    return (
        record["event_id"],
        article_id,
        record.get("event_date") or None,
        record.get("event_type") or "",
        record.get("sub_event_type") or "",
        record.get("country"),
        record.get("iso3"),
        record.get("actor1"),
        record.get("actor2"),
        json.dumps(record, ensure_ascii=False),
        *_point_and_toll(record),
    )


def _point_and_toll(record: dict[str, Any]) -> tuple[float | None, float | None, int]:
    """(latitude, longitude, fatalities) of a record: the point only when the event has a place."""
    lat, lon = record.get("latitude"), record.get("longitude")
    toll = record.get("fatalities")
    fatalities = toll if isinstance(toll, int) and not isinstance(toll, bool) else 0
    if record.get("location") and isinstance(lat, int | float) and isinstance(lon, int | float) \
            and not isinstance(lat, bool) and not isinstance(lon, bool) and math.isfinite(lat) and math.isfinite(lon):
        return float(lat), float(lon), fatalities
    return None, None, fatalities


def _fused_row(record: dict[str, Any], reports: int, answer: str | None = None) -> tuple[Any, ...]:
    review = record.get("review")
    return (*_columns(record["article_id"], record), reports, review.get("status") if review else None, answer)


def _answer(record: dict[str, Any]) -> str | None:
    """A record as the API gives it: JSON text (``json.dumps``' separators, characters as they are);
    None for a record JSON cannot hold (a NaN), which is then built, and refused, when read."""
    try:
        return json.dumps(record, ensure_ascii=False, allow_nan=False)
    except ValueError:
        return None


def _chunks(items: Sequence[str], size: int = 400) -> Iterator[list[str]]:
    """``items`` in lists of at most ``size`` (SQLite limits the parameters of one statement)."""
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
