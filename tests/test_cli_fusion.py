"""Fusion through the command line: ingest, events, export, event, fuse; articles written here."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.cli import cli

ARTICLES = [
    {"id": "wire-1", "outlet": "Example Wire", "published": "2019-03-04", "title": "Strike on Saraqib",
     "text": "Government warplanes struck a market in the town of Saraqib in Idlib province on Sunday, killing "
             "nine civilians, the Syrian Observatory for Human Rights said."},
    {"id": "daily-1", "outlet": "Example Daily", "published": "2019-03-04", "title": "Saraqib market bombed",
     "text": "Syrian jets bombed the market of Saraqib in Idlib province on Sunday, killing 11 civilians, "
             "rescue workers said."},
    {"id": "daily-2", "outlet": "Example Daily", "published": "2019-03-09", "title": "Protest in Kenya",
     "text": "Hundreds of traders marched peacefully through Nairobi on Friday to protest against new taxes."},
]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def write(folder: Path, name: str, records: list[dict[str, str]]) -> str:
    path = folder / name
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("fusion")
    path = str(folder / "s.db")
    code, _, err = run("ingest", write(folder, "in.jsonl", ARTICLES), "--db", path, "-q")
    assert code == 0, err
    return path


def records(db: str, *args: str) -> list[dict[str, object]]:
    code, out, err = run("export", "--db", db, "--format", "jsonl", *args)
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()]


def saraqib(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return [r for r in rows if r["location"] == "Saraqib"]


def test_two_outlets_on_one_strike_export_one_event(db: str) -> None:
    (fused,) = saraqib(records(db))
    assert sorted(fused["article_ids"]) == ["daily-1", "wire-1"]  # type: ignore[type-var]
    assert len(fused["reports"]) == 2 and fused["fatalities"] == 9  # type: ignore[arg-type]
    assert "Fused from 2 reports" in str(fused["notes"])
    assert len(saraqib(records(db, "--no-fuse"))) == 2


def test_csv_rows_name_every_source(db: str) -> None:
    (fused,) = saraqib(records(db))
    _, out, _ = run("export", "--db", db, "--format", "acled-csv")
    acled = {r["event_id_cnty"]: r for r in csv.DictReader(io.StringIO(out))}[str(fused["event_id"])]
    assert {"Example Wire", "Example Daily"} <= set(acled["source"].split("; "))
    assert acled["timestamp"] == "1551657600"  # 2019-03-04, the latest report's day
    _, out, _ = run("export", "--db", db, "--format", "ucdp-csv")
    ucdp = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}[str(fused["event_id"])]
    assert ucdp["number_of_sources"] == "2"
    assert sorted(ucdp["source_office"].split("; ")) == ["Example Daily", "Example Wire"]


def test_event_shows_the_reports_and_why_they_were_fused(db: str) -> None:
    (fused,) = saraqib(records(db))
    code, out, err = run("event", str(fused["event_id"]), "--db", db)
    assert code == 0, err
    assert "2 reports:" in out and "Fused because:" in out and "Saraqib" in out
    assert "Example Wire" in out and "Example Daily" in out and "killing" in out
    code, out, _ = run("event", str(fused["event_id"]), "--db", db, "--format", "json")
    assert code == 0 and json.loads(out)["links"]
    assert run("event", "no-such-id", "--db", db)[0] == 2


def test_events_table_lists_fused_events(db: str) -> None:
    code, out, _ = run("events", "--db", db, "--format", "jsonl")
    assert code == 0 and len(out.splitlines()) == len(records(db))
    code, out, _ = run("events", "--db", db, "--format", "jsonl", "--no-fuse")
    assert code == 0 and len(out.splitlines()) == len(records(db, "--no-fuse"))


def test_order_rebuild_and_late_fusion_give_the_same_events(db: str, tmp_path: Path) -> None:
    expected = records(db)
    reversed_db = str(tmp_path / "reversed.db")
    assert run("ingest", write(tmp_path, "rev.jsonl", ARTICLES[::-1]), "--db", reversed_db, "-q")[0] == 0
    assert records(reversed_db) == expected
    code, _, err = run("fuse", "--db", reversed_db, "--rebuild")
    assert code == 0 and "reports fused" in err
    assert records(reversed_db) == expected
    late = str(tmp_path / "late.db")
    assert run("ingest", write(tmp_path, "in.jsonl", ARTICLES), "--db", late, "-q", "--no-fuse")[0] == 0
    assert len(saraqib(records(late))) == 2
    assert run("fuse", "--db", late, "-q")[0] == 0
    assert records(late) == expected


def test_workers_give_the_same_fused_events(db: str, tmp_path: Path) -> None:
    two = str(tmp_path / "two.db")
    assert run("ingest", write(tmp_path, "in.jsonl", ARTICLES), "--db", two, "-q", "--workers", "2")[0] == 0
    assert records(two) == records(db)
