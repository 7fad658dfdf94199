"""The dashboard in a real browser: headless Chromium driven by Playwright against ``sitrep serve`` on a
store made from articles written here, through the whole pipeline. Skipped, with the reason, when
Chromium, Playwright or the serve extra is missing."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bench.browser import browser, chromium, serving, settle
from sitrep.cli import cli

CHROMIUM, WHY_NOT = chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=WHY_NOT)
pytest.importorskip("fastapi", reason="the serve extra is not installed (pip install 'sitrep[serve]')")
pytest.importorskip("sitrep.serve", reason="sitrep serve is not part of this build")

ASIDE = " Residents said the market had reopened only a month before."
ARTICLES = [
    {"id": "wire-1", "outlet": "Example Wire", "published": "2019-03-04", "title": "Strike on Saraqib",
     "url": "https://news.example.org/wire-1",
     "text": "Government warplanes struck a market in the town of Saraqib in Idlib province on Sunday, killing "
             "nine civilians, the Syrian Observatory for Human Rights said." + ASIDE},
    {"id": "daily-1", "outlet": "Example Daily", "published": "2019-03-04", "title": "Saraqib market bombed",
     "url": "https://daily.example.org/saraqib",
     "text": "Syrian jets bombed the market of Saraqib in Idlib province on Sunday, killing 11 civilians, "
             "rescue workers said." + ASIDE},
    {"id": "daily-2", "outlet": "Example Daily", "published": "2019-03-09", "title": "Protest in Kenya",
     "text": "Hundreds of traders marched peacefully through Nairobi on Friday to protest against new taxes."},
    {"id": "post-1", "outlet": "Example Post", "published": "2019-03-20", "title": "Clashes in Mali",
     "text": "Malian soldiers clashed with jihadist fighters in Mopti region on Tuesday, leaving four soldiers "
             "dead, the army said in a statement."},
    {"id": "post-2", "outlet": "Example Post", "published": "2019-04-02", "title": "Bomb in Somalia",
     "text": "A roadside bomb exploded in Mogadishu on Monday, killing three people, police said."},
    {"id": "post-3", "outlet": "Example Post", "published": "2019-03-27", "title": "Village attacked",
     "text": "Gunmen attacked a village in Idlib province on Monday, killing five civilians, the Syrian "
             "Observatory for Human Rights said."},
]

COUNT_MARKERS = """() => document.querySelectorAll('#map path.ev-marker').length
    + [...document.querySelectorAll('#map .ev-cluster')].reduce((n, c) => n + Number(c.dataset.count), 0)"""


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("dashboard")
    db = str(folder / "s.db")
    source = folder / "in.jsonl"
    source.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    run("ingest", str(source), "--db", db, "-q")
    events = [json.loads(line) for line in run("export", "--db", db, "--format", "jsonl").splitlines()]
    token = run("token", "create", "--role", "reviewer", "--db", db).strip().splitlines()[-1]
    return {"db": db, "events": events, "token": token}


@pytest.fixture(scope="module")
def server(store: dict[str, Any]) -> Iterator[str]:
    with serving(store["db"]) as url:
        yield url


@pytest.fixture(scope="module")
def chrome() -> Iterator[Any]:
    assert CHROMIUM is not None
    with browser(CHROMIUM) as b:
        yield b


@pytest.fixture
def page(chrome: Any, server: str, store: dict[str, Any]) -> Iterator[Any]:
    """A dashboard page with the reviewer's token entered (reads need a token: no --public-read)."""
    context = chrome.new_context(viewport={"width": 1440, "height": 900})
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    p.goto(server + "/")
    p.fill("#token", store["token"])
    p.click("#token-form button[type=submit]")
    settle(p)
    yield p
    context.close()
    assert not errors, errors


def placed(events: list[dict[str, Any]], **where: Any) -> list[dict[str, Any]]:
    return [e for e in events if e["latitude"] is not None and all(e.get(k) == v for k, v in where.items())]


