"""The ``sitrep`` command line. Exit status: 0 all inputs read, 1 some failed (each named), 2 usage."""

from __future__ import annotations

import itertools
import json
import logging
import os
import secrets
import socket
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, closing, contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import click

from sitrep import __version__
from sitrep.errors import InputError, MissingDatabase, SitrepError, import_optional, printable

READ_FORMATS = ("jsonl", "json", "table", "acled-csv")
MENTION_FORMATS = ("jsonl", "table")
EXPORT_FORMATS = ("acled-csv", "ucdp-csv", "geojson", "jsonl")
TABLE_WIDTH = 160
"""Width of a table written to a file or pipe (a terminal's own width is used otherwise)."""
CLASSIFIERS = ("rules", "embeddings")
"""``--classifier`` choices (``pipeline.CLASSIFIERS``, named here so that the command line starts without
importing the pipeline)."""
TABLE_COLUMNS = ("event_date", "sub_event_type", "actor1", "actor2", "location", "country", "fatalities")

log = logging.getLogger("sitrep")


class BadValue(click.ClickException):
    """A value the user gave that cannot be used (a file that is not what the option wants, a missing
    database): one line, 'Error: Invalid value for '--db': REASON', exit status 2 as for any usage error."""

    exit_code = 2

    def __init__(self, option: str, reason: str) -> None:
        super().__init__(f"Invalid value for '{option}': {reason}")


class Failures:
    """Counts inputs that could not be read; each is named on stderr as it happens."""

    def __init__(self) -> None:
        self.count = 0

    def report(self, error: InputError) -> None:
        """Name the input and the reason on one line (control characters escaped, see ``printable``);
        an analysis error's traceback goes to the debug log (-vv)."""
        self.count += 1
        click.echo(f"error: {error}", err=True)
        if getattr(error, "detail", None):
            log.debug("%s", error.detail)  # type: ignore[attr-defined]

    def exit(self) -> None:
        if self.count:
            sys.exit(1)


def _iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; use YYYY-MM-DD, e.g. 2024-11-30") from None


