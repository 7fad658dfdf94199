"""Fuzzing sitrep's public surface: input strategies and the property each stage must keep.

Shared by the suite (``tests/test_fuzz.py``: a few hundred inputs, derandomized, well under a minute)
and the long run (``bench/fuzz.py``, ``make fuzz``: as many inputs as a time budget allows).

The property, for every stage: whatever the input, the only exceptions that escape are sitrep's
documented ones (``sitrep.errors``), and an ``AnalysisError`` counts as a failure too: it means the
per-article guard caught a bug that fuzzing is here to find. Each ``check_*`` raises
``AssertionError`` (or lets the undocumented exception through) on a failure and returns the number
of inputs it tried.

Inputs are built from fragments written for this file (sentences of news, number and date phrases)
mutated with what broke sitrep before or could: digits ``float`` rejects, huge relative offsets,
dates at the ends of the calendar, lone surrogates, control and bidirectional characters, markup,
formula openings, deep JSON, random bytes.
"""

from __future__ import annotations

import io
import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

import sitrep
from sitrep.errors import AnalysisError, SitrepError
from sitrep.export import FORMATS, write_events
from sitrep.models import Article
from sitrep.read import read_inputs
from sitrep.store import Store

SENTENCES = (
    "Gunmen killed 12 farmers near Kukawa in Borno State on Monday, police said.",
    "Soldiers clashed with rebels in Goma overnight; at least two died.",
    "An air strike hit a market in Idlib two days ago, a monitor said.",
    "Protesters marched on parliament in Nairobi last week, organisers said.",
    '"We will not leave," a commander told reporters in Aleppo the next day.',
    "Militants attacked a police station in Kano on 3 May 2024, killing five officers.",
    "The army said 1,200 fighters had been killed since Wednesday.",
    "Dozens were wounded when a roadside bomb exploded in Mogadishu three weeks ago.",
    "Rebels seized the town of Bunia earlier this month, according to the UN.",
    "Police fired tear gas at demonstrators in Khartoum over the weekend.",
)
FRAGMENTS = (
    "²", "³5", "١٢", "½", "⅓", "①", "𝟙", "1e308", "9" * 400, "1,000,000,000,000,000", "1.2.3", "12th",
    "800000 days ago", "800000 days later", "99999999999 weeks ago", "800000 months ago", "the next day",
    "32 December 2024", "0 January 0000", "9999-12-31", "0001-01-01", "29 February 2023", "30/02/2024",
    "\ud800", "\udfff", "\x00", "\r", "\r\n", "\x1b[2J", "\x1b]8;;http://x.example\x07", "\u202e", "\u2028",
    "\ufeff", "\u0301", "ﬁ", "İ", "ß", "<b>", "</p>", "&amp;", "&#0;", "<script>x</script>", "=1+1", "+", "-",
    "@", "\t", "“", "”", '"', "'", "—", "...", "\n\n", "killed", "said", "according to", "in Aleppo",
    "Goma", "Syria", "Hayat Tahrir al-Sham", "al-Shabaab", "the same day", "yesterday", "last year",
)
EDGE_DATES = (date.min, date.max, date(1899, 12, 31), date(1900, 1, 1), date(2099, 12, 31), date(2100, 1, 1))


@st.composite
def news_text(draw: st.DrawFn, max_parts: int = 12) -> str:
    """A text made of news sentences, fragments that broke parsers, and arbitrary characters."""
    part = st.one_of(
        st.sampled_from(SENTENCES),
        st.sampled_from(FRAGMENTS),
        st.text(max_size=40),
        st.integers(min_value=0, max_value=10**30).map(str),
        st.builds(lambda n, unit, way: f"{n} {unit} {way}", st.integers(0, 10**12),
                  st.sampled_from(["days", "weeks", "months", "years"]), st.sampled_from(["ago", "later", "earlier"])),
    )
    parts = draw(st.lists(part, min_size=1, max_size=max_parts))
    separators = draw(st.lists(st.sampled_from(["", " ", "\n", ". ", ", "]), min_size=len(parts), max_size=len(parts)))
    return "".join(p + s for p, s in zip(parts, separators, strict=True))


