"""No article stops a run, and no output can hurt the person who opens it.

One test per kind of failure: an analysis that raises, special files, symbolic links, surrogates,
deep JSON, implausible dates, texts past spaCy's limit, unbounded standard input, unsafe CSV cells,
terminal escapes in tables and error lines, two processes creating one database.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import multiprocessing
import os
import pickle
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import sitrep
from sitrep import nlp, pipeline, read
from sitrep.cli import cli
from sitrep.errors import AnalysisError, InputError, MalformedRecord, OversizedInput, UnreadableInput
from sitrep.export import write_events
from sitrep.models import Article
from sitrep.pipeline import Analysis, Pipeline, ordered_batches
from sitrep.read import read_inputs

GOOD = "Gunmen killed {n} farmers near Kukawa in Borno State on Monday, police said."
POISON = "POISON"


def articles(count: int, poison_at: int | None = None) -> list[Article]:
    return [Article(id=f"a{i}", text=POISON if i == poison_at else GOOD.format(n=i % 9 + 2),
                    published=date(2024, 1, 10)) for i in range(count)]


@pytest.fixture()
def poisoned(monkeypatch: pytest.MonkeyPatch) -> None:
    """Event extraction raises on an article whose text is POISON, as a bug in a rule would."""
    real = pipeline.extract_events

    def extract_events(resolved: Any, *args: Any) -> Any:
        if resolved.article.text == POISON:
            raise ValueError("could not convert string to float: '²'")
        return real(resolved, *args)

    monkeypatch.setattr(pipeline, "extract_events", extract_events)


# -- 1. an article whose analysis fails is an input error like any other ------------------------------


def test_a_failing_article_is_an_error_in_its_place_and_the_batch_goes_on(poisoned: None) -> None:
    results = list(Pipeline().stream(articles(40, poison_at=5)))
    assert [type(r).__name__ for r in results].count("AnalysisError") == 1
    error = results[5]
    assert isinstance(error, AnalysisError) and error.source == "a5"
    assert "ValueError" in str(error) and "float" in str(error) and "Traceback" in (error.detail or "")
    assert all(isinstance(r, Analysis) and r.events for i, r in enumerate(results) if i != 5)


def test_the_api_raises_the_documented_error_with_its_cause(poisoned: None) -> None:
    with pytest.raises(AnalysisError) as caught:
        Pipeline().analyse(Article(id="p", text=POISON))
    assert isinstance(caught.value.__cause__, ValueError)


def test_worker_processes_give_the_error_in_place() -> None:
    """A malformed article (a publication date that is no date) fails in the worker that reads it."""
    items: list[Article | InputError] = list(articles(6))
    items[2] = Article(id="bad", text=GOOD.format(n=3), published="not a date")  # type: ignore[arg-type]
    results = list(Pipeline().stream(items, workers=2))
    assert [r.source if isinstance(r, InputError) else r.article.id for r in results] == \
        ["a0", "a1", "bad", "a3", "a4", "a5"]
    assert isinstance(results[2], AnalysisError) and "AttributeError" in str(results[2])


def test_a_batch_lost_in_a_worker_names_each_of_its_articles() -> None:
    def submit(batch: list[Article]) -> Callable[[], list[Any]]:
        def wait() -> list[Any]:
            raise EOFError("the worker died")
        return wait

    results = list(ordered_batches(articles(3), submit, in_flight=1))
    assert [r.source for r in results] == ["a0", "a1", "a2"]
    assert all(isinstance(r, AnalysisError) and "EOFError: the worker died" in str(r) for r in results)


def test_the_dask_path_gives_the_error_in_place(poisoned: None) -> None:
    pytest.importorskip("distributed")
    from sitrep import distributed

    with distributed.connect("local:1", processes=False) as client:
        results = list(distributed.stream(articles(5, poison_at=1), client))
    assert [type(r).__name__ for r in results] == ["Analysis", "AnalysisError", "Analysis", "Analysis", "Analysis"]


def test_analysis_errors_cross_processes_with_their_traceback() -> None:
    error = pickle.loads(pickle.dumps(AnalysisError("a1", "could not be analysed (ValueError)", "Traceback ...")))
    assert (error.source, error.reason, error.detail) == ("a1", "could not be analysed (ValueError)", "Traceback ...")


def test_ingest_stores_every_good_article_names_the_poison_and_exits_1(poisoned: None, tmp_path: Path) -> None:
    from sitrep.store import Store

    source = tmp_path / "batch.jsonl"
    source.write_text("".join(json.dumps({"id": a.id, "text": a.text, "published": "2024-01-10"}) + "\n"
                              for a in articles(60, poison_at=33)))
    db = str(tmp_path / "s.db")
    for attempt in range(2):  # started again, it does not die at the same place either
        result = CliRunner().invoke(cli, ["ingest", str(source), "--db", db])
        assert result.exit_code == 1, result.output
        assert "error: a33: could not be analysed (ValueError" in result.stderr
        assert (f"{59 if attempt == 0 else 0} articles stored" in result.stderr
                and f"{0 if attempt == 0 else 59} already stored; 1 failed" in result.stderr)
    with Store(db) as store:
        assert store.counts()["articles"] == 59
        assert not store.has(Article(id="a33", text=POISON))


def test_a_text_longer_than_the_parser_takes_is_parsed_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """spaCy's limit scaled down (2,000 characters) and sitrep's pieces with it (1,000): a 12,000-character
    article is analysed, its offsets into the whole text; without pieces it would fail."""
    paragraph = "Gunmen killed five farmers near Kukawa in Borno State on Monday, police said.\n"
    text = paragraph * (12_000 // len(paragraph))
    monkeypatch.setattr(nlp.pipeline("en"), "max_length", 2_000)
    monkeypatch.setattr(nlp, "CHUNK_CHARS", 1_000)
    analysis = Pipeline().analyse(Article(id="long", text=text, published=date(2024, 1, 10)))
    assert len(analysis.places) > 100
    assert all(text[p.mention.start:p.mention.end] == p.mention.text for p in analysis.places)
    monkeypatch.setattr(nlp, "CHUNK_CHARS", 100_000)
    with pytest.raises(AnalysisError, match="ValueError"):
        Pipeline().analyse(Article(id="long", text=text))


def test_pieces_join_back_to_the_text_and_cut_at_line_breaks() -> None:
    text = "".join(f"Line {i} {'x' * (i % 50)}.\n" for i in range(500))
    pieces = nlp.split(text, 300)
    assert "".join(pieces) == text and all(len(p) <= 300 for p in pieces)
    assert all(p.endswith("\n") for p in pieces[:-1])
    assert "".join(nlp.split("y" * 1_000, 300)) == "y" * 1_000
    doc = next(nlp.parse("en", [text]))
    assert doc.text == text


def test_the_api_takes_surrogates_and_dates_at_the_ends_of_the_calendar(caplog: pytest.LogCaptureFixture) -> None:
    text = "Soldiers clashed with rebels in Goma \ud800 on Monday, killing 4 people, two days ago."
    with caplog.at_level(logging.WARNING):
        events = sitrep.extract(text, published="2024-05-08")
    assert events and "surrogate" in caplog.text
    for published in (date.min, date.max, "9999-12-31", "not a date"):
        for event in sitrep.extract(text.replace("\ud800", ""), published=published):
            assert event.event_date is None or 1900 <= event.event_date.year <= 2099


def test_a_huge_anaphoric_offset_gives_no_implausible_day() -> None:
    text = ("Rebels attacked Goma on 3 May 2024, killing 6 people. 800000 days later, soldiers clashed with "
            "rebels in Goma, killing 4.")
    for event in sitrep.extract(text, published="2024-05-06"):
        assert event.event_date is None or 1900 <= event.event_date.year <= 2099


# -- 2. special files and links ------------------------------------------------------------------


def read_within(seconds: float, *inputs: str) -> list[Article | InputError]:
    """``read_inputs`` in a thread that must finish in time: a FIFO opened for blocking reads never would."""
    results: list[Article | InputError] = []
    worker = threading.Thread(target=lambda: results.extend(read_inputs(list(inputs))), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "reading blocked"
    return results


def test_a_fifo_named_as_input_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "x.txt"
    os.mkfifo(fifo)
    (error,) = read_within(20, str(fifo))
    assert isinstance(error, UnreadableInput) and "FIFO" in error.reason


def test_special_files_in_a_folder_are_named_once_and_the_rest_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "a.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "b.jsonl"))
    (tmp_path / "c.txt").write_text(GOOD.format(n=3))
    try:
        results = read_within(20, str(tmp_path))
    finally:
        server.close()
    assert [(Path(r.source).name, r.reason.split(";")[0]) for r in results if isinstance(r, InputError)] == \
        [("a.txt", "not a regular file (a FIFO (named pipe))"), ("b.jsonl", "not a regular file (a socket)")]
    assert [r.text for r in results if isinstance(r, Article)] == [GOOD.format(n=3)]


def test_a_device_is_refused() -> None:
    (error,) = read_within(20, os.devnull)
    assert isinstance(error, UnreadableInput) and "character device" in error.reason


def test_links_out_of_a_folder_are_not_followed(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    outside, folder = tmp_path / "outside", tmp_path / "in"
    outside.mkdir()
    folder.mkdir()
    (outside / "secret.txt").write_text("Not for reading.")
    (folder / "own.txt").write_text(GOOD.format(n=4))
    (folder / "to_file.txt").symlink_to(outside / "secret.txt")
    (folder / "to_folder").symlink_to(outside, target_is_directory=True)
    (folder / "inside.txt").symlink_to(folder / "own.txt")
    with caplog.at_level(logging.WARNING):
        texts = [r.text for r in read_inputs([str(folder)]) if isinstance(r, Article)]
    assert texts == [GOOD.format(n=4)] * 2  # inside.txt (a link kept inside) and own.txt
    assert "2 symbolic link(s) leading out" in caplog.text and "to_file.txt" in caplog.text


# -- 3. records: surrogates, depth, plain names, dates ---------------------------------------------


def test_lone_surrogates_become_replacement_characters_offsets_kept(tmp_path: Path) -> None:
    text = "Rebels shelled Goma\\ud800 on Monday."
    source = tmp_path / "s.jsonl"
    source.write_text(f'{{"id": "x\\udfff", "text": "{text}", "outlet": "\\ud83d", "language": "\\ud800"}}\n')
    (article,) = read_inputs([str(source)])
    assert isinstance(article, Article)
    assert article.text == "Rebels shelled Goma\ufffd on Monday." and article.id == "x\ufffd"
    assert article.outlet == "\ufffd" and article.language == "en"
    article.text.encode("utf-8")


def test_json_nested_too_deeply_is_a_malformed_record_and_the_next_is_read(tmp_path: Path) -> None:
    source = tmp_path / "deep.jsonl"
    source.write_text("[" * 100_000 + "\n" + json.dumps({"text": GOOD.format(n=2)}) + "\n")
    error, article = read_inputs([str(source)])
    assert isinstance(error, MalformedRecord) and error.source.endswith("deep.jsonl:1")
    assert "nested too deeply" in error.reason and isinstance(article, Article)


def test_page_metadata_markup_never_reaches_the_outlet(tmp_path: Path) -> None:
    page = (Path(__file__).parent / "data" / "read" / "page.html").read_text()
    page = page.replace('content="Example News"',
                        'content="&lt;b&gt;Example&lt;/b&gt; News&lt;script&gt;alert(1)&lt;/script&gt;"')
    (tmp_path / "p.html").write_text(page)
    (article,) = read_inputs([str(tmp_path / "p.html")])
    assert isinstance(article, Article) and article.outlet == "Example News"


def test_record_outlets_and_titles_are_plain_text(tmp_path: Path) -> None:
    record = {"text": GOOD.format(n=2), "outlet": "<i>Daily</i>\x1b[31m Wire", "title": "A\u2028title"}
    (tmp_path / "r.jsonl").write_text(json.dumps(record) + "\n")
    (article,) = read_inputs([str(tmp_path / "r.jsonl")])
    assert isinstance(article, Article) and (article.outlet, article.title) == ("Daily [31m Wire", "A title")


@pytest.mark.parametrize("published", ["9999-12-31", "0001-01-01", "1899-12-31"])
def test_an_implausible_publication_date_is_no_date(tmp_path: Path, published: str) -> None:
    (tmp_path / "r.jsonl").write_text(json.dumps({"text": "Clashes on Monday.", "published": published}) + "\n")
    (article,) = read_inputs([str(tmp_path / "r.jsonl")], published=date.max)
    assert isinstance(article, Article) and article.published is None


# -- 4. standard input is read within the document limit -----------------------------------------


class MeteredStdin:
    """A binary standard input that records the most it was asked for at once; iterating it (which
    reads whole lines, however long) fails."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)
        self.largest = 0

    def readline(self, size: int = -1) -> bytes:
        assert size > 0, "an unbounded readline"
        self.largest = max(self.largest, size)
        return self._data.readline(size)

    def __iter__(self) -> Iterator[bytes]:
        raise AssertionError("standard input iterated line by line, unbounded")


