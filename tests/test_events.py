"""Event extraction end to end on articles we wrote, and on the emblem article when present."""

from __future__ import annotations

import json
import math
from datetime import date
from functools import cache
from importlib import resources

import jsonschema
import pytest

import sitrep
from sitrep.extraction.taxonomy import TYPE_OF, classify
from tests.conftest import article_text


@cache
def schema_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(resources.files("sitrep").joinpath("data/event.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 6371 * 2 * math.asin(math.sqrt(a))


def records(text: str, published: str | None) -> list[dict]:
    events = [e.to_dict() for e in sitrep.extract(text, published=published)]
    for record in events:
        schema_validator().validate(record)
        for ev in record["evidence"]:
            assert text[ev["start"]:ev["end"]] == ev["text"]
    return events


@pytest.mark.parametrize(("sentence", "sub_type"), [
    ("Gunmen killed five villagers in an attack on a market.", "Attack"),
    ("A roadside bomb exploded near the convoy.", "Remote explosive/landmine/IED"),
    ("Warplanes carried out air strikes on the town.", "Air/drone strike"),
    ("The army shelled rebel positions with artillery.", "Shelling/artillery/missile attack"),
    ("A suicide bomber blew himself up at a checkpoint.", "Suicide bomb"),
    ("Rebels took control of the town after the army withdrew.", "Non-state actor overtakes territory"),
    ("Government troops recaptured the city from the militants.", "Government regains territory"),
    ("The two sides agreed to a ceasefire on Sunday.", "Agreement"),
    ("Police fired tear gas to disperse protesters in the capital.", "Protest with intervention"),
    ("Hundreds of protesters marched peacefully to parliament.", "Peaceful protest"),
    ("Security forces arrested three suspected militants.", "Arrests"),
    ("Militants abducted 20 passengers from a bus.", "Abduction/forced disappearance"),
    ("Troops clashed with insurgents near the border.", "Armed clash"),
    # Shooting soldiers or policemen dead is a battle; shooting farmers or executing captives an attack.
    ("Gunmen shot dead two soldiers at a checkpoint.", "Armed clash"),
    ("Gunmen shot two policemen dead outside the station.", "Armed clash"),
    ("Gunmen shot dead two farmers in their field.", "Attack"),
    ("Militants massacred 40 captured soldiers at the air base.", "Attack"),
])
def test_classify_sub_types(sentence: str, sub_type: str) -> None:
    trigger = classify(sentence)
    assert trigger is not None and trigger.sub_event_type == sub_type
    assert trigger.event_type == TYPE_OF[sub_type]


@pytest.mark.parametrize("sentence", [
    "Heavy rains caused flooding in the town on Monday.",
    "The central bank raised interest rates by half a point.",
    "The minister fought hard against corruption during her term.",
])
def test_no_event_in_ordinary_news(sentence: str) -> None:
    assert classify(sentence) is None


def test_takeover_with_toll_and_background() -> None:
    events = records(article_text("offensive.txt"), "2024-12-05")
    takeover = [e for e in events if e["sub_event_type"] == "Non-state actor overtakes territory"]
    assert takeover, events
    event = takeover[0]
    assert event["actor1"] == "Hayat Tahrir al-Sham"
    assert event["event_date"] == "2024-12-03"  # Tuesday before a Thursday publication
    assert event["country"] == "Syria"
    assert event["fatalities"] == 40 and event["deaths_civilians"] == 12
    assert any("Syrian Observatory" in s["name"] for s in event["sources"])
    assert not [e for e in events if e["event_date"].startswith("2020")]


def test_attack_on_civilians() -> None:
    events = records(article_text("nigeria_attack.txt"), None)
    event = events[0]
    assert event["event_type"] == "Violence against civilians"
    assert event["actor2"] == "Civilians (Nigeria)" and event["inter2"] == "Civilians"
    assert event["fatalities"] == 17
    assert event["event_date"] == "2023-06-03"
    assert event["country"] == "Nigeria"


def test_air_strike_in_somalia() -> None:
    event = records(article_text("somalia_airstrike.txt"), None)[0]
    assert event["sub_event_type"] == "Air/drone strike"
    assert event["event_date"] == "2025-05-12" and event["time_precision"] == 1
    assert event["country"] == "Somalia"
    names = {event["actor1"], event["actor2"]}
    assert "Al Shabaab" in names
    assert event["fatalities"] == 3


def test_non_political_news_gives_no_event() -> None:
    assert records(article_text("flood.txt"), "2024-05-06") == []


def test_event_ids_are_stable() -> None:
    text = article_text("offensive.txt")
    first = [e.event_id for e in sitrep.extract(text, published=date(2024, 12, 5))]
    assert first == [e.event_id for e in sitrep.extract(text, published=date(2024, 12, 5))]


def test_emblem_article(emblem_text: str) -> None:
    events = records(emblem_text, "2024-11-30")
    takeover = [e for e in events if e["sub_event_type"] == "Non-state actor overtakes territory"
                and km(e["latitude"], e["longitude"], 36.20, 37.16) <= 30]
    assert takeover, [e["notes"] for e in events]
    event = takeover[0]
    assert event["country"] == "Syria" and event["actor1"] == "Hayat Tahrir al-Sham"
    assert event["event_date"] in {"2024-11-29", "2024-11-30"}
    assert any(s["name"] == "Syrian Observatory for Human Rights" for s in event["sources"])

    offensive = [e for e in events if e["event_date"] == "2024-11-27" and e["fatalities_low"] >= 300]
    assert offensive, [e["notes"] for e in events]
    assert offensive[0]["deaths_civilians"] == 28
    assert any(s["name"] == "Syrian Observatory for Human Rights" for s in offensive[0]["sources"])

    truce = [e for e in events if e["sub_event_type"] == "Agreement" and e["country"] == "Lebanon"]
    assert truce and truce[0]["event_date"] == "2024-11-27"
    assert not [e for e in events if e["event_date"].startswith("2016")]


def test_dateline_day_resolves_weekdays_and_dates_no_event() -> None:
    text = ("14-03-2021 Army shells rebel town. Government artillery shelled the town of Maarat al-Numan "
            "in Idlib province on Saturday, killing six civilians, a monitor said.")
    events = records(text, None)
    assert events and all(e["event_date"] == "2021-03-13" for e in events)  # the Saturday before


def test_dash_inside_a_sentence_is_no_dateline() -> None:
    text = ("On 20 October 2021, a mob attacked and injured two men accused of theft at a market in "
            "Mogadishu - Daynile (Banadir).")
    events = records(text, None)
    assert events and events[0]["event_date"] == "2021-10-20"


@pytest.mark.parametrize("text", [
    "The interior ministry said on Friday that bandits killed four farmers in Zamfara State on Tuesday.",
    "Bandits killed four farmers in Zamfara State overnight Tuesday, a police spokesman told reporters on Friday.",
])
def test_the_day_of_a_statement_is_not_the_day_of_the_event(text: str) -> None:
    events = records(text, "2023-03-17")
    assert events and events[0]["event_date"] == "2023-03-14"


@pytest.mark.parametrize(("sentence", "dated", "expected"), [
    ("The six-year war has killed more than 350,000 people.", False, True),
    ("More than 500 civilians have been killed in the past two months, the monitor said.", False, True),
    ("They were the latest of 7,000 killed since the council passed its resolution last year.", True, True),
    ("Western powers accuse the government of chemical attacks.", False, True),
    ("The market has regularly been targeted in bomb attacks.", False, True),
    ("The men were accused of theft and beaten by a mob.", False, False),
    ("An air strike killed ten people in the town on Tuesday.", True, False),
    ("More than 300,000 people have been killed since the uprising began.", False, True),
    ("Bodies of four soldiers have been found since the raids began on Tuesday.", True, False),  # one episode
    # A superlative compares the news with the war; it reports no war total.
    ("Shelling killed 14 people in the market on Friday, the deadliest attack of the four-year war.", True, False),
    ("It was the bloodiest day for the town since the start of the conflict.", True, False),
])
def test_background_statements(sentence: str, dated: bool, expected: bool) -> None:
    from sitrep import nlp
    from sitrep.extraction.background import background_statement

    doc = next(nlp.parse("en", [sentence]))
    assert background_statement(doc, 0, len(sentence), dated=dated) is expected


def test_war_totals_and_allegations_make_no_events() -> None:
    text = ("Air strikes killed 11 civilians in the town of Saraqib in Idlib province on Tuesday, a monitor said. "
            "Western powers accuse the government of using chemical weapons. "
            "The war, which began in 2011, has killed more than 380,000 people. "
            "The monitor has documented the killing of 5,800 civilians in air raids over the past year.")
    events = records(text, "2021-06-02")
    assert events and max(e["fatalities"] for e in events) == 11


def test_filing_city_and_speaker_place_are_not_the_scene() -> None:
    text = ("MOSCOW (Sputnik) Russian air strikes killed 12 militants near Palmyra in Homs province on "
            "Monday, the defence ministry in Moscow said.")
    events = records(text, "2021-06-01")
    assert events and all(e["location"] != "Moscow" for e in events)


def test_an_undated_report_is_coded_with_an_unknown_day() -> None:
    events = records("Police fired tear gas at protesters in Nairobi.", None)
    assert events and events[0]["sub_event_type"] == "Protest with intervention"
    assert events[0]["event_date"] is None and events[0]["time_precision"] == 3
    assert events[0]["actor2"] == "Police Forces of Kenya (2022-)"  # the latest period, not one of year 1
    assert events[0]["notes"].startswith("On an unknown date,")


def test_an_event_without_a_place_has_no_point() -> None:
    events = records("Unknown gunmen shot dead two traders on Tuesday, a relative said.", "2024-03-14")
    assert events and events[0]["latitude"] is None and events[0]["longitude"] is None
    assert events[0]["location"] == "" and events[0]["geonameid"] is None


def test_a_follow_up_sentence_can_settle_the_outcome() -> None:
    text = ("On 4 May 2025, government forces clashed with Al Shabaab near Jilib in Middle Juba. "
            "The forces took control of the village after the militants fled.")
    events = records(text, None)
    assert len(events) == 1
    assert events[0]["sub_event_type"] == "Government regains territory"


def test_a_dateline_with_a_country_name_dates_the_report_not_the_event() -> None:
    text = ("GOMA, Democratic Republic of Congo, 28 January 2025 - M23 rebels took control of most of Goma "
            "on Monday after days of fighting with the Congolese army.")
    event = records(text, None)[0]
    assert event["event_date"] == "2025-01-27" and event["location"] == "Goma"


def test_a_later_strike_is_another_event() -> None:
    text = ("El Fasher, Sudan, 2 September 2024 - The Rapid Support Forces shelled a displacement camp near "
            "El Fasher on Sunday, killing at least 12 civilians. The Sudanese army said its jets later struck "
            "RSF positions east of the city.")
    kinds = [e["sub_event_type"] for e in records(text, None)]
    assert kinds == ["Shelling/artillery/missile attack", "Air/drone strike"]


@pytest.mark.parametrize(
    ("second", "toll"),
    [
        ("A local monitor said the shelling killed 23 civilians.", 21),  # another source: the lower figure
        ("By Monday the death toll had risen to 26.", 26),  # a raised toll replaces the first
        ("Another four people were killed in the shelling.", 25),  # other deaths add up
    ],
)
def test_one_events_deaths_told_in_two_sentences(second: str, toll: int) -> None:
    text = ("On 3 March 2025, the Rapid Support Forces shelled a market in El Obeid, killing 21 civilians, "
            "local officials said. " + second)
    events = records(text, None)
    assert len(events) == 1
    assert events[0]["fatalities"] == toll


def test_a_peaceful_protest_has_no_deaths_of_fighting_told_beside_it() -> None:
    text = ("On 6 April 2025, hundreds of residents protested in Kafr Nabl against infighting between rival "
            "armed factions that left dozens of fighters dead.")
    events = [e for e in records(text, None) if e["event_type"] == "Protests"]
    assert events and all(e["fatalities"] == 0 for e in events)


def test_protesters_killed_make_excessive_force() -> None:
    text = ("On 9 March 2025, thousands of people protested against the junta in Mandalay and at least "
            "seven demonstrators were killed.")
    events = [e for e in records(text, None) if e["event_type"] == "Protests"]
    assert events and events[0]["sub_event_type"] == "Excessive force against protesters"
    assert events[0]["fatalities"] == 7


def test_a_follow_up_toll_belongs_to_the_violence_not_the_abduction() -> None:
    text = ("On 11 March 2025, militants attacked a passenger bus near Quetta, taking 20 passengers hostage. "
            "Police said 6 militants were killed.")
    by_kind = {e["sub_event_type"]: e["fatalities"] for e in records(text, None)}
    assert by_kind.get("Abduction/forced disappearance") == 0
    assert by_kind.get("Armed clash") == 6


def sides(text: str) -> list[tuple[str, str, str | None, list[str]]]:
    """(sub-type, actor1, actor2, associates of actor2) of each event, on a day in March 2024."""
    return [(r["sub_event_type"], r["actor1"], r.get("actor2"), list(r.get("assoc_actor_2") or []))
            for r in records(text, "2024-03-09")]


def test_the_agent_of_the_trigger_is_actor1_not_the_nearest_name() -> None:
    [(sub, actor1, actor2, _)] = sides("Soldiers killed twelve militants near Gao in Mali on Friday, the army said.")
    assert (sub, actor1, actor2) == ("Armed clash", "Military Forces of Mali (2021-)",
                                     "Unidentified Armed Group (Mali)")


def test_a_reporting_source_is_neither_actor_nor_target() -> None:
    [(_, actor1, actor2, assoc2)] = sides(
        "Gunmen attacked a police post near Gao in Mali on Friday, killing two officers, the army said.")
    assert actor1 == "Unidentified Armed Group (Mali)"
    assert actor2 == "Police Forces of Mali (2021-)"
    assert "Military Forces of Mali (2021-)" not in assoc2


def test_the_party_to_another_clause_is_not_the_abductor() -> None:
    text = ("Passengers of a bus held hostage near Gao in Mali described their ordeal on Friday as the army "
            "ended the siege and killed 20 gunmen.")
    abductions = [s for s in sides(text) if s[0] == "Abduction/forced disappearance"]
    assert abductions and all(not a1.startswith("Military Forces") for _, a1, _, _ in abductions)


def test_the_dead_of_a_strike_are_its_civilian_victims() -> None:
    [(sub, _, actor2, _)] = sides("Air strikes killed nine children near Gao in Mali on Friday.")
    assert (sub, actor2) == ("Air/drone strike", "Civilians (Mali)")


def test_civilians_are_never_a_side_of_a_battle() -> None:
    found = sides("Troops clashed with militants near Gao in Mali on Friday, and four civilians were killed "
                  "in the fighting.")
    assert [(s, a2) for s, _, a2, _ in found] == [("Armed clash", "Unidentified Armed Group (Mali)")]


def test_rioters_are_not_set_against_protesters() -> None:
    for sub, actor1, actor2, _ in sides("Protesters threw stones at shops and burned cars in Bamako, Mali on Friday."):
        if sub == "Violent demonstration":
            assert actor1 == "Rioters (Mali)" and actor2 != "Protesters (Mali)"


def test_a_state_force_that_takes_a_town_regains_it() -> None:
    [(sub, actor1, actor2, _)] = sides("The army seized the town of Tessit in Mali from Islamist militants on Friday.")
    assert (sub, actor1, actor2) == ("Government regains territory", "Military Forces of Mali (2021-)",
                                     "Unidentified Armed Group (Mali)")


def test_the_side_that_took_the_town_in_a_follow_up_is_actor1() -> None:
    [(sub, actor1, actor2, _)] = sides("Soldiers killed ten militants in Tessit, Mali on Friday. "
                                       "The militants took control of the town.")
    assert (sub, actor1, actor2) == ("Non-state actor overtakes territory", "Unidentified Armed Group (Mali)",
                                     "Military Forces of Mali (2021-)")


def test_a_total_since_an_earlier_day_is_not_the_incidents_toll() -> None:
    text = ("On 8 June 2025, a suicide car bomb struck an army checkpoint in Marib, killing 14 soldiers, "
            "a local official said. The official added that 37 fighters have been killed since Monday in the "
            "province.")
    bombings = [e for e in records(text, None) if e["sub_event_type"] == "Suicide bomb"]
    assert len(bombings) == 1
    assert bombings[0]["fatalities"] == 14


@pytest.mark.parametrize(("when", "opening"), [
    ("on Tuesday", "On 5 March 2024, "),  # precision 1
    ("earlier this month", "Between 1 and 8 March 2024, "),  # a span of days
    ("", "On or around 8 March 2024, "),  # the publication day stands for an undated report: precision 2
])
def test_notes_say_how_well_the_day_is_known(when: str, opening: str) -> None:
    text = f"Militants attacked an army checkpoint in Kidal {when}, killing two soldiers, officials said."
    (event,) = records(text.replace(" ,", ","), "2024-03-08")
    assert event["notes"].startswith(opening), event["notes"]


def test_a_sentence_naming_the_attack_again_continues_it_with_its_own_day_and_place() -> None:
    text = ("Mon 12 May 2025 More than 20 soldiers killed in suicide blast near Gao.\n"
            "A suicide bomber struck an army convoy near Gao in Mali, the army said.\n"
            "The attack on Sunday night killed 23 soldiers as they were driving toward Niger, a local official said.")
    bombings = [e for e in records(text, None) if e["event_type"] == "Explosions/Remote violence"]
    assert len(bombings) == 1 and bombings[0]["fatalities"] == 23
    assert not [e for e in records(text, None) if e["event_type"] == "Battles"]


def test_a_noun_that_names_another_kind_of_event_does_not_continue_it() -> None:
    text = ("On 6 July 2025, the army repelled an offensive by rebels on Gao in Mali while residents said "
            "warplanes carried out an air strike on the market.\n"
            "The offensive began late on Saturday with a suicide car bomb at an army checkpoint, activists said.")
    kinds = {e["sub_event_type"] for e in records(text, None)}
    assert "Suicide bomb" in kinds


def test_the_toll_of_an_attack_weeks_before_is_not_the_new_ones() -> None:
    text = ("On 3 June 2025, militants stormed an army base near Gao in Mali, killing 12 soldiers, the army said.\n"
            "The assault comes two weeks after the militants killed 90 workers at a gold mine in the region.")
    events = [e for e in records(text, None) if e["event_date"] == "2025-06-03"]
    assert events and all(e["fatalities"] == 12 for e in events)


@pytest.mark.parametrize(("where", "place", "precision"), [
    ("in Gusau", "Gusau", 1),
    ("on the outskirts of Gusau", "Gusau", 1),  # the town's immediate surroundings
    ("near Gusau", "Gusau", 2),
    ("about 20 km north of Gusau", "Gusau", 2),
    ("west of the town of Gusau", "Gusau", 2),
])
def test_an_event_near_a_town_is_coded_at_precision_2(where: str, place: str, precision: int) -> None:
    text = f"Gunmen killed six farmers {where} in Zamfara state on Tuesday, police said."
    (event,) = records(text, "2024-03-08")
    assert (event["location"], event["geo_precision"]) == (place, precision)


def test_civilians_killed_in_a_battle_story_are_the_attacks_dead() -> None:
    text = ("On 11 March 2025, militants stormed a passenger bus near Gao in Mali and took its passengers hostage "
            "before troops surrounded it. At least 14 passengers and three soldiers died in the attack. The army "
            "said it killed 20 attackers.")
    by_kind = {e["sub_event_type"]: e["fatalities"] for e in records(text, None)}
    assert by_kind == {"Attack": 14, "Armed clash": 23}  # hostages killed: an attack, not an abduction


def test_an_armed_group_that_kills_civilians_and_meets_no_armed_side_attacks_them() -> None:
    text = ("Between 8 and 11 villagers were killed when militia fighters attacked the village of Tin Hama near "
            "Gao in Mali on Monday, elders said.")
    [(sub, actor1, actor2, _)] = sides(text)
    assert (sub, actor1, actor2) == ("Attack", "Unidentified Armed Group (Mali)", "Civilians (Mali)")


def test_deaths_told_beside_an_abduction_go_to_the_fighting_told_after() -> None:
    text = ("On Tuesday, 11 March 2025, gunmen attacked a bus near Gao in Mali, taking dozens of passengers "
            "hostage. Officials said 9 gunmen had been killed.\n"
            "Troops clashed with the kidnappers near Gao on Tuesday evening.")
    by_kind = {e["sub_event_type"]: e["fatalities"] for e in records(text, None)}
    assert by_kind.get("Abduction/forced disappearance") == 0
    assert by_kind.get("Armed clash") == 9


def test_a_raised_toll_far_down_the_story_updates_its_incident() -> None:
    text = ("On Saturday, 14 May 2022, a car bomb exploded outside a market in Gao, Mali, killing more than 40 "
            "people, officials said. The governor condemned the bombing and declared three days of mourning. "
            "Schools in the city were closed on Monday. Aid groups said hospitals were short of blood. "
            "The president called the attack cowardly. Officials said on Monday that the death toll had risen "
            "to 52.")
    bombings = [e for e in records(text, "2022-05-16") if e["event_type"] == "Explosions/Remote violence"]
    assert [e["fatalities"] for e in bombings] == [52]


def test_deaths_told_with_a_siege_are_the_attacks() -> None:
    text = ("Gunmen stormed a hotel in Gao, Mali on Tuesday, killing at least four guests, witnesses said. "
            "Security forces laid siege to the hotel on Tuesday as at least seven people were confirmed dead.")
    assert [(e["sub_event_type"], e["fatalities"]) for e in records(text, "2025-03-12")] == [("Armed clash", 7)]


@pytest.mark.parametrize("between", [" ", "\n"])
def test_a_car_bomb_a_suicide_bomber_drove_is_a_suicide_bombing(between: str) -> None:
    text = ("A car bomb attack killed at least 30 people on Wednesday in the city of Gao in Mali." + between
            + "On Wednesday a suicide bomber carried out the attack using a car bomb in the Sosso Koira district "
            "of Gao, a regional official said.")
    assert [(e["sub_event_type"], e["fatalities"]) for e in records(text, "2025-03-13")] == [("Suicide bomb", 30)]


def test_weapons_a_base_holds_are_no_attack() -> None:
    assert records("The garrison near Gao in Mali holds several planes helicopters tanks and artillery.",
                   "2025-03-13") == []


def test_a_story_of_statements_keeps_an_attack_told_in_full_below() -> None:
    text = ("The Syrian opposition coalition called on the United Nations to act against the crimes of the regime. "
            "It warned that the killing of civilians undermines any chance of a settlement. "
            "Its president urged world powers to impose a no-fly zone over the north. "
            "Activists said regime warplanes intensified air raids on rebel-held towns this month. "
            "At least 13 civilians were killed in air strikes by regime jets on the town of Kafr Nabl in Idlib "
            "province on Friday, activists said.")
    events = records(text, "2016-08-20")
    assert [(e["sub_event_type"], e["location"], e["fatalities"]) for e in events] == [
        ("Air/drone strike", "Kafranbel", 13)]
    vague = text.replace("At least 13 civilians were killed", "Civilians were killed")
    assert records(vague.replace(" on Friday", ""), "2016-08-20") == []  # no day, no toll: context


def test_an_undated_sentence_does_not_take_a_stale_day() -> None:
    text = ("Regime forces pushed toward the town of Kafr Nabl in Idlib in recent weeks, activists said.\n"
            "Rebels ambushed an army convoy near Kafr Nabl, killing nine soldiers.")
    ambushes = [e for e in records(text, "2017-04-29") if e["event_type"] == "Battles"]
    assert ambushes and all(e["event_date"] == "2017-04-29" for e in ambushes)


def test_the_dead_found_since_the_attacks_began_split_between_battle_and_attack() -> None:
    text = ("On Tuesday, rebels clashed with soldiers near Bocaranga in the Central African Republic and attacked "
            "villagers in nearby hamlets, killing several of them. The army said bodies of four soldiers and seven "
            "villagers have been found since the attacks began Tuesday.")
    by_kind = {e["sub_event_type"]: e["fatalities"] for e in records(text, "2024-07-05")}
    assert by_kind == {"Armed clash": 4, "Attack": 7}


def test_a_total_since_the_episode_began_is_no_event_of_its_own() -> None:
    assert records("At least 40 civilians have been killed in Aleppo, Syria since the rebel assault began on "
                   "Sunday, the monitor said.", "2016-08-05") == []


def test_strikes_on_two_named_towns_are_two_events_with_their_own_tolls() -> None:
    # Two towns the gazetteer need not know, each named as a town: two events, each with its own dead.
    text = ("Airstrikes kill civilians across the province\n"
            "Warplanes bombed a crowded bakery in the town of Kafr Ulwan on Thursday, killing 11 people, "
            "residents said. Helicopters dropped barrel bombs on the village of Tell Hamdan, killing four "
            "people and wounding many more.")
    strikes = [r for r in records(text, "2024-03-08") if r["event_type"] == "Explosions/Remote violence"]
    assert sorted(r["fatalities"] for r in strikes) == [4, 11]
    assert all(r["event_date"] == "2024-03-07" for r in strikes)


def test_a_city_named_for_its_government_is_not_the_scene() -> None:
    # "its Damascus ally" names the government, not where the attack happened.
    text = ("Toxic gas attack kills dozens\n"
            "A suspected toxic gas attack killed 40 people in a rebel-held town of Idlib province on Tuesday, "
            "a monitoring group said. Moscow defended its Damascus ally at the Security Council. There were also "
            "12 children among the dead, the monitor said.")
    events = records(text, "2025-02-05")
    assert events and all(e["admin1"] != "Damascus" for e in events)
    assert sorted(e["fatalities"] for e in events) == [40]


def test_a_province_under_another_spelling_places_the_event() -> None:
    # The gazetteer spells it "Idleb": "Idlib province" still names the province, not a people.
    events = records("Gunmen attacked a village in Idlib province on Monday, killing four people.", "2024-03-05")
    assert [(e["admin1"], e["geo_precision"]) for e in events] == [("Idleb", 3)]


def test_a_protest_has_no_civilian_opponent() -> None:
    text = "Students held a peaceful march through the centre of Lusaka, Zambia, on Monday to demand unpaid wages."
    events = [e for e in records(text, "2024-05-14") if e["event_type"] == "Protests"]
    assert events and events[0]["actor1"] == "Protesters (Zambia)"
    assert events[0]["actor2"] is None  # ACLED: only a force that intervened opposes a protest