published_dates = st.one_of(
    st.none(), st.sampled_from(EDGE_DATES), st.dates(),
    st.sampled_from(["2024-11-30", "9999-12-31", "0001-01-01", "not a date", ""]),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@st.composite
def jsonl_line(draw: st.DrawFn) -> bytes:
    """One line of a JSON Lines file: a record with odd values, escapes, deep nesting, or junk."""
    kind = draw(st.integers(0, 5))
    if kind == 0:
        return draw(st.binary(max_size=80))
    if kind == 1:
        depth = draw(st.sampled_from([10, 1_000, 100_000]))
        return b"[" * depth + b"]" * draw(st.sampled_from([0, depth]))
    record: dict[str, Any] = {"text": draw(news_text()) if kind != 2 else draw(json_values)}
    for key in ("id", "title", "published", "url", "outlet", "language"):
        if draw(st.booleans()):
            record[key] = draw(st.one_of(json_values, st.sampled_from(FRAGMENTS), published_dates.map(str)))
    line = json.dumps(record, ensure_ascii=draw(st.booleans()))
    if draw(st.booleans()):  # lone surrogate escapes, as some producers write them
        line = line.replace("\\ufeff", "\\ud800").replace("}", ', "x": "\\udfff"}', 1)
    return line.encode("utf-8", "surrogatepass")


@st.composite
def input_file(draw: st.DrawFn) -> tuple[str, bytes]:
    """(suffix, content) of one input file of any kind sitrep reads, often broken."""
    suffix = draw(st.sampled_from([".txt", ".html", ".xml", ".rss", ".atom", ".jsonl", ".md"]))
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return suffix, draw(st.binary(max_size=300))
    text = draw(news_text())
    if suffix == ".jsonl":
        return suffix, b"\n".join(draw(st.lists(jsonl_line(), min_size=1, max_size=4)))
    if suffix == ".html" and kind != 1:
        title, site = draw(st.sampled_from(FRAGMENTS)), draw(st.sampled_from(FRAGMENTS))
        body = f"<html><head><title>{title}</title><meta property='og:site_name' content='{site}'></head>" \
               f"<body><article><p>{text}</p><p>{text}</p></article></body></html>"
        return suffix, body.encode("utf-8", "surrogatepass")
    if suffix in {".xml", ".rss", ".atom"} and kind != 1:
        when = draw(st.sampled_from(["Sat, 30 Nov 2024 08:00:00 GMT", "Mon, 01 Jan 0001 00:00:00 GMT", "junk", ""]))
        feed = f"<?xml version='1.0' encoding='{draw(st.sampled_from(['utf-8', 'latin-1', 'x-bogus']))}'?>" \
               f"<rss><channel><title>{draw(st.sampled_from(FRAGMENTS))}</title><item><title>{text[:40]}</title>" \
               f"<pubDate>{when}</pubDate><description>{text}</description></item></channel></rss>"
        return suffix, feed.encode("utf-8", "surrogatepass")
    return suffix, text.encode("utf-8", "surrogatepass")


UNICODE_FRAGMENTS = tuple(f for f in FRAGMENTS if not any("\ud800" <= c <= "\udfff" for c in f))
"""The fragments that are Unicode text: what sitrep's own records can hold (surrogates end at reading)."""
EVENT_TEXT = st.one_of(st.none(), st.sampled_from(UNICODE_FRAGMENTS), st.text(max_size=30))
EVENT_NUMBER = st.one_of(st.none(), st.integers(-10**6, 10**9))


@st.composite
def event_record(draw: st.DrawFn) -> dict[str, Any]:
    """An event record shaped as ``Event.to_dict`` gives it (as the store gives it back), each field of
    its schema type or null, text fields full of formula openings, control characters and markup."""
    record = {
        "event_id": draw(st.text(min_size=1, max_size=12)),
        "article_id": draw(EVENT_TEXT),
        "article_ids": draw(st.lists(st.text(max_size=8), max_size=3)),
        "event_date": draw(st.one_of(st.none(), st.dates().map(date.isoformat), st.sampled_from(["²024-01-01", ""]))),
        "date_end": draw(st.one_of(st.none(), st.dates().map(date.isoformat))),
        "time_precision": draw(st.sampled_from([1, 2, 3])),
        "event_type": draw(st.one_of(EVENT_TEXT, st.sampled_from(["Battles", "Violence against civilians",
                                                                  "Explosions/Remote violence", "Protests"]))),
        "sub_event_type": draw(EVENT_TEXT),
        "actor1": draw(EVENT_TEXT), "actor2": draw(EVENT_TEXT),
        "assoc_actor_1": draw(st.lists(st.text(max_size=10), max_size=2)),
        "assoc_actor_2": draw(st.lists(st.text(max_size=10), max_size=2)),
        "inter1": draw(st.one_of(EVENT_TEXT, st.sampled_from(["State forces", "Rebel group", "Civilians"]))),
        "inter2": draw(st.one_of(EVENT_TEXT, st.sampled_from(["State forces", "Rebel group", "Civilians"]))),
        "civilian_targeting": draw(st.booleans()),
        "country": draw(EVENT_TEXT), "iso3": draw(EVENT_TEXT), "admin1": draw(EVENT_TEXT),
        "admin2": draw(EVENT_TEXT), "location": draw(EVENT_TEXT), "geonameid": draw(EVENT_NUMBER),
        "latitude": draw(st.one_of(st.none(), st.floats(-90, 90))),
        "longitude": draw(st.one_of(st.none(), st.floats(-180, 180))),
        "geo_precision": draw(st.one_of(st.none(), st.sampled_from([1, 2, 3]))),
        "fatalities": draw(st.integers(0, 10**9)),
        "fatalities_low": draw(EVENT_NUMBER), "fatalities_best": draw(EVENT_NUMBER),
        "fatalities_high": draw(EVENT_NUMBER), "deaths_civilians": draw(EVENT_NUMBER),
        "deaths_side_1": draw(EVENT_NUMBER), "deaths_side_2": draw(EVENT_NUMBER),
        "sources": draw(st.lists(st.fixed_dictionaries({"name": st.text(max_size=15), "kind": st.just("media"),
                                                        "claim": st.just("reported")}), max_size=2)),
        "evidence": [], "notes": draw(EVENT_TEXT), "confidence": draw(st.floats(0, 1)),
    }
    return record


# -- the properties ---------------------------------------------------------------------------


def documented(error: BaseException) -> bool:
    """Whether ``error`` is one sitrep raises on purpose (not an AnalysisError: a guarded bug)."""
    return isinstance(error, SitrepError) and not isinstance(error, AnalysisError)


def check_read(files: list[tuple[str, bytes]]) -> int:
    """Files of any kind in a folder, read one by one and as the folder: articles and errors only,
    every string of an article encodable as UTF-8."""
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number, (suffix, data) in enumerate(files):
            path = Path(folder) / f"input{number}{suffix}"
            path.write_bytes(data)
            paths.append(str(path))
        for item in read_inputs([*paths, folder]):
            if isinstance(item, Article):
                for value in (item.id, item.text, item.title, item.url, item.outlet, item.language):
                    if value is not None:
                        value.encode("utf-8")
                assert item.published is None or 1900 <= item.published.year <= 2099, item.published
            else:
                assert documented(item), repr(item)
                str(item).encode("utf-8")
    return len(files)


def check_text(text: str, published: date | str | None) -> int:
    """``extract``, ``geoparse`` and ``quotes`` on one text: plausible dates, offsets into the text,
    records that serialise. The three are one analysis of the API's article (each is
    ``default_pipeline().analyse(_article(text, ...))``, keeping one part), run here once."""
    from sitrep.pipeline import default_pipeline

    try:
        analysis = default_pipeline().analyse(sitrep._article(text, published))
    except Exception as error:
        if documented(error):
            return 1
        raise
    events, places, quotes = analysis.events, analysis.places, analysis.quotes
    for event in events:
        record = event.to_dict()
        json.dumps(record, ensure_ascii=False).encode("utf-8")
        assert event.event_date is None or 1900 <= event.event_date.year <= 2099, event.event_date
        for span in event.evidence:
            assert span.text == _clean(text)[span.start:span.end]
    for place in places:
        assert place.mention.text == _clean(text)[place.mention.start:place.mention.end]
    for quote in quotes:
        json.dumps(quote.to_dict(), ensure_ascii=False).encode("utf-8")
    return 1


def _clean(text: str) -> str:
    """The text as the API reads it (lone surrogates as U+FFFD, one for one)."""
    from sitrep.read import unicode_text

    return str(unicode_text(text, "text"))


def check_export(records: list[dict[str, Any]]) -> int:
    """Every export format over event records: no exception but sitrep's own."""
    for fmt in FORMATS:
        out = io.StringIO()
        try:
            write_events(iter(records), fmt, out)
        except Exception as error:
            if not documented(error):
                raise
    return len(records)


def check_store(text: str, records: list[dict[str, Any]]) -> int:
    """Store an article and event records, then query them back: the records come back unchanged."""
    article = Article(id=_clean(text)[:20] or "a", text=_clean(text) or "x")
    with Store(":memory:") as store:
        try:
            store.add(article, records)
            back = list(store.events())
        except Exception as error:
            if documented(error):
                return 1
            raise
    assert len(back) == len({r["event_id"] for r in records})
    return 1