def _event_type(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An ACLED event type or sub-event type, any case (ACLED codebook, event types and sub-event types)."""
    from sitrep.extraction.taxonomy import EVENT_TYPES, TYPE_OF

    if value is None or value.casefold() in {name.casefold() for name in (*EVENT_TYPES, *TYPE_OF)}:
        return value
    raise click.BadParameter(f"'{value}' is no ACLED event type or sub-event type; the event types are "
                             + ", ".join(EVENT_TYPES) + " (or one of their sub-event types)")


def reading_options(formats: tuple[str, ...]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The options every command that reads articles shares."""

    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        f = click.argument("inputs", nargs=-1, required=True)(f)
        f = click.option("--format", "fmt", type=click.Choice(formats), default=formats[0], show_default=True,
                         help="Output format.")(f)
        f = click.option("--published", callback=_iso_date,
                         help="Publication date (YYYY-MM-DD) for inputs that carry none.")(f)
        f = click.option("--workers", type=click.IntRange(1), default=1, show_default=True,
                         help="Processes on this machine; the output is the same whatever N.")(f)
        f = click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")(f)
        return f

    return decorate


class SitrepGroup(click.Group):
    """The command group: an error sitrep raises on purpose (a missing model, say), or one the system
    gives while reading or writing (a full disk), is one line on stderr with exit status 1, never a
    traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SitrepError as err:
            raise click.ClickException(str(err)) from err
        except BrokenPipeError:
            raise  # a reader that stopped early ("| head"): click ends quietly
        except OSError as err:  # a full disk, a vanished directory: the system's reason, on one line
            where = f": {err.filename}" if err.filename else ""
            raise click.ClickException(f"{err.strerror or err}{where}") from err


class _StderrHandler(logging.Handler):
    """Log records on whatever ``sys.stderr`` is when they are emitted, so a warning written while the
    progress bar runs is printed above it rather than through it."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:  # logging must never break a run; the handler reports it its own way
            self.handleError(record)


@click.group(cls=SitrepGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitrep")
@click.option("-v", "--verbose", count=True, help="More logging on stderr (-vv for debug).")
def cli(verbose: int) -> None:
    """sitrep: news articles in, sourced, geocoded, ACLED-style event data out."""
    level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s", handlers=[_StderrHandler()])


def _analyses(inputs: tuple[str, ...], published: date | None, workers: int, quiet: bool,
              failures: Failures, model: str | None = None, classifier: str = "rules") -> Iterator[Any]:
    """Read and analyse the inputs, naming each failed input on stderr and yielding the rest."""
    from sitrep.read import read_inputs

    pipeline = _pipeline(model, classifier)
    with _progress(quiet, lambda: _count(inputs)) as advance:
        yield from _reported(pipeline.stream(read_inputs(inputs, published), workers=workers), failures, advance)


def _count(inputs: tuple[str, ...]) -> int | None:
    from sitrep.read import count_items

    return count_items(inputs)


def _pipeline(model: str | None, classifier: str = "rules") -> Any:
    """The pipeline, with the user's classifier when ``model`` names one (a bad model file is a
    usage error: exit 2, one line), or the embedding classifier when ``classifier`` chooses it (without
    its extra: exit 1, one line saying how to install it)."""
    from sitrep.pipeline import default_pipeline

    if model and classifier != "rules":
        raise click.UsageError(f"Give --model or --classifier {classifier}, not both: each decides the sub-type.")
    try:
        return default_pipeline(model=model, classifier=classifier)
    except InputError as err:
        raise BadValue("--model", str(err)) from None


model_option = click.option("--model", type=click.Path(exists=True, dir_okay=False),
                            help="A sub-event-type classifier trained with `sitrep train` on your own export.")
classifier_option = click.option(
    "--classifier", type=click.Choice(CLASSIFIERS), default="rules", show_default=True, envvar="SITREP_CLASSIFIER",
    show_envvar=True, help="What decides each event's sub-type: the trigger rules, or with them a sentence-embedding "
                           "model (needs sitrep[embeddings]).")


def _reported(results: Iterable[Any], failures: Failures, advance: Callable[[], None]) -> Iterator[Any]:
    """The analyses among ``results``; each read error named on stderr; ``advance`` called for both."""
    from sitrep.pipeline import Analysis

    for item in results:
        advance()
        if isinstance(item, Analysis):
            yield item
        else:
            failures.report(item)


@contextmanager
def _progress(quiet: bool, total: Callable[[], int | None] = lambda: None,
              console: Any = None) -> Iterator[Callable[[], None]]:
    """A progress line on stderr, when stderr is a terminal (or on ``console``): articles done, of the
    total when ``total()`` knows it (it is only called when the line is shown), articles per second,
    and with a total the time left.
    """
    if quiet or (console is None and not sys.stderr.isatty()):
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import Progress

    known = total()
    with Progress(*_progress_columns(known), console=console or Console(stderr=True), transient=True) as progress:
        task = progress.add_task("reading", total=known)
        yield lambda: progress.advance(task)


def _progress_columns(total: int | None) -> list[Any]:
    """'⠋ 12/40 articles ━━━━━━━━━━ 3.2 articles/s eta 0:00:09' (without a total: count, rate, time).

    The rate is the articles done over the time since the start, and the time left the articles to go
    at that rate: articles come back in batches, so a rate over the last few seconds would swing from
    zero to thousands.
    """
    from datetime import timedelta

    from rich.progress import BarColumn, ProgressColumn, SpinnerColumn, Task, TextColumn, TimeElapsedColumn
    from rich.text import Text

    def rate(task: Task) -> float | None:
        elapsed = task.finished_time if task.finished else task.elapsed
        return task.completed / elapsed if task.completed and elapsed else None

    class Rate(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = rate(task)
            return Text(f"{speed:.1f} articles/s" if speed else "- articles/s")

    class TimeLeft(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = rate(task)
            if speed is None or task.total is None:
                return Text("eta -:--:--")
            seconds = max(task.total - task.completed, 0) / speed
            return Text(f"eta {timedelta(seconds=round(seconds))}")

    if total is None:
        return [SpinnerColumn(), TextColumn("{task.completed} articles"), Rate(), TimeElapsedColumn()]
    return [SpinnerColumn(), TextColumn("{task.completed}/{task.total} articles"), BarColumn(), Rate(), TimeLeft()]


def _print_analyses(inputs: tuple[str, ...], fmt: str, published: date | None, workers: int, quiet: bool,
                    records_of: Callable[[Any], Iterable[dict[str, Any]]],
                    columns: tuple[str, ...] = TABLE_COLUMNS, model: str | None = None, noun: str = "event",
                    classifier: str = "rules") -> None:
    """Analyse the inputs and print the records ``records_of`` takes from each analysis, then (unless
    ``quiet``) a summary on stderr: articles read, records printed (``noun``, singular), inputs failed; exit 1 if
    any input failed."""
    failures = Failures()
    analyses = _Counted(_analyses(inputs, published, workers, quiet, failures, model, classifier))
    records = _Counted(r for a in analyses for r in records_of(a))
    _write_records(records, fmt, sys.stdout, columns)
    if not quiet:
        click.echo(f"{_many(analyses.count, 'article')} read, {_many(records.count, noun)}; {failures.count} failed.",
                   err=True)
    failures.exit()


def _write_records(records: Iterable[dict[str, Any]], fmt: str, out: TextIO,
                   columns: tuple[str, ...] = TABLE_COLUMNS) -> None:
    if fmt == "jsonl":
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif fmt == "json":
        json.dump(list(records), out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "table":
        _print_table(records, columns)
    else:
        from sitrep.export import write_events

        write_events(records, fmt, out)


def _print_table(records: Iterable[dict[str, Any]], columns: tuple[str, ...]) -> None:
    """A table of ``columns``, every value whole. Cells are plain ``Text``, never rich markup, with control characters
    escaped: article text cannot colour, move or hyperlink anything on the terminal."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table()
    for column in columns:  # a long value folds onto more lines, never cut to an ellipsis
        table.add_column(column, overflow="fold")
    for record in records:
        table.add_row(*(Text(printable(_cell(record, c))) for c in columns))
    Console(width=None if sys.stdout.isatty() else TABLE_WIDTH).print(table)


def _cell(record: dict[str, Any], column: str) -> str:
    value: Any = record
    for key in column.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    if isinstance(value, list):  # reports, sources: how many
        return str(len(value))
    return "" if value is None else str(value)


@cli.command()
@reading_options(READ_FORMATS)
@model_option
@classifier_option
def extract(inputs: tuple[str, ...], fmt: str, published: date | None, workers: int, quiet: bool,
            model: str | None, classifier: str) -> None:
    """Print the events the articles report, one record per event.

    INPUTS: .txt, .html, RSS/Atom (.xml, .rss, .atom), .jsonl article records, folders, or - for stdin.

    Example:

    \b
        sitrep extract article.txt --published 2024-11-30 --format table
        sitrep extract news.jsonl --classifier embeddings
    """
    _print_analyses(inputs, fmt, published, workers, quiet, lambda a: (e.to_dict() for e in a.events),
                    model=model, classifier=classifier)


@cli.command()
@reading_options(MENTION_FORMATS)
def geoparse(inputs: tuple[str, ...], fmt: str, published: date | None, workers: int, quiet: bool) -> None:
    """Print every place mention with its resolution in the gazetteer.

    Example:

    \b
        sitrep geoparse article.txt --format table
    """
    _print_analyses(inputs, fmt, published, workers, quiet,
                    lambda a: ({"article_id": a.article.id, **p.to_dict()} for p in a.places),
                    ("text", "start", "name", "country_code", "admin1", "feature_code", "latitude", "longitude"),
                    noun="place")


@cli.command()
@reading_options(MENTION_FORMATS)
def quotes(inputs: tuple[str, ...], fmt: str, published: date | None, workers: int, quiet: bool) -> None:
    """Print every attributed statement: who said what, with the cue.

    Example:

    \b
        sitrep quotes article.txt --format table
    """
    _print_analyses(inputs, fmt, published, workers, quiet,
                    lambda a: ({"article_id": a.article.id, **q.to_dict()} for q in a.quotes),
                    ("source.actor", "cue.text", "content.text"), noun="statement")


db_option = click.option(
    "--db", default="sitrep.db", show_default=True, envvar="SITREP_DB", show_envvar=True,
    help="The database: an SQLite file, or a PostgreSQL database (postgresql://USER@HOST/NAME; needs "
         "sitrep[postgres]).")



def _dask_scheduler(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from sitrep.distributed import parse_scheduler

    try:
        parse_scheduler(value)
    except SitrepError as err:
        raise click.BadParameter(str(err)) from None
    return value


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@db_option
@click.option("--published", callback=_iso_date, help="Publication date (YYYY-MM-DD) for inputs that carry none.")
@click.option("--workers", type=click.IntRange(1), default=1, show_default=True, help="Processes on this machine.")
@click.option("--dask", "scheduler", metavar="SCHEDULER", callback=_dask_scheduler,
              help="Analyse on a Dask cluster, storing here: its scheduler (tcp://host:8786), or local:N "
                   "for N workers on this machine. Needs sitrep[dask].")
@model_option
@classifier_option
@click.option("--no-fuse", "no_fuse", is_flag=True,
              help="Store the reports without fusing them yet (then run `sitrep fuse`).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
def ingest(inputs: tuple[str, ...], db: str, published: date | None, workers: int, scheduler: str | None,
           model: str | None, classifier: str, no_fuse: bool, quiet: bool) -> None:
    """Read, extract and store into the database; the same article twice is stored once.

    Each article is committed on its own, and articles already stored are skipped before they are
    analysed, so an interrupted run, started again, resumes where it stopped. Each article's events
    are stored as reports and fused with the stored reports of the same incident (see `sitrep fuse`).

    Example:

    \b
        sitrep ingest examples/ --db sitrep.db
        sitrep ingest news.jsonl --db sitrep.db --dask tcp://scheduler:8786
    """
    from sitrep.read import read_inputs
    from sitrep.store import Store

    if scheduler and workers > 1:
        raise click.UsageError("Give --workers or --dask, not both: a Dask cluster sets its own workers.")
    failures = Failures()
    counts = {"added": 0, "skipped": 0, "events": 0}
    with _store(db, lambda path: Store(path, fuse=not no_fuse)) as store, \
            _progress(quiet, lambda: _count(inputs)) as advance:
        if not no_fuse and store.unfused():
            store.fuse()  # reports stored without fusion first, so that new ones meet them
        articles = _unstored(read_inputs(inputs, published), store, counts, advance)
        for analysis in _reported(_analysed(articles, workers, scheduler, model, classifier), failures, advance):
            if store.add(analysis.article, [e.to_dict() for e in analysis.events]):
                counts["added"] += 1
                counts["events"] += len(analysis.events)
            else:
                counts["skipped"] += 1
        total = None if no_fuse else store.fused()
    if not quiet:
        held = "" if total is None else f" The store holds {_many(total, 'event')}, reports of one incident fused."
        click.echo(f"{_many(counts['added'], 'article')} stored with {_many(counts['events'], 'event report')}; "
                   f"{counts['skipped']} already stored; {failures.count} failed.{held}", err=True)
    failures.exit()


def _unstored(items: Iterable[Any], store: Any, counts: dict[str, int],
              advance: Callable[[], None]) -> Iterator[Any]:
    """The read errors and the articles not yet in ``store``; the others counted as skipped (and as
    done on the progress line)."""
    for item in items:
        if isinstance(item, InputError) or not store.has(item):
            yield item
        else:
            counts["skipped"] += 1
            advance()


def _analysed(articles: Iterable[Any], workers: int, scheduler: str | None, model: str | None,
              classifier: str = "rules") -> Iterator[Any]:
    """Analyses in input order: in this process, in ``workers`` processes, or on a Dask cluster."""
    pipeline = _pipeline(model, classifier)
    if scheduler is None:
        yield from pipeline.stream(articles, workers=workers)
        return
    from sitrep import distributed

    with ExitStack() as stack:
        try:
            import_optional("distributed", "dask")
            # Dask sets its loggers to INFO when imported: make them as chatty as -v asks, no more.
            logging.getLogger("distributed").setLevel(logging.getLogger().getEffectiveLevel())
            client = stack.enter_context(distributed.connect(scheduler))
        except SitrepError as err:
            raise click.ClickException(str(err)) from err
        yield from distributed.stream(articles, client, model=model, classifier=classifier)


@contextmanager
def _store(db: str, factory: Callable[[str], Any], option: str = "--db") -> Iterator[Any]:
    """The store at ``db``: no database there, for a command that only reads, is a usage error
    (exit 2), one that cannot be opened an error (exit 1); never a new empty file."""
    try:
        store = factory(db)
    except MissingDatabase as err:
        raise BadValue(option, str(err)) from None
    except SitrepError as err:
        raise click.ClickException(str(err)) from err
    try:
        yield store
    finally:
        store.close()


def filter_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The filters of the commands that read stored events (``events``, ``export``)."""
    f = click.option("--actor", help="Actor name (part of it, any case).")(f)
    f = click.option("--type", "event_type", callback=_event_type,
                     help="ACLED event type or sub-event type (any case).")(f)
    f = click.option("--until", callback=_iso_date, help="Only events on or before this day (YYYY-MM-DD).")(f)
    f = click.option("--since", callback=_iso_date, help="Only events on or after this day (YYYY-MM-DD).")(f)
    f = click.option("--country", help="Only events in this country (name or ISO3 code).")(f)
    return f


reviewed_option = click.option(
    "--reviewed-only", "reviewed", flag_value="only", default=None,
    help="Only events analysts confirmed or corrected (events they rejected are always left out).")


def _many(count: int, noun: str) -> str:
    """'1 article', '2 articles'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class _Counted:
    """The records of an iterable as it is read, counted in ``count``."""

    def __init__(self, records: Iterable[Any]) -> None:
        self.records = records
        self.count = 0

    def __iter__(self) -> Iterator[Any]:
        for record in self.records:
            self.count += 1
            yield record


no_fuse_option = click.option("--no-fuse", "no_fuse", is_flag=True,
                              help="One row per report, as each article gave it, instead of per fused event.")


def _stored_events(db: str, filters: dict[str, Any], no_fuse: bool = False) -> Iterator[Any]:
    """The events stored in ``db`` that pass ``filters``; ``db`` must exist (nothing is created)."""
    from sitrep.store import Store

    with _store(db, lambda path: Store(path, create=False)) as store:
        yield from store.events(**filters, fused=not no_fuse)


@cli.command()
@db_option
@filter_options
@reviewed_option
@no_fuse_option
@click.option("--format", "fmt", type=click.Choice(READ_FORMATS), default="table", show_default=True)
def events(db: str, fmt: str, no_fuse: bool, **filters: Any) -> None:
    """Query the stored events: one row per fused event (all its reports), or per report with --no-fuse.

    Example:

    \b
        sitrep events --country Syria --since 2024-11-01 --type Battles
    """
    with closing(_stored_events(db, filters, no_fuse)) as stored:  # closed before its store, even on error
        records = _Counted(stored)
        _write_records(records, fmt, sys.stdout, ("event_id", *TABLE_COLUMNS, "reports", "review.status"))
    if not records.count and any(value is not None for value in filters.values()):
        click.echo("No stored event matches these filters (countries by ACLED's name or ISO3 code)."
                   + _country_hint(db, filters.get("country")), err=True)


def _country_hint(db: str, country: str | None) -> str:
    """" Did you mean ...?" naming the stored countries close to a ``country`` filter that matches none."""
    from sitrep.store import Store

    if not country:
        return ""
    with Store(db, create=False) as store:
        close = store.countries_like(country)
    return " Did you mean " + " or ".join(repr(c) for c in close) + "?" if close else ""


@cli.command(name="event")
@click.argument("event_id")
@db_option
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
def event_command(event_id: str, db: str, fmt: str) -> None:
    """Show one event with its reports, their sources, figures and sentences, and why they were fused.

    EVENT_ID: the id of a fused event, or of one of its reports.

    Example:

    \b
        sitrep event 3f2a9c0d41b7e865 --db sitrep.db
    """
    from sitrep.store import Store

    with _store(db, lambda path: Store(path, create=False)) as store:
        record = store.event(event_id)
    if record is None:
        raise BadValue("EVENT_ID", f"no event or report {printable(event_id)!r} in {db}")
    if fmt == "json":
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    for line in _describe_event(record):
        click.echo(printable(line) if line else "")


def _describe_event(r: dict[str, Any]) -> Iterator[str]:
    """The lines of ``sitrep event``: the event, each report, then each link with its reasons."""
    reports = r.get("reports") or []
    place = ", ".join(str(x) for x in (r.get("location"), r.get("admin1"), r.get("country")) if x)
    yield f"Event {r.get('event_id')}: {r.get('event_date') or 'undated'}, {r.get('sub_event_type')} " \
          f"({r.get('event_type')}), {place or 'place unknown'}"
    yield f"  {r.get('actor1')}" + (f" vs {r.get('actor2')}" if r.get("actor2") else "")
    yield (f"  fatalities {r.get('fatalities')} (UCDP low {r.get('fatalities_low')}, best "
           f"{r.get('fatalities_best')}, high {r.get('fatalities_high')})")
    yield f"  notes: {r.get('notes')}"
    review = r.get("review")
    if isinstance(review, dict):
        changed = "; ".join(f"{k} {v!r} -> {r.get(k)!r}" for k, v in (review.get("machine") or {}).items())
        note = f" ({review['note']})" if review.get("note") else ""
        yield (f"  review: {review.get('status')} by {review.get('by')} at {review.get('at')}{note}"
               + (f"; machine said {changed}" if changed else ""))
    yield ""
    yield f"{len(reports)} report{'s' if len(reports) != 1 else ''}:"
    for n, report in enumerate(reports, 1):
        rep = {**r, **{k: v for k, v in report.items() if v is not None}}  # a lone report: the event's own
        head = ", ".join(str(x) for x in (rep.get("outlet"), rep.get("published")) if x)
        yield (f"  [{n}] report {rep.get('event_id')} of article {rep.get('article_id')}"
               + (f" ({head})" if head else ""))
        yield (f"      {rep.get('event_date') or 'undated'}, {rep.get('sub_event_type')},"
               f" {rep.get('location') or 'place unknown'}, fatalities {rep.get('fatalities')}")
        sources = [s for s in rep.get("sources") or [] if isinstance(s, dict)]
        if sources:
            yield "      sources: " + "; ".join(f"{s.get('name')} ({s.get('claim')})" for s in sources)
        for span in rep.get("evidence") or []:
            if isinstance(span, dict):
                yield f"      [{span.get('start')}:{span.get('end')}] {span.get('text')}"
    links = r.get("links") or []
    if links:
        yield ""
        yield "Fused because:"
        for link in links:
            yield f"  {link['a']} + {link['b']} (score {link['score']}): " + "; ".join(link["reasons"])
    elif len(reports) == 1:
        yield ""
        yield "Not fused: no other stored report tells of the same incident."


@cli.command(name="fuse")
@db_option
@click.option("--rebuild", is_flag=True,
              help="Forget every fused event and fuse all stored reports again (no text is read).")
@click.option("-q", "--quiet", is_flag=True, help="No summary.")
def fuse_command(db: str, rebuild: bool, quiet: bool) -> None:
    """Fuse the stored reports of one incident into one event.

    Without --rebuild, fuses the reports stored without fusion (`ingest --no-fuse`, or a database
    written by a version without fusion); with it, recomputes every fused event from the stored reports,
    as after a change of sitrep's fusion rules or gazetteer. The reports themselves never change:
    `sitrep events --no-fuse` always shows them as each article gave them.

    Example:

    \b
        sitrep fuse --db sitrep.db --rebuild
    """
    from sitrep.store import Store

    with _store(db, lambda path: Store(path, create=False)) as store:
        counts = store.fuse(rebuild=rebuild)
    if not quiet:
        click.echo(f"{counts['reports']} reports fused; {counts['events']} events stored.", err=True)


@cli.command()
@db_option
@filter_options
@reviewed_option
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              help="File to write (- for standard output).")
@no_fuse_option
def export(db: str, fmt: str, output: str, no_fuse: bool, **filters: Any) -> None:
    """Write the stored events in a standard format, one row per fused event (or per report with
    --no-fuse), with the filters of `events`.

    ucdp-csv holds only what UCDP GED would: organised lethal violence (battles, explosions and
    remote violence, violence against civilians), not protests, riots or strategic developments.

    Example:

    \b
        sitrep export --format acled-csv -o events.csv
        sitrep export --format ucdp-csv --country Syria --since 2024-11-01 -o ged.csv
    """
    from sitrep.export import write_events

    with closing(_stored_events(db, filters, no_fuse)) as records:  # closed before its store, even on error
        first = next(records, None)  # opens the database: a missing one is an error before any file is written
        read = _Counted(itertools.chain([] if first is None else [first], records))
        with _output(output) as out:
            written = write_events(read, fmt, out)
    left_out = f" ({read.count - written} that UCDP GED does not hold left out)" if read.count > written else ""
    click.echo(f"{written} events written{left_out}.", err=True)


def _output(output: str) -> Any:
    """The file ``-o`` names, opened to be written whole or not at all (``-``: standard output);
    ``BadValue`` when its folder does not exist."""
    folder = Path(output).parent
    if output != "-" and not folder.is_dir():
        raise BadValue("-o", f"{output}: there is no folder {folder}")
    return click.open_file(output, "w", encoding="utf-8", atomic=output != "-")


@cli.command()
@db_option
@filter_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="report.html",
              show_default=True, help="HTML file to write (- for standard output).")
def report(db: str, output: str, **filters: Any) -> None:
    """Write a situation report: one self-contained HTML page, printable to PDF, on the stored events
    that pass the filters of `events`.

    It holds the headline figures (events, fatalities, by event type, change against the period of the
    same length just before), a map, a weekly chart of events and fatalities, the top events with their
    notes, sources and articles, the sources most relied on, and how the data was made. The page loads
    nothing from the network. Needs `pip install 'sitrep[report]'`.

    Example:

    \b
        sitrep report --country Syria --since 2024-11-01 -o syria.html
    """
    from datetime import UTC, datetime

    from sitrep import report as situation
    from sitrep.store import Store

    if filters["since"] and filters["until"] and filters["since"] > filters["until"]:
        raise BadValue("--since", f"{filters['since']} is after --until {filters['until']}")
    with _store(db, lambda path: Store(path, create=False)) as store:
        summary = situation.summarize(store, filters, datetime.now(UTC))
        page = situation.page(summary)
    with _output(output) as out:
        out.write(page)
    if not summary.events:
        click.echo("No stored event matches these filters (countries by ACLED's name or ISO3 code); "
                   "the report says so.", err=True)
    if output != "-":
        click.echo(f"Report on {_many(len(summary.events), 'event')} written to {output}.", err=True)


@cli.command()
@click.argument("sources", required=False, type=click.Path(dir_okay=False))
@db_option
@click.option("--once", is_flag=True, help="Poll each source once, then exit (for cron and CI).")
@click.option("--status", is_flag=True,
              help="Show each watched source: last poll, success and error, items, articles, events, alerts.")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True,
              help="Format of --status.")
@click.option("--alerts", "rules", type=click.Path(exists=True, dir_okay=False),
              help="A rules file (YAML): fused events that match are delivered to stdout, webhooks or e-mail.")
@model_option
@click.option("-q", "--quiet", is_flag=True, help="Log only warnings and errors.")
def watch(sources: str | None, db: str, once: bool, status: bool, fmt: str, rules: str | None,
          model: str | None, quiet: bool) -> None:
    """Poll feeds and folders; analyse, store and fuse each new article as it arrives.

    SOURCES: a YAML file of feeds (RSS/Atom URLs, each with an optional interval, language and outlet)
    and folders (see examples/sources.yaml). With --alerts RULES.yaml (see examples/alerts.yaml), each
    fused event that matches a rule is delivered once per rule, and again when its fatalities rise, a
    new source reports it or its type changes. Items are fetched politely (robots.txt, one request at a
    time per host, conditional GET, retries with backoff); an item that carries only a summary has its
    page fetched and read. What was seen is kept in the database, so a stopped watch, started again,
    goes on where it stopped. SIGTERM or Ctrl-C stops it once the article in hand is stored. Exit
    status with --once: 0, or 1 when some source could not be polled.

    Example:

    \b
        sitrep watch examples/sources.yaml --db sitrep.db
        sitrep watch examples/sources.yaml --db sitrep.db --once
        sitrep watch examples/sources.yaml --alerts examples/alerts.yaml
        sitrep watch --status --db sitrep.db
    """
    from sitrep.store import Store

    if status:
        with _store(db, lambda path: Store(path, create=False)) as store:
            _print_watch_status(store.watch_status(), fmt)
        return
    if sources is None:
        raise click.UsageError("Give a SOURCES file to watch (or --status).")
    from sitrep import watch as watching

    try:
        listed = watching.load_sources(sources)
    except watching.SourcesError as err:
        raise BadValue("SOURCES", str(err)) from None
    alerting: Any = None
    if rules is not None:
        from sitrep import alerts

        try:
            alerting = alerts.load_rules(rules)
        except alerts.RulesError as err:
            raise BadValue("--alerts", str(err)) from None
    if logging.getLogger().getEffectiveLevel() > logging.INFO and not quiet:
        for name in ("sitrep.watch", "sitrep.fetch", "sitrep.alerts"):
            logging.getLogger(name).setLevel(logging.INFO)
    pipeline = _pipeline(model)
    with _store(db, Store) as store, _stop_on_signals() as stop:
        if not once:
            pipeline.warm()  # the first article of a long watch waits for no model to load
        if store.unfused():
            store.fuse()  # reports stored without fusion first, so that new ones meet them
        alerter = None if alerting is None else alerts.Alerter(store, *alerting)
        watcher = watching.Watcher(listed, store, pipeline, stop=stop,
                                   on_stored=alerter.article_stored if alerter else None,
                                   tick=alerter.deliver if alerter else None)
        try:
            results = watcher.run(once=once)
        finally:
            watcher.close()
    if once:
        new = sum(r.new for r in results)
        failed = [r for r in results if r.error]
        if not quiet:
            click.echo(f"{len(results)} sources polled, {new} new articles stored; {len(failed)} sources failed.",
                       err=True)
        if failed:
            sys.exit(1)


@contextmanager
def _stop_on_signals() -> Iterator[Any]:
    """An event set by SIGTERM or SIGINT (the previous handlers are put back after).

    The handler sets it from a thread of its own: a handler runs in the main thread between two of its
    instructions, possibly while that thread holds the event's lock inside ``wait``, and setting it
    there would wait for that lock forever. The handler waits a moment for the thread, so that the
    event is set when it returns (but in that rare case)."""
    import signal
    import threading

    stop = threading.Event()

    def handler(signum: int, frame: Any) -> None:
        log.warning("%s: stopping once the article in hand is stored", signal.Signals(signum).name)
        setter = threading.Thread(target=stop.set, name="sitrep-stop", daemon=True)
        setter.start()
        setter.join(1.0)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stop
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _print_watch_status(rows: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("No source watched yet in this database.", err=True)
        return
    for row in rows:
        click.echo(printable(f"{row['source']} ({row['kind']})"))
        click.echo(f"  last poll {row['last_poll'] or '-'}, last success {row['last_success'] or '-'}")
        if row["failures"]:
            click.echo(printable(f"  last error {row['last_error_at']}: {row['last_error']} "
                                 f"({row['failures']} failures in a row)"))
        click.echo(f"  {row['keys_seen']} item keys seen, {row['articles']} articles, {row['events']} events, "
                   f"{row['alerts']} alerts")


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--public-read", is_flag=True, help="Let anyone read without a token (writes still need one).")
@click.option("--workers", type=click.IntRange(1), default=1, show_default=True,
              help="Server processes answering on the one port (each with its own connections to the database).")
def serve(db: str, host: str, port: int, public_read: bool, workers: int) -> None:
    """Serve the stored events over HTTP: query them, and review, merge or split them with a token.

    Reads need a token of any role (unless --public-read), writes a reviewer's or an admin's: create
    them with `sitrep token create`. The dashboard's address printed at the start carries a reader's
    token valid while this server runs; no stored token exists until you create one. The API is described at
    /openapi.json. --workers N answers in N processes (for more requests at once than one process's
    CPU serves). Stop with Ctrl-C.

    Example:

    \b
        sitrep token create --role reviewer --name alice --db sitrep.db
        sitrep serve --db sitrep.db --port 8000
        curl -H "Authorization: Bearer TOKEN" 'http://127.0.0.1:8000/events?country=Syria&limit=10'
    """
    from sitrep.store import Store

    import_optional("fastapi", "serve")
    uvicorn: Any = import_optional("uvicorn", "serve")
    from sitrep.serve import create_app

    with _store(db, lambda path: Store(path, create=False)):
        pass  # a missing database is a usage error before anything listens
    try:
        listening = socket.create_server((host, port))  # taken or forbidden: said before any address is printed
    except OSError as err:
        raise BadValue("--port", f"cannot listen on {host}:{port}: {err.strerror or err}") from err
    click.echo(f"Serving {db} on http://{host}:{port} (reads {'public' if public_read else 'need a token'}); "
               "Ctrl-C stops.", err=True)
    launch = None if public_read else secrets.token_urlsafe(24)  # a reader's token for this run only
    click.echo(f"Dashboard: http://{host}:{port}/" + (f"#token={launch}" if launch else ""), err=True)
    if workers == 1:
        app = create_app(db, public_read=public_read, launch_token=launch)
        uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[listening])
        return
    # Each worker process builds the application from the environment (the listening socket is handed
    # to them by its descriptor), the launch token the same in all.
    from sitrep.serve import SETTINGS

    os.environ.update({SETTINGS["db"]: db, SETTINGS["public_read"]: "1" if public_read else "0",
                       SETTINGS["launch_token"]: launch or ""})
    with listening:
        uvicorn.run("sitrep.serve:app_from_environment", factory=True, fd=listening.fileno(), workers=workers,
                    log_level="warning")


@cli.group(name="token")
def token_group() -> None:
    """API tokens for `sitrep serve`: create, list, revoke.

    Example:

    \b
        sitrep token create --role reader --db sitrep.db
    """


@token_group.command(name="create")
@click.option("--role", type=click.Choice(("reader", "reviewer", "admin")), required=True,
              help="reader: read; reviewer: also review, merge and split events; admin: also manage the tokens "
                   "over the API (create, list, revoke).")
@db_option
@click.option("--name", help="Who holds it, as the audit log names the changes made with it [default: ROLE-ID].")
def token_create(role: str, db: str, name: str | None) -> None:
    """Create an API token and print it on the last line of stdout (only its hash is stored: keep it).

    Example:

    \b
        sitrep token create --role reviewer --name alice --db sitrep.db
    """
    from sitrep.store import Store

    with _store(db, Store) as store:
        try:
            token, info = store.create_token(role, name)
        except ValueError as err:
            raise BadValue("--name", str(err)) from None
    click.echo(f"Token {info['id']} ({info['role']}) for {printable(info['name'])}; it is shown once:")
    click.echo(token)


@token_group.command(name="list")
@db_option
def token_list(db: str) -> None:
    """List the tokens: id, role, name, created, revoked, and by which admin over the API (never the
    tokens themselves).

    Example:

    \b
        sitrep token list --db sitrep.db
    """
    from sitrep.store import Store

    with _store(db, lambda path: Store(path, create=False)) as store:
        for t in store.tokens():
            created = f"created {t['created_at']}" + (f" by {t['created_by']}" if t["created_by"] else "")
            revoked = (f" revoked {t['revoked_at']}" + (f" by {t['revoked_by']}" if t["revoked_by"] else "")
                       if t["revoked_at"] else "")
            click.echo(printable(f"{t['id']}  {t['role']:8s}  {t['name']}  {created}{revoked}"))


@token_group.command(name="revoke")
@click.argument("token_id")
@db_option
def token_revoke(token_id: str, db: str) -> None:
    """Revoke a token by its id (from `sitrep token list`): it opens nothing from then on.

    Example:

    \b
        sitrep token revoke 1a2b3c4d --db sitrep.db
    """
    from sitrep.store import Store

    with _store(db, lambda path: Store(path, create=False)) as store:
        if not store.revoke_token(token_id):
            raise BadValue("TOKEN_ID", f"no live token {printable(token_id)!r} in {db}")
    click.echo(f"Token {token_id} revoked.", err=True)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
def info(fmt: str) -> None:
    """Version, models, gazetteer and actor base sizes.

    Example:

    \b
        sitrep info --format json
    """
    from sitrep.nlp import MODELS
    from sitrep.resolve import gazetteer
    from sitrep.resolve.actors import actor_base

    data = {"version": __version__, "models": dict(MODELS), "gazetteer_entries": len(gazetteer.load()),
            "actors": len(actor_base())}
    if fmt == "json":
        click.echo(json.dumps(data))
        return
    for key, value in data.items():
        if isinstance(value, dict):
            value = ", ".join(f"{name} ({language})" for language, name in value.items())
        click.echo(f"{key:18s} {value}")


@cli.command()
@click.option("--gold", required=True, type=click.Path(exists=True, dir_okay=False),
              help="ACLED-format CSV export (ACLED's column names; a notes column for the text).")
@click.option("--pred", type=click.Path(exists=True, dir_okay=False),
              help="sitrep's events as JSON Lines (from sitrep extract --format jsonl).")
@click.option("--db", "db_path", help="Evaluate the events stored in this database instead.")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
@click.option("--workers", type=click.IntRange(1), default=1, show_default=True,
              help="Processes, when sitrep reads the notes itself.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def evaluate(gold: str, pred: str | None, db_path: str | None, fmt: str, workers: int, quiet: bool) -> None:
    """Score sitrep against an ACLED-format export: event precision, recall, F1, per-field accuracy.

    Events match when they share the event type, are at most one day and 25 km apart. Without --pred
    or --db, sitrep reads the export's notes itself (one article per row, no publication date).

    Example:

    \b
        sitrep evaluate --gold acled_export.csv --pred events.jsonl --format json
    """
    from sitrep import evaluate as evaluation
    from sitrep.store import Store

    if pred and db_path:
        raise click.UsageError("Give --pred or --db, not both.")
    with _bad_file("--gold"):
        gold_events = evaluation.read_gold(gold)
    if pred:
        with _bad_file("--pred"):
            predicted = evaluation.read_predictions(pred)
    elif db_path:
        with _store(db_path, lambda path: Store(path, create=False)) as store:
            predicted = list(store.events())
    else:
        articles = evaluation.gold_articles(gold_events)
        with _progress(quiet, lambda: len(articles)) as advance:
            predicted = evaluation.predict(articles, workers, advance)
    result = evaluation.evaluate(gold_events, predicted)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        evaluation.print_report(result)


@cli.command()
@click.option("--gold", required=True, type=click.Path(exists=True, dir_okay=False),
              help="ACLED-format CSV export with notes and sub_event_type columns.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Model file to write (JSON).")
@click.option("--folds", type=click.IntRange(0), default=5, show_default=True,
              help="Cross-validation folds for the accuracy estimate; 0 for none.")
@click.option("--min-count", type=click.IntRange(1), default=1, show_default=True,
              help="Drop words seen fewer times (a smaller model for a large export).")
def train(gold: str, output: str, folds: int, min_count: int) -> None:
    """Train a sub-event-type classifier on the notes of your own ACLED-format export.

    Multinomial naive Bayes over words and word pairs; prints its cross-validated accuracy.

    Example:

    \b
        sitrep train --gold acled_export.csv -o model.json
    """
    from sitrep.classifier import cross_validate
    from sitrep.classifier import train as fit
    from sitrep.evaluate import read_gold

    with _bad_file("--gold"):
        rows = [g for g in read_gold(gold, required=("sub_event_type", "notes")) if g["notes"] and g["sub_event_type"]]
    texts, labels = [g["notes"] for g in rows], [g["sub_event_type"] for g in rows]
    if len(set(labels)) < 2:
        raise click.ClickException(f"{gold}: training needs rows of at least two sub-event types with notes; "
                                   f"found {len(set(labels))} in {len(rows)} rows")
    fit(texts, labels, min_count=min_count).save(output)
    summary = f"Trained on {len(rows)} notes, {len(set(labels))} sub-event types"
    if 2 <= folds <= len(rows):
        summary += f"; {folds}-fold accuracy {100 * cross_validate(texts, labels, folds):.1f}%"
    click.echo(f"{summary}. Model written to {output}.", err=True)


@contextmanager
def _bad_file(option: str) -> Iterator[None]:
    """A file given to ``option`` that cannot be used (unreadable, not the format asked for) is a
    usage error: one line naming the file and the problem, exit 2."""
    try:
        yield
    except InputError as err:
        raise BadValue(option, str(err)) from None


@cli.group(name="gazetteer")
def gazetteer_group() -> None:
    """The offline gazetteer: build its cache, or extend it from a GeoNames dump.

    Example:

    \b
        sitrep gazetteer build --geonames allCountries.zip
    """


@gazetteer_group.command(name="build")
@click.option("--geonames", "dump", type=click.Path(exists=True, dir_okay=False),
              help="A GeoNames dump you downloaded: allCountries.zip, cities500.zip, XX.zip or the .txt inside.")
@click.option("--min-population", type=click.IntRange(0), default=0, show_default=True,
              help="Skip the dump's places with fewer people.")
@click.option("--feature-classes", default="PA", show_default=True,
              help="GeoNames feature classes to take: P populated places, A divisions, also H, L, T, ...")
def gazetteer_build(dump: str | None, min_population: int, feature_classes: str) -> None:
    """Build the gazetteer cache; with --geonames, extend it with every place of a GeoNames dump.

    Download the dump from https://download.geonames.org/export/dump/ (allCountries.zip is about
    400 MB). The extension is kept in the cache folder and survives upgrades; the extended
    gazetteer loads more slowly and takes more memory the larger the dump.

    Example:

    \b
        sitrep gazetteer build --geonames allCountries.zip --min-population 100
    """
    from pathlib import Path

    from sitrep.resolve import gazetteer

    if dump is not None:
        try:
            added = gazetteer.extend_from_geonames(Path(dump), min_population, feature_classes)
        except ValueError as error:
            raise click.ClickException(f"{dump}: {error}") from None
        click.echo(f"{added} places read from {Path(dump).name}.", err=True)
    click.echo(f"{len(gazetteer.load())} gazetteer entries in {gazetteer.cache_path()}.", err=True)


def main() -> None:
    cli(prog_name="sitrep")
