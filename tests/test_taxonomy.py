"""The trigger lexicon on short news snippets we wrote ourselves (``tests/data/snippets.jsonl``).

Each snippet carries the ACLED sub-type it reports, or null for non-political news (disasters,
accidents, ordinary crime, sports, business, elections, diplomacy) that must give no event. The
scores follow the reference definitions for snippet suites: the primary event is the one with the
highest confidence (first on ties); weighted F1 over the sub-types of the snippets whose gold is a
sub-type; ``none_rejected`` is the share of non-political snippets given no event. Ids starting
``held-`` (about a third of each class) form a separate check, scored on its own.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pytest

import sitrep
from sitrep.extraction.taxonomy import TYPE_OF, classify

SNIPPETS = Path(__file__).parent / "data" / "snippets.jsonl"
PUBLISHED = "2024-06-15"
"""Snippets carry no date; a publication day lets an event be dated (sitrep gives no undated events)."""
NONE = "NONE"
FLOOR = 0.65
"""The floor the unseen snippet suite is held to, for both figures."""
PINNED = {"tune": (0.97, 1.0), "held": (0.98, 1.0)}
"""(weighted F1, none_rejected) reached on each part of the set."""
ALLOWANCE = 0.05
"""How far a figure may fall below its pinned value before the test fails."""


def _rows() -> list[dict]:
    with SNIPPETS.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@cache
def _predictions() -> dict[str, str]:
    """The primary event's sub-type per snippet id, or NONE."""
    predicted = {}
    for row in _rows():
        events = sitrep.extract(row["text"], published=PUBLISHED)
        best = max(enumerate(events), key=lambda ie: (ie[1].confidence, -ie[0]), default=None)
        predicted[row["id"]] = best[1].sub_event_type if best else NONE
    return predicted


def weighted_f1(pairs: Sequence[tuple[str, str]]) -> float:
    """F1 per gold label, averaged with the labels' gold counts as weights."""
    total, score = 0, 0.0
    for label in {gold for gold, _ in pairs}:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        score += f1 * (tp + fn)
        total += tp + fn
    return score / total if total else 0.0


def scores(part: str) -> tuple[float, float]:
    """(weighted F1 over the sub-types, none_rejected) on one part of the set."""
    predicted = _predictions()
    pairs = [(r["gold"]["sub_event_type"] or NONE, predicted[r["id"]]) for r in _rows() if r["id"].startswith(part)]
    political = [(g, p) for g, p in pairs if g != NONE]
    ordinary = [p for g, p in pairs if g == NONE]
    return weighted_f1(political), sum(p == NONE for p in ordinary) / len(ordinary)


def test_fixture_covers_every_sub_type() -> None:
    rows = _rows()
    counts = {sub: sum(r["gold"]["sub_event_type"] == sub for r in rows) for sub in TYPE_OF}
    assert min(counts.values()) >= 4, counts
    assert sum(r["gold"]["sub_event_type"] is None for r in rows) >= 40
    assert len({r["id"] for r in rows}) == len(rows)


@pytest.mark.parametrize("part", sorted(PINNED))
def test_snippet_scores_hold(part: str) -> None:
    f1, rejected = scores(part)
    pinned_f1, pinned_rejected = PINNED[part]
    assert f1 >= max(FLOOR, pinned_f1 - ALLOWANCE), f"{part}: weighted F1 {f1:.3f}"
    assert rejected >= max(FLOOR, pinned_rejected - ALLOWANCE), f"{part}: none_rejected {rejected:.3f}"


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
