"""``sitrep watch`` against a feed and page server on localhost that the tests start (pytest-httpserver):
pages read instead of summaries, conditional GET (304), retries, dedup, robots.txt, folders, ``--once``
(on the example sources), ``--status``. The fetcher alone: test_fetch.py; SIGTERM and SIGKILL:
test_watch_signals.py."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from sitrep.cli import cli
from sitrep.fetch import Fetcher
from sitrep.pipeline import default_pipeline
from sitrep.store import Store
from sitrep.watch import Settings, Source, SourcesError, Watcher, canonical_url, load_sources

ROOT = Path(__file__).resolve().parents[1]

# Our own dispatches: a short summary in the feed, the whole story on the page.
STORIES = {
    "mopti": ("Gunmen attack market near Mopti",
              "Gunmen attacked a market near Mopti on Tuesday.",
              ["Gunmen on motorbikes attacked a crowded livestock market near the town of Mopti in central "
               "Mali on Tuesday morning, killing 12 civilians, the regional governor said.",
               "Witnesses said the attackers fired on traders and set fire to stalls before fleeing into the "
               "bush. Soldiers arrived at the market two hours later, a trader told reporters.",
               "The governor said that the army had opened an inquiry and that the wounded had been taken to "
               "the hospital in Sevare, where doctors were treating nine people for gunshot wounds."]),
    "goma": ("Protest in Goma over insecurity",
             "Residents of Goma marched on Monday.",
             ["Hundreds of residents of Goma in eastern Democratic Republic of Congo marched peacefully through "
              "the city centre on Monday to demand better protection from armed groups, organisers said.",
              "The marchers carried banners calling on the government to act and gathered in front of the "
              "provincial governor's office, where they delivered a letter before dispersing.",
              "Police watched the march from a distance and no incident was reported, a local journalist "
              "said in a telephone interview on Monday evening."]),
}
PAGE_ONLY = "doctors were treating nine people"


def page(title: str, paragraphs: list[str]) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html lang=\"en\"><head><title>{title}</title><meta property=\"og:site_name\" content=\"Test Wire\">"
            f"</head><body><nav><a href=\"/\">Home</a></nav><article><h1>{title}</h1>{body}</article>"
            "<footer>Copyright Test Wire</footer></body></html>")


def rss(items: list[dict[str, str]], title: str = "Test Wire") -> str:
    parts = []
    for item in items:
        guid = f"<guid>{item['guid']}</guid>" if item.get("guid") else ""
        parts.append(f"<item><title>{item['title']}</title><link>{item['link']}</link>{guid}"
                     f"<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate>"
                     f"<description>{item['summary']}</description></item>")
    return (f"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>"
            f"<link>http://example.invalid/</link>{''.join(parts)}</channel></rss>")


def items_for(server: HTTPServer, names: list[str]) -> list[dict[str, str]]:
    return [{"guid": f"urn:test:{name}", "title": STORIES[name][0], "link": server.url_for(f"/news/{name}"),
             "summary": STORIES[name][1]} for name in names]


def serve_pages(server: HTTPServer, names: list[str]) -> None:
    for name in names:
        title, _, paragraphs = STORIES[name]
        server.expect_request(f"/news/{name}").respond_with_data(page(title, paragraphs), content_type="text/html")


def serve_robots(server: HTTPServer, text: str = "User-agent: *\nDisallow: /private/\n") -> None:
    server.expect_request("/robots.txt").respond_with_data(text, content_type="text/plain")


FAST = Settings(delay=0.0, backoff=0.01, retries=2, timeout=5.0)


def feed_source(server: HTTPServer, path: str = "/feed.xml", **settings: Any) -> Source:
    from dataclasses import replace

    return Source("feed", server.url_for(path), replace(FAST, **settings))


@pytest.fixture
def store(new_db: Callable[[str], str]) -> Iterator[Store]:
    """A new store, on SQLite and on PostgreSQL."""
    with Store(new_db("watch.db")) as s:
        yield s


def watcher(sources: list[Source], store: Store) -> Watcher:
    return Watcher(sources, store, default_pipeline())


def texts(store: Store) -> dict[str, str]:
    rows = store._conn.execute("SELECT url, text FROM articles")
    return {url: text for url, text in rows}


def test_items_are_read_from_their_pages_politely(httpserver: HTTPServer, store: Store) -> None:
    serve_robots(httpserver)
    httpserver.expect_request("/feed.xml").respond_with_data(rss(items_for(httpserver, ["mopti", "goma"])),
                                                             content_type="application/rss+xml")
    serve_pages(httpserver, ["mopti", "goma"])
    (result,) = watcher([feed_source(httpserver)], store).run(once=True)
    assert (result.new, result.failed, result.error) == (2, 0, None)
    stored = texts(store)
    assert PAGE_ONLY in stored[httpserver.url_for("/news/mopti")]  # the page, not the summary
    events = list(store.events())
    assert any(e["country"] == "Mali" for e in events)
    agents = {request.headers.get("User-Agent") for request, _ in httpserver.log}
    assert len(agents) == 1 and agents.pop().startswith("sitrep/")
    assert httpserver.log[0][0].path == "/robots.txt"
    state = store.source_state(feed_source(httpserver).location)
    assert state["last_success"] and state["failures"] == 0


def test_a_feed_not_modified_is_not_read_again(httpserver: HTTPServer, store: Store) -> None:
    serve_robots(httpserver)
    feed = rss(items_for(httpserver, ["goma"]))

    def conditional(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(feed, content_type="application/rss+xml", headers={"ETag": '"v1"'})

    httpserver.expect_request("/feed.xml").respond_with_handler(conditional)
    serve_pages(httpserver, ["goma"])
    w = watcher([feed_source(httpserver)], store)
    first = w.run(once=True)[0]
    second = w.run(once=True)[0]
    assert first.new == 1 and not first.not_modified
    assert second.not_modified and second.new == second.skipped == 0
    feed_requests = [r for r, _ in httpserver.log if r.path == "/feed.xml"]
    assert feed_requests[-1].headers.get("If-None-Match") == '"v1"'
    assert store.source_state(feed_source(httpserver).location)["etag"] == '"v1"'


def test_a_server_error_is_retried_and_a_failing_feed_stops_no_other(httpserver: HTTPServer, store: Store) -> None:
    serve_robots(httpserver)
    httpserver.expect_oneshot_request("/feed.xml").respond_with_data("busy", status=503)
    httpserver.expect_request("/feed.xml").respond_with_data(rss(items_for(httpserver, ["mopti"])),
                                                             content_type="application/rss+xml")
    httpserver.expect_request("/broken.xml").respond_with_data("down", status=500)
    serve_pages(httpserver, ["mopti"])
    broken, good = feed_source(httpserver, "/broken.xml"), feed_source(httpserver)
    results = watcher([broken, good], store).run(once=True)
    assert results[0].error and "HTTP 500" in results[0].error and results[1].new == 1
    assert len([r for r, _ in httpserver.log if r.path == "/broken.xml"]) == 1 + FAST.retries
    state = store.source_state(broken.location)
    assert state["failures"] == 1 and "HTTP 500" in state["last_error"] and state["last_success"] is None
    # the failing feed recovers on a later poll
    httpserver.clear_all_handlers()
    serve_robots(httpserver)
    httpserver.expect_request("/broken.xml").respond_with_data(rss(items_for(httpserver, ["goma"]), "Other"),
                                                               content_type="application/rss+xml")
    serve_pages(httpserver, ["goma"])
    (again,) = watcher([broken], store).run(once=True)
    assert again.new == 1 and store.source_state(broken.location)["failures"] == 0


def test_a_re_polled_or_re_published_item_is_analysed_once(httpserver: HTTPServer, store: Store) -> None:
    serve_robots(httpserver)
    first = items_for(httpserver, ["mopti"])
    # re-published: a new guid and a tracking parameter on the same link; copied: another URL, same text
    moved = [{**first[0], "guid": "urn:test:mopti-again", "link": first[0]["link"] + "?utm_source=rss"}]
    copied = [{**first[0], "guid": "urn:test:mopti-copy", "link": httpserver.url_for("/copy/mopti")}]
    handler = httpserver.expect_request("/feed.xml")
    handler.respond_with_data(rss(first), content_type="application/rss+xml")
    serve_pages(httpserver, ["mopti"])
    title, _, paragraphs = STORIES["mopti"]
    httpserver.expect_request("/copy/mopti").respond_with_data(page(title, paragraphs), content_type="text/html")
    w = watcher([feed_source(httpserver)], store)
    assert w.run(once=True)[0].new == 1
    assert w.run(once=True)[0].skipped == 1  # polled again: known by its guid
    handler.respond_with_data(rss(moved), content_type="application/rss+xml")
    assert w.run(once=True)[0].skipped == 1  # known by its canonical URL: its page is not even fetched
    handler.respond_with_data(rss(copied), content_type="application/rss+xml")
    assert w.run(once=True)[0].skipped == 1  # known by its text
    assert store.counts()["articles"] == 1
    assert len([r for r, _ in httpserver.log if r.path == "/news/mopti"]) == 1


def test_the_summary_is_read_when_the_page_cannot_be(httpserver: HTTPServer, store: Store) -> None:
    serve_robots(httpserver, "User-agent: *\nDisallow: /news/goma\n")
    httpserver.expect_request("/feed.xml").respond_with_data(rss(items_for(httpserver, ["mopti", "goma"])),
                                                             content_type="application/rss+xml")
    httpserver.expect_request("/news/mopti").respond_with_data(b"%PDF-1.4", content_type="application/pdf")
    (result,) = watcher([feed_source(httpserver)], store).run(once=True)
    assert result.new == 2
    stored = texts(store)
    assert stored[httpserver.url_for("/news/mopti")].endswith(STORIES["mopti"][1])
    assert stored[httpserver.url_for("/news/goma")].endswith(STORIES["goma"][1])
    assert "/news/goma" not in [r.path for r, _ in httpserver.log]  # robots.txt honoured


def test_oversized_and_malformed_bodies_are_errors_not_crashes(httpserver: HTTPServer, store: Store) -> None:
    serve_robots(httpserver)
    httpserver.expect_request("/big.xml").respond_with_data(b"<rss>" + b" " * 4096, content_type="text/xml")
    httpserver.expect_request("/bad.xml").respond_with_data(b"this is no feed <<<", content_type="text/xml")
    results = watcher([feed_source(httpserver, "/big.xml", max_bytes=1024), feed_source(httpserver, "/bad.xml")],
                      store).run(once=True)
    assert "limit" in (results[0].error or "") and "not a valid RSS or Atom feed" in (results[1].error or "")


def test_redirects_are_followed_and_gzip_read(httpserver: HTTPServer, store: Store) -> None:
    import gzip

    serve_robots(httpserver)
    httpserver.expect_request("/old.xml").respond_with_data("", status=301,
                                                            headers={"Location": httpserver.url_for("/feed.xml")})
    body = gzip.compress(rss(items_for(httpserver, ["goma"])).encode())
    httpserver.expect_request("/feed.xml").respond_with_data(
        body, content_type="application/rss+xml", headers={"Content-Encoding": "gzip"})
    serve_pages(httpserver, ["goma"])
    (result,) = watcher([feed_source(httpserver, "/old.xml")], store).run(once=True)
    assert result.new == 1


def test_a_watched_folder_is_read_once_per_file(tmp_path: Path, store: Store) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "mopti.txt").write_text(" ".join(STORIES["mopti"][2]), encoding="utf-8")
    w = watcher([Source("folder", str(inbox), FAST)], store)
    assert w.run(once=True)[0].new == 1
    (inbox / "goma.txt").write_text(" ".join(STORIES["goma"][2]), encoding="utf-8")
    (inbox / "copy.txt").write_text(" ".join(STORIES["mopti"][2]) + "\n", encoding="utf-8")
    result = w.run(once=True)[0]
    assert (result.new, result.skipped) == (1, 1)
    assert store.counts()["articles"] == 2


def test_canonical_urls() -> None:
    assert canonical_url("HTTPS://Example.ORG:443/a/b/?utm_source=x&b=2&a=1#top") == "https://example.org/a/b?a=1&b=2"
    assert canonical_url("ftp://example.org/x") is None and canonical_url(None) is None


def test_a_bad_sources_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "sources.yaml"
    bad.write_text("feeds:\n  - url: example.org/rss\n", encoding="utf-8")
    with pytest.raises(SourcesError, match="not an http"):
        load_sources(bad)
    bad.write_text("feeds:\n  - url: https://example.org/rss\n    intervall: 5\n", encoding="utf-8")
    with pytest.raises(SourcesError, match="unknown key"):
        load_sources(bad)
    result = CliRunner().invoke(cli, ["watch", str(bad), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2 and "unknown key" in result.stderr


def uncommented(text: str) -> str:
    """A sources file with the commented-out block that begins '# feeds:' made live."""
    lines, live = [], False
    for line in text.splitlines():
        live = line.startswith("# feeds:") or (live and line.startswith("#   "))
        lines.append(line[2:] if live else line)
    return "\n".join(lines) + "\n"


def test_the_example_sources_watch_only_their_folder_as_shipped(tmp_path: Path) -> None:
    example = ROOT / "examples" / "sources.yaml"
    sources = load_sources(example)
    assert [s.kind for s in sources] == ["folder"]  # no feed: --once on it needs no network
    db = str(tmp_path / "x.db")
    result = CliRunner().invoke(cli, ["watch", str(example), "--db", db, "--once"])
    assert result.exit_code == 0, result.output
    assert "1 sources polled" in result.stderr and "; 0 sources failed" in result.stderr
    with Store(db) as store:
        assert store.counts()["articles"] >= 5 and list(store.events())
    again = CliRunner().invoke(cli, ["watch", str(example), "--db", db, "--once"])
    assert "0 new articles stored" in again.stderr
    feeds = load_sources_text(tmp_path, uncommented(example.read_text(encoding="utf-8")))
    assert len([s for s in feeds if s.kind == "feed"]) >= 5  # the public feeds, once uncommented
    assert all(s.location.startswith("https://") for s in feeds if s.kind == "feed")


def load_sources_text(tmp_path: Path, text: str) -> list[Source]:
    path = tmp_path / "live.yaml"
    path.write_text(text, encoding="utf-8")
    return load_sources(path)


def sources_file(tmp_path: Path, server: HTTPServer) -> Path:
    """examples/sources.yaml with its feeds uncommented and pointed at the local server, its folder an
    empty one."""
    import yaml

    text = uncommented((ROOT / "examples" / "sources.yaml").read_text(encoding="utf-8"))
    example = yaml.safe_load(text)
    example["defaults"] = {**example.get("defaults", {}), "delay": 0, "backoff": 0.01, "timeout": 10}
    example["feeds"] = [{**feed, "url": server.url_for(f"/feed{n}.xml")} for n, feed in enumerate(example["feeds"])]
    (tmp_path / "inbox").mkdir(exist_ok=True)
    example["folders"] = [{"path": "inbox"}]
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump(example), encoding="utf-8")
    return path


def test_watch_once_on_the_example_sources_and_status(httpserver: HTTPServer, tmp_path: Path) -> None:
    serve_robots(httpserver)
    sources = sources_file(tmp_path, httpserver)
    feeds = load_sources(sources)[:-1]
    for n, _ in enumerate(feeds):
        names = ["mopti", "goma"][n % 2:n % 2 + 1]
        httpserver.expect_request(f"/feed{n}.xml").respond_with_data(rss(items_for(httpserver, names), f"Wire {n}"),
                                                                     content_type="application/rss+xml")
    serve_pages(httpserver, ["mopti", "goma"])
    db = str(tmp_path / "w.db")
    rules = tmp_path / "alerts.yaml"
    rules.write_text("rules:\n  - name: mali\n    countries: [Mali]\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["watch", str(sources), "--db", db, "--once", "--alerts", str(rules)])
    assert result.exit_code == 0, result.output
    assert f"{len(feeds) + 1} sources polled, 2 new articles stored" in result.stderr
    alerts = [json.loads(line) for line in result.stdout.splitlines()]
    assert alerts and {a["rule"] for a in alerts} == {"mali"} and alerts[0]["event"]["country"] == "Mali"
    status = CliRunner().invoke(cli, ["watch", "--status", "--db", db])
    assert status.exit_code == 0 and httpserver.url_for("/feed0.xml") in status.stdout
    assert "1 articles" in status.stdout and f"{len(alerts)} alerts" in status.stdout


def test_fetcher_backs_off_with_jitter_and_honours_retry_after(httpserver: HTTPServer) -> None:
    serve_robots(httpserver)
    httpserver.expect_oneshot_request("/x").respond_with_data("", status=429, headers={"Retry-After": "7"})
    httpserver.expect_oneshot_request("/x").respond_with_data("", status=502)
    httpserver.expect_request("/x").respond_with_data("ok")
    waits: list[float] = []
    fetcher = Fetcher(delay=0, backoff=1.0, retries=3, sleep=waits.append)
    assert fetcher.get(httpserver.url_for("/x")).content == b"ok"
    assert waits[0] == 7 and 2 <= waits[1] <= 3  # Retry-After, then 1 x 2^1 plus up to 1 s of jitter


def test_the_readme_sources_and_rules_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    from sitrep.alerts import load_rules

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Watching feeds and folders"):]
    sources_text, rules_text = re.findall(r"```yaml\n(.*?)```", section, re.S)[:2]
    (tmp_path / "incoming").mkdir()
    sources = load_sources_text(tmp_path, sources_text)
    assert [s.kind for s in sources] == ["feed", "folder"] and sources[0].settings.interval == 600
    monkeypatch.setenv("SITREP_WEBHOOK_SECRET", "x")
    monkeypatch.setenv("SITREP_SMTP_PASSWORD", "y")
    rules_file = tmp_path / "alerts.yaml"
    rules_file.write_text(rules_text, encoding="utf-8")
    rules, channels = load_rules(rules_file)
    assert [r.name for r in rules] == ["sahel-lethal"] and set(channels) >= {"desk", "duty"}


def test_a_page_in_a_legacy_encoding_is_read_right(httpserver: HTTPServer, store: Store) -> None:
    """Its charset told by the HTTP header only, or by the page's own meta tag only."""
    serve_robots(httpserver)
    sources = []
    for name, charset, declared in (("latin", "iso-8859-1", "header"), ("meta", "windows-1252", "meta")):
        story = [f"Des hommes armés ont attaqué jeudi le marché de Ségou, au centre du Mali, tuant huit civils, "
                 f"selon un élu local joint par téléphone ({name}).",
                 "Les assaillants, arrivés à moto, ont incendié des étals avant de fuir vers la brousse, ont "
                 "raconté des commerçants à la préfecture."]
        html = page("Attaque à Ségou", story).replace('lang="en"', 'lang="fr"')
        if declared == "meta":
            html = html.replace("<head>", f'<head><meta charset="{charset}">')
        content_type = f"text/html; charset={charset}" if declared == "header" else "text/html"
        httpserver.expect_request(f"/fr/{name}").respond_with_data(html.encode(charset), content_type=content_type)
        item = {"guid": f"urn:test:{name}", "title": "Attaque à Ségou", "link": httpserver.url_for(f"/fr/{name}"),
                "summary": "Attaque à Ségou."}
        httpserver.expect_request(f"/{name}.xml").respond_with_data(rss([item]), content_type="application/rss+xml")
        sources.append(feed_source(httpserver, f"/{name}.xml", language="fr"))
    results = watcher(sources, store).run(once=True)
    assert [r.new for r in results] == [1, 1]
    for name in ("latin", "meta"):
        text = texts(store)[httpserver.url_for(f"/fr/{name}")]
        assert "armés ont attaqué jeudi le marché de Ségou" in text and f"({name})" in text, text[:150]
