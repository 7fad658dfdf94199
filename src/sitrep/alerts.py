"""Alerts: fused events that match an analyst's rules, delivered once per rule, again on a material change.

``load_rules`` reads a rules file (YAML)::

    channels:                      # where alerts go; 'stdout' needs no entry
      desk:
        webhook: https://hooks.example.org/sitrep
        secret_env: SITREP_WEBHOOK_SECRET   # HMAC-SHA256 key, read from this environment variable
      duty:
        smtp: {host: smtp.example.org, port: 587, starttls: true, from: sitrep@example.org,
               to: [duty@example.org], username: sitrep, password_env: SITREP_SMTP_PASSWORD}
    rules:
      - name: sahel-lethal
        countries: [Mali, BFA]     # ACLED country names or ISO3 codes, any case
        admin1: [Mopti]            # first-level divisions, any case
        bbox: [-5.5, 10.0, 4.5, 20.0]   # min longitude, min latitude, max longitude, max latitude
        event_types: [Battles, Attack]  # ACLED event types or sub-event types, any case
        actors: [JNIM]             # a part of actor1's or actor2's name, any case
        min_fatalities: 1
        min_sources: 1             # articles reporting the event
        min_confidence: 0.5
        to: [stdout, desk]

Every condition a rule gives must hold; a rule without conditions matches every event.

- **Once, then on a material change.** What a rule last alerted of an event (its fatalities, sources
  and sub-event type) is kept, under the id of each of the event's reports (a fused event's id can
  change when an earlier report joins it). The event is alerted again only when its fatalities rise,
  a new source reports it, or its type changes.
- **Never lost.** An alert is written to the outbox in the transaction that records it as alerted,
  then delivered; a delivery that fails stays in the outbox and is tried again after
  ``RETRY_BASE_S`` x 2^attempts seconds (at most ``RETRY_MAX_S``) until it succeeds. Delivery is at
  least once: a process killed between a delivery and its record delivers it again.
- **Channels.** stdout: one JSON object per line. Webhook: the same JSON, POSTed, with the header
  ``X-Sitrep-Signature: sha256=<hex HMAC-SHA256 of the body with the secret>``. E-mail over SMTP:
  plain text with the notes, the sources and the links.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from sitrep.errors import SitrepError, printable, yaml_file

__all__ = ["Alerter", "Channel", "Rule", "RulesError", "load_rules", "signature"]

log = logging.getLogger(__name__)

RETRY_BASE_S = 30.0
RETRY_MAX_S = 3600.0
SIGNATURE_HEADER = "X-Sitrep-Signature"


class RulesError(SitrepError):
    """A rules file that cannot be used: the file and the reason."""


@dataclass(frozen=True)
class Channel:
    """Where alerts go: ``kind`` 'stdout', 'webhook' (``url``, ``secret``) or 'smtp' (``smtp``)."""

    name: str
    kind: str
    url: str | None = None
    secret: str | None = None
    smtp: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    name: str
    countries: frozenset[str] = frozenset()
    admin1: frozenset[str] = frozenset()
    bbox: tuple[float, float, float, float] | None = None
    event_types: frozenset[str] = frozenset()
    actors: tuple[str, ...] = ()
    min_fatalities: int = 0
    min_sources: int = 0
    min_confidence: float = 0.0
    to: tuple[str, ...] = ("stdout",)

    def matches(self, event: dict[str, Any]) -> bool:
        """Whether a fused event record passes every condition of the rule."""
        if self.countries and not {_fold(event.get("country")), _fold(event.get("iso3"))} & self.countries:
            return False
        if self.admin1 and _fold(event.get("admin1")) not in self.admin1:
            return False
        if self.bbox is not None:
            lon, lat = event.get("longitude"), event.get("latitude")
            if not isinstance(lon, int | float) or not isinstance(lat, int | float):
                return False
            west, south, east, north = self.bbox
            if not (west <= lon <= east and south <= lat <= north):
                return False
        if self.event_types and not {_fold(event.get("event_type")), _fold(event.get("sub_event_type"))} \
                & self.event_types:
            return False
        if self.actors:
            names = " | ".join(str(event.get(k) or "") for k in ("actor1", "actor2")).casefold()
            if not any(a in names for a in self.actors):
                return False
        return (int(event.get("fatalities") or 0) >= self.min_fatalities
                and sources_of(event) >= self.min_sources
                and float(event.get("confidence") or 0.0) >= self.min_confidence)


def _fold(value: Any) -> str:
    return value.casefold() if isinstance(value, str) else ""


def sources_of(event: dict[str, Any]) -> int:
    """How many articles report the event."""
    ids = event.get("article_ids") or [event.get("article_id")]
    return len({i for i in ids if i})


_RULE_KEYS = {"name", "countries", "admin1", "bbox", "event_types", "actors", "min_fatalities", "min_sources",
              "min_confidence", "to"}


def load_rules(path: str | Path) -> tuple[list[Rule], dict[str, Channel]]:
    """The rules and channels of a YAML file (see the module); ``RulesError`` naming the problem."""
    path = Path(path)
    data = yaml_file(path, RulesError)
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list) or not data["rules"]:
        raise RulesError(f"{path}: a rules file is a mapping with a list of 'rules' (and 'channels')")
    channels = {"stdout": Channel("stdout", "stdout")}
    for name, spec in (data.get("channels") or {}).items():
        channels[str(name)] = _channel(str(name), spec, f"{path}: channel {name}")
    rules = []
    for n, spec in enumerate(data["rules"], 1):
        where = f"{path}: rule {n}"
        if not isinstance(spec, dict):
            raise RulesError(f"{where}: a rule is a mapping")
        unknown = sorted(str(k) for k in spec if k not in _RULE_KEYS)
        if unknown:
            raise RulesError(f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(_RULE_KEYS))}")
        rule = _rule(spec, where, n)
        missing = [c for c in rule.to if c not in channels]
        if missing:
            raise RulesError(f"{where}: no channel named {', '.join(missing)}")
        rules.append(rule)
    names = [r.name for r in rules]
    if len(set(names)) != len(names):
        raise RulesError(f"{path}: two rules have one name; each rule's name must be its own")
    return rules, channels


def _rule(spec: dict[str, Any], where: str, n: int) -> Rule:
    def words(key: str) -> list[str]:
        value = spec.get(key) or []
        value = [value] if isinstance(value, str) else value
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RulesError(f"{where}: {key} is a list of names")
        return [v.casefold() for v in value]

    def number(key: str, kind: type) -> Any:
        value = spec.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise RulesError(f"{where}: {key} is a number, at least 0")
        return kind(value)

    bbox = spec.get("bbox")
    if bbox is not None:
        if not (isinstance(bbox, list) and len(bbox) == 4 and all(isinstance(v, int | float) for v in bbox)):
            raise RulesError(f"{where}: bbox is [min longitude, min latitude, max longitude, max latitude]")
        bbox = tuple(float(v) for v in bbox)
    from sitrep.extraction.taxonomy import EVENT_TYPES, TYPE_OF

    known = {t.casefold() for t in (*EVENT_TYPES, *TYPE_OF)}
    given = spec.get("event_types") or []
    types = words("event_types")
    wrong = [str(g) for g, t in zip(given if isinstance(given, list) else [given], types, strict=True)
             if t not in known]
    if wrong:
        raise RulesError(f"{where}: {', '.join(wrong)}: no ACLED event type or sub-event type")
    to = spec.get("to", ["stdout"])
    to = [to] if isinstance(to, str) else to
    return Rule(name=str(spec.get("name") or f"rule {n}"), countries=frozenset(words("countries")),
                admin1=frozenset(words("admin1")), bbox=bbox, event_types=frozenset(types),
                actors=tuple(words("actors")), min_fatalities=number("min_fatalities", int),
                min_sources=number("min_sources", int), min_confidence=number("min_confidence", float),
                to=tuple(str(t) for t in to))


def _channel(name: str, spec: Any, where: str) -> Channel:
    if not isinstance(spec, dict):
        raise RulesError(f"{where}: a channel is a mapping with 'webhook' or 'smtp'")
    if "webhook" in spec:
        secret = None
        if spec.get("secret_env"):
            secret = os.environ.get(str(spec["secret_env"]))
            if not secret:
                raise RulesError(f"{where}: the environment variable {spec['secret_env']} (its secret) is not set")
        return Channel(name, "webhook", url=str(spec["webhook"]), secret=secret)
    if isinstance(spec.get("smtp"), dict):
        smtp = dict(spec["smtp"])
        if not smtp.get("host") or not smtp.get("to") or not smtp.get("from"):
            raise RulesError(f"{where}: smtp needs host, from and to")
        if smtp.get("password_env"):
            smtp["password"] = os.environ.get(str(smtp["password_env"]), "")
        return Channel(name, "smtp", smtp=smtp)
    if spec.get("stdout"):
        return Channel(name, "stdout")
    raise RulesError(f"{where}: a channel has 'webhook' (a URL), 'smtp' (a mapping) or 'stdout: true'")


def signature(secret: str, body: bytes) -> str:
    """The value of the ``X-Sitrep-Signature`` header: 'sha256=' and the hex HMAC-SHA256 of ``body``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def _state(event: dict[str, Any]) -> dict[str, Any]:
    return {"fatalities": int(event.get("fatalities") or 0), "sources": sources_of(event),
            "sub_event_type": event.get("sub_event_type")}


