"""The HTTP API (``sitrep serve``) through the framework's test client, on stores our own articles
make through the real pipeline, SQLite and PostgreSQL: reads, filters, paging, formats, access,
review, merge, split and the audit log, and corrections that survive re-ingest and ``fuse --rebuild``."""

from __future__ import annotations

import csv
import io
import json
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from sitrep.cli import cli
from sitrep.serve import create_app
from tests.conftest import postgresql_schema

ARTICLES = [
    {"id": "mog-1", "outlet": "Coast Herald", "published": "2021-06-15", "title": "Car bomb in Mogadishu",
     "text": "A car bomb exploded near a police checkpoint in Mogadishu on Tuesday, killing seven people, "
             "police said."},
    {"id": "mog-2", "outlet": "Horn Times", "published": "2021-06-15", "title": "Blast at Mogadishu checkpoint",
     "text": "A car bomb went off at a police checkpoint in Mogadishu on Tuesday, killing at least nine people, "
             "a police officer said."},
    {"id": "mai-1", "outlet": "Sahel Daily", "published": "2021-06-21", "title": "Base attacked near Maiduguri",
     "text": "Boko Haram fighters attacked a military base near Maiduguri on Sunday, killing four soldiers, "
             "the army said."},
    {"id": "nbo-1", "outlet": "Lake News", "published": "2021-06-26", "title": "Teachers march",
     "text": "Hundreds of teachers marched peacefully through Nairobi on Friday to demand higher pay."},
    {"id": "sar-1", "outlet": "Levant Wire", "published": "2021-06-08", "title": "Strike on Saraqib",
     "text": "Russian warplanes struck the town of Saraqib in Idlib province on Monday, killing five civilians, "
             "rescuers said. <script>alert('x')</script>"},
]
LATE = {"id": "mog-3", "outlet": "Gulf Courier", "published": "2021-06-16", "title": "Mogadishu toll rises",
        "text": "A car bomb at a police checkpoint in Mogadishu on Tuesday killed 12 people, officials said on "
                "Wednesday."}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def ingest(db: str, folder: Path, articles: list[dict[str, str]], *more: str) -> None:
    path = folder / "in.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    code, _, err = run("ingest", str(path), "--db", db, "-q", *more)
    assert code == 0, err


def new_token(db: str, role: str, name: str | None = None) -> str:
    code, out, err = run("token", "create", "--role", role, "--db", db, *(["--name", name] if name else []))
    assert code == 0, err
    return out.splitlines()[-1]


def make_store(db: str, folder: Path) -> tuple[str, dict[str, str]]:
    """A store of ``ARTICLES`` at ``db`` with a token of each role (a reader, rita; a reviewer, alice;
    an admin, named by default)."""
    ingest(db, folder, ARTICLES)
    tokens = {role: new_token(db, role, name) for role, name in
              (("reader", "rita"), ("reviewer", "alice"), ("admin", None))}
    return db, tokens


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Callable[[], str]:
    """``database()``: the address of a new, empty database of each kind (SQLite, PostgreSQL)."""
    if request.param == "sqlite":
        folder = tmp_path_factory.mktemp("dbs")
        return lambda: str(folder / f"{secrets.token_hex(4)}.db")
    server: str = request.getfixturevalue("postgresql_database")
    return lambda: postgresql_schema(server)


@pytest.fixture(scope="module")
def made(database: Callable[[], str], tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    """A store the read tests share."""
    return make_store(database(), tmp_path_factory.mktemp("serve"))


@pytest.fixture
def writable(database: Callable[[], str], tmp_path: Path) -> tuple[str, dict[str, str]]:
    """A store of its own, for a test that changes it."""
    return make_store(database(), tmp_path)


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


OPEN: list[TestClient] = []
"""The clients of a test, closed after it (the application then closes its connections)."""


@pytest.fixture(autouse=True)
def close_clients() -> Iterator[None]:
    yield
    while OPEN:
        OPEN.pop().__exit__(None, None, None)


class Api:
    """A test client that sends a token of one role."""

    def __init__(self, db: str, token: str | None, public_read: bool = False) -> None:
        self.client = TestClient(create_app(db, public_read=public_read))
        self.client.__enter__()
        OPEN.append(self.client)
        self.headers = auth(token) if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params=params, headers=self.headers)

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(path, json=body, headers=self.headers)

    def events(self, **params: Any) -> dict[str, Any]:
        answer = self.get("/events", **params)
        assert answer.status_code == 200, answer.text
        return answer.json()  # type: ignore[no-any-return]