def test_the_map_shows_every_placed_event_with_its_precision(page: Any, store: dict[str, Any]) -> None:
    expected = placed(store["events"])
    assert len(expected) >= 4
    assert page.evaluate(COUNT_MARKERS) == len(expected)
    assert page.get_attribute("#map", "data-events") == str(len(expected))
    assert f"{len(store['events'])} events match" in page.inner_text("#status")
    # A town point and a region's centroid are drawn differently: solid, and a dashed ring.
    assert {1, 3} <= {e["geo_precision"] for e in expected}
    town = page.locator("#map path.ev-p1").first
    region = page.locator("#map path.ev-p3").first
    assert town.get_attribute("stroke-dasharray") is None and region.get_attribute("stroke-dasharray")
    assert float(region.get_attribute("fill-opacity") or 1) < float(town.get_attribute("fill-opacity") or 0)
    assert page.locator(".ev-row").count() == len(expected)


def test_a_filter_changes_the_markers_and_the_address_keeps_it(page: Any, server: str, store: dict[str, Any]) -> None:
    syria = placed(store["events"], country="Syria")
    assert 0 < len(syria) < len(placed(store["events"]))
    page.fill("#f-country", "Syria")
    page.press("#f-country", "Enter")
    settle(page)
    assert page.evaluate(COUNT_MARKERS) == len(syria)
    assert "country=Syria" in page.url
    shared = page.context.new_page()  # the address shared: the same view in a new page
    shared.goto(page.url)
    shared.fill("#token", store["token"])
    shared.click("#token-form button[type=submit]")
    settle(shared)
    assert shared.input_value("#f-country") == "Syria"
    assert shared.evaluate(COUNT_MARKERS) == len(syria)


def test_brushing_the_timeline_filters_the_map(page: Any, store: dict[str, Any]) -> None:
    box = page.locator("#timeline .u-over").bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.3, y, steps=8)
    page.mouse.up()
    settle(page)
    since = re.search(r"since=([0-9-]+)", page.url)
    until = re.search(r"until=([0-9-]+)", page.url)
    assert since and until, page.url
    assert page.input_value("#f-since") == since.group(1) and page.input_value("#f-until") == until.group(1)
    inside = [e for e in placed(store["events"])
              if e["event_date"] and since.group(1) <= e["event_date"] <= until.group(1)]
    assert 0 < len(inside) < len(placed(store["events"]))
    assert page.evaluate(COUNT_MARKERS) == len(inside)
    page.click("#tl-clear")
    settle(page)
    assert page.evaluate(COUNT_MARKERS) == len(placed(store["events"]))


def test_the_event_panel_highlights_the_evidence_in_each_report(page: Any, store: dict[str, Any]) -> None:
    (fused,) = [e for e in store["events"] if len(e.get("article_ids") or []) == 2]
    page.click(f".ev-row[data-id='{fused['event_id']}']")
    settle(page)
    assert page.locator("#panel").is_visible()
    assert f"event={fused['event_id']}" in page.url
    reports = page.locator("#ev-reports .report")
    assert reports.count() == 2
    for i in range(2):
        text = reports.nth(i).locator(".article-text")
        marks = text.locator("mark.evidence").all_inner_texts()
        assert marks and all("Saraqib" in m for m in marks)
        assert ASIDE.strip() in text.inner_text() and not any("Residents" in m for m in marks)
        # The article is text: its only elements are the highlights.
        assert text.evaluate("t => [...t.querySelectorAll('*')].every(e => e.tagName === 'MARK')")
    links = page.locator("#ev-reports a").evaluate_all("as => as.map(a => a.href)")
    assert sorted(links) == ["https://daily.example.org/saraqib", "https://news.example.org/wire-1"]
    assert page.locator("#ev-sources tr").count() >= 2


