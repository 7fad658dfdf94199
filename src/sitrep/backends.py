"""The two databases a ``Store`` keeps its tables in: an SQLite file and a PostgreSQL database.

``connect(db)`` opens either, from what ``--db`` or ``SITREP_DB`` gives: ``postgresql://`` (or
``postgres://``) addresses a PostgreSQL database, anything else is the path of an SQLite file (or
``":memory:"``). Both give a ``Backend``, the small dialect layer the store's queries go through:

- **Placeholders.** Queries are written with ``?``; the PostgreSQL backend sends them as ``%s``.
- **Upserts.** ``INSERT ... ON CONFLICT (key) DO UPDATE SET col = excluded.col`` and ``INSERT ... ON
  CONFLICT DO NOTHING`` mean the same on both and are what the store writes. (SQLite's ``INSERT OR
  IGNORE`` is also accepted by the PostgreSQL backend, as ``ON CONFLICT DO NOTHING``.)
- **Case-insensitive comparison.** ``nocase_eq(column)``: SQLite's ``COLLATE NOCASE``, ``lower()`` on
  PostgreSQL; both fold ASCII letters only. ``contains_folded(column)``: a part of a name, any case.
- **JSON.** ``json_text(column, key)``: a top-level field of a JSON text column, as text.
- **Order.** Text columns sort by code point on both (``COLLATE "C"`` on PostgreSQL), as SQLite does.
- **Write transactions.** ``begin()`` starts one: ``BEGIN IMMEDIATE`` on SQLite (one writer at a time,
  others wait up to ``BUSY_TIMEOUT_S``); on PostgreSQL, an advisory lock (``WRITE_LOCK``) that every
  writing sitrep process takes first, then ``BEGIN``; the lock is released after ``COMMIT`` or
  ``ROLLBACK`` (and by the server when a connection dies). Writers take turns as on SQLite, readers
  never wait. Holding the lock, in READ COMMITTED, each statement sees every transaction committed
  before, so the check that an article is stored, its insertion and the fusion of its reports with the
  stored ones all see one state of the database, and no deadlock or serialisation failure can occur
  between writers. A writer waits for the lock as long as it takes.
- **Schema version.** ``PRAGMA user_version`` on SQLite; the table ``sitrep_schema`` (one row: the
  number of steps applied and a counter of write transactions) on PostgreSQL.
- **Streaming.** ``stream(sql)`` gives rows as they are iterated: SQLite's cursor; a server-side cursor
  on PostgreSQL (``STREAM_ROWS`` rows a fetch), whose rows are those of the moment the query ran.
- **Changes by others.** ``data_version()`` changes when another connection has committed a write
  since this one last looked (SQLite's ``PRAGMA data_version``; the counter of ``sitrep_schema`` on
  PostgreSQL), so that what a process keeps in memory is read again.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from sitrep.errors import MissingDatabase, StoreError, import_optional

__all__ = ["BUSY_TIMEOUT_S", "WRITE_LOCK", "Backend", "PostgreSQL", "SQLite", "connect", "is_url"]

BUSY_TIMEOUT_S = 30.0
"""How long an SQLite writer waits for another process's transaction before giving up."""

WRITE_LOCK = 0x7369_7472_6570  # "sitrep"
"""The PostgreSQL advisory lock key every sitrep write transaction holds (per database)."""

STREAM_ROWS = 2000
"""Rows fetched at a time from a PostgreSQL server-side cursor (``Backend.stream``)."""

POSTGRES_EXTRA = "postgres"
"""The pyproject extra that installs the PostgreSQL driver: ``pip install 'sitrep[postgres]'``."""


def is_url(db: str | Path) -> bool:
    """Whether ``db`` addresses a PostgreSQL database rather than an SQLite file."""
    return isinstance(db, str) and db.startswith(("postgresql://", "postgres://"))


