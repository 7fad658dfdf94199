"""The dashboard's summaries: filters read from a query, the map's points and clusters, the timeline."""

from __future__ import annotations

import re
import socket
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sitrep.dashboard import (
    MAX_POINTS,
    FilterError,
    Filters,
    Summary,
    clusters,
    facets,
    in_view,
    map_view,
    parse_bbox,
    timeline,
)

BASE = Summary(id="a", date="2024-03-04", event_type="Battles", sub_event_type="Armed clash", location="Gao",
               admin1="Gao", country="Mali", latitude=16.27, longitude=-0.04, geo_precision=1, fatalities=4,
               confidence=0.9, status="unreviewed", sources=1)


def test_filters_read_a_query_and_name_a_bad_parameter() -> None:
    f = Filters.from_query({"country": "Mali", "since": "2024-03-01", "min_fatalities": "2", "reviewed": "Only",
                            "min_confidence": "0.5", "actor": " ", "unknown": "x"})
    assert f == Filters(country="Mali", since=date(2024, 3, 1), min_fatalities=2, reviewed="only",
                        min_confidence=0.5)
    assert f.undated() == replace(f, since=None)
    for query, name in [({"since": "March"}, "since"), ({"min_fatalities": "many"}, "min_fatalities"),
                        ({"min_confidence": "-1"}, "min_confidence"), ({"reviewed": "maybe"}, "reviewed")]:
        with pytest.raises(FilterError, match=name):
            Filters.from_query(query)


def test_filters_the_store_does_not_apply() -> None:
    confirmed = replace(BASE, status="confirmed")
    rejected = replace(BASE, status="rejected")
    assert Filters(admin1="gao", sub_event_type="armed CLASH").matches(BASE)
    assert not Filters(admin1="Mopti").matches(BASE)
    assert not Filters(min_fatalities=5).matches(BASE) and Filters(min_fatalities=4).matches(BASE)
    assert not Filters(min_confidence=0.95).matches(BASE)
    assert Filters(reviewed="unreviewed").matches(BASE) and not Filters(reviewed="only").matches(BASE)
    assert Filters(reviewed="only").matches(confirmed) and not Filters(reviewed="rejected").matches(confirmed)
    assert not Filters().matches(rejected) and Filters(reviewed="all").matches(rejected)
    assert Filters(reviewed="rejected").matches(rejected) and Filters(reviewed="confirmed").matches(confirmed)


def test_summary_of_a_record_keeps_unknowns_unknown() -> None:
    s = Summary.of({"event_id": "e1", "event_date": None, "event_type": "Protests",
                    "sub_event_type": "Peaceful protest", "location": "", "latitude": None, "longitude": None,
                    "geo_precision": 3, "fatalities": 0,
                    "confidence": 0.4, "article_id": "x", "review": {"status": "rejected"}})
    assert (s.date, s.latitude, s.status, s.sources) == (None, None, "rejected", 1)


def test_bbox_selects_and_crosses_the_antimeridian() -> None:
    fiji = replace(BASE, id="fiji", latitude=-17.7, longitude=178.0)
    samoa = replace(BASE, id="samoa", latitude=-13.8, longitude=-172.1)
    nowhere = replace(BASE, id="none", latitude=None, longitude=None)
    rows = [BASE, fiji, samoa, nowhere]
    assert [s.id for s in in_view(rows, None)] == ["a", "fiji", "samoa"]
    assert [s.id for s in in_view(rows, parse_bbox("170,-20,-170,-10"))] == ["fiji", "samoa"]
    assert [s.id for s in in_view(rows, parse_bbox("-10,10,10,20"))] == ["a"]
    with pytest.raises(FilterError, match="bbox"):
        parse_bbox("1,2,3")
    with pytest.raises(FilterError, match="south"):
        parse_bbox("0,50,10,40")


