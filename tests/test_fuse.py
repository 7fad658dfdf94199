"""Fusion: reports of one incident become one event; records written here, no text is read."""

from __future__ import annotations

import itertools
import random
from typing import Any

from sitrep.fuse import Report, cluster, combine, compatible_types, fuse, match, report

IDLIB = {"location": "Idlib", "admin1": "Idlib", "geonameid": 169388, "latitude": 35.9306, "longitude": 36.6339,
         "geo_precision": 1}
ARIHA = {"location": "Ariha", "admin1": "Idlib", "geonameid": 172408, "latitude": 35.8128, "longitude": 36.6107,
         "geo_precision": 1}
MAARRAT = {"location": "Maarrat al-Nu'man", "admin1": "Idlib", "geonameid": 169145, "latitude": 35.6439,
           "longitude": 36.6693, "geo_precision": 1}
SARAQIB = {"location": "Saraqib", "admin1": "Idlib", "geonameid": 163915, "latitude": 35.8646, "longitude": 36.8006,
           "geo_precision": 1}
JISR = {"location": "Jisr ash-Shughur", "admin1": "Idlib", "geonameid": 169023, "latitude": 35.8124,
        "longitude": 36.3186, "geo_precision": 1}
DOUMA = {"location": "Douma", "admin1": "Rif Dimashq", "geonameid": 170654, "latitude": 33.5711,
         "longitude": 36.4019, "geo_precision": 1}
IDLIB_PROVINCE = {"location": "Idlib Governorate", "admin1": "Idlib", "geonameid": 169389, "latitude": 35.75,
                  "longitude": 36.5, "geo_precision": 3}


def record(event_id: str, article_id: str, text: str, place: dict[str, Any] | None = None,
           **fields: Any) -> dict[str, Any]:
    """An event record in the shape of ``Event.to_dict()``: an air strike on Idlib on 3 March 2019."""
    rec: dict[str, Any] = {
        "event_id": event_id, "article_id": article_id, "event_date": "2019-03-03", "date_end": None,
        "time_precision": 1, "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
        "actor1": "Military Forces of Syria (2000-2024)", "inter1": "State forces", "actor2": "Civilians (Syria)",
        "inter2": "Civilians", "assoc_actor_1": [], "assoc_actor_2": [], "country": "Syria", "iso3": "SYR",
        "fatalities": 0, "fatalities_low": 0, "fatalities_best": 0, "fatalities_high": 0,
        "deaths_civilians": None, "deaths_side_1": None, "deaths_side_2": None,
        "sources": [], "evidence": [{"start": 0, "end": len(text), "text": text}],
        "notes": text, "confidence": 0.8,
        **(place or IDLIB),
    }
    rec.update(fields)
    return rec


def rep(event_id: str, article_id: str, text: str, place: dict[str, Any] | None = None, outlet: str = "Outlet",
        published: str = "2019-03-04", **fields: Any) -> Report:
    return report(record(event_id, article_id, text, place, **fields),
                  {"outlet": outlet, "published": published, "url": None, "title": None})


STRIKE = "Warplanes struck a market in Idlib city, killing 12 civilians, the monitor said."


def test_two_outlets_on_one_strike_are_linked() -> None:
    a = rep("a1", "A", STRIKE, fatalities=12)
    b = rep("b1", "B", "Twelve civilians were killed when jets bombed the Idlib market on Sunday.", fatalities=12)
    m = match(a, b)
    assert m.possible and m.linked
    assert any("same place" in r for r in m.reasons) and any("same toll" in r for r in m.reasons)
    assert match(b, a) == m


def test_one_town_under_two_spellings_nearby_entries_is_one_place() -> None:
    near = {**IDLIB, "location": "Edleb", "geonameid": 1, "latitude": 35.94, "longitude": 36.64}
    m = match(rep("a1", "A", STRIKE), rep("b1", "B", STRIKE, near))
    assert m.linked and any("km apart" in r for r in m.reasons)


def test_the_same_day_in_two_far_towns_is_two_events() -> None:
    a = rep("a1", "A", STRIKE, SARAQIB)
    b = rep("b1", "B", STRIKE.replace("Idlib city", "Jisr ash-Shughur"), JISR)
    assert not match(a, b).possible