def material_change(before: dict[str, Any] | None, now: dict[str, Any]) -> str | None:
    """Why an event is alerted (again): 'new', 'fatalities rose from 3 to 5', 'a new source (2)',
    'type changed from Armed clash to Attack'; None when nothing material changed."""
    if before is None:
        return "new"
    reasons = []
    if now["fatalities"] > before.get("fatalities", 0):
        reasons.append(f"fatalities rose from {before.get('fatalities', 0)} to {now['fatalities']}")
    if now["sources"] > before.get("sources", 0):
        reasons.append(f"a new source ({now['sources']} now)")
    if now["sub_event_type"] != before.get("sub_event_type"):
        reasons.append(f"type changed from {before.get('sub_event_type')} to {now['sub_event_type']}")
    return "; ".join(reasons) or None


def payload(rule: Rule, event: dict[str, Any], change: str) -> dict[str, Any]:
    """What an alert says: the rule, why, and the event with its reports' outlets, days, titles and links."""
    keep = ("event_id", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "country", "iso3",
            "admin1", "location", "latitude", "longitude", "fatalities", "fatalities_low", "fatalities_high",
            "confidence", "notes")
    reports = [{k: r.get(k) for k in ("outlet", "published", "title", "url")}
               for r in event.get("reports") or [] if isinstance(r, dict)]
    return {"rule": rule.name, "change": change, "event": {k: event.get(k) for k in keep}, "reports": reports}