@pytest.fixture
def reader(made: tuple[str, dict[str, str]]) -> Iterator[Api]:
    yield Api(made[0], made[1]["reader"])


def event_at(api: Api, location: str, **params: Any) -> dict[str, Any]:
    (found,) = [e for e in api.events(reviewed="all", **params)["events"] if e["location"] == location]
    return found


# -- reads -------------------------------------------------------------------------------------------


def test_events_are_fused_and_counted(reader: Api) -> None:
    page = reader.events()
    assert page["total"] == 4 and len(page["events"]) == 4
    assert [e["event_date"] for e in page["events"]] == sorted(e["event_date"] for e in page["events"])
    mogadishu = event_at(reader, "Mogadishu")
    assert sorted(mogadishu["article_ids"]) == ["mog-1", "mog-2"] and len(mogadishu["reports"]) == 2
    assert reader.events(fused="false")["total"] == 5


@pytest.mark.parametrize(("params", "locations"), [
    ({"country": "Somalia"}, ["Mogadishu"]),
    ({"country": "nga"}, ["Maiduguri"]),
    ({"since": "2021-06-15", "until": "2021-06-20"}, ["Mogadishu", "Maiduguri"]),
    ({"type": "battles"}, ["Maiduguri"]),
    ({"type": "Peaceful protest"}, ["Nairobi"]),
    ({"actor": "boko"}, ["Maiduguri"]),
    ({"bbox": "40,-5,50,5"}, ["Mogadishu"]),
    ({"bbox": "30,-10,60,15"}, ["Mogadishu", "Nairobi"]),
    ({"bbox": "170,-90,-170,90"}, []),
    ({"sort": "-fatalities", "limit": 2}, ["Mogadishu", "Saraqib"]),
    ({"sort": "-date", "limit": 2, "offset": 1}, ["Maiduguri", "Mogadishu"]),
])
def test_filters_sorting_and_paging(reader: Api, params: dict[str, Any], locations: list[str]) -> None:
    page = reader.events(**params)
    assert [e["location"] for e in page["events"]] == locations
    if "limit" not in params:
        assert page["total"] == len(locations)
    else:
        assert page["total"] == 4 and page["limit"] == params["limit"]


def test_a_country_that_matches_nothing_is_told_the_stored_names_close_to_it(reader: Api) -> None:
    page = reader.events(country="Somaliaa")
    assert page["total"] == 0 and page["did_you_mean"] == ["Somalia"]
    assert "did_you_mean" not in reader.events(country="Somalia", since="2030-01-01")  # right name, no event
    assert "did_you_mean" not in reader.events(country="Somalia")


def test_pages_of_reports(reader: Api) -> None:
    page = reader.events(fused="false", sort="-fatalities", limit=2)
    assert page["total"] == 5 and [e["article_id"] for e in page["events"]] == ["mog-2", "mog-1"]
    assert "fusion" not in page["events"][0] and page["events"][0]["fatalities"] == 9
    page = reader.events(fused="false", sort="-fatalities", limit=2, offset=4)
    assert [e["location"] for e in page["events"]] == ["Nairobi"]


def test_geojson_and_acled_csv(reader: Api) -> None:
    answer = reader.get("/events", format="geojson", limit=3)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/geo+json")
    collection = answer.json()
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 3
    assert answer.headers["x-total-count"] == "4"
    feature = collection["features"][0]
    assert feature["geometry"]["type"] == "Point" and feature["properties"]["event_id"] == feature["id"]
    answer = reader.get("/events", format="acled-csv", country="Somalia")
    assert answer.headers["content-type"].startswith("text/csv")
    (row,) = csv.DictReader(io.StringIO(answer.text))
    assert row["location"] == "Mogadishu" and {"Coast Herald", "Horn Times"} <= set(row["source"].split("; "))


