"""Shared fixtures: the articles we wrote in tests/data, the shared evaluation data when present, and
the databases a store can use (an SQLite file, a throwaway PostgreSQL database)."""

from __future__ import annotations

import itertools
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared"
EMBLEM = SHARED / "data" / "corpus" / "aleppo_2024-11-30.txt"


@pytest.fixture(scope="session")
def emblem_text() -> str:
    if not EMBLEM.exists():
        pytest.skip("the shared corpus is not present beside the project")
    return EMBLEM.read_text(encoding="utf-8")


def article_text(name: str) -> str:
    return (DATA / "articles" / name).read_text(encoding="utf-8")


# -- the databases a store can use: every store test runs on both -------------------------------------

POSTGRESQL_SERVER = os.environ.get("SITREP_TEST_POSTGRESQL", "postgresql://postgres@127.0.0.1:5432/postgres")
"""A PostgreSQL server the tests may create a database on (its address, with a database to connect to)."""


@pytest.fixture(scope="session")
def postgresql_database() -> Iterator[str]:
    """The address of a throwaway PostgreSQL database, created for this test session and dropped after
    it; the test is skipped, saying why, when no server answers at ``POSTGRESQL_SERVER``."""
    import psycopg
    from psycopg import sql

    try:
        admin = psycopg.connect(POSTGRESQL_SERVER, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as err:
        pytest.skip(f"no PostgreSQL server answers at {POSTGRESQL_SERVER} (set SITREP_TEST_POSTGRESQL): "
                    f"{' '.join(str(err).split())}")
    name = f"sitrep_test_{os.getpid()}_{secrets.token_hex(4)}"
    with admin:
        _drop_left_behind(admin)
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield urlunsplit(urlsplit(POSTGRESQL_SERVER)._replace(path=f"/{name}"))
        finally:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def _drop_left_behind(admin: Any) -> None:
    """Drop the throwaway databases of test sessions of this machine that were killed before they could
    drop theirs (their process is gone), when the server is on this machine."""
    from psycopg import sql

    if urlsplit(POSTGRESQL_SERVER).hostname not in ("127.0.0.1", "localhost", "::1") or not Path("/proc/self").exists():
        return
    for (name,) in admin.execute("SELECT datname FROM pg_database WHERE datname LIKE 'sitrep\\_test\\_%'").fetchall():
        pid = name.split("_")[2]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


_schemas = itertools.count(1)


def postgresql_schema(database: str) -> str:
    """The address of ``database`` with a new, empty schema first on its search path: a fresh store."""
    import psycopg
    from psycopg import sql

    schema = f"test_{next(_schemas)}"
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    return f"{database}?options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def new_db(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[str], str]:
    """``new_db(name)``: the address of an empty database for a store, the same for the same name
    within a test: an SQLite file in ``tmp_path``, or a fresh schema of the session's PostgreSQL
    database."""
    if request.param == "sqlite":
        return lambda name: str(tmp_path / name)
    database: str = request.getfixturevalue("postgresql_database")
    made: dict[str, str] = {}

    def make(name: str) -> str:
        if name not in made:
            made[name] = postgresql_schema(database)
        return made[name]

    return make
