"""Running on Dask: a LocalCluster gives what one process gives, in order, read errors in place."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from sitrep import distributed
from sitrep.cli import cli
from sitrep.errors import EmptyInput, InputError, SitrepError
from sitrep.models import Article
from sitrep.pipeline import Analysis, default_pipeline
from sitrep.read import read_inputs

if TYPE_CHECKING:
    from distributed import Client

pytest.importorskip("distributed", reason="Dask is not installed: pip install 'sitrep[dask]'")

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """Two single-threaded workers in this process: quick to start, and the models are loaded once."""
    with distributed.connect("local:2", processes=False) as client:
        yield client


def summary(results: Iterator[Analysis | InputError]) -> list[tuple[str, list[str]]]:
    """Each result as (article id, its event ids), or (the error, []): order and content both count."""
    return [(r.article.id, [e.event_id for e in r.events]) if isinstance(r, Analysis) else (str(r), [])
            for r in results]


def test_same_event_ids_as_one_process_on_the_examples(client: Client) -> None:
    one = summary(default_pipeline().stream(read_inputs([str(EXAMPLES)])))
    dask = summary(distributed.stream(read_inputs([str(EXAMPLES)]), client))
    assert dask == one
    assert sum(len(ids) for _, ids in one) >= 8


def test_read_errors_pass_through_in_place(client: Client) -> None:
    articles = [Article(id=f"a{i}", text=f"Gunmen killed {i + 2} farmers near Kukawa on Monday.") for i in range(5)]
    items: list[Article | InputError] = [EmptyInput("first.txt", "empty"), *articles[:3],
                                         EmptyInput("middle.txt", "empty"), *articles[3:]]
    results = list(distributed.stream(items, client, in_flight=1))
    assert [r.source if isinstance(r, InputError) else r.article.id for r in results] == \
        ["first.txt", "a0", "a1", "a2", "middle.txt", "a3", "a4"]
    assert summary(iter(results)) == summary(default_pipeline().stream(items))


def test_a_stream_of_only_errors_needs_no_worker(client: Client) -> None:
    errors = [EmptyInput(f"{i}.txt", "empty") for i in range(3)]
    assert list(distributed.stream(errors, client)) == errors


@pytest.mark.parametrize("spec", ["local:0", "local:x", "nowhere"])
def test_a_malformed_scheduler_is_refused_with_the_forms_it_takes(spec: str) -> None:
    with pytest.raises(SitrepError, match="local:"):
        distributed.parse_scheduler(spec)


def test_scheduler_forms() -> None:
    assert distributed.parse_scheduler("local:3") == 3
    assert distributed.parse_scheduler("tcp://10.0.0.5:8786") == "tcp://10.0.0.5:8786"


def test_ingest_on_a_local_process_cluster_stores_what_one_process_stores(tmp_path: Path) -> None:
    runner = CliRunner()
    one, dask = str(tmp_path / "one.db"), str(tmp_path / "dask.db")
    assert runner.invoke(cli, ["ingest", str(EXAMPLES), "--db", one, "-q"]).exit_code == 0
    result = runner.invoke(cli, ["ingest", str(EXAMPLES), "--db", dask, "-q", "--dask", "local:1"])
    assert result.exit_code == 0, result.output
    exported = [runner.invoke(cli, ["export", "--db", db, "--format", "jsonl"]).stdout for db in (one, dask)]
    assert exported[0] == exported[1] and exported[0]


def test_dask_and_workers_together_are_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["ingest", str(EXAMPLES), "--dask", "local:1", "--workers", "2"])
    assert result.exit_code == 2 and "not both" in result.stderr
