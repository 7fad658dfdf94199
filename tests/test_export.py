"""Exporting event records: JSON Lines, ACLED CSV, UCDP CSV and GeoJSON."""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from sitrep.export import FORMATS, UCDP_COLUMNS, acled_region, write_events
from sitrep.models import Actor, Event, Fatalities, Source, Span
from tests.conftest import SHARED

GED = SHARED / "data" / "reference" / "ucdp_ged191_syria.csv.gz"

HTS = Actor("Hayat Tahrir al-Sham", "Rebel group", "Syria")
ARMY = Actor("Military Forces of Syria (2000-2024)", "State forces", "Syria")
SNA = Actor("Syrian National Army", "Political militia", "Syria")
CIVILIANS = Actor("Civilians (Syria)", "Civilians", "Syria")
PROTESTERS = Actor("Protesters (Syria)", "Protesters", "Syria")


def make_event(event_id: str = "evt-1", **changes: Any) -> dict[str, Any]:
    """An event record exactly as ``Event.to_dict()`` writes it."""
    fields: dict[str, Any] = {
        "event_id": event_id,
        "article_id": "aleppo-1",
        "event_date": date(2024, 11, 29),
        "time_precision": 1,
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": HTS,
        "actor2": ARMY,
        "place": None,
        "country": "Syria",
        "latitude": 36.2021,
        "longitude": 37.1343,
        "geo_precision": 1,
        "fatalities": Fatalities(20, 20, 25, 30, civilians=3, side_1=10, side_2=7),  # 10 soldiers, 7 rebels
        "sources": (Source("Syrian Observatory for Human Rights", "monitor"), Source("Example News")),
        "evidence": (Span(0, 31, "Rebels entered Aleppo on Friday."),),
        "notes": "On 29 November 2024, HTS took control of most of Aleppo city — «the army withdrew».",
        "confidence": 0.8,
        "assoc_actor_1": ("Syrian National Army", "Ahrar al-Sham"),
        "iso3": "SYR",
        "admin1": "Aleppo",
        "location": "Aleppo",
    }
    fields.update(changes)
    return Event(**fields).to_dict()


def export(records: list[dict[str, Any]], fmt: str) -> tuple[int, str]:
    out = io.StringIO()
    count = write_events(iter(records), fmt, out)
    return count, out.getvalue()


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_formats() -> None:
    assert set(FORMATS) == {"jsonl", "acled-csv", "ucdp-csv", "geojson"}


def test_unknown_format_lists_the_choices() -> None:
    with pytest.raises(ValueError, match="choose one of: jsonl, acled-csv, ucdp-csv, geojson"):
        write_events([], "xlsx", io.StringIO())


# -- JSON Lines ----------------------------------------------------------------------------------


def test_jsonl_one_record_per_line_unescaped() -> None:
    records = [make_event("a"), make_event("b")]
    count, text = export(records, "jsonl")
    assert count == 2
    assert [json.loads(line) for line in text.splitlines()] == records
    assert "«the army withdrew»" in text


# -- ACLED ---------------------------------------------------------------------------------------


def test_acled_header_is_acled_order() -> None:
    _, text = export([], "acled-csv")
    assert text.splitlines()[0].split(",") == [
        "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
        "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
        "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
        "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
        "fatalities", "tags", "timestamp",
    ]  # fmt: skip


def test_acled_row() -> None:
    count, text = export([make_event()], "acled-csv")
    (row,) = csv_rows(text)
    assert count == 1
    assert row["event_id_cnty"] == "evt-1"
    assert (row["event_date"], row["year"], row["time_precision"]) == ("2024-11-29", "2024", "1")
    assert row["disorder_type"] == "Political violence"
    assert row["assoc_actor_1"] == "Syrian National Army; Ahrar al-Sham"
    assert (row["inter1"], row["inter2"]) == ("Rebel group", "State forces")
    assert row["interaction"] == "State forces-Rebel group"
    assert row["civilian_targeting"] == ""
    assert row["iso"] == "760"
    assert (row["country"], row["admin1"], row["location"]) == ("Syria", "Aleppo", "Aleppo")
    assert (row["latitude"], row["longitude"], row["geo_precision"]) == ("36.2021", "37.1343", "1")
    assert row["source"] == "Syrian Observatory for Human Rights; Example News"
    assert row["fatalities"] == "20"
    assert row["notes"].endswith("«the army withdrew».")
    assert row["region"] == "Middle East"
    assert row["timestamp"] == row["tags"] == row["source_scale"] == row["admin3"] == ""