def stdin_of(monkeypatch: pytest.MonkeyPatch, data: bytes) -> MeteredStdin:
    stream = MeteredStdin(data)
    monkeypatch.setattr(sys, "stdin", type("Stdin", (), {"buffer": stream})())
    return stream


@pytest.mark.parametrize("line", [b"a" * 50_000, b'{"text": "' + b"a" * 50_000 + b'"}'], ids=["text", "record"])
def test_a_long_line_on_stdin_is_never_held_whole(monkeypatch: pytest.MonkeyPatch, line: bytes) -> None:
    monkeypatch.setattr(read, "MAX_BYTES", 1_000)
    monkeypatch.setattr(read, "SKIP_CHUNK_BYTES", 100)
    stream = stdin_of(monkeypatch, line + b"\n" + json.dumps({"text": "Next."}).encode() + b"\n")
    results = list(read_inputs(["-"]))
    assert isinstance(results[0], OversizedInput)
    assert stream.largest <= 1_001
    if line.startswith(b"{"):  # JSON Lines: the record is named by its line, the next one read
        assert results[0].source == "<stdin>:1"
        assert [r.text for r in results[1:] if isinstance(r, Article)] == ["Next."]


# -- 5. outputs ----------------------------------------------------------------------------------


def test_csv_cells_that_open_like_formulas_are_text_numbers_stay_numbers() -> None:
    record = {"event_id": "e1", "event_date": "2024-01-10", "actor1": "=HYPERLINK(\"http://x\")",
              "actor2": "+1", "location": "@SUM(A1)", "notes": "-2+3", "admin1": "\tTab", "admin2": "\rCR",
              "country": "Nigeria", "latitude": -12.5, "longitude": -3.25, "fatalities": -1,
              "sources": [{"name": "=cmd|' /C calc'!A0"}]}
    out = io.StringIO()
    write_events([record], "acled-csv", out)
    (row,) = csv.DictReader(io.StringIO(out.getvalue(), newline=""))
    assert row["actor1"] == "'=HYPERLINK(\"http://x\")" and row["actor2"] == "'+1"
    assert row["location"] == "'@SUM(A1)" and row["notes"] == "'-2+3" and row["admin1"] == "'\tTab"
    assert row["admin2"] == "'\rCR" and row["source"] == "'=cmd|' /C calc'!A0"
    assert (row["latitude"], row["longitude"], row["fatalities"]) == ("-12.5", "-3.25", "-1")