def test_a_town_named_like_its_province_may_stand_for_the_province() -> None:
    # "Idlib" read as the city may be the province: a town elsewhere in it does not contradict.
    m = match(rep("a1", "A", STRIKE, fatalities=12), rep("b1", "B", STRIKE, MAARRAT, fatalities=12))
    assert m.possible and any("may name it" in r for r in m.reasons)


def test_the_same_town_two_days_apart_is_two_events() -> None:
    a = rep("a1", "A", STRIKE)
    b = rep("b1", "B", STRIKE, event_date="2019-03-05")
    assert not match(a, b).possible


def test_a_day_apart_needs_more_than_place_and_type() -> None:
    a = rep("a1", "A", "Jets hit Idlib.", actor1="Unidentified Armed Group (Syria)")
    b = rep("b1", "B", "Shells fell on a school.", event_date="2019-03-04", actor1="Unidentified Armed Group (Syria)")
    assert match(a, b).possible and not match(a, b).linked
    c = rep("c1", "C", STRIKE, event_date="2019-03-04", fatalities=0)
    assert match(rep("a2", "A", STRIKE), c).linked  # the same words


def test_other_provinces_and_countries_never_fuse() -> None:
    assert not match(rep("a1", "A", STRIKE), rep("b1", "B", STRIKE, DOUMA)).possible
    assert not match(rep("a1", "A", STRIKE), rep("b1", "B", STRIKE, country="Iraq")).possible


def test_a_province_and_a_town_in_it_agree() -> None:
    m = match(rep("a1", "A", STRIKE, fatalities=12), rep("b1", "B", STRIKE, IDLIB_PROVINCE, fatalities=12))
    assert m.linked and any("province" in r for r in m.reasons)


def test_types_that_tell_one_incident_are_compatible_others_are_not() -> None:
    assert compatible_types("Battles", "Armed clash", "Strategic developments", "Non-violent transfer of territory")
    assert compatible_types("Explosions/Remote violence", "Air/drone strike", "Violence against civilians", "Attack")
    assert not compatible_types("Protests", "Peaceful protest", "Explosions/Remote violence", "Air/drone strike")
    a = rep("a1", "A", STRIKE)
    b = rep("b1", "B", STRIKE, event_type="Protests", sub_event_type="Peaceful protest")
    assert not match(a, b).possible


def test_contradicting_named_actors_cost_points() -> None:
    text = "An explosion hit a checkpoint."
    a = rep("a1", "A", text, actor1="Islamic State (Syria)", inter1="Rebel group", actor2="Hayat Tahrir al-Sham",
            inter2="Rebel group")
    b = rep("b1", "B", text, actor1="Military Forces of Turkey (2016-)", inter1="State forces",
            actor2="Kurdish People's Protection Units", inter2="Identity militia")
    agreed = rep("c1", "C", text, actor1="Islamic State (Syria)", inter1="Rebel group")
    assert match(a, b).score < match(a, agreed).score
    assert any("actors differ" in r for r in match(a, b).reasons)


def test_an_aggregate_span_takes_a_day_inside_it() -> None:
    week = rep("a1", "A", STRIKE, event_date="2019-03-01", date_end="2019-03-07")
    assert match(week, rep("b1", "B", STRIKE, event_date="2019-03-05")).possible
    assert not match(week, rep("c1", "C", STRIKE, event_date="2019-03-10")).possible


def test_month_precision_and_undated_reports_are_never_fused() -> None:
    assert not match(rep("a1", "A", STRIKE, time_precision=3), rep("b1", "B", STRIKE)).possible
    assert not match(rep("a1", "A", STRIKE, event_date=None), rep("b1", "B", STRIKE)).possible


def test_clusters_never_join_reports_that_cannot_be_one_event() -> None:
    # Saraqib links to a report on the province, which links to Jisr ash-Shughur: two towns 43 km apart.
    city = rep("a1", "A", STRIKE, SARAQIB, fatalities=12)
    province = rep("b1", "B", STRIKE, IDLIB_PROVINCE, fatalities=12)
    other_town = rep("c1", "C", STRIKE, JISR, fatalities=12)
    groups = fuse([city, province, other_town])
    assert sorted(len(g) for g in groups) == [1, 2]
    assert not any({"a1", "c1"} <= {r.event_id for r in g} for g in groups)