def test_acled_source_names_outlets_and_organisations_not_every_speaker() -> None:
    record = make_event(sources=(Source("Syrian Observatory for Human Rights", "monitor"),
                                 Source("a local resident", "witness"), Source("Abu Omar", "other"),
                                 Source("Example News", "media")))
    record["reports"] = [{"article_id": "aleppo-1", "outlet": "Example News"},
                         {"article_id": "aleppo-2", "outlet": "Another Paper"}]
    (row,) = csv_rows(export([record], "acled-csv")[1])
    assert row["source"] == "Example News; Another Paper; Syrian Observatory for Human Rights"


@pytest.mark.parametrize(("iso3", "country", "region"), [
    ("SOM", "Somalia", "Eastern Africa"), ("COD", "Democratic Republic of Congo", "Middle Africa"),
    (None, "Democratic Republic of the Congo", "Middle Africa"), (None, "mali", "Western Africa"),
    ("UKR", "Ukraine", "Europe"), ("MEX", "Mexico", "Central America"), (None, "Atlantis", ""), (None, "", ""),
])
def test_acled_region_from_the_country(iso3: str | None, country: str, region: str) -> None:
    assert acled_region(iso3, country) == region


def test_coordinates_are_exported_with_four_decimals() -> None:
    record = make_event()
    record["latitude"], record["longitude"] = 36.20213456, 37.13431999
    (row,) = csv_rows(export([record], "acled-csv")[1])
    assert (row["latitude"], row["longitude"]) == ("36.2021", "37.1343")
    feature = json.loads(export([record], "geojson")[1])["features"][0]
    assert feature["geometry"]["coordinates"] == [37.1343, 36.2021]
    assert feature["properties"]["latitude"] == 36.2021
    assert json.loads(export([record], "jsonl")[1])["longitude"] == 37.1343
    assert make_event(latitude=36.20213456)["latitude"] == 36.2021  # the record itself


def test_unknown_day_and_place_are_null_or_empty_never_stand_ins() -> None:
    record = make_event(event_date=None, time_precision=3, latitude=None, longitude=None, location="",
                        admin1=None, geo_precision=3)
    assert (record["event_date"], record["latitude"], record["longitude"]) == (None, None, None)
    assert json.loads(export([record], "jsonl")[1])["event_date"] is None
    (row,) = csv_rows(export([record], "acled-csv")[1])
    assert (row["event_date"], row["year"], row["latitude"], row["longitude"], row["location"]) == ("",) * 5
    assert json.loads(export([record], "geojson")[1])["features"][0]["geometry"] is None
    dated = make_event(latitude=None, longitude=None, location="")
    (ucdp,) = csv_rows(export([dated], "ucdp-csv")[1])
    assert ucdp["latitude"] == ucdp["longitude"] == ucdp["geom_wkt"] == ucdp["priogrid_gid"] == ""


@pytest.mark.parametrize(
    "event_type, sub_event_type, disorder",
    [
        ("Protests", "Excessive force against protesters", "Political violence; Demonstrations"),
        ("Protests", "Peaceful protest", "Demonstrations"),
        ("Riots", "Violent demonstration", "Demonstrations"),
        ("Riots", "Mob violence", "Political violence"),
        ("Violence against civilians", "Attack", "Political violence"),
        ("Explosions/Remote violence", "Air/drone strike", "Political violence"),
        ("Strategic developments", "Agreement", "Strategic developments"),
    ],
)
def test_acled_disorder_type(event_type: str, sub_event_type: str, disorder: str) -> None:
    record = make_event(event_type=event_type, sub_event_type=sub_event_type)
    (row,) = csv_rows(export([record], "acled-csv")[1])
    assert row["disorder_type"] == disorder


