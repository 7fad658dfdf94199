"""The trigger lexicon on short news snippets we wrote ourselves, scored by ``bench/snippets.py``.

Each snippet carries the ACLED sub-type it reports, or null for non-political news (disasters,
accidents, ordinary crime, sports, business, elections, diplomacy) that must give no event. The
scores follow the reference definitions for snippet suites: the primary event is the one with the
highest confidence (first on ties); weighted F1 over the sub-types of the snippets whose gold is a
sub-type; ``none_rejected`` is the share of non-political snippets given no event.

The tuning set (``tests/data/snippets.jsonl``) holds its figures here. The held-out set
(``tests/data/snippets_heldout.jsonl``) is a measurement, never a target: it is only checked to be well
formed, and its figures are reported by ``python bench/snippets.py`` (docs/EVALUATION.md).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from bench import snippets
from sitrep.extraction.taxonomy import TYPE_OF, classify

SNIPPETS = snippets.SETS["tune"]
HELDOUT = snippets.SETS["heldout"]
FLOOR = 0.65
"""The floor the unseen snippet suite is held to, for both figures."""
PINNED = (0.95, 0.97)
"""(weighted F1, none_rejected) reached on the tuning set."""
ALLOWANCE = 0.05
"""How far a figure may fall below its pinned value before the test fails."""


@cache
def _scores() -> tuple[float, float]:
    tune = snippets.load(SNIPPETS, prefix="tune")
    return snippets.scores(tune, snippets.predict(tune))


def test_fixture_covers_every_sub_type() -> None:
    rows = snippets.load(SNIPPETS, prefix="tune")
    counts = {sub: sum(r.gold == sub for r in rows) for sub in TYPE_OF}
    assert min(counts.values()) >= 4, counts
    assert sum(r.gold is None for r in rows) >= 40


def test_heldout_set_is_well_formed() -> None:
    """Labels valid and ids unique (``load``), every sub-type present, no text shared with the tuning set."""
    heldout = snippets.load(HELDOUT, prefix="heldout")
    counts = {sub: sum(r.gold == sub for r in heldout) for sub in TYPE_OF}
    assert min(counts.values()) >= 3, counts
    assert sum(r.gold is None for r in heldout) >= 40
    assert not {r.text for r in heldout} & {r.text for r in snippets.load(SNIPPETS)}


@pytest.mark.parametrize(("line", "problem"), [
    ('{"id": "heldout-1", "text": "Rebels shelled the port.", "gold": {"sub_event_type": "Shelling"}}',
     "'Shelling' is not an ACLED sub-event type"),
    ('{"id": "tune-1", "text": "Rebels shelled the port.", "gold": {"sub_event_type": null}}',
     "does not start with 'heldout-'"),
    ('{"id": "heldout-1", "text": "Rebels shelled the port."}', "no 'gold' object"),
    ('{"id": "heldout-1", "text": "Rebels shelled the port.", ', "not a JSON record"),
])
def test_a_malformed_snippet_is_named(tmp_path: Path, line: str, problem: str) -> None:
    path = tmp_path / "snippets.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=problem) as caught:
        snippets.load(path, prefix="heldout")
    assert f"{path}, line 1" in str(caught.value)


def test_snippet_scores_hold() -> None:
    f1, rejected = _scores()
    pinned_f1, pinned_rejected = PINNED
    assert f1 >= max(FLOOR, pinned_f1 - ALLOWANCE), f"weighted F1 {f1:.3f}"
    assert rejected >= max(FLOOR, pinned_rejected - ALLOWANCE), f"none_rejected {rejected:.3f}"


@pytest.mark.parametrize(("sentence", "sub_type"), [
    ("Security forces opened fire on protesters in Khartoum, killing five.", "Excessive force against protesters"),
    ("Police shot dead two demonstrators during protests over fuel prices.", "Excessive force against protesters"),
    ("Protesters hurled stones at police, who opened fire and killed two.", "Violent demonstration"),
    ("Police fired rubber bullets at demonstrators marching on parliament.", "Protest with intervention"),
    ("Riot police detained dozens of protesters outside the court.", "Protest with intervention"),
    ("A mob lynched a man accused of stealing a motorcycle.", "Mob violence"),
    ("Villagers set upon a suspected kidnapper and burned him alive.", "Mob violence"),
    ("A car bomb parked near a busy market exploded, killing 40 people.", "Remote explosive/landmine/IED"),
    ("A suicide car bomb exploded at the gate of a military base.", "Suicide bomb"),
    ("Two attackers wearing explosive belts blew themselves up near the airport.", "Suicide bomb"),
    ("A US drone strike killed two militant commanders.", "Air/drone strike"),
    ("Artillery hit positions near the town overnight.", "Shelling/artillery/missile attack"),
    ("Al Shabaab clashed with soldiers at a checkpoint after the militants threw a hand grenade.", "Armed clash"),
    ("Bandits kidnapped 30 passengers travelling on the highway.", "Abduction/forced disappearance"),
    ("Al Shabaab detained two civilians at a checkpoint.", "Abduction/forced disappearance"),
    ("Police arrested an opposition leader at his home.", "Arrests"),
    ("Militiamen looted shops in the village.", "Looting/property destruction"),
    ("Russian troops withdrew from the town without a fight.", "Non-violent transfer of territory"),
    ("Government forces took control of the village without a fight.", "Non-violent transfer of territory"),
    ("Troops took control of the village after driving out the militants.", "Government regains territory"),
    ("Rebels took control of the town on Monday.", "Non-state actor overtakes territory"),
    ("Al-Shabaab set up a new headquarters in the village.", "Headquarters or base established"),
    ("Saudi air defences intercepted a drone launched towards Abha.", "Disrupted weapons use"),
    ("Deminers cleared more than 200 landmines from farmland.", "Disrupted weapons use"),
    ("The junta declared martial law and imposed a nationwide curfew.", "Other"),
])
def test_hard_cases(sentence: str, sub_type: str) -> None:
    trigger = classify(sentence)
    assert trigger is not None and trigger.sub_event_type == sub_type


@pytest.mark.parametrize("sentence", [
    "The home side clashed with the visitors in a fiery derby at the stadium on Sunday.",
    "The striker fired a shot into the top corner to give Arsenal the lead.",
    "Rail workers began a 48-hour strike on Monday, halting trains across the country.",
    "Firefighters battled a blaze at a warehouse for six hours.",
    "Eleven passengers were killed when a bus collided with a truck on the highway.",
    "A man shot his neighbour dead after an argument over a parking space, police said.",
    "Police arrested a man for drunk driving after a crash.",
    "Students said they bombed their maths exam.",
    "The director began shooting his new film last week.",
    "Microsoft completed its takeover of Activision Blizzard after regulators approved the deal.",
    "The two companies signed an agreement to build a gas pipeline.",
    "A cyclone battered the coast, destroying thousands of homes.",
])
def test_ordinary_news_is_no_event(sentence: str) -> None:
    assert classify(sentence) is None