def test_one_event_with_its_reports_sources_and_evidence(reader: Api) -> None:
    mogadishu = event_at(reader, "Mogadishu")
    answer = reader.get(f"/events/{mogadishu['event_id']}")
    assert answer.status_code == 200
    event = answer.json()
    assert len(event["reports"]) == 2 and event["links"] and event["sources"]
    assert all(r["evidence"] and r["outlet"] for r in event["reports"])
    other = next(r["event_id"] for r in event["reports"] if r["event_id"] != event["event_id"])
    assert reader.get(f"/events/{other}").json()["event_id"] == event["event_id"]  # by a report's id too


def test_an_article_with_the_spans_read_from_it(reader: Api) -> None:
    answer = reader.get("/articles/sar-1")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    assert answer.headers["x-content-type-options"] == "nosniff"
    article = answer.json()
    assert "<script>alert('x')</script>" in article["text"]  # the text as a JSON string, as written
    (span,) = article["spans"]
    assert article["text"][span["start"]:span["end"]] == span["text"] and "Saraqib" in span["text"]
    assert span["event_id"] == event_at(reader, "Saraqib")["event_id"]


def test_stats_by_week_country_and_type(reader: Api) -> None:
    answer = reader.get("/stats")
    assert answer.status_code == 200
    stats = answer.json()
    assert stats["events"] == 4
    assert stats["fatalities"] == sum(e["fatalities"] for e in reader.events()["events"])
    assert [w["week"] for w in stats["by_week"]] == ["2021-06-07", "2021-06-14", "2021-06-21"]
    assert [w["events"] for w in stats["by_week"]] == [1, 2, 1]
    assert {c["country"] for c in stats["by_country"]} == {"Somalia", "Nigeria", "Kenya", "Syria"}
    assert sum(t["events"] for t in stats["by_type"]) == 4
    assert reader.get("/stats", country="Kenya").json()["by_type"] == [
        {"event_type": "Protests", "events": 1, "fatalities": 0}]


def test_openapi_document(made: tuple[str, dict[str, str]]) -> None:
    answer = Api(made[0], None).client.get("/openapi.json")
    assert answer.status_code == 200
    paths = answer.json()["paths"]
    assert {"/events", "/events/{event_id}", "/articles/{article_id}", "/stats", "/events/{event_id}/review",
            "/events/merge", "/events/{event_id}/split", "/events/{event_id}/audit"} <= set(paths)


@pytest.mark.parametrize(("path", "params", "status", "words"), [
    ("/events/no-such-event", {}, 404, "no-such-event"),
    ("/events/no-such-event/audit", {}, 404, "no-such-event"),
    ("/articles/no-such-article", {}, 404, "no-such-article"),
    ("/no-such-page", {}, 404, "Not Found"),
    ("/events", {"limit": 0}, 422, "limit"),
    ("/events", {"limit": 5000}, 422, "limit"),
    ("/events", {"since": "last week"}, 422, "since"),
    ("/events", {"since": "2021-07-01", "until": "2021-06-01"}, 422, "after"),
    ("/events", {"type": "Skirmish"}, 422, "Skirmish"),
    ("/events", {"format": "xml"}, 422, "format"),
    ("/events", {"sort": "country"}, 422, "sort"),
    ("/events", {"bbox": "1,2,3"}, 422, "bbox"),
    ("/events", {"bbox": "10,20,30,10"}, 422, "south is above north"),
    ("/events", {"bbox": "10,-95,30,10"}, 422, "latitudes"),
    ("/stats", {"reviewed": "maybe"}, 422, "reviewed"),
])
def test_errors_are_json_with_a_message(reader: Api, path: str, params: dict[str, Any], status: int,
                                        words: str) -> None:
    answer = reader.get(path, **params)
    assert answer.status_code == status
    body = answer.json()
    assert body["status"] == status and words in body["message"]


