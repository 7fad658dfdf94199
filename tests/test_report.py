"""The situation report: our own articles through the real pipeline into a store, then `sitrep report`."""

from __future__ import annotations

import base64
import json
import re
import sqlite3
import sys
from collections import Counter
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sitrep import report
from sitrep.cli import cli
from sitrep.models import Article
from sitrep.pipeline import default_pipeline
from sitrep.store import Store

WIRE_URL = "https://example.org/wire/market-strike"
ARTICLES = [
    {"id": "wire-1", "outlet": "Example Wire", "published": "2019-03-04", "title": "Market struck", "url": WIRE_URL,
     "text": "Government warplanes struck a market in the town of Saraqib in Idlib province on Sunday, killing "
             "nine civilians, the Syrian Observatory for Human Rights said."},
    {"id": "daily-1", "outlet": "Example Daily", "published": "2019-03-04", "title": "Saraqib market bombed",
     "url": "javascript:alert('daily')",
     "text": "Syrian jets bombed the market of Saraqib in Idlib province on Sunday, killing 11 civilians, "
             "rescue workers said."},
    {"id": "daily-2", "outlet": "Example Daily", "published": "2019-03-09", "title": "Traders march",
     "text": "Hundreds of traders marched peacefully through Nairobi on Friday to protest against new taxes."},
    {"id": "daily-3", "outlet": "Example Daily", "published": "2019-02-19", "title": "Villagers killed",
     "text": "Gunmen killed four villagers in the town of Gusau in Zamfara state on Monday, police said."},
]
HOSTILE = Article(
    id="hostile-1", title="<script>alert('title')</script> Clashes", outlet="Example <b>Post</b>",
    url='https://example.com/a"><script>alert(1)</script>', published=date(2019, 3, 20),
    text="Rebels and government forces clashed in Idlib province on Tuesday, leaving 14 fighters dead, "
         "the Syrian Observatory for Human Rights said.")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("report")
    source = folder / "in.jsonl"
    source.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    path = str(folder / "s.db")
    code, _, err = run("ingest", str(source), "--db", path, "-q")
    assert code == 0, err
    # A title and an outlet with markup, as a writer other than the readers (which strip it) may store.
    with Store(path) as store:
        store.add(HOSTILE, [e.to_dict() for e in default_pipeline().analyse(HOSTILE).events])
    return path


@pytest.fixture(scope="module")
def postgresql_db(postgresql_database: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The store of ``db``, made the same way in a PostgreSQL database."""
    from tests.conftest import postgresql_schema

    address = postgresql_schema(postgresql_database)
    folder = tmp_path_factory.mktemp("report-pg")
    source = folder / "in.jsonl"
    source.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    code, _, err = run("ingest", str(source), "--db", address, "-q")
    assert code == 0, err
    with Store(address) as store:
        store.add(HOSTILE, [e.to_dict() for e in default_pipeline().analyse(HOSTILE).events])
    return address


def stored(db: str, **filters: Any) -> list[dict[str, Any]]:
    with Store(db, create=False) as store:
        return list(store.events(**filters))


def write_report(db: str, folder: Path, *args: str) -> tuple[str, str]:
    out = folder / "report.html"
    code, _, err = run("report", "--db", db, "-o", str(out), *args)
    assert code == 0, err
    return out.read_text(encoding="utf-8"), err


class Page(HTMLParser):
    """The text of each element with an id, every tag with its attributes, and the CSS."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.by_id: dict[str, str] = {}
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.css = ""
        self._open: list[tuple[str, str | None]] = []
        self.html = html
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("img", "meta", "br"):
            self._open.append((tag, dict(attrs).get("id")))
            if dict(attrs).get("id"):
                self.by_id[str(dict(attrs)["id"])] = ""

    def handle_endtag(self, tag: str) -> None:
        while self._open and self._open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self._open and self._open[-1][0] == "style":
            self.css += data
        for _, element in self._open:
            if element:
                self.by_id[element] += data

    def text(self, element: str) -> str:
        return " ".join(self.by_id[element].split())

    def table(self, element: str) -> list[list[str]]:
        rows = re.findall(r"<tr>(.*?)</tr>", self.html.split(f'id="{element}"')[1].split("</table>")[0], re.S)
        return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)]
                for r in rows]


