"""Who did what to whom: the roles the dependency parse gives around a trigger, on sentences we wrote."""

from __future__ import annotations

import pytest

from sitrep.extraction.roles import AGENT, OTHER, PATIENT, SOURCE, read_roles, role_at
from sitrep.nlp import pipeline


def roles(sentence: str, cue: str) -> dict[str, str]:
    doc = pipeline("en")(sentence)
    start = sentence.index(cue)
    found = read_roles(doc, 0, len(sentence), start, start + len(cue))
    for role in found:
        assert sentence[role.span.start:role.span.end] == role.span.text
    return {r.span.text: r.role for r in found}


def test_subject_acts_and_object_is_acted_upon() -> None:
    found = roles("Soldiers killed twelve gunmen near the border on Friday.", "killed")
    assert found["Soldiers"] == AGENT
    assert found["twelve gunmen"] == PATIENT
    assert "Friday" not in found  # a day is no party


def test_passive_by_phrase_is_the_agent() -> None:
    found = roles("The convoy was ambushed by bandits outside the town.", "ambushed")
    assert found["bandits"] == AGENT
    assert found["The convoy"] == PATIENT


def test_the_reporting_source_is_no_party() -> None:
    found = roles("Gunmen stormed the hotel late on Tuesday, the police said.", "stormed")
    assert found["Gunmen"] == AGENT
    assert found["the hotel"] == PATIENT
    assert found["the police"] == SOURCE
    found = roles("According to the governor, bandits raided the village.", "raided")
    assert found["the governor"] == SOURCE
    assert found["bandits"] == AGENT


def test_a_pronoun_subject_stands_for_the_speaker() -> None:
    found = roles("The navy said it sank two smuggling boats.", "sank")
    assert found["The navy"] == AGENT


def test_what_the_speaker_calls_its_own_stands_for_the_speaker() -> None:
    found = roles("The militia said its gunmen had ambushed a patrol near the dam.", "ambushed")
    assert role_at_text(found, "The militia") == AGENT
    found = roles("The air force said its bombers later struck rebel depots.", "bombers")
    assert role_at_text(found, "The air force") == AGENT
    found = roles("The ministry said gunmen had ambushed its convoy near the dam.", "ambushed")
    assert found["gunmen"] == AGENT  # the speaker's own that was acted upon does not make it the agent
    assert role_at_text(found, "The ministry") == SOURCE


def test_the_modifier_of_a_strike_is_its_author_and_its_dead_are_victims() -> None:
    found = roles("Ethiopian air strikes killed nine herders near the well.", "air strikes")
    assert role_at_text(found, "Ethiopian") == AGENT
    assert found["nine herders"] == PATIENT


def test_victims_of_the_act_a_verb_names() -> None:
    found = roles("Six herders were killed in heavy Kenyan shelling.", "killed")
    assert found["Six herders"] == PATIENT
    assert role_at_text(found, "Kenyan") == AGENT
    found = roles("Drones bombed a market near the river, killing eleven traders.", "bombed")
    assert found["Drones"] == AGENT
    assert found["eleven traders"] == PATIENT


def test_conjuncts_share_the_role() -> None:
    found = roles("Militiamen and police fired on the crowd.", "fired")
    assert found["Militiamen"] == AGENT
    assert found["police"] == AGENT
    assert found["the crowd"] == PATIENT


def test_the_subject_of_another_clause_is_no_agent() -> None:
    sentence = "Bandits held twenty travellers hostage for a day, and the marines freed them on Sunday."
    found = roles(sentence, "held")
    assert found["Bandits"] == AGENT
    assert found.get("the marines") != AGENT


@pytest.mark.parametrize("sentence", ["", "No one was hurt."])
def test_no_trigger_no_roles(sentence: str) -> None:
    doc = pipeline("en")(sentence)
    assert read_roles(doc, 0, len(sentence), len(sentence), len(sentence)) == []


def role_at_text(found: dict[str, str], word: str) -> str | None:
    return next((role for text, role in found.items() if word in text), None)


def test_role_at_takes_the_narrowest_span() -> None:
    sentence = "Rebels loyal to the council attacked an army post."
    doc = pipeline("en")(sentence)
    start = sentence.index("attacked")
    found = read_roles(doc, 0, len(sentence), start, start + len("attacked"))
    council = sentence.index("the council")
    assert role_at(found, council, council + len("the council")) == AGENT
    assert role_at(found, 0, 0) in {AGENT, None}
    assert OTHER not in {r.role for r in found}


def test_the_first_side_of_clashes_between_two_is_the_agent() -> None:
    found = roles("Twenty fighters died in clashes between the militia and the border guards on Sunday.", "clashes")
    assert found["the militia"] == AGENT
    assert found["the border guards"] == PATIENT