# -- access -------------------------------------------------------------------------------------------


def test_reads_need_a_token_unless_public(made: tuple[str, dict[str, str]]) -> None:
    db, tokens = made
    for token in (None, "sitrep_nothing_here"):
        answer = Api(db, token).get("/events")
        assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer"
        assert "token" in answer.json()["message"]
    for role in ("reader", "reviewer", "admin"):
        assert Api(db, tokens[role]).get("/events").status_code == 200
    public = Api(db, None, public_read=True)
    assert public.get("/events").status_code == 200 and public.get("/stats").status_code == 200
    some = public.events()["events"][0]["event_id"]
    assert public.post(f"/events/{some}/review", {"status": "confirmed"}).status_code == 401


def test_writes_need_a_reviewer_token(made: tuple[str, dict[str, str]]) -> None:
    db, tokens = made
    some = Api(db, tokens["reader"]).events()["events"][0]["event_id"]
    for token, status in ((None, 401), ("sitrep_nothing_here", 401), (tokens["reader"], 403)):
        api = Api(db, token)
        assert api.post(f"/events/{some}/review", {"status": "confirmed"}).status_code == status
        assert api.post("/events/merge", {"ids": [some, "x"]}).status_code == status
        assert api.post(f"/events/{some}/split", {"article_ids": ["mog-1"]}).status_code == status
        # refused before the body is even read
        assert api.post(f"/events/{some}/review", {"status": "approved"}).status_code == status
    assert Api(db, tokens["reader"]).get(f"/events/{some}/audit").json()["entries"] == []


def test_tokens_are_stored_hashed_listed_and_revoked(writable: tuple[str, dict[str, str]]) -> None:
    db, tokens = writable
    if not db.startswith("postgresql://"):
        dump = Path(db).read_bytes()
        assert all(token.encode() not in dump for token in tokens.values())
    code, out, _ = run("token", "list", "--db", db)
    assert code == 0 and "rita" in out and "alice" in out and "admin-" in out
    assert all(token not in out for token in tokens.values())
    rita = next(line.split()[0] for line in out.splitlines() if "rita" in line)
    assert run("token", "revoke", rita, "--db", db)[0] == 0
    assert Api(db, tokens["reader"]).get("/events").status_code == 401
    assert run("token", "revoke", rita, "--db", db)[0] == 2
    assert run("token", "create", "--role", "boss", "--db", db)[0] == 2


def test_admins_manage_tokens_over_the_api_and_each_change_names_them(writable: tuple[str, dict[str, str]]) -> None:
    db, tokens = writable
    for token, status in ((None, 401), ("sitrep_nothing_here", 401), (tokens["reader"], 403),
                          (tokens["reviewer"], 403)):
        api = Api(db, token)
        assert api.get("/tokens").status_code == status
        assert api.post("/tokens", {"role": "admin", "name": "mallory"}).status_code == status
        assert api.post("/tokens/anything/revoke", {}).status_code == status
        if status == 403:
            assert "manage tokens" in api.get("/tokens").json()["message"]
    admin = Api(db, tokens["admin"])
    listed = admin.get("/tokens")
    assert listed.status_code == 200
    assert all(token not in listed.text for token in tokens.values()) and "hash" not in listed.text
    holders = {t["name"]: t for t in listed.json()["tokens"]}
    assert holders["rita"]["role"] == "reader" and holders["alice"]["role"] == "reviewer"
    admin_name = next(name for name, t in holders.items() if t["role"] == "admin")
    assert holders["rita"]["created_by"] is None  # made on the command line

    made = admin.post("/tokens", {"role": "reviewer", "name": "bob"})
    assert made.status_code == 201, made.text
    bob = made.json()
    assert bob["role"] == "reviewer" and bob["name"] == "bob" and bob["created_by"] == admin_name
    assert bob["token"].startswith("sitrep_") and bob["token"] not in admin.get("/tokens").text
    assert made.headers["cache-control"] == "no-store"
    some = Api(db, bob["token"]).events()["events"][0]["event_id"]
    assert Api(db, bob["token"]).post(f"/events/{some}/review", {"status": "confirmed"}).status_code == 200
    assert [e["by"] for e in audit(admin, some)] == ["bob"]

    revoked = admin.post(f"/tokens/{bob['id']}/revoke", {})
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["revoked_by"] == admin_name and revoked.json()["revoked_at"]
    assert Api(db, bob["token"]).get("/events").status_code == 401
    assert admin.post(f"/tokens/{bob['id']}/revoke", {}).status_code == 404
    assert admin.post("/tokens/0000beef/revoke", {}).status_code == 404
    for body in ({"role": "boss"}, {"role": "reader", "name": "  "}, {"role": "reader", "extra": 1}, {}):
        assert admin.post("/tokens", body).status_code == 422, body
    code, out, _ = run("token", "list", "--db", db)
    (line,) = [line for line in out.splitlines() if "bob" in line]
    assert code == 0
    assert f"by {admin_name}" in line and "revoked" in line
    # an admin's token made over the API manages tokens in turn
    second = admin.post("/tokens", {"role": "admin"}).json()
    assert second["name"].startswith("admin-") and Api(db, second["token"]).get("/tokens").status_code == 200