def connect(db: str | Path, *, create: bool = True) -> Backend:
    """Open the database ``db`` names (see the module docstring). ``create`` False: a missing SQLite
    file is not created (``MissingDatabase``). StoreError when it cannot be opened; MissingDependency
    for a PostgreSQL address without the driver installed."""
    if is_url(db):
        return PostgreSQL(str(db))
    return SQLite(db, create=create)


class Backend:
    """One open connection and the SQL that differs between the databases."""

    name = ""
    """``"sqlite"`` or ``"postgresql"``."""
    display = ""
    """The database as shown in messages (a PostgreSQL address without its password)."""
    errors: tuple[type[BaseException], ...] = ()
    """The driver's exceptions."""
    url_hint = ""
    """What to give ``--db``, for messages."""

    def open_error(self, err: BaseException) -> StoreError:
        """The error to raise when the database cannot be opened or migrated: what, why, the fix."""
        raise NotImplementedError

    # -- statements --------------------------------------------------------------------------------

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement with ``?`` placeholders; the cursor (iterable, ``fetchone``, ``description``)."""
        raise NotImplementedError

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        raise NotImplementedError

    def stream(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run a query whose rows are fetched as they are iterated, not all at once (close the cursor
        when done); other statements may run on the connection meanwhile."""
        return self.execute(sql, params)

    def script(self, statements: Sequence[str]) -> None:
        """Run statements without parameters (a migration step) inside the open transaction."""
        for statement in statements:
            self.execute(statement)

    # -- transactions ----------------------------------------------------------------------------

    def begin(self) -> None:
        """Start a write transaction (see the module docstring)."""
        raise NotImplementedError

    def commit(self) -> None:
        raise NotImplementedError

    def rollback(self) -> None:
        """Roll back the open transaction, if the database has not already done so."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    # -- schema ----------------------------------------------------------------------------------

    def version(self) -> int:
        """The number of schema steps applied (0 for a new database)."""
        raise NotImplementedError

    def set_version(self, version: int) -> None:
        """Record ``version`` steps as applied, inside the open transaction."""
        raise NotImplementedError

    def data_version(self) -> int:
        """A number that changes when another connection has committed a write since the last call."""
        raise NotImplementedError

    # -- dialect ---------------------------------------------------------------------------------

    def nocase_eq(self, column: str) -> str:
        """``column = ?``, ASCII letters of any case."""
        raise NotImplementedError

    def contains_folded(self, column: str) -> str:
        """``?`` (given through ``fold``) is a part of ``column``, any case."""
        raise NotImplementedError

    def fold(self, value: str) -> str:
        """The parameter of ``contains_folded``."""
        return value

    def json_text(self, column: str, key: str) -> str:
        """The top-level field ``key`` of the JSON text in ``column``, as text (NULL when absent or null)."""
        raise NotImplementedError


class SQLite(Backend):
    """An SQLite file: WAL journal, a busy timeout, foreign keys on."""

    name = "sqlite"
    errors = (sqlite3.Error,)
    url_hint = "the path of an SQLite file sitrep wrote, or of a new file in an existing, writable folder"

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = str(path)
        self.display = self.path
        if not create and self.path != ":memory:" and not Path(path).is_file():
            raise MissingDatabase(
                f"No database at {self.path}. Create one with: sitrep ingest INPUT... --db {self.path}"
            )
        try:
            self.conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as err:
            raise self.open_error(err) from err
        try:
            self.conn.execute("PRAGMA foreign_keys = ON")
            self._wal()
            self.conn.create_function("casefold", 1, _casefold, deterministic=True)
        except sqlite3.Error as err:
            self.conn.close()
            raise self.open_error(err) from err

    def open_error(self, err: BaseException) -> StoreError:
        return StoreError(f"Cannot open the database {self.path}: {err}. Give --db {self.url_hint}.")

    def _wal(self) -> None:
        """Switch to the WAL journal. SQLite does not wait for a busy lock here (another process
        creating the same new file holds it briefly), so this retries for up to ``BUSY_TIMEOUT_S``."""
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()

    def version(self) -> int:
        (version,) = self.conn.execute("PRAGMA user_version").fetchone()
        return int(version)

    def set_version(self, version: int) -> None:
        self.conn.execute(f"PRAGMA user_version = {int(version)}")

    def data_version(self) -> int:
        (version,) = self.conn.execute("PRAGMA data_version").fetchone()
        return int(version)

    def nocase_eq(self, column: str) -> str:
        return f"{column} = ? COLLATE NOCASE"

    def contains_folded(self, column: str) -> str:
        return f"instr(casefold({column}), ?) > 0"

    def fold(self, value: str) -> str:
        return value.casefold()

    def json_text(self, column: str, key: str) -> str:
        return f"CAST(json_extract({column}, '$.{_key(key)}') AS TEXT)"


class PostgreSQL(Backend):
    """A PostgreSQL database (``postgresql://user[:password]@host[:port]/name[?options]``), through
    psycopg 3 (``pip install 'sitrep[postgres]'``). The connection is in autocommit: a statement outside
    ``begin()`` is its own transaction."""

    name = "postgresql"
    url_hint = "the address of a PostgreSQL database: postgresql://USER@HOST/NAME"

    def __init__(self, url: str) -> None:
        psycopg: Any = import_optional("psycopg", POSTGRES_EXTRA)
        self.url = url
        self.display = hide_password(url)
        self.errors = (psycopg.Error,)
        self._translated: dict[str, str] = {}
        self._known = -1
        """The write counter as this connection last saw or left it."""
        self._reported = 0
        """What ``data_version`` last answered."""
        self._locked = False
        """Whether this connection holds ``WRITE_LOCK``."""
        self._cursors = 0
        """Server-side cursors opened (``stream``), to name the next one."""
        self._looked = False
        """Whether ``data_version`` has read the counter in this write transaction (holding the lock,
        nobody else can change it until the transaction ends)."""
        try:
            self.conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as err:
            raise self.open_error(err) from err
        except ValueError as err:  # an address psycopg cannot parse
            raise self.open_error(err) from err

    def open_error(self, err: BaseException) -> StoreError:
        reason = " ".join(str(err).split()) or type(err).__name__
        fix = f"Give --db {self.url_hint}, of a server that answers"
        if "does not exist" in reason and "database" in reason:
            fix = "Create the database first (CREATE DATABASE NAME), or give --db an existing one"
        return StoreError(f"Cannot open the database {self.display}: {reason}. {fix}.")

    def sql(self, sql: str) -> str:
        """``sql`` as psycopg takes it: ``%s`` for ``?`` outside quotes, ``%%`` for ``%``; ``INSERT OR
        IGNORE`` as ``ON CONFLICT DO NOTHING``."""
        done = self._translated.get(sql)
        if done is None:
            parts = re.split(r"('(?:[^']|'')*')", sql)
            done = "".join(p if i % 2 else p.replace("%", "%%").replace("?", "%s") for i, p in enumerate(parts))
            if re.match(r"\s*INSERT\s+OR\s+IGNORE\s+INTO\b", done, re.IGNORECASE):
                done = re.sub(r"INSERT\s+OR\s+IGNORE", "INSERT", done, count=1, flags=re.IGNORECASE)
                done = done.rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
            self._translated[sql] = done
        return done

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(self.sql(sql), tuple(params))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = [tuple(r) for r in rows]
        if rows:
            with self.conn.cursor() as cursor:
                cursor.executemany(self.sql(sql), rows)

    def stream(self, sql: str, params: Sequence[Any] = ()) -> Any:
        # A server-side cursor held past its implicit transaction (the connection is in autocommit): the
        # server keeps the rows, the client fetches them STREAM_ROWS at a time.
        self._cursors += 1
        cursor = self.conn.cursor(name=f"sitrep_stream_{self._cursors}", withhold=True)
        cursor.itersize = STREAM_ROWS
        cursor.execute(self.sql(sql), tuple(params))
        return cursor

    def script(self, statements: Sequence[str]) -> None:
        for statement in statements:
            self.conn.execute(statement)  # no parameters: '%' stays as written

    def begin(self) -> None:
        # The lock first, then the transaction: a transaction started before the wait could keep what
        # it knew of the tables before the writer ahead of it created some.
        self.conn.execute("SELECT pg_advisory_lock(%s)", (WRITE_LOCK,))
        self._locked = True
        self.conn.execute("BEGIN")
        self._looked = False

    def commit(self) -> None:
        row = self.conn.execute("UPDATE sitrep_schema SET writes = writes + 1 RETURNING writes").fetchone()
        if row is not None:
            (writes,) = row
            if self._known >= 0 and writes - 1 != self._known:  # another connection wrote since this one looked
                self._reported += 1
            self._known = writes
        self.conn.execute("COMMIT")
        self._unlock()

    def rollback(self) -> None:
        try:
            if self.conn.info.transaction_status != 0:  # not idle: in a transaction, or a failed one
                self.conn.execute("ROLLBACK")
        finally:
            self._unlock()

    def _unlock(self) -> None:
        self._looked = False
        if self._locked and not self.conn.closed:
            self._locked = False
            self.conn.execute("SELECT pg_advisory_unlock(%s)", (WRITE_LOCK,))

    def close(self) -> None:
        self.conn.close()

    def version(self) -> int:
        if self.conn.execute("SELECT to_regclass('sitrep_schema')").fetchone()[0] is None:
            return 0
        row = self.conn.execute("SELECT version FROM sitrep_schema").fetchone()
        return int(row[0]) if row else 0

    def set_version(self, version: int) -> None:
        self.conn.execute("CREATE TABLE IF NOT EXISTS sitrep_schema (version INTEGER NOT NULL, "
                          "writes BIGINT NOT NULL DEFAULT 0)")
        if self.conn.execute("UPDATE sitrep_schema SET version = %s", (version,)).rowcount == 0:
            self.conn.execute("INSERT INTO sitrep_schema (version) VALUES (%s)", (version,))

    def data_version(self) -> int:
        if self._looked:
            return self._reported
        self._looked = self._locked
        row = self.conn.execute("SELECT writes FROM sitrep_schema").fetchone()
        writes = int(row[0]) if row else 0
        if writes != self._known:
            self._known = writes
            self._reported += 1
        return self._reported

    def nocase_eq(self, column: str) -> str:
        return f"lower({column}) = lower(?)"

    def contains_folded(self, column: str) -> str:
        return f'strpos(lower({column} COLLATE "default"), lower(CAST(? AS TEXT) COLLATE "default")) > 0'

    def json_text(self, column: str, key: str) -> str:
        return f"(CAST({column} AS jsonb) ->> '{_key(key)}')"


def postgresql_step(sql: str) -> str:
    """A migration step written for SQLite, as PostgreSQL runs it: text columns ordered by code point
    (``COLLATE "C"``, as SQLite orders them), ``REAL`` as double precision, ``INTEGER PRIMARY KEY
    AUTOINCREMENT`` as an identity column, ``BLOB`` as ``BYTEA``."""
    sql = re.sub(r"\bINTEGER\s+PRIMARY\s+KEY\s+AUTOINCREMENT\b", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                 sql, flags=re.IGNORECASE)
    sql = re.sub(r"(?<![Aa][Ss] )\bTEXT\b(?!\s+COLLATE)", 'TEXT COLLATE "C"', sql)
    sql = re.sub(r"\bREAL\b", "DOUBLE PRECISION", sql)
    return re.sub(r"\bBLOB\b", "BYTEA", sql)


def hide_password(url: str) -> str:
    """A database address without its password (``postgresql://user:***@host/name``)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.split("@")[-1]
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def _key(key: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        raise ValueError(f"not a JSON field name: {key!r}")
    return key


def _casefold(value: str | None) -> str | None:
    return value.casefold() if isinstance(value, str) else None