def test_the_report_gives_the_figures_of_the_store(db: str, tmp_path: Path) -> None:
    html, err = write_report(db, tmp_path)
    events = stored(db)
    page = Page(html)
    assert page.text("fig-events") == str(len(events)) == "4"
    assert page.text("fig-fatalities") == str(sum(e["fatalities"] for e in events))
    kinds = Counter(e["event_type"] for e in events)
    rows = {r[0]: r[1:3] for r in page.table("by-type")[1:]}
    assert rows == {k: [str(n), str(sum(e["fatalities"] for e in events if e["event_type"] == k))]
                    for k, n in kinds.items()}
    with Store(db, create=False) as store:
        articles = store.counts()["articles"]
    assert page.text("articles") == f"5 articles reported these events ({articles} articles in the database)"
    assert page.text("reviewed").startswith("0 of 4 events confirmed or corrected by an analyst (0%)")
    assert [tag for tag, attrs in page.tags if tag == "img" and attrs["id"] in ("map", "weekly")] == ["img", "img"]
    assert f"Report on 4 events written to {tmp_path / 'report.html'}." in err


def test_the_top_events_come_with_their_notes_sources_and_links(db: str, tmp_path: Path) -> None:
    html, _ = write_report(db, tmp_path)
    page = Page(html)
    (strike,) = [e for e in stored(db) if e["location"] == "Saraqib"]
    top = [attrs["id"] for tag, attrs in page.tags if tag == "li" and (attrs.get("id") or "").startswith("event-")]
    assert len(top) == 4 and top[0] != f"event-{strike['event_id']}"  # the 14 dead of the clash come first
    listed = page.text(f"event-{strike['event_id']}")
    assert strike["notes"] in listed and "Syrian Observatory for Human Rights" in listed
    assert "fatalities reported from 9 to 11" in listed
    assert [attrs["href"] for tag, attrs in page.tags if tag == "a"] == [HOSTILE.url, WIRE_URL]
    assert "(javascript:alert(&#39;daily&#39;))" in html  # an address that is no web link is shown, not linked
    outlets = page.table("outlets")[1:]
    assert outlets[0] == ["Example Daily", "3", "3"] and ["Example Wire", "1", "1"] in outlets


def test_the_page_loads_nothing_and_escapes_what_articles_say(db: str, tmp_path: Path) -> None:
    html, _ = write_report(db, tmp_path)
    page = Page(html)
    assert {tag for tag, _ in page.tags}.isdisjoint({"script", "link", "iframe", "object", "embed", "base"})
    assert all(str(attrs["src"]).startswith("data:image/svg+xml;base64,") for _, attrs in page.tags if "src" in attrs)
    (policy,) = [attrs["content"] for tag, attrs in page.tags if attrs.get("http-equiv") == "Content-Security-Policy"]
    assert policy == "default-src 'none'; img-src data:; style-src 'unsafe-inline'"  # the browser loads nothing
    assert "url(" not in page.css and "@import" not in page.css
    assert not any(re.match(r"on", name) for _, attrs in page.tags for name in attrs)
    assert set(re.findall(r"https?://[^\s\"'<>&]+", html)) == {WIRE_URL, "https://example.com/a"}
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Clashes" in html
    assert "Example &lt;b&gt;Post&lt;/b&gt;" in html
    assert '<a href="https://example.com/a&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">' in html


def test_filters_apply_and_the_period_before_is_compared(db: str, tmp_path: Path) -> None:
    html, _ = write_report(db, tmp_path, "--country", "KEN")
    page = Page(html)
    assert page.text("fig-events") == "1" and "Nairobi" in html and "Saraqib" not in html
    assert "Situation report: KEN, 2019-03-08 to 2019-03-08" in html and "<dd>country: KEN</dd>" in html

    html, _ = write_report(db, tmp_path, "--since", "2019-03-01", "--until", "2019-03-28")
    page = Page(html)
    now = stored(db, since=date(2019, 3, 1), until=date(2019, 3, 28))
    before = stored(db, since=date(2019, 2, 1), until=date(2019, 2, 28))
    assert len(before) == 1 and len(now) == 3
    assert page.text("fig-events") == "3"
    assert page.text("fig-change-events") == "+2"
    assert "events against the 28 days before (2019-02-01 to 2019-02-28: 1)" in " ".join(html.split())
    dead_now, dead_before = sum(e["fatalities"] for e in now), sum(e["fatalities"] for e in before)
    assert page.text("fig-change-fatalities") == f"+{dead_now - dead_before}"
    assert ["Violence against civilians", "0", "0", "1", str(dead_before)] in page.table("by-type")

    _, _, err = run("report", "--db", db, "--since", "2019-03-28", "--until", "2019-03-01", "-o", str(tmp_path / "x"))
    assert "is after --until" in err and not (tmp_path / "x").exists()