# -- review --------------------------------------------------------------------------------------------


def audit(api: Api, event_id: str) -> list[dict[str, Any]]:
    answer = api.get(f"/events/{event_id}/audit")
    assert answer.status_code == 200, answer.text
    return answer.json()["entries"]  # type: ignore[no-any-return]


def test_confirm_correct_and_reject_each_in_the_audit_log(writable: tuple[str, dict[str, str]]) -> None:
    db, tokens = writable
    alice = Api(db, tokens["reviewer"])
    mogadishu = event_at(alice, "Mogadishu")
    eid = mogadishu["event_id"]

    answer = alice.post(f"/events/{eid}/review", {"status": "confirmed", "note": "two outlets agree"})
    assert answer.status_code == 200, answer.text
    confirmed = answer.json()
    assert confirmed["review"]["status"] == "confirmed" and confirmed["review"]["by"] == "alice"
    (entry,) = audit(alice, eid)
    assert entry["action"] == "confirm" and entry["by"] == "alice" and entry["note"] == "two outlets agree"
    assert entry["before"]["review"] is None and entry["after"]["review"] == "confirmed"

    fields = {"fatalities": 7, "sub_event_type": "Suicide bomb", "actor1": "Al Shabaab"}
    answer = alice.post(f"/events/{eid}/review", {"status": "corrected", "fields": fields, "note": "the lowest"})
    assert answer.status_code == 200, answer.text
    corrected = answer.json()
    assert corrected["fatalities"] == 7 and corrected["sub_event_type"] == "Suicide bomb"
    # the UCDP range follows the analyst's figure; the machine's stays visible beside it
    assert corrected["fatalities_low"] == corrected["fatalities_best"] == corrected["fatalities_high"] == 7
    assert corrected["review"]["machine"]["fatalities_best"] == mogadishu["fatalities_best"] != 7
    assert corrected["event_type"] == "Explosions/Remote violence" and corrected["actor1"] == "Al Shabaab"
    assert corrected["review"]["status"] == "corrected"
    assert {"fatalities", "sub_event_type", "actor1"} <= set(corrected["review"]["corrected"])
    assert corrected["review"]["machine"]["fatalities"] == mogadishu["fatalities"]
    first, second = audit(alice, eid)
    assert second["action"] == "correct" and second["seq"] > first["seq"]
    assert second["before"]["fatalities"] == mogadishu["fatalities"] and second["after"]["fatalities"] == 7
    assert alice.get(f"/events/{eid}").json()["fatalities"] == 7
    assert [e["location"] for e in alice.events(reviewed="only")["events"]] == ["Mogadishu"]
    assert alice.events(type="Suicide bomb")["total"] == 1

    nairobi = event_at(alice, "Nairobi")["event_id"]
    answer = alice.post(f"/events/{nairobi}/review", {"status": "rejected", "note": "not political"})
    assert answer.status_code == 200 and answer.json()["review"]["status"] == "rejected"
    assert "Nairobi" not in [e["location"] for e in alice.events()["events"]]
    assert [e["location"] for e in alice.events(reviewed="rejected")["events"]] == ["Nairobi"]
    assert alice.get("/stats").json()["events"] == 3
    (entry,) = audit(alice, nairobi)
    assert entry["action"] == "reject" and entry["after"]["review"] == "rejected"