def test_acled_single_actor_and_civilian_targeting() -> None:
    protest = make_event(
        event_type="Protests", sub_event_type="Peaceful protest", actor1=PROTESTERS, actor2=None
    )
    attack = make_event(
        event_type="Violence against civilians",
        sub_event_type="Attack",
        actor2=CIVILIANS,
        civilian_targeting=True,
    )
    first, second = csv_rows(export([protest, attack], "acled-csv")[1])
    assert first["interaction"] == "Protesters only"
    assert first["actor2"] == first["inter2"] == ""
    assert second["interaction"] == "Rebel group-Civilians"
    assert second["civilian_targeting"] == "Civilian targeting"


# -- UCDP ----------------------------------------------------------------------------------------


def test_ucdp_header_is_geds() -> None:
    _, text = export([], "ucdp-csv")
    assert tuple(text.splitlines()[0].split(",")) == UCDP_COLUMNS


def test_ucdp_header_is_the_one_of_the_real_ged_release() -> None:
    if not GED.exists():
        pytest.skip("the shared reference data is not present beside the project")
    with gzip.open(GED, "rt", encoding="utf-8") as f:
        ged_header = f.readline().strip()
    _, text = export([make_event()], "ucdp-csv")
    assert text.splitlines()[0] == ged_header


def test_ucdp_state_based_puts_the_government_on_side_a() -> None:
    (row,) = csv_rows(export([make_event()], "ucdp-csv")[1])
    assert row["type_of_violence"] == "1"
    assert row["side_a"] == ARMY.name and row["side_b"] == HTS.name
    assert row["dyad_name"] == f"{ARMY.name} - {HTS.name}"
    assert (row["deaths_a"], row["deaths_b"], row["deaths_civilians"]) == ("10", "7", "3")
    assert (row["best"], row["low"], row["high"], row["deaths_unknown"]) == ("25", "20", "30", "5")
    assert (row["date_start"], row["date_end"], row["year"]) == ("2024-11-29", "2024-11-29", "2024")
    assert row["geom_wkt"] == "POINT (37.1343 36.2021)"
    assert (row["where_prec"], row["adm_1"], row["where_coordinates"]) == ("1", "Aleppo", "Aleppo")
    assert row["source_original"] == "Syrian Observatory for Human Rights; Example News"
    assert row["source_article"] == "aleppo-1" and row["source_office"] == ""
    assert row["number_of_sources"] == "1"
    assert row["priogrid_gid"] == str(int((36.2021 + 90) * 2) * 720 + int((37.1343 + 180) * 2) + 1)
    assert row["active_year"] == row["conflict_new_id"] == row["country_id"] == row["event_clarity"] == ""


def test_ucdp_sources_are_the_reports() -> None:
    record = make_event()
    record["reports"] = [
        {"article_id": "a1", "outlet": "Example News", "published": "2024-11-30", "title": "Rebels enter Aleppo"},
        {"article_id": "a2", "outlet": "Another Paper", "published": "2024-12-01", "title": None, "url": "u"},
    ]
    (row,) = csv_rows(export([record], "ucdp-csv")[1])
    assert row["number_of_sources"] == "2"
    assert row["source_article"] == "Example News,2024-11-30,Rebels enter Aleppo; Another Paper,2024-12-01,"
    assert row["source_office"] == "Example News; Another Paper"
    assert (row["source_date"], row["source_headline"]) == ("2024-11-30; 2024-12-01", "Rebels enter Aleppo")