def test_an_empty_selection_gives_a_valid_report_that_says_so(db: str, tmp_path: Path) -> None:
    html, err = write_report(db, tmp_path, "--since", "2030-01-01", "--until", "2030-01-31")
    page = Page(html)
    assert page.text("fig-events") == "0" and page.text("fig-fatalities") == "0"
    assert page.text("no-events").startswith("No stored event matches these filters from 2030-01-01 to 2030-01-31.")
    assert not [tag for tag, _ in page.tags if tag == "img"] and html.rstrip().endswith("</html>")
    assert "No stored event matches these filters" in err


def test_a_missing_database_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("report", "--db", str(tmp_path / "none.db"), "-o", str(tmp_path / "r.html"))
    assert code == 2 and "No database at" in err and not (tmp_path / "none.db").exists()


@pytest.mark.parametrize("module", ["jinja2", "matplotlib.figure"])
def test_without_the_extra_the_error_says_how_to_install_it(db: str, tmp_path: Path, module: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # as if not installed: importing it fails
    code, _, err = run("report", "--db", db, "-o", str(tmp_path / "r.html"))
    assert code == 1 and "pip install 'sitrep[report]'" in err and not (tmp_path / "r.html").exists()


def test_the_same_store_gives_the_same_page(db: str) -> None:
    now = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    with Store(db, create=False) as store:
        assert report.render(store, {"country": "Syria"}, now) == report.render(store, {"country": "Syria"}, now)


class Records:
    """An in-memory event source: the records given, the date filters applied."""

    def __init__(self, records: list[dict[str, Any]], articles: int = 0) -> None:
        self.records, self.articles = records, articles

    def events(self, country: str | None = None, since: date | None = None, until: date | None = None,
               event_type: str | None = None, actor: str | None = None, fused: bool = True, *,
               reviewed: str | None = None) -> Any:
        for r in self.records:
            if reviewed is None and (r.get("review") or {}).get("status") == "rejected":
                continue
            day = r.get("event_date")
            if (since or until) and not day:
                continue
            if (since and day < since.isoformat()) or (until and day > until.isoformat()):
                continue
            yield r

    def counts(self) -> dict[str, int]:
        return {"articles": self.articles, "events": len(self.records)}


def event(event_id: str, day: str | None, dead: int, review: dict[str, str] | None = None) -> dict[str, Any]:
    record = {"event_id": event_id, "event_date": day, "event_type": "Battles", "fatalities": dead,
              "reports": [{"article_id": f"a-{event_id}", "outlet": "Example Wire"}]}
    return record if review is None else {**record, "review": review}


def test_review_counts_and_rejected_events_leave_every_figure() -> None:
    source = Records([
        event("a", "2024-05-06", 3),
        event("b", "2024-05-08", 2, {"status": "confirmed", "by": "x", "at": "2024-05-09T00:00:00Z"}),
        event("c", "2024-05-20", 7, {"status": "rejected", "by": "x", "at": "2024-05-21T00:00:00Z"}),
        event("d", "2024-05-21", 1, {"status": "corrected", "by": "x", "at": "2024-05-22T00:00:00Z"}),
        event("e", None, 4),
    ], articles=9)
    s = report.summarize(source, {}, datetime(2024, 6, 1, tzinfo=UTC))
    assert [e["event_id"] for e in s.events] == ["a", "b", "d", "e"] and s.rejected == 1
    assert (s.fatalities, s.reviewed, s.reviewed_share, s.undated) == (10, 2, 0.5, 1)
    assert s.period == report.Period(date(2024, 5, 6), date(2024, 5, 21))
    assert s.weekly == [(date(2024, 5, 6), 2, 5), (date(2024, 5, 13), 0, 0), (date(2024, 5, 20), 1, 1)]
    assert (s.articles, s.articles_stored, s.outlets) == (4, 9, [("Example Wire", 4, 4)])
    html = report.page(s)
    assert "2 of 4 events confirmed or corrected by an analyst (50%)" in html
    assert "1 event an analyst rejected left out of every figure" in html
    assert "1 undated event is in the totals but in no week." in html


def test_a_period_with_only_a_first_day_runs_to_the_last_event_or_today() -> None:
    now = datetime(2024, 6, 1, tzinfo=UTC)
    s = report.summarize(Records([event("a", "2024-05-06", 3)]), {"since": date(2024, 5, 1)}, now)
    assert s.period == report.Period(date(2024, 5, 1), date(2024, 5, 6))
    assert s.previous == (report.Period(date(2024, 4, 25), date(2024, 4, 30)), 0, 0)
    s = report.summarize(Records([]), {"since": date(2024, 5, 1)}, now)
    assert s.period == report.Period(date(2024, 5, 1), date(2024, 6, 1)) and s.weekly[0][1:] == (0, 0)
    assert report.summarize(Records([event("e", None, 4)]), {}, now).period is None
    far = report.summarize(Records([event("a", "2024-05-06", 3)]), {"since": date(2024, 5, 1),
                                                                    "until": date(9999, 12, 31)}, now)
    assert far.weekly == [(date(2024, 5, 6), 1, 3)] and "2024-05-01 to 9999-12-31" in report.page(far)
    with pytest.raises(ValueError, match="unknown report filters \\['bbox'\\]"):
        report.summarize(Records([]), {"bbox": (0, 0, 1, 1)}, now)


def test_many_points_are_one_image_in_the_map() -> None:
    def records(n: int) -> list[dict[str, Any]]:
        return [{**event(f"e{i}", f"2024-05-{1 + i % 28:02d}", i % 7), "latitude": 10.0 + (i % 97) / 10,
                 "longitude": 20.0 + (i % 89) / 10, "geo_precision": 1 + i % 3} for i in range(n)]

    def map_svg(n: int) -> str:
        html = report.render(Records(records(n)), {}, datetime(2024, 6, 1, tzinfo=UTC))
        (uri,) = re.findall(r'id="map" src="data:image/svg\+xml;base64,([^"]+)"', html)
        return base64.b64decode(uri).decode("utf-8")

    few, many = map_svg(report.VECTOR_POINTS), map_svg(report.VECTOR_POINTS + 1)
    assert "<image" not in few and few.count("<path") > report.VECTOR_POINTS  # a path per point
    assert "<image" in many and many.count("<path") < report.VECTOR_POINTS / 4


def test_a_postgresql_store_gives_the_same_page(db: str, postgresql_db: str) -> None:
    now = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    for filters in ({}, {"country": "Syria", "since": date(2019, 3, 1)}):
        with Store(db, create=False) as lite, Store(postgresql_db, create=False) as pg:
            assert report.render(pg, filters, now) == report.render(lite, filters, now)


@pytest.fixture
def reviewed_db(db: str, tmp_path: Path) -> str:
    """A copy of ``db`` in which an analyst confirmed the strike on the market and rejected the march."""
    path = str(tmp_path / "reviewed.db")
    with sqlite3.connect(db) as source, sqlite3.connect(path) as copy:
        source.backup(copy)
    with Store(path) as store:
        by_place = {e["location"]: e["event_id"] for e in store.events()}
        store.review(by_place["Saraqib"], "confirmed", by="analyst")
        store.review(by_place["Nairobi"], "rejected", by="analyst")
    return path


def test_reviews_in_the_store_give_the_reviewed_share_and_rejected_events_leave(reviewed_db: str,
                                                                                tmp_path: Path) -> None:
    html, _ = write_report(reviewed_db, tmp_path)
    page = Page(html)
    kept = stored(reviewed_db)
    assert len(kept) == 3 and page.text("fig-events") == "3" and "Nairobi" not in html
    assert page.text("reviewed") == ("1 of 3 events confirmed or corrected by an analyst (33%); the others are as "
                                     "sitrep read them; 1 event an analyst rejected left out of every figure")


def test_get_report_serves_the_page(reviewed_db: str) -> None:
    from fastapi.testclient import TestClient

    from sitrep.serve import create_app

    with TestClient(create_app(reviewed_db, public_read=True)) as client:
        answer = client.get("/report", params={"country": "Syria", "since": "2019-03-01"})
        assert answer.status_code == 200 and answer.headers["content-type"] == "text/html; charset=utf-8"
        assert answer.headers["content-security-policy"] == report.POLICY
        page = Page(answer.text)
        assert page.text("fig-events") == str(len(stored(reviewed_db, country="Syria", since=date(2019, 3, 1))))
        assert "<dd>country: Syria; since: 2019-03-01</dd>" in answer.text
        assert client.get("/report", params={"type": "Picnic"}).status_code == 422
        assert client.get("/report", params={"since": "2019-03-09", "until": "2019-03-01"}).status_code == 422
    with TestClient(create_app(reviewed_db)) as client:
        assert client.get("/report").status_code == 401