def test_the_keyboard_opens_and_closes_an_event(page: Any) -> None:
    page.focus(".ev-row >> nth=0")
    page.keyboard.press("Enter")
    settle(page)
    assert page.locator("#panel").is_visible()
    assert page.evaluate("document.getElementById('panel').contains(document.activeElement)")
    page.keyboard.press("Escape")
    assert page.locator("#events").is_visible() and not page.locator("#panel").is_visible()
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
        .filter(i => i.type !== 'hidden' && !i.labels.length && !i.getAttribute('aria-label')).map(i => i.id)""")
    assert unlabelled == []


def test_a_review_appears_in_the_audit_trail(page: Any, store: dict[str, Any]) -> None:
    (nairobi,) = placed(store["events"], article_id="daily-2")
    page.click(f".ev-row[data-id='{nairobi['event_id']}']")
    settle(page)
    assert page.locator("#review-tools").is_visible()
    page.fill("#rv-note", "Checked against the traders' union statement")
    page.click("#rv-confirm")
    settle(page)
    assert page.inner_text("#review-message") == "Confirmed."
    entry = page.locator("#ev-audit li.audit-entry").last
    assert "confirmed" in entry.inner_text() and "traders' union statement" in entry.inner_text()
    page.click("#panel-close")
    settle(page)
    assert page.locator(f".ev-row[data-id='{nairobi['event_id']}'] .badge").inner_text() == "confirmed"
    page.select_option("#f-review", "unreviewed")
    settle(page)
    assert page.evaluate(COUNT_MARKERS) == len(placed(store["events"])) - 1


def test_reads_without_a_token_ask_for_one(chrome: Any, server: str) -> None:
    p = chrome.new_page()
    p.goto(server + "/")
    settle(p)
    assert "token" in p.inner_text("#status")
    assert p.evaluate(COUNT_MARKERS) == 0
    p.close()


def test_the_page_and_its_libraries_are_served_from_the_package(server: str) -> None:
    import httpx

    page = httpx.get(server + "/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    for src in re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text):
        assert httpx.get(server + src).status_code == 200, src
    assert "http" not in "".join(re.findall(r'(?:src|href)="([^"]+)"', page.text))  # no CDN
    world = httpx.get(server + "/static/world/countries-110m.json").json()
    assert world["type"] == "Topology" and "countries" in world["objects"]
    assert Path(__file__).parents[1].joinpath("src/sitrep/web/vendor/README.md").exists()


def test_a_link_with_a_token_opens_the_data_and_drops_the_token(chrome: Any, server: str,
                                                                store: dict[str, Any]) -> None:
    p = chrome.new_page()
    p.goto(f"{server}/?country=Kenya#token={store['token']}")
    settle(p)
    assert p.evaluate(COUNT_MARKERS) == len(placed(store["events"], country="Kenya")) == 1
    assert "token" not in p.url and p.url.endswith("?country=Kenya")
    p.close()


def test_the_situation_report_opens_offline_and_shows_its_figures(chrome: Any, store: dict[str, Any],
                                                                   tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="the report extra is not installed (pip install 'sitrep[report]')")
    html = tmp_path / "report.html"
    run("report", "--db", store["db"], "-o", str(html))
    events = [json.loads(line) for line in run("export", "--db", store["db"], "--format", "jsonl").splitlines()]
    kept = [e for e in events if (e.get("review") or {}).get("status") != "rejected"]
    p = chrome.new_page()
    asked: list[str] = []
    p.on("request", lambda r: asked.append(r.url))
    p.goto(html.as_uri())
    p.wait_for_load_state("load")
    assert p.inner_text("#fig-events") == str(len(kept))
    assert p.inner_text("#fig-fatalities") == str(sum(e["fatalities"] for e in kept))
    for chart in ("#map", "#weekly"):  # the charts are drawn, from inside the file
        assert p.eval_on_selector(chart, "img => img.complete && img.naturalWidth > 0")
    assert all(u.startswith(("file:", "data:")) for u in asked), asked
    p.close()


def test_merge_then_split_in_the_panel(page: Any, store: dict[str, Any]) -> None:
    (village,) = placed(store["events"], article_id="post-3")
    (fused,) = [e for e in store["events"] if len(e.get("article_ids") or []) == 2]
    everything = len(placed(store["events"]))
    page.click(f".ev-row[data-id='{village['event_id']}']")
    settle(page)
    page.click("#review details:has(#rv-merge) summary")
    page.fill("#rv-merge-ids", fused["event_id"])
    page.fill("#rv-note", "one strike told twice")
    page.click("#rv-merge")
    settle(page)
    assert page.inner_text("#review-message") == "Merged."
    assert page.locator("#ev-reports .report").count() == 3
    assert page.locator("#ev-audit li[data-action='merge']").count() == 1
    assert page.evaluate(COUNT_MARKERS) == everything - 1
    page.click("#review details:has(#rv-split) summary")
    page.check("#rv-split-list input[value='post-3']")
    page.click("#rv-split")
    settle(page)
    assert page.inner_text("#review-message") == "Split."
    assert page.locator("#ev-reports .report").count() == 2
    assert page.locator("#ev-audit li[data-action='split']").count() == 1
    assert page.evaluate(COUNT_MARKERS) == everything