class Alerter:
    """Checks the events of stored articles against ``rules`` and delivers through ``channels``.

    ``post`` sends a webhook (url, body, headers) and raises on failure; ``send_mail`` sends an
    e-mail (channel, subject, text); ``out`` is where stdout alerts go. All replaceable for tests.
    """

    def __init__(self, store: Any, rules: Sequence[Rule], channels: dict[str, Channel],
                 out: TextIO | None = None, post: Callable[[str, bytes, dict[str, str]], None] | None = None,
                 send_mail: Callable[[Channel, str, str], None] | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self.rules = list(rules)
        self.channels = channels
        self.out = out
        self.post = post or _post
        self.send_mail = send_mail or _send_mail
        self.clock = clock or (lambda: datetime.now(UTC))

    def article_stored(self, article_id: str) -> None:
        """Check the events of a newly stored article, queue their alerts, and deliver what is due."""
        self.check(self.store.article_events(article_id))
        self.deliver()

    def check(self, event_ids: Sequence[str]) -> int:
        """Queue an alert for each rule an event matches, when new to the rule or materially changed;
        returns how many alerts were queued."""
        queued = 0
        for event_id in event_ids:
            event = self.store.event(event_id)
            if event is None:
                continue
            members = self.store.event_reports(event["event_id"])
            now = _state(event)
            for rule in self.rules:
                if not rule.matches(event):
                    continue
                change = material_change(self.store.alert_state(rule.name, members), now)
                if change is None:
                    continue
                body = json.dumps(payload(rule, event, change), ensure_ascii=False)
                self.store.queue_alert(rule.name, event["event_id"], members, now, [(c, body) for c in rule.to],
                                       self._stamp())
                queued += len(rule.to)
        return queued

    def deliver(self) -> int:
        """Deliver every alert due in the outbox; failures stay, to be tried again. Returns how many
        were delivered."""
        delivered = 0
        for alert in self.store.pending_alerts(self._stamp()):
            channel = self.channels.get(alert["channel"])
            try:
                if channel is None:
                    raise SitrepError(f"no channel named {alert['channel']} in the rules file")
                self._send(channel, alert["payload"])
            except Exception as err:  # any failure of a channel: kept, tried again later
                attempts = alert["attempts"] + 1
                wait = min(RETRY_BASE_S * 2 ** (attempts - 1), RETRY_MAX_S)
                reason = " ".join(f"{type(err).__name__}: {err}".split())[:300]
                log.warning("alert %d (%s, %s) not delivered: %s; trying again in %.0f s", alert["id"],
                            printable(alert["rule"]), printable(alert["channel"]), printable(reason), wait)
                self.store.alert_failed(alert["id"], reason, self._stamp(wait))
            else:
                self.store.alert_delivered(alert["id"], self._stamp())
                delivered += 1
        return delivered

    def _send(self, channel: Channel, body: str) -> None:
        if channel.kind == "stdout":
            out = self.out or sys.stdout
            out.write(body + "\n")
            out.flush()
        elif channel.kind == "webhook":
            data = body.encode("utf-8")
            headers = {"Content-Type": "application/json"}
            if channel.secret:
                headers[SIGNATURE_HEADER] = signature(channel.secret, data)
            self.post(channel.url or "", data, headers)
        else:
            alert = json.loads(body)
            self.send_mail(channel, _subject(alert), _mail_text(alert))

    def _stamp(self, after: float = 0.0) -> str:
        return (self.clock() + timedelta(seconds=after)).isoformat(timespec="seconds")


def _post(url: str, body: bytes, headers: dict[str, str]) -> None:
    import httpx

    from sitrep.fetch import USER_AGENT

    response = httpx.post(url, content=body, headers={"User-Agent": USER_AGENT, **headers}, timeout=20.0)
    response.raise_for_status()


def _subject(alert: dict[str, Any]) -> str:
    e = alert["event"]
    return (f"[sitrep] {alert['rule']}: {e.get('sub_event_type')} in {e.get('location') or e.get('country')}, "
            f"{e.get('event_date') or 'undated'}, {e.get('fatalities') or 0} fatalities ({alert['change']})")


def _mail_text(alert: dict[str, Any]) -> str:
    e = alert["event"]
    lines = [f"Rule: {alert['rule']} ({alert['change']})", "",
             f"{e.get('event_type')} / {e.get('sub_event_type')}",
             f"{e.get('event_date') or 'undated'}, {e.get('location')}, {e.get('admin1')}, {e.get('country')}",
             f"{e.get('actor1')}" + (f" vs {e.get('actor2')}" if e.get("actor2") else ""),
             f"Fatalities: {e.get('fatalities')}", "", f"Notes: {e.get('notes')}", "", "Sources:"]
    for r in alert["reports"]:
        lines.append(f"- {r.get('outlet') or 'unknown outlet'}, {r.get('published') or 'undated'}: "
                     f"{r.get('title') or ''} {r.get('url') or ''}".rstrip())
    lines += ["", f"Event {e.get('event_id')}: sitrep event {e.get('event_id')}"]
    return "\n".join(lines) + "\n"


def _send_mail(channel: Channel, subject: str, text: str) -> None:
    import smtplib
    from email.message import EmailMessage

    smtp = channel.smtp
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = str(smtp["from"])
    to = smtp["to"] if isinstance(smtp["to"], list) else [smtp["to"]]
    message["To"] = ", ".join(str(t) for t in to)
    message.set_content(text)
    with smtplib.SMTP(str(smtp["host"]), int(smtp.get("port", 25)), timeout=20) as server:
        if smtp.get("starttls"):
            server.starttls()
        if smtp.get("username"):
            server.login(str(smtp["username"]), str(smtp.get("password", "")))
        server.send_message(message)