def test_fusion_does_not_depend_on_the_order_of_reports() -> None:
    reports = [
        rep("a1", "A", STRIKE, fatalities=12),
        rep("b1", "B", STRIKE, IDLIB_PROVINCE, fatalities=9),
        rep("c1", "C", STRIKE, MAARRAT, fatalities=12),
        rep("d1", "D", STRIKE, ARIHA, fatalities=12, event_date="2019-03-04"),
        rep("e1", "E", "Protesters marched in Douma.", DOUMA, event_type="Protests",
            sub_event_type="Peaceful protest"),
        rep("f1", "F", STRIKE, fatalities=15, published="2019-03-05"),
    ]

    def shape(groups: list[list[Report]]) -> list[list[str]]:
        return [[r.event_id for r in g] for g in groups]

    expected = shape(fuse(reports))
    rng = random.Random(7)
    for _ in range(30):
        shuffled = reports[:]
        rng.shuffle(shuffled)
        assert shape(fuse(shuffled)) == expected
        assert [combine(g) for g in fuse(shuffled)] == [combine(g) for g in fuse(reports)]


def test_cluster_takes_the_strongest_link_first() -> None:
    a, b, c = rep("a1", "A", STRIKE, SARAQIB), rep("b1", "B", STRIKE, IDLIB_PROVINCE), rep("c1", "C", STRIKE, JISR)
    # b could join a or c (both within reach); a and c are two towns: the stronger link wins.
    for links in itertools.permutations([(("a1", "b1"), 9.0), (("b1", "c1"), 7.0)]):
        groups = cluster([c, b, a], dict(links))
        assert [[r.event_id for r in g] for g in groups] == [["a1", "b1"], ["c1"]]


def test_a_single_report_is_its_own_record() -> None:
    r = rep("a1", "A", STRIKE, fatalities=12)
    assert combine([r]) == r.record


def test_the_fused_record_reconciles_fatalities_and_keeps_every_figure() -> None:
    monitor = {"name": "Syrian Observatory for Human Rights", "kind": "monitor", "claim": "reported"}
    ministry = {"name": "Syrian Ministry of Defence", "kind": "government", "claim": "claimed"}
    first = rep("a1", "A", STRIKE, outlet="Outlet A", published="2019-03-03", fatalities=12, fatalities_low=12,
                fatalities_best=12, fatalities_high=12, sources=[monitor])
    rose = rep("b1", "B", STRIKE, outlet="Outlet B", published="2019-03-04", fatalities=19, fatalities_low=19,
               fatalities_best=19, fatalities_high=19, sources=[monitor])
    agency = rep("c1", "C", STRIKE, outlet="Outlet C", published="2019-03-04", fatalities=15, fatalities_low=15,
                 fatalities_best=15, fatalities_high=20)
    claim = rep("d1", "D", STRIKE, outlet="Outlet D", published="2019-03-04", fatalities=40, fatalities_low=40,
                fatalities_best=40, fatalities_high=40, sources=[ministry])
    (group,) = fuse([first, rose, agency, claim])
    fused = combine(group)
    # The monitor's later 19 supersedes its 12; the agency says 15; the ministry's claim is kept apart.
    assert (fused["fatalities"], fused["fatalities_low"], fused["fatalities_best"], fused["fatalities_high"]) \
        == (15, 15, 15, 20)
    figures = {f["source"]: (f["fatalities"], f["claim"]) for f in fused["fusion"]["figures"]}
    assert figures == {"Syrian Observatory for Human Rights": (19, False), "Outlet C": (15, False),
                       "Syrian Ministry of Defence": (40, True)}
    assert "Syrian Observatory for Human Rights 19" in fused["notes"] and "Claimed: Syrian Ministry" in fused["notes"]
    assert fused["event_id"] == "a1"  # the earliest report's id
    assert fused["article_ids"] == ["A", "B", "C", "D"]
    assert [r["event_id"] for r in fused["reports"]] == ["a1", "b1", "c1", "d1"]
    assert fused["reports"][1]["outlet"] == "Outlet B" and fused["reports"][1]["evidence"][0]["start"] == 0
    assert {s["name"] for s in fused["sources"]} == {monitor["name"], ministry["name"]}
    assert "Fused from 4 reports in 4 articles (Outlet A; Outlet B; Outlet C; Outlet D)" in fused["notes"]