@pytest.mark.parametrize(("body", "words"), [
    ({"status": "approved"}, "status"),
    ({"status": "corrected"}, "needs the fields"),
    ({"status": "confirmed", "fields": {"fatalities": 3}}, "only with status 'corrected'"),
    ({"status": "corrected", "fields": {"fatalities": -1}}, "fatalities"),
    ({"status": "corrected", "fields": {"colour": "red"}}, "colour"),
    ({"status": "corrected", "fields": {"sub_event_type": "Skirmish"}}, "Skirmish"),
    ({"status": "corrected", "fields": {"event_type": "Battles", "sub_event_type": "Grenade"}}, "Grenade"),
    ({"status": "corrected", "fields": {"event_type": "Battles"}}, "sub_event_type"),
    ({"status": "corrected", "fields": {"event_date": "yesterday"}}, "event_date"),
    ({"status": "corrected", "fields": {"actor1": " "}}, "actor1"),
    ({"status": "corrected", "fields": {"inter1": "Pirates"}}, "inter1"),
    ({"status": "corrected", "fields": {"fatalities": 4, "fatalities_low": 4, "fatalities_high": 2}}, "ordered"),
    ({"status": "confirmed", "by": "mallory"}, "by"),
])
def test_bad_reviews_are_refused_and_change_nothing(writable: tuple[str, dict[str, str]], body: dict[str, Any],
                                                    words: str) -> None:
    db, tokens = writable
    alice = Api(db, tokens["reviewer"])
    eid = event_at(alice, "Maiduguri")["event_id"]
    answer = alice.post(f"/events/{eid}/review", body)
    assert answer.status_code == 422 and words in answer.json()["message"], answer.text
    assert audit(alice, eid) == [] and "review" not in alice.get(f"/events/{eid}").json()
    assert alice.post("/events/no-such-event/review", {"status": "confirmed"}).status_code == 404


def test_merge_and_split_obey_the_analyst_and_are_audited(writable: tuple[str, dict[str, str]]) -> None:
    db, tokens = writable
    boss = Api(db, tokens["admin"])
    maiduguri, nairobi = event_at(boss, "Maiduguri")["event_id"], event_at(boss, "Nairobi")["event_id"]
    answer = boss.post("/events/merge", {"ids": [maiduguri, nairobi], "note": "one story"})
    assert answer.status_code == 200, answer.text
    merged = answer.json()
    assert sorted(merged["article_ids"]) == ["mai-1", "nbo-1"] and boss.events()["total"] == 3
    for eid in (maiduguri, nairobi):
        (entry,) = audit(boss, eid)
        assert entry["action"] == "merge" and entry["by"].startswith("admin-") and entry["note"] == "one story"
        assert len(entry["before"]) == 2 and sorted(entry["after"]["article_ids"]) == ["mai-1", "nbo-1"]
    assert boss.post("/events/merge", {"ids": [maiduguri, nairobi]}).status_code == 422  # one event already
    assert boss.post("/events/merge", {"ids": [maiduguri, "no-such-event"]}).status_code == 404
    assert boss.post("/events/merge", {"ids": [maiduguri]}).status_code == 422

    mogadishu = event_at(boss, "Mogadishu")["event_id"]
    answer = boss.post(f"/events/{mogadishu}/split", {"article_ids": ["mog-2"], "note": "two blasts"})
    assert answer.status_code == 200, answer.text
    left, taken = answer.json()["events"]
    assert left["article_ids"] == ["mog-1"] if "article_ids" in left else left["article_id"] == "mog-1"
    assert taken["article_id"] == "mog-2" and left["event_id"] != taken["event_id"]
    assert len([e for e in boss.events()["events"] if e["location"] == "Mogadishu"]) == 2
    (entry,) = audit(boss, mogadishu)
    assert entry["action"] == "split" and [len(e["reports"]) for e in entry["after"]] == [1, 1]
    assert [e["action"] for e in audit(boss, taken["event_id"])] == ["split"]
    for body in ({"article_ids": ["mog-1"]}, {"article_ids": ["nbo-1"]}, {"article_ids": []}):
        assert boss.post(f"/events/{left['event_id']}/split", body).status_code == 422


