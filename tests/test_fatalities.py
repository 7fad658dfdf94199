"""Death counts read from sentences: ACLED's figure, UCDP's range, civilians and sides."""

from __future__ import annotations

import pytest

from sitrep.extraction.fatalities import combine_tolls, lexicon, read_fatalities, read_number, toll_relation
from sitrep.models import NO_FATALITIES

EMBLEM = (
    "The fighting left more than 300 dead, including around a hundred government forces and their "
    "allies, but also 28 civilians, according to the OSDH."
)


@pytest.mark.parametrize(
    ("phrase", "low", "best", "high", "acled", "vague"),
    [
        ("1,200", 1200, 1200, 1200, 1200, False),
        ("twenty-eight", 28, 28, 28, 28, False),
        ("a hundred", 100, 100, 100, 100, False),
        ("around a hundred", 90, 100, 110, 100, False),
        ("more than 300", 300, 300, 300, 300, False),
        ("at least 70", 70, 70, 70, 70, False),
        ("nearly 50", 45, 50, 50, 50, False),
        ("between 20 and 30", 20, 25, 30, 20, False),
        ("20-30", 20, 25, 30, 20, False),
        ("two thousand five hundred", 2500, 2500, 2500, 2500, False),
        ("a dozen", 12, 12, 12, 12, False),
        ("dozens", 12, 24, 99, 12, True),
        ("tens", 10, 20, 99, 10, True),
        ("scores", 20, 40, 99, 20, True),
        ("hundreds", 100, 200, 999, 100, True),
        ("several", 3, 5, 9, 3, True),
        ("a number of", 3, 5, 9, 3, True),
        ("many", 3, 10, 99, 3, True),
    ],
)
def test_read_number(phrase: str, low: int, best: int, high: int, acled: int, vague: bool) -> None:
    count = read_number(phrase)
    assert count is not None
    assert (count.low, count.best, count.high, count.acled, count.vague) == (low, best, high, acled, vague)
    assert count.span.text == phrase


def test_emblem_total_with_its_parts() -> None:
    found = read_fatalities(EMBLEM)
    assert found is not None
    assert (found.fatalities, found.low, found.civilians) == (300, 300, 28)
    assert found.side_1 == 100  # state forces and their allies: the side named in the split
    assert [s.text for s in found.evidence] == ["more than 300", "around a hundred", "28"]


@pytest.mark.parametrize(
    ("sentence", "fatalities", "civilians"),
    [
        ("Dozens of soldiers killed in an ambush.", 12, None),
        ("Gunmen killed 5 soldiers and 3 civilians near the market.", 8, 3),
        ("The strike left 300 dead including 28 civilians.", 300, 28),
        ("Twelve people, including five children, were killed.", 12, 5),
        ("The raid killed 12 people, five of them children.", 12, 5),
        ("Nine civilians died in the shelling.", 9, 9),
        ("WHO put the death toll at at least 70.", 70, None),
        ("The death toll rose to 30 on Sunday.", 30, None),
        ("The bombing claimed the lives of 14 people.", 14, None),
        ("Air raids left 15 people dead in the east of the city.", 15, None),
        ("The strike killed 5 people and wounded 12 others.", 5, None),
        ("Four people were killed and 12 wounded.", 4, None),
        ("At least 11 children were among the dead.", 11, 11),
        ("Five gunmen killed 3 villagers.", 3, 3),
        ("Between 20 and 30 fighters were killed.", 20, None),
    ],
)
def test_counts(sentence: str, fatalities: int, civilians: int | None) -> None:
    found = read_fatalities(sentence)
    assert found is not None
    assert (found.fatalities, found.civilians) == (fatalities, civilians)


def test_killed_soldiers_go_to_the_state_side() -> None:
    found = read_fatalities("Militants killed 7 soldiers and 4 fighters of the group died.")
    assert found is not None
    assert (found.fatalities, found.side_1, found.side_2) == (11, 7, 4)


@pytest.mark.parametrize(
    "sentence",
    [
        "Twelve people were wounded in the attack.",
        "At least 40 protesters were arrested.",
        "The war has displaced 2,000 families over 10 years.",
        "Two allies met in the capital on 30 November 2024.",
        "A 12-year-old boy was injured.",
        "No one was killed in the attack.",
        "The group threatened to kill 20 hostages.",
        "20 people were killed or wounded.",
        "The 4th Division deployed 30 tanks.",
        "Turnout was 45 percent in 2016.",
    ],
)
def test_no_deaths(sentence: str) -> None:
    assert read_fatalities(sentence) is None