@pytest.mark.parametrize("fmt", ["acled-csv", "ucdp-csv"])
def test_a_carriage_return_in_a_cell_cannot_start_a_row(fmt: str) -> None:
    records = [{"event_id": f"e{i}", "event_date": "2024-01-10", "event_type": "Battles",
                "sub_event_type": "Armed clash", "actor1": "Militia\rX,Y", "inter1": "State forces",
                "actor2": "Rebels", "inter2": "Rebel group", "notes": "a\rb", "country": "Nigeria",
                "location": "Kano\r=1", "latitude": 12.0, "longitude": 8.5, "fatalities": 3} for i in range(3)]
    out = io.StringIO()
    write_events(records, fmt, out)
    text = out.getvalue()
    assert text.count("\n") == 4 and "\r\n" not in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 4 and all(len(r) == len(rows[0]) for r in rows)
    assert '"Militia\rX,Y"' in text


def test_tables_show_article_text_without_markup_or_escape_sequences() -> None:
    text = ('Police said "\x1b]8;;http://evil.example\x07click\x1b]8;;\x07 [bold red]now[/bold red] '
            '\x1b[2J" on Monday.')
    result = CliRunner().invoke(cli, ["quotes", "-", "--format", "table"], input=text)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\\x1b]8;;http://evil.example" in result.stdout and "[bold red]now[/bold red]" in result.stdout


