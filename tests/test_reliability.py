"""Ingest survives SIGKILL: killed at random points and started again, it ends with the database a clean
run gives. (50 kills over 300 articles: ``make reliability``, figures in docs/RELIABILITY.md.)"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sitrep.cli import cli
from tests.reliability import database_state, generate_articles, ingest_with_kills, write_jsonl

ARTICLES, KILLS = 150, 3


def test_ingest_killed_at_random_points_ends_as_a_clean_run(tmp_path: Path) -> None:
    records = generate_articles(ARTICLES, seed=7)
    source = write_jsonl(records, tmp_path / "articles.jsonl")
    clean, killed = tmp_path / "clean.db", tmp_path / "killed.db"
    result = CliRunner().invoke(cli, ["ingest", str(source), "--db", str(clean), "-q"])
    assert result.exit_code == 0, result.output
    run = ingest_with_kills(source, killed, ARTICLES, KILLS, seed=7)
    assert run.kills >= KILLS - 1, run  # the last kill point may come after the run has finished
    after, expected = database_state(killed), database_state(clean)
    assert after["integrity"] == "ok"
    assert after["article_ids"] == sorted(r["id"] for r in records)  # every article, once
    assert after["events"] == expected["events"] and expected["events"]