def test_reviews_merges_and_splits_survive_reingest_and_rebuild(writable: tuple[str, dict[str, str]],
                                                                 tmp_path: Path) -> None:
    db, tokens = writable
    alice = Api(db, tokens["reviewer"])
    mogadishu = event_at(alice, "Mogadishu")["event_id"]
    nairobi, saraqib = event_at(alice, "Nairobi")["event_id"], event_at(alice, "Saraqib")["event_id"]
    maiduguri = event_at(alice, "Maiduguri")["event_id"]
    assert alice.post(f"/events/{mogadishu}/review",
                      {"status": "corrected", "fields": {"fatalities": 7, "actor1": "Al Shabaab"}}).status_code == 200
    assert alice.post(f"/events/{nairobi}/review", {"status": "rejected"}).status_code == 200
    assert alice.post(f"/events/{saraqib}/review", {"status": "confirmed"}).status_code == 200
    assert alice.post("/events/merge", {"ids": [maiduguri, saraqib]}).status_code == 200
    before = alice.events(reviewed="all")

    ingest(db, tmp_path, [*ARTICLES, LATE])  # the same articles again, and a later report of the blast
    ingest(db, tmp_path, ARTICLES)
    late = alice.get(f"/events/{mogadishu}").json()
    assert "mog-3" in late["article_ids"]  # the new report joined the corrected event ...
    assert late["fatalities"] == 7 and late["actor1"] == "Al Shabaab"  # ... and changed no reviewed field
    assert late["review"]["status"] == "corrected" and late["review"]["machine"]["fatalities"] != 7
    assert "Nairobi" not in [e["location"] for e in alice.events()["events"]]

    code, _, err = run("fuse", "--db", db, "--rebuild")
    assert code == 0, err
    after = alice.events(reviewed="all")
    assert after["total"] == before["total"]
    rebuilt = {e["event_id"]: e for e in after["events"]}
    assert rebuilt[mogadishu]["fatalities"] == 7 and rebuilt[mogadishu]["review"]["status"] == "corrected"
    assert rebuilt[nairobi]["review"]["status"] == "rejected"
    merged = next(e for e in after["events"] if "sar-1" in (e.get("article_ids") or [e["article_id"]]))
    assert sorted(merged["article_ids"]) == ["mai-1", "sar-1"] and merged["review"]["status"] == "confirmed"
    assert [e["action"] for e in audit(alice, mogadishu)] == ["correct"]


def test_a_split_survives_rebuild(writable: tuple[str, dict[str, str]]) -> None:
    db, tokens = writable
    alice = Api(db, tokens["reviewer"])
    mogadishu = event_at(alice, "Mogadishu")["event_id"]
    assert alice.post(f"/events/{mogadishu}/split", {"article_ids": ["mog-1"]}).status_code == 200
    assert run("fuse", "--db", db, "--rebuild")[0] == 0
    blasts = [e for e in alice.events()["events"] if e["location"] == "Mogadishu"]
    assert sorted(e["article_id"] for e in blasts) == ["mog-1", "mog-2"]


