"""The word lists the stages read around a mention: matched once per document into its spans."""

from __future__ import annotations

import pytest

from sitrep import nlp
from sitrep.extraction import words


def _doc(text: str):  # type: ignore[no-untyped-def]
    return next(nlp.parse("en", [text]))


def test_every_word_list_loads_and_is_matched_over_tokens() -> None:
    lists = words.lexicons("en")
    assert set(lists.entries) == {name for names in words.FILES.values() for name in names}
    assert all(patterns for patterns in lists.entries.values())
    assert "march" in lists.lexicons["month"][0]  # the month table, for {month}


def test_the_matches_are_in_the_parse_labelled_by_their_list() -> None:
    doc = _doc("Meanwhile, rebels clashed with the army near the river.")
    labels = {span.label_ for span in doc.spans[words.WORDS]}
    assert {"next_event", "reciprocal"} <= labels


def test_within_reads_a_range_only() -> None:
    text = "The strike hit a market. Later, troops withdrew."
    doc = _doc(text)
    second = text.index("Later")
    assert words.within(doc, "next_event", 0, second) == []
    [later] = words.within(doc, "next_event", second, len(text))
    assert text[later.start:later.end] == "Later"


@pytest.mark.parametrize(("text", "name", "expected"), [
    ("There were no civilians among the dead.", "civilians", True),
    ("There were no armed civilians among the dead.", "civilians", True),  # one word between
    ("There were no heavily armed civilians among the dead.", "civilians", False),  # two words
    ("Civilians fled the town.", "Civilians", False),
])
def test_a_negation_just_before_a_name(text: str, name: str, expected: bool) -> None:
    doc = _doc(text)
    assert words.ending_at(doc, "negation", text.index(name), 30, words=1) is expected


def test_a_match_beyond_the_reach_is_not_read() -> None:
    text = "Officials said not one of the fighters survived."
    doc = _doc(text)
    at = text.index("one")
    assert words.ending_at(doc, "negation", at, 30)
    assert not words.ending_at(doc, "negation", at, 3)


def test_the_target_of_a_strike_with_an_article_and_two_words_between() -> None:
    text = "Jets struck the rebel fighters' camp."
    doc = _doc(text)
    assert words.ending_at(doc, "target", text.index("fighters"), 30, words=2)
    assert not words.ending_at(doc, "target", text.index("Jets"), 30, words=2)


def test_case_sensitive_patterns_match_as_written() -> None:
    heading = _doc("Soldiers were killed.\nRelated Articles\nAnother story.")
    assert words.within(heading, "related", 0, 60)
    prose = _doc("Soldiers were killed in related articles of the war.")
    assert not words.within(prose, "related", 0, 60)


@pytest.mark.parametrize(("text", "name", "label", "words_between", "expected"), [
    ("The ministry in Moscow said the depot burned.", "Moscow", "speech_after", 2, True),
    ("Officials in Moscow on Friday said the depot burned.", "Moscow", "speech_after", 2, True),
    ("Fighting in Moscow region was widely reported.", "Moscow", "speech_after", 2, False),  # three words
    ("Fighting in Moscow, officials said.", "Moscow", "speech_after", 2, False),  # a comma
    ("A Mr Said spoke in Moscow Said the paper.", "Moscow", "speech_after", 2, False),  # "Said": a name
    ("US forces withdrew from the base.", "US", "forces_after", 0, True),
    ("Fighters in Syria withdrew from the base.", "Syria", "forces_after", 0, False),
])
def test_words_just_after_a_name(text: str, name: str, label: str, words_between: int, expected: bool) -> None:
    doc = _doc(text)
    end = text.index(name) + len(name)
    assert words.starting_at(doc, label, end, 80, words=words_between, space=label != "forces_after") is expected


@pytest.mark.parametrize(("text", "name", "expected"), [
    ("Gunmen attacked a convoy near the town of Dulbo.", "Dulbo", True),
    ("Gunmen attacked a convoy 12 km north of Dulbo.", "Dulbo", True),  # a figure: matched over the text
    ("Gunmen attacked a convoy between Dulbo and Kerfi.", "Kerfi", True),
    ("Gunmen attacked a convoy in Dulbo.", "Dulbo", False),
])
def test_words_that_put_an_event_near_a_place(text: str, name: str, expected: bool) -> None:
    doc = _doc(text)
    at = text.index(name)
    labels = ("approximate_before", "approximate_figure")
    assert any(words.ending_at(doc, label, at, 60) for label in labels) is expected


def test_a_place_after_a_preposition_or_a_seat() -> None:
    text = "The London-based monitor, based in the capital, said jets struck near Kerfi."
    doc = _doc(text)
    assert words.ending_at(doc, "based_in", text.index("capital"), 40, space=False)
    assert words.ending_at(doc, "locative", text.index("Kerfi"), 12)
    assert not words.ending_at(doc, "locative", text.index("monitor"), 12)