def test_ucdp_types_of_violence() -> None:
    records = [
        make_event(
            "one-sided", event_type="Violence against civilians", sub_event_type="Attack", actor2=CIVILIANS
        ),
        make_event("non-state", sub_event_type="Armed clash", actor2=SNA),
        make_event(
            "protest",
            event_type="Protests",
            sub_event_type="Peaceful protest",
            actor1=PROTESTERS,
            actor2=None,
        ),
        make_event(
            "excessive",
            event_type="Protests",
            sub_event_type="Excessive force against protesters",
            actor1=ARMY,
            actor2=PROTESTERS,
        ),
    ]
    count, text = export(records, "ucdp-csv")
    rows = {r["id"]: r for r in csv_rows(text)}
    assert rows["one-sided"]["type_of_violence"] == "3"
    assert (rows["one-sided"]["side_a"], rows["one-sided"]["side_b"]) == (HTS.name, CIVILIANS.name)
    assert rows["non-state"]["type_of_violence"] == "2"
    assert count == 2 and set(rows) == {"one-sided", "non-state"}  # GED holds no protest


@pytest.mark.parametrize("changes", [
    {"event_type": "Protests", "sub_event_type": "Peaceful protest", "actor1": PROTESTERS, "actor2": None},
    {"event_type": "Riots", "sub_event_type": "Mob violence", "actor1": PROTESTERS, "actor2": CIVILIANS},
    {"event_type": "Strategic developments", "sub_event_type": "Agreement"},
    {"fatalities": Fatalities(0, 0)},  # GED counts only events with a death
    {"event_date": None, "time_precision": 3},  # and dates every one
], ids=["protest", "riot", "strategic", "no-death", "undated"])
def test_ucdp_leaves_out_what_ged_does_not_hold(changes: dict[str, Any]) -> None:
    count, text = export([make_event(**changes)], "ucdp-csv")
    assert count == 0 and csv_rows(text) == []


def test_ucdp_range_falls_back_to_acled_figure() -> None:
    record = make_event(fatalities=Fatalities(12, 12))
    (row,) = csv_rows(export([record], "ucdp-csv")[1])
    assert (row["best"], row["low"], row["high"]) == ("12", "12", "12")


# -- GeoJSON -------------------------------------------------------------------------------------


def test_geojson_feature_collection() -> None:
    records = [make_event("a"), make_event("b", latitude=15.35, longitude=44.2)]
    count, text = export(records, "geojson")
    collection = json.loads(text)
    assert count == 2
    assert collection["type"] == "FeatureCollection"
    first, second = collection["features"]
    assert first["type"] == "Feature"
    assert first["geometry"] == {"type": "Point", "coordinates": [37.1343, 36.2021]}
    assert first["properties"] == records[0]
    assert second["geometry"]["coordinates"] == [44.2, 15.35]


def test_geojson_without_coordinates_or_records() -> None:
    record = make_event()
    record["latitude"] = record["longitude"] = None
    collection = json.loads(export([record], "geojson")[1])
    assert collection["features"][0]["geometry"] is None
    assert json.loads(export([], "geojson")[1]) == {"type": "FeatureCollection", "features": []}


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_record_is_written_before_the_next_is_read(fmt: str) -> None:
    out = io.StringIO()

    def records() -> Iterator[dict[str, Any]]:
        yield make_event("first-event")
        assert "first-event" in out.getvalue()
        yield make_event("second-event")

    assert write_events(records(), fmt, out) == 2


@pytest.mark.parametrize(("actor1", "actor2", "sides"), [
    (HTS, ARMY, (7, 10)),  # the rebels attack: their 7 dead are actor1's side, the 10 soldiers actor2's
    (ARMY, HTS, (10, 7)),
    (HTS, None, (7, 10)),  # the state's dead are the other side's, named or not
    (HTS, Actor("Islamic State", "Rebel group", "Syria"), (None, None)),  # whose rebels died is not said
])
def test_deaths_of_each_side_follow_the_actors(actor1: Actor, actor2: Actor | None,
                                               sides: tuple[int | None, int | None]) -> None:
    record = make_event(actor1=actor1, actor2=actor2)
    assert (record["deaths_side_1"], record["deaths_side_2"]) == sides