def test_cli_marks_and_selects_reviewed_events(writable: tuple[str, dict[str, str]]) -> None:
    db, tokens = writable
    alice = Api(db, tokens["reviewer"])
    eid = event_at(alice, "Maiduguri")["event_id"]
    nairobi = event_at(alice, "Nairobi")["event_id"]
    assert alice.post(f"/events/{eid}/review", {"status": "confirmed"}).status_code == 200
    assert alice.post(f"/events/{nairobi}/review", {"status": "rejected"}).status_code == 200
    code, out, _ = run("events", "--db", db, "--reviewed-only", "--format", "jsonl")
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and record["event_id"] == eid and record["review"]["status"] == "confirmed"
    code, out, _ = run("export", "--db", db, "--format", "acled-csv")
    rows = {r["event_id_cnty"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows[eid]["tags"] == "sitrep review: confirmed" and nairobi not in rows
    code, out, _ = run("events", "--db", db, "--format", "table")
    assert code == 0 and "confirmed" in out
    code, out, _ = run("event", eid, "--db", db)
    assert code == 0 and "review: confirmed by alice" in out


def test_serve_refuses_a_missing_database(tmp_path: Path) -> None:
    code, _, err = run("serve", "--db", str(tmp_path / "none.db"))
    assert code == 2 and "No database" in err


def test_a_corrected_toll_carries_its_range_and_drops_a_breakdown_it_cannot_hold() -> None:
    from sitrep.review import check_fields, overlay

    machine = {"fatalities": 64, "fatalities_low": 64, "fatalities_best": 64, "fatalities_high": 70,
               "deaths_civilians": 40, "deaths_side_1": 24, "deaths_side_2": None}
    values = check_fields({"fatalities": 30})
    assert values == {"fatalities": 30, "fatalities_low": 30, "fatalities_best": 30, "fatalities_high": 30}
    review = {"status": "corrected", "by": "alice", "at": "2026-01-01T00:00:00Z", "values": values,
              "corrected": sorted(values)}
    shown = overlay(machine, review)
    assert shown["deaths_civilians"] is None and shown["deaths_side_1"] is None
    assert shown["review"]["machine"]["deaths_civilians"] == 40
    # a breakdown the corrected toll can hold stays as the machine read it
    kept = overlay({**machine, "deaths_civilians": 20, "deaths_side_1": 5}, review)
    assert kept["deaths_civilians"] == 20 and kept["deaths_side_1"] == 5
    # a range given with the toll is the analyst's own
    given = check_fields({"fatalities": 30, "fatalities_high": 45})
    assert [given[name] for name in ("fatalities_low", "fatalities_best", "fatalities_high")] == [30, 30, 45]


def test_serve_with_worker_processes_answers_on_one_port(made: tuple[str, dict[str, str]]) -> None:
    import httpx

    db, tokens = made
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "sitrep", "serve", "--db", db, "--port", str(port),
                               "--workers", "2"], stderr=subprocess.PIPE, text=True)
    try:
        assert server.stderr is not None
        lines = [server.stderr.readline(), server.stderr.readline()]
        (launch,) = re.findall(r"#token=(\S+)", lines[1])
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):  # until the workers answer (they start in their own processes)
            with suppress(httpx.TransportError):
                httpx.get(f"{base}/openapi.json")
                break
            time.sleep(0.1)
        for token in (launch, tokens["reader"], launch, tokens["admin"]):  # a new connection each
            answer = httpx.get(f"{base}/events", params={"country": "Somalia"}, headers=auth(token))
            assert answer.status_code == 200 and answer.json()["total"] == 1
        assert httpx.get(f"{base}/events").status_code == 401
        some = httpx.get(f"{base}/events", headers=auth(launch)).json()["events"][0]["event_id"]
        refused = httpx.post(f"{base}/events/{some}/review", json={"status": "confirmed"}, headers=auth(launch))
        assert refused.status_code == 403  # the launch token reads in every worker, and only reads
    finally:
        server.send_signal(signal.SIGINT)
        _, rest = server.communicate(timeout=60)
    assert server.returncode == 0, rest