def test_deaths_without_a_number_are_acled_3_or_10() -> None:
    plain = read_fatalities("Several people were killed in the shelling.")
    big = read_fatalities("Several people were killed in the shelling.", significant=True)
    bare = read_fatalities("Militants killed civilians in the village.")
    assert plain is not None and big is not None and bare is not None
    assert (plain.fatalities, big.fatalities, bare.fatalities) == (3, 10, 3)


@pytest.mark.parametrize(
    "sentence",
    [
        "A civilian was killed by a sniper.",
        "Gunmen shot and killed a woman at home.",
        "The militia killed him.",
    ],
)
def test_one_victim(sentence: str) -> None:
    found = read_fatalities(sentence)
    assert found is not None and found.fatalities == 1


def test_offsets_equal_the_text() -> None:
    text = "Intro. " + EMBLEM
    found = read_fatalities(EMBLEM, offset=7)
    assert found is not None
    for span in found.evidence:
        assert text[span.start : span.end] == span.text


@pytest.mark.parametrize(
    "figure",
    ["²", "³5", "1.2.3", "12th", "9" * 400],
    ids=["superscript", "superscript-then-digit", "dotted", "ordinal", "infinite"],
)
def test_what_is_no_decimal_figure_is_no_toll_and_no_crash(figure: str) -> None:
    deaths = read_fatalities(f"Gunmen killed {figure} people in the village on Monday.")
    assert deaths is None or all(figure not in span.text for span in deaths.evidence)


def test_decimal_digits_of_other_scripts_are_read() -> None:
    deaths = read_fatalities("Gunmen killed ١٢ people in the village on Monday.")
    assert deaths is not None and deaths.fatalities == 12


@pytest.mark.parametrize(
    ("sentence", "acled"),
    [
        # a phrasal death verb before its count
        ("At the checkpoint the guards shot dead three smugglers.", 3),
        ("Unknown men gunned down 4 farmers near the river.", 4),
        # the present tense of headlines
        ("Militia fighters massacre 26 herders in a border village.", 26),
        # "N of them" after a total splits it, though a death verb comes before it
        ("Shelling killed 14 people overnight, killing two of them in their beds.", 14),
        ("The ambush left 9 people dead three of them drivers a local official said.", 9),
        # one figure told twice in one sentence (a headline run into its lede) counts once
        ("Drone strike kills 12 fighters Agency Monday \"At least 12 fighters were killed in the strike\" "
         "the monitor said.", 12),
        # but a figure repeated in a coordination is two groups
        ("The raid killed 6 guards and 6 porters.", 12),
        # a count in another clause with its own death word adds up
        ("Police killed 4 raiders, while 2 officers died in the exchange.", 6),
    ],
)
def test_ties_counts_to_deaths(sentence: str, acled: int | None) -> None:
    deaths = read_fatalities(sentence)
    assert (deaths.fatalities if deaths else None) == acled


def test_one_victim_named_by_a_long_noun_phrase() -> None:
    deaths = read_fatalities("Troops killed a well-known local insurgent field commander on Friday.")
    assert deaths is not None and deaths.fatalities == 1


@pytest.mark.parametrize(
    ("sentence", "relation"),
    [
        ("Hospital officials said the toll had risen to at least 31.", "update"),
        ("The governor raised the death toll to more than 40 on Sunday.", "update"),
        ("Another six villagers were killed in a second raid.", "more"),
        ("Eleven more died in hospital overnight.", "more"),
        ("Two guards were also killed.", "more"),
        ("Nine teachers were also among the dead, the ministry said.", "same"),  # a part of the toll told
        ("Medics said 14 people were killed in the blast.", "same"),
        ("In total more than 60 people were killed across the region that week.", "aggregate"),
        ("The monitor said 31 fighters have been killed since Sunday.", "aggregate"),
    ],
)
def test_toll_relation(sentence: str, relation: str) -> None:
    assert toll_relation(sentence) == relation


def _told(*sentences: str) -> int:
    deaths = NO_FATALITIES
    for sentence in sentences:
        later = read_fatalities(sentence)
        if later is not None:
            deaths = combine_tolls(deaths, later, toll_relation(sentence))
    return deaths.fatalities


def test_the_same_deaths_told_twice_keep_the_conservative_figure() -> None:
    assert _told("The health ministry said 52 people were killed.",
                 "A monitoring group put the toll at 57 dead.") == 52