def test_the_fused_day_place_and_type_are_the_best_supported() -> None:
    reports = [
        rep("a1", "A", STRIKE, IDLIB_PROVINCE, event_date="2019-03-02"),
        rep("b1", "B", STRIKE, fatalities=3),
        rep("c1", "C", STRIKE, fatalities=3, sub_event_type="Shelling/artillery/missile attack"),
        rep("d1", "D", STRIKE, fatalities=3),
    ]
    (group,) = fuse(reports)
    fused = combine(group)
    assert fused["event_date"] == "2019-03-03" and "Reported days: 2019-03-02 (1); 2019-03-03 (3)" in fused["notes"]
    assert fused["location"] == "Idlib" and fused["geo_precision"] == 1
    assert fused["sub_event_type"] == "Air/drone strike"


def test_the_event_id_stays_when_a_later_report_joins() -> None:
    early = [rep("zz", "A", STRIKE, published="2019-03-03"), rep("b1", "B", STRIKE, published="2019-03-04")]
    (before,) = fuse(early)
    (after,) = fuse([*early, rep("aa", "C", STRIKE, published="2019-03-06")])
    assert combine(before)["event_id"] == combine(after)["event_id"] == "zz"


def test_two_events_of_one_article_are_one_only_if_told_alike() -> None:
    headline = rep("a1", "A", "Jets strike Idlib market", fatalities=12)
    story = rep("a2", "A", STRIKE, fatalities=12, sub_event_type="Shelling/artillery/missile attack")
    assert match(headline, story).linked  # one day, one type: a headline and its story
    assert not match(headline, rep("a3", "A", STRIKE, event_date="2019-03-04")).possible
    assert not match(headline, rep("a4", "A", STRIKE, event_type="Battles", sub_event_type="Armed clash")).possible


def test_state_forces_of_one_country_are_one_party() -> None:
    police = rep("a1", "A", "Shells hit a school.", actor1="Police Forces of Syria (2000-2024)")
    army = rep("b1", "B", "Shells hit a school.", actor1="Military Forces of Syria (2000-2024)")
    assert any("actors agree: state forces of Syria" in r for r in match(police, army).reasons)


def test_two_towns_of_one_province_need_more_than_day_and_type() -> None:
    a = rep("a1", "A", "Jets hit a bakery.", SARAQIB, actor1="Unidentified Armed Group (Syria)")
    b = rep("b1", "B", "A strike destroyed a clinic.", ARIHA, actor1="Unidentified Armed Group (Syria)")
    m = match(a, b)
    assert m.possible and not m.linked and any("two towns" in r for r in m.reasons)


def test_one_sided_acts_with_the_sides_swapped_are_two_events() -> None:
    # The militia shells a camp; the army's jets then strike the militia: two acts, whatever the day and
    # place they share. A battle's sides have no order, so swapped sides do not part two clash reports.
    shelling = rep("s1", "A", "The militia shelled the camp, killing eight civilians.", actor1="Militia X",
                   actor2="Civilians (Syria)", sub_event_type="Shelling/artillery/missile attack")
    strike = rep("s2", "A", "Army jets later struck the militia's positions near the camp.",
                 actor1="Military Forces of Syria (2000-2024)", actor2="Militia X",
                 sub_event_type="Shelling/artillery/missile attack")
    assert not match(shelling, strike).possible  # one article told them as two acts
    clash = rep("c1", "B", "The army fought the militia at the camp.", actor1="Military Forces of Syria (2000-2024)",
                actor2="Militia X", event_type="Battles", sub_event_type="Armed clash")
    told_again = rep("c2", "C", "The militia fought the army at the camp.", actor1="Militia X",
                     actor2="Military Forces of Syria (2000-2024)", event_type="Battles", sub_event_type="Armed clash")
    assert match(clash, told_again).possible
