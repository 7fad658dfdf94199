"""Alerts: rules matched against fused events, each delivered once per rule and again only on a material
change, through an outbox that keeps what failed until it is delivered (a webhook receiver and an SMTP
server on localhost that the tests start)."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from sitrep.alerts import Alerter, Channel, Rule, RulesError, load_rules, material_change
from sitrep.cli import cli
from sitrep.models import Article
from sitrep.pipeline import default_pipeline
from sitrep.store import Store

ROOT = Path(__file__).resolve().parents[1]

FIRST = Article(id="wire-1", published=date(2024, 3, 5), outlet="Test Wire", url="http://wire.invalid/1",
                title="Gunmen attack market near Mopti",
                text="Gunmen attack market near Mopti\n\nGunmen on motorbikes attacked a crowded livestock market near "
                     "the town of Mopti in central Mali on Tuesday, killing 12 civilians, the regional governor said.")
SECOND = Article(id="other-1", published=date(2024, 3, 6), outlet="Other Wire", url="http://other.invalid/1",
                 title="Toll of Mopti market attack rises",
                 text="Toll of Mopti market attack rises\n\nThe toll of Tuesday's attack by gunmen on a livestock "
                      "market near the town of Mopti in central Mali has risen to 15 civilians killed, a local "
                      "official said on Wednesday.")


def store_article(store: Store, article: Article) -> None:
    (analysis,) = default_pipeline().stream([article])
    assert store.add(analysis.article, [e.to_dict() for e in analysis.events])


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2024, 3, 6, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(new_db: Callable[[str], str]) -> Iterator[Store]:
    """A new store, on SQLite and on PostgreSQL."""
    with Store(new_db("alerts.db")) as s:
        yield s


def test_rules_match_on_every_condition_they_give() -> None:
    event = {"country": "Mali", "iso3": "MLI", "admin1": "Mopti", "latitude": 14.5, "longitude": -4.2,
             "event_type": "Violence against civilians", "sub_event_type": "Attack", "actor1": "JNIM: Group for "
             "Support of Islam and Muslims", "actor2": "Civilians (Mali)", "fatalities": 12, "confidence": 0.8,
             "article_ids": ["a", "b"]}
    assert Rule("all").matches(event)
    assert Rule("r", countries=frozenset({"mli"}), admin1=frozenset({"mopti"}), bbox=(-5.5, 10, 4.5, 20),
                event_types=frozenset({"attack"}), actors=("jnim",), min_fatalities=10, min_sources=2,
                min_confidence=0.5).matches(event)
    assert not Rule("r", countries=frozenset({"burkina faso"})).matches(event)
    assert not Rule("r", bbox=(0, 0, 1, 1)).matches(event)
    assert not Rule("r", event_types=frozenset({"battles"})).matches(event)
    assert not Rule("r", min_fatalities=13).matches(event)
    assert not Rule("r", min_sources=3).matches(event)
    assert not Rule("r", actors=("wagner",)).matches(event)


def test_a_material_change_is_a_rise_a_new_source_or_a_new_type() -> None:
    before = {"fatalities": 3, "sources": 1, "sub_event_type": "Attack"}
    assert material_change(None, before) == "new"
    assert material_change(before, dict(before)) is None
    assert material_change(before, {**before, "fatalities": 2}) is None  # a lower figure is no news
    assert "rose from 3 to 5" in (material_change(before, {**before, "fatalities": 5}) or "")
    assert "new source" in (material_change(before, {**before, "sources": 2}) or "")
    assert "type changed" in (material_change(before, {**before, "sub_event_type": "Armed clash"}) or "")


def test_a_matching_event_is_alerted_once_then_again_when_a_new_source_confirms(store: Store) -> None:
    out = io.StringIO()
    rules = [Rule("mali", countries=frozenset({"mali"}), min_fatalities=1), Rule("elsewhere",
                                                                              countries=frozenset({"chad"}))]
    alerter = Alerter(store, rules, {"stdout": Channel("stdout", "stdout")}, out=out)
    store_article(store, FIRST)
    alerter.article_stored(FIRST.id)
    alerter.article_stored(FIRST.id)  # the same event checked again: nothing new
    store_article(store, SECOND)  # another outlet reports the same incident: fused with the first
    alerter.article_stored(SECOND.id)
    alerter.article_stored(SECOND.id)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [a["change"] for a in lines] == ["new", "a new source (2 now)"]
    assert {a["rule"] for a in lines} == {"mali"}
    assert lines[0]["event"]["event_id"] == lines[1]["event"]["event_id"]
    assert {r["outlet"] for r in lines[1]["reports"]} == {"Test Wire", "Other Wire"}
    assert "12 fatalities" in lines[0]["event"]["notes"]


def test_a_webhook_is_signed_and_a_failed_delivery_is_retried_from_the_outbox(
        store: Store, httpserver: HTTPServer) -> None:
    received: list[Request] = []
    answers = iter([500, 200])

    def hook(request: Request) -> Response:
        received.append(request)
        return Response("", status=next(answers))

    httpserver.expect_request("/hook", method="POST").respond_with_handler(hook)
    clock = Clock()
    channel = Channel("desk", "webhook", url=httpserver.url_for("/hook"), secret="s3cret")
    alerter = Alerter(store, [Rule("all", to=("desk",))], {"desk": channel}, clock=clock)
    store_article(store, FIRST)
    alerter.article_stored(FIRST.id)  # the receiver fails: the alert stays in the outbox
    assert len(received) == 1 and len(store.pending_alerts((clock.now + timedelta(days=1)).isoformat())) == 1
    assert alerter.deliver() == 0  # not due yet: nothing is sent
    clock.now += timedelta(hours=2)
    assert alerter.deliver() == 1 and len(received) == 2
    assert not store.pending_alerts((clock.now + timedelta(days=1)).isoformat())
    body = received[-1].get_data()
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert received[-1].headers["X-Sitrep-Signature"] == expected
    assert json.loads(body)["event"]["country"] == "Mali"


def test_an_email_carries_the_notes_sources_and_links(store: Store) -> None:
    sent: list[tuple[str, str]] = []
    channel = Channel("duty", "smtp", smtp={"host": "localhost", "from": "a@b.invalid", "to": ["c@d.invalid"]})
    alerter = Alerter(store, [Rule("all", to=("duty",))], {"duty": channel},
                      send_mail=lambda c, subject, text: sent.append((subject, text)))
    store_article(store, FIRST)
    alerter.article_stored(FIRST.id)
    ((subject, text),) = sent
    assert "Mopti" in subject and "Notes: " in text and "Test Wire" in text and FIRST.url in text


def test_the_smtp_channel_speaks_smtp(store: Store) -> None:
    aiosmtpd = pytest.importorskip("aiosmtpd.controller")
    from aiosmtpd.handlers import Sink

    class Keep(Sink):
        def __init__(self) -> None:
            self.messages: list[Any] = []

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            self.messages.append(envelope)
            return "250 OK"

    import socket

    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Keep()
    controller = aiosmtpd.Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        channel = Channel("duty", "smtp", smtp={"host": "127.0.0.1", "port": port, "from": "sitrep@b.invalid",
                                                "to": ["duty@d.invalid"]})
        alerter = Alerter(store, [Rule("all", to=("duty",))], {"duty": channel})
        store_article(store, FIRST)
        alerter.article_stored(FIRST.id)
    finally:
        controller.stop()
    (envelope,) = handler.messages
    assert envelope.rcpt_tos == ["duty@d.invalid"] and b"Notes:" in envelope.content


def test_the_example_rules_load_and_bad_rules_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITREP_WEBHOOK_SECRET", "x")
    monkeypatch.setenv("SITREP_SMTP_PASSWORD", "y")
    rules, channels = load_rules(ROOT / "examples" / "alerts.yaml")
    assert rules and all(set(r.to) <= set(channels) for r in rules)
    bad = tmp_path / "alerts.yaml"
    bad.write_text("rules:\n  - name: x\n    event_types: [Skirmish]\n", encoding="utf-8")
    with pytest.raises(RulesError, match="Skirmish"):
        load_rules(bad)
    bad.write_text("rules:\n  - name: x\n    to: [pager]\n", encoding="utf-8")
    with pytest.raises(RulesError, match="no channel named pager"):
        load_rules(bad)
    sources = tmp_path / "sources.yaml"
    sources.write_text("feeds: [http://127.0.0.1:9/feed.xml]\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["watch", str(sources), "--alerts", str(bad), "--db", str(tmp_path / "d.db")])
    assert result.exit_code == 2 and "no channel named pager" in result.stderr
