"""ACLED's event taxonomy and the trigger lexicon that classifies a sentence into it.

Each sub-type has cue patterns written from the ACLED codebook definitions (see ``ACLED.md``).
A sentence is classified by the first rule that fires in ``RULES``: the order encodes ACLED's
precedence (a chemical attack is a *Chemical weapon* event even if it killed civilians; an air
strike on civilians stays *Air/drone strike*; protesters killed by police is *Excessive force*).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, partial

from sitrep.lexicon import alternation, read

EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED", "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
        "Headquarters or base established", "Looting/property destruction",
        "Non-violent transfer of territory", "Other",
    ),
}
TYPE_OF: dict[str, str] = {sub: kind for kind, subs in EVENT_TYPES.items() for sub in subs}


LEXICON_FILE = "taxonomy.yaml"
"""The trigger lexicon of a language: ``sitrep/data/<language>/taxonomy.yaml`` (each entry names the
ACLED codebook section it encodes)."""


@dataclass(frozen=True)
class Rule:
    """One cue pattern for a sub-type, with conditions on the rest of the sentence."""

    sub_event_type: str
    pattern: re.Pattern[str]
    needs: tuple[re.Pattern[str], ...] = ()
    """Other patterns that must all occur in the sentence too (attributions like 'police said' removed)."""
    unless: re.Pattern[str] | None = None
    """A pattern that vetoes the rule."""
    weight: float = 0.8
    """How sure the cue alone makes us (feeds the event's confidence)."""
    check: Callable[[str, re.Match[str]], bool] | None = None
    """A further test of the sentence and the cue's match."""
    source: str = ""
    """The ACLED codebook section the rule encodes."""


@dataclass(frozen=True)
class Taxonomy:
    """The trigger lexicon of one language, compiled."""

    lexicons: dict[str, re.Pattern[str]]
    """Named word classes (``kill``, ``armed_agent``, ``sports`` ...), each matched from a word start."""
    rules: tuple[Rule, ...]
    """In ACLED's precedence: the first that fires classifies a sentence."""


def _state_led(state: re.Pattern[str], other: re.Pattern[str], sentence: str, cue: re.Match[str]) -> bool:
    """Whether the actor named nearest before the cue is a state's force ('troops recaptured ...')."""
    before = sentence[:cue.start()]
    states = [m.end() for m in state.finditer(before)]
    others = [m.end() for m in other.finditer(before)]
    return bool(states) and (not others or max(states) > max(others))


@cache
def taxonomy(language: str = "en") -> Taxonomy:
    """The trigger lexicon of a language, read once from ``sitrep/data/<language>/taxonomy.yaml``.

    Raises ``ValueError`` for a rule of an unknown sub-type, an unknown check, or a reference to a
    lexicon not defined above it; ``FileNotFoundError`` for a language without the file."""
    data = read(language, LEXICON_FILE)
    groups: dict[str, str] = {}
    lexicons: dict[str, re.Pattern[str]] = {}
    for name, entry in data["lexicons"].items():
        groups[name] = alternation(entry["patterns"], groups, f"{LEXICON_FILE}: {name}") + (r"\b" if entry.get("word_end") else "")
        lexicons[name] = re.compile(r"\b" + groups[name], re.IGNORECASE)

    def pattern(value: str | list[str], where: str) -> re.Pattern[str]:
        if isinstance(value, str):
            if value not in lexicons:
                raise ValueError(f"{LEXICON_FILE}: {where} names no lexicon {value!r}")
            return lexicons[value]
        return re.compile(r"\b" + alternation(value, groups, f"{LEXICON_FILE}: {where}"), re.IGNORECASE)

    checks: dict[str, Callable[[str, re.Match[str]], bool]] = {
        "state_led": partial(_state_led, lexicons["state_agent"], lexicons["non_state_agent"]),
    }
    rules: list[Rule] = []
    for i, entry in enumerate(data["rules"]):
        sub = entry["sub_event_type"]
        where = f"rule {i + 1} ({sub})"
        if sub not in TYPE_OF:
            raise ValueError(f"{LEXICON_FILE}: {where}: not an ACLED sub-event type")
        if entry.get("check") is not None and entry["check"] not in checks:
            raise ValueError(f"{LEXICON_FILE}: {where}: unknown check {entry['check']!r}")
        rules.append(Rule(
            sub, pattern(entry["cues"], where),
            needs=tuple(pattern(name, where) for name in entry.get("needs", [])),
            unless=pattern(entry["unless"], where) if entry.get("unless") is not None else None,
            weight=float(entry.get("weight", 0.8)),
            check=checks[entry["check"]] if entry.get("check") is not None else None,
            source=str(entry.get("source", "")),
        ))
    return Taxonomy(lexicons, tuple(rules))


_EN = taxonomy("en")
KILL = _EN.lexicons["kill"]
CIVILIAN_TARGET = _EN.lexicons["civilian_target"]
ARMED_AGENT = _EN.lexicons["armed_agent"]
STATE_AGENT = _EN.lexicons["state_agent"]
"""Agents of a state: who arrests, who retakes territory, who uses force on protesters."""
NON_STATE_AGENT = _EN.lexicons["non_state_agent"]
ORGANISED_AGENT = _EN.lexicons["organised_agent"]
"""Armed actors whose violence ACLED codes even where the text otherwise reads as crime or accident."""
ATTRIBUTION = _EN.lexicons["attribution"]
"""Who reported an event is not a party to it ('..., police said')."""
PROTEST = _EN.lexicons["protest"]
SPORTS = _EN.lexicons["sports"]
"""A match report uses war words ('clash', 'battle', 'attack', 'shot'): no event."""
MISHAP = _EN.lexicons["mishap"]
"""Disasters and accidents: deaths and destruction with no perpetrator."""
CRIME = _EN.lexicons["crime"]
"""Ordinary crime, which ACLED does not code unless organised armed actors commit it."""
SPORTS_EXEMPT = frozenset(EVENT_TYPES["Protests"] + EVENT_TYPES["Riots"])
"""Fans who riot after a match are still a riot."""
RULES: tuple[Rule, ...] = _EN.rules

SUBTYPE_PRIORITY = {rule.sub_event_type: i for i, rule in reversed(list(enumerate(RULES)))}


@dataclass(frozen=True)
class Trigger:
    """The cue that made a sentence an event mention."""

    sub_event_type: str
    start: int
    """Offset of the cue within the sentence."""
    end: int
    text: str
    weight: float

    @property
    def event_type(self) -> str:
        return TYPE_OF[self.sub_event_type]


def classify(sentence: str) -> Trigger | None:
    """The sub-type a sentence reports, by the first rule of ``RULES`` that fires; None if no event."""
    return next(triggers(sentence), None)


def triggers(sentence: str, language: str = "en") -> Iterator[Trigger]:
    """Every cue in a sentence, in ``RULES`` order (ACLED's precedence), each rule's matches in reading order.

    1. a match report, a disaster or accident, or ordinary crime is no event unless an organised armed
       actor takes part (fans rioting after a match still make a riot);
    2. otherwise each rule whose cue, needs and vetoes hold gives a sub-type; the caller decides which
       cue the sentence asserts (``realis.asserted``).
    """
    lexicon = taxonomy(language)
    parties = lexicon.lexicons["attribution"].sub(" ", sentence)  # '..., police said': the police are the source, not a party
    organised = lexicon.lexicons["organised_agent"].search(parties) is not None
    sports = not organised and lexicon.lexicons["sports"].search(sentence) is not None
    ordinary = not organised and (lexicon.lexicons["mishap"].search(sentence) is not None or lexicon.lexicons["crime"].search(sentence) is not None)
    for rule in lexicon.rules:
        if ordinary and rule.sub_event_type != "Mob violence":
            continue  # 1.
        if sports and rule.sub_event_type not in SPORTS_EXEMPT:
            continue
        if not all(need.search(parties) for need in rule.needs):
            continue
        if rule.unless is not None and rule.unless.search(sentence):
            continue
        for match in rule.pattern.finditer(sentence):
            if rule.check is None or rule.check(sentence, match):
                yield Trigger(rule.sub_event_type, match.start(), match.end(), match.group(0), rule.weight)


def mentions_killing(sentence: str) -> bool:
    return KILL.search(sentence) is not None


def targets_civilians(sentence: str) -> bool:
    return CIVILIAN_TARGET.search(sentence) is not None