def test_a_vague_amount_yields_to_a_figure() -> None:
    assert _told("Dozens killed as jets pound market town.",
                 "Residents said at least 9 civilians were killed.") == 9
    assert _told("Troops killed scores of fighters in the ambush.",
                 "A monitor said at least 48 fighters were killed.") == 48


def test_a_death_word_alone_yields_to_a_figure() -> None:
    assert _told("Several people were killed in the shelling.", "Doctors said 7 people were killed.") == 7


def test_a_raised_toll_replaces_the_first() -> None:
    assert _told("At least 12 people were killed in the bombing.",
                 "By evening the toll had risen to 19.") == 19


def test_other_deaths_add_up() -> None:
    assert _told("The strike on the market killed 11 people.",
                 "Another four people were killed in a raid on the bakery.") == 15


def test_the_word_lists_are_data_loaded_once() -> None:
    words = lexicon()
    assert words is lexicon()
    assert words.vague["dozens"] == (12, 24, 99)  # ACLED: "dozens" is 12
    assert words.qualifiers["more than"] == "more"
    assert "killed" in words.words["death_before"] and "wounded" in words.words["harm"]
    assert "shot" in words.death_particles["dead"]


def test_a_total_over_a_period_yields_to_the_incidents_own_toll() -> None:
    assert _told("Jets struck the market in the town, killing 9 people.",
                 "In total 47 civilians were killed across the province on Tuesday.") == 9
    assert _told("In total 47 civilians were killed across the province on Tuesday.") == 47


def test_a_tally_of_the_living_is_no_death_toll() -> None:
    assert read_fatalities("Officials revised the tally of passengers on the ferry downward to 310 from 330.") is None
    assert read_fatalities("Officials raised the tally of the dead to 30.").fatalities == 30  # type: ignore[union-attr]
    assert read_fatalities("The death toll climbed to 41.").fatalities == 41  # type: ignore[union-attr]


def test_a_count_of_families_is_no_count_of_the_dead() -> None:
    deaths = read_fatalities("At least 40 people were killed when militiamen executed five families in the hamlet.")
    assert deaths is not None and deaths.fatalities == 40


def test_each_coordinated_count_keeps_its_own_words() -> None:
    deaths = read_fatalities("The governor said 14 off-duty police and prison service officers, two drivers "
                             "and six bus passengers were among those killed.")
    assert deaths is not None and deaths.fatalities == 22


def test_a_lower_bound_is_refined_by_a_figure_above_it() -> None:
    assert _told("Gunmen killed at least four people at the checkpoint.",
                 "A hospital source said at least seven people had been confirmed dead.") == 7
    assert _told("More than 20 fighters were killed in the blast.", "The bomb killed 23 fighters.") == 23
    assert _told("The strike killed 9 volunteers, the rescue service said.",
                 "Four bodies were pulled from the rubble.") == 9
    assert _told("Ambushers killed 15 soldiers.", "Three officers were among the dead.") == 15
    assert _told("Ambushers killed 15 soldiers.", "At least 12 soldiers died.") == 15  # a floor below: no conflict
    assert _told("At least 12 soldiers died.", "Ambushers killed 10 soldiers.") == 10  # under the floor: the lower


def test_another_sources_higher_figure_is_ucdps_high() -> None:
    deaths = NO_FATALITIES
    for sentence in ("Between 8 and 11 villagers were killed when gunmen raided the hamlet, elders said.",
                     "A rights group put the number of dead at more than 25."):
        later = read_fatalities(sentence)
        assert later is not None
        deaths = combine_tolls(deaths, later, toll_relation(sentence))
    assert (deaths.fatalities, deaths.low, deaths.high) == (8, 8, 25)


def test_victims_of_another_kind_add_to_the_toll() -> None:
    assert _told("Nine soldiers and two civilians were killed when gunmen stormed the post.",
                 "The army said it killed 14 attackers.") == 25
    assert _told("Nine soldiers were killed when gunmen stormed the post.",
                 "The army said 11 people were killed.") == 9  # the same dead, told of no one kind


def test_others_also_killed_are_counted_however_long_their_name() -> None:
    assert toll_relation("Three regional border guard officers were also killed in the raid.") == "more"


def test_a_raised_toll_named_far_before_its_figure() -> None:
    sentence = "The death toll from Sunday's bombing at a bus station in the old city has risen to 27, up from 15."
    deaths = read_fatalities(sentence)
    assert deaths is not None and deaths.fatalities == 27 and toll_relation(sentence) == "update"
    assert read_number("1,250 were killed").best == 1250  # type: ignore[union-attr]