def test_map_sends_points_then_clusters_past_the_limit() -> None:
    few = [replace(BASE, id=f"e{i}", date=f"2024-03-{1 + i % 28:02d}") for i in range(3)]
    answer = map_view(few, None, 3)
    assert answer["total"] == answer["in_view"] == 3 and len(answer["points"]) == 3 and "clusters" not in answer
    assert answer["points"][0] == ["e0", 16.27, -0.04, "Battles", 4, 1, "unreviewed"]
    assert [r["id"] for r in answer["list"]] == ["e2", "e1", "e0"]  # newest first
    many = [replace(BASE, id=f"m{i}", latitude=10 + (i % 100) * 0.3, longitude=(i // 100) * 0.3)
            for i in range(MAX_POINTS + 1)]
    answer = map_view(many, None, 2)
    assert "points" not in answer and sum(c["count"] for c in answer["clusters"]) == MAX_POINTS + 1
    assert len(answer["list"]) == 200


def test_clusters_count_fatalities_and_the_commonest_type() -> None:
    near = [BASE, replace(BASE, id="b", event_type="Riots", fatalities=1),
            replace(BASE, id="c", event_type="Riots", fatalities=2, latitude=16.28)]
    far = replace(BASE, id="d", latitude=-30.0, longitude=120.0)
    (big, small) = clusters([*near, far], 4)
    assert (big["count"], big["fatalities"], big["event_type"]) == (3, 7, "Riots")
    assert (small["count"], small["latitude"], small["longitude"]) == (1, -30.0, 120.0)
    assert len(clusters([*near, far], 18)) == 3  # at street level the two points of Gao part


def test_timeline_by_day_and_by_week_with_empty_bins() -> None:
    rows = [replace(BASE, date="2024-03-04"), replace(BASE, id="b", date="2024-03-06", fatalities=1),
            replace(BASE, id="c", date=None)]
    days = timeline(rows, "day")
    assert days["undated"] == 1 and [b["start"] for b in days["bins"]] == ["2024-03-04", "2024-03-05", "2024-03-06"]
    assert [(b["events"], b["fatalities"]) for b in days["bins"]] == [(1, 4), (0, 0), (1, 1)]
    weeks = timeline([*rows, replace(BASE, id="d", date="2024-03-11")], "week")
    assert [(b["start"], b["events"]) for b in weeks["bins"]] == [("2024-03-04", 2), ("2024-03-11", 1)]
    long = timeline([BASE, replace(BASE, id="e", date="2025-03-04")])
    assert long["unit"] == "week" and long["bins"][0]["start"] == "2024-03-04"  # a Monday
    assert timeline([], "auto") == {"unit": "day", "bins": [], "undated": 0}
    with pytest.raises(FilterError, match="unit"):
        timeline(rows, "month")


def test_facets_list_the_values_present() -> None:
    rows = [BASE, replace(BASE, id="b", country="Niger", admin1=None)]
    assert facets(rows)["country"] == ["Mali", "Niger"] and facets(rows)["admin1"] == ["Gao"]


def test_sitrep_serve_prints_a_dashboard_link_whose_token_reads_but_cannot_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("fastapi", reason="the serve extra is not installed (pip install 'sitrep[serve]')")
    import uvicorn
    from starlette.testclient import TestClient

    from sitrep.cli import cli
    from sitrep.store import Store

    db = str(tmp_path / "s.db")
    Store(db).close()
    served: dict[str, Any] = {}

    def run(server: uvicorn.Server, sockets: list[socket.socket]) -> None:  # what would be served, not served
        served.update(app=server.config.app, ports=[s.getsockname()[1] for s in sockets])
        for listening in sockets:
            listening.close()

    monkeypatch.setattr(uvicorn.Server, "run", run)
    port = free_port()
    result = CliRunner().invoke(cli, ["serve", "--db", db, "--port", str(port)])
    assert result.exit_code == 0, result.stderr
    assert served["ports"] == [port]
    (link,) = re.findall(r"Dashboard: (\S+)", result.stderr)
    assert link.startswith(f"http://127.0.0.1:{port}/#token=")
    token = link.split("#token=")[1]
    client = TestClient(served["app"])
    assert client.get("/").status_code == 200  # the page itself is public: it asks for the token
    assert client.get("/dashboard/map").status_code == 401
    assert client.get("/dashboard/map", headers={"Authorization": "Bearer wrong"}).status_code == 401
    answer = client.get("/dashboard/map", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and answer.json()["total"] == 0
    refused = client.post("/events/e1/review", json={"status": "confirmed"},
                          headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 403
    assert client.get("/dashboard/map?since=soon", headers={"Authorization": f"Bearer {token}"}).status_code == 400
    port = free_port()
    public = CliRunner().invoke(cli, ["serve", "--db", db, "--public-read", "--port", str(port)])
    assert f"Dashboard: http://127.0.0.1:{port}/\n" in public.stderr and served["app"].state.launch_token is None


def test_sitrep_serve_on_a_port_in_use_says_so_before_printing_any_address(tmp_path: Path) -> None:
    pytest.importorskip("fastapi", reason="the serve extra is not installed (pip install 'sitrep[serve]')")
    from sitrep.cli import cli
    from sitrep.store import Store

    db = str(tmp_path / "s.db")
    Store(db).close()
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--db", db, "--port", str(port)])
    assert result.exit_code == 2 and f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Dashboard:" not in result.stderr and "Traceback" not in result.stderr


def free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return int(probe.getsockname()[1])