def test_error_lines_escape_control_characters_in_file_names(tmp_path: Path) -> None:
    bad = tmp_path / "news\x1b[2J\rfake.txt"
    bad.write_text("")
    result = CliRunner().invoke(cli, ["extract", str(bad), "-q"])
    assert result.exit_code == 1
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert "\x1b" not in result.stderr and "\r" not in result.stderr
    assert line.endswith("news\\x1b[2J\\rfake.txt: no text (empty or only whitespace)")


# -- 6. two processes creating one new database ----------------------------------------------------


def _open_store(path: str, barrier: Any, results: Any) -> None:
    from sitrep.store import Store

    barrier.wait()
    try:
        Store(path).close()
        results.put("ok")
    except Exception as err:  # reported to the test, which names it
        results.put(f"{type(err).__name__}: {err}")


def test_two_processes_creating_one_new_database_both_succeed(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    for attempt in range(5):
        barrier, results = context.Barrier(2), context.Queue()
        path = str(tmp_path / f"new{attempt}.db")
        workers = [context.Process(target=_open_store, args=(path, barrier, results)) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        assert [results.get(timeout=5), results.get(timeout=5)] == ["ok", "ok"]


def test_a_documents_text_is_kept_once_and_is_its_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """``nlp.text`` is ``Doc.text``: for a document parsed whole, parsed in pieces, or parsed elsewhere."""
    text = "".join(f"Rebels shelled the town of Line{i} on Monday.\n" for i in range(60))
    monkeypatch.setattr(nlp, "CHUNK_CHARS", 1_000)
    whole, pieced = nlp.parse("en", [text[:900], text])
    assert nlp.text(whole) == whole.text == text[:900]
    assert nlp.text(pieced) == pieced.text == text
    elsewhere = nlp.pipeline("en")("Police dispersed a crowd in the capital.")
    assert nlp.TEXT_KEY not in elsewhere.user_data
    assert nlp.text(elsewhere) == "Police dispersed a crowd in the capital."
    assert elsewhere.user_data[nlp.TEXT_KEY] == elsewhere.text


def test_table_cells_fold_long_values_instead_of_cutting_them(capsys: pytest.CaptureFixture[str]) -> None:
    from sitrep.cli import TABLE_COLUMNS, _print_table

    # seven unbroken values wider together than the table
    record = {c: f"{c}-" + "-".join(["word"] * 8) for c in TABLE_COLUMNS}
    _print_table([record], TABLE_COLUMNS)
    out = capsys.readouterr().out
    assert "…" not in out
    cells = "".join(line.split("│")[TABLE_COLUMNS.index("actor1") + 1].strip() for line in out.splitlines()
                    if line.startswith("│"))
    assert cells == record["actor1"]
