"""Who did what to whom: the agent and the patient of an event's trigger, read from the dependency parse.

``read_roles`` takes a parsed sentence and the character range of its trigger (a verb such as
"killed", "stormed", or a noun such as "air strikes", "attack") and returns the spans that play a role
in it, each with its text, its character offsets into the document and one of:

- ``AGENT``: who did it: the subject of an active trigger verb, the "by" phrase of a passive one, the
  subject of the verb a nominal trigger is the object of ("militants *carried out* an attack"), the
  modifiers of a nominal trigger ("Turkish shelling", "the army's raid", "strikes by the coalition");
- ``PATIENT``: to whom: the object of the trigger verb, the subject of a passive one, the object of
  "on", "against", "at", "with", "targeting" after it, the second side of "clashes between A and B"
  (A is the first, ACLED's actor1), the victims of a trigger noun ("were killed in
  shelling", "air strikes killed nine", "bombed a convoy, killing nine");
- ``SOURCE``: who reports it: the subject of a verb of saying ("the army said", "police told
  reporters") and the object of "according to". A source is no party to the event, unless the trigger's
  own subject is a pronoun that stands for it ("the army said it killed ten").
- ``OTHER``: the subject of a verb of another clause, one that neither governs the trigger nor is
  governed by it ("passengers were held hostage ... as the army rescued them"): a party to something
  else. The subject of a clause inside the trigger's ("killed as the group advanced") is left unread.

Conjuncts and appositions share their head's role ("Turkey and Iraq", "the YPG, a Kurdish militia").
Relative clauses and adverbial clauses inside an argument are not part of it. The spans are mentions,
not actors: resolving them to ACLED's actor names is the resolver's work.

ACLED's codebook asks the same of a coder: actor1 is the side that acted and actor2 the side acted
upon, and the source of a report is never an actor for having reported it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from sitrep.extraction import taxonomy
from sitrep.extraction.attribution import is_speech_verb
from sitrep.models import Span

__all__ = ["AGENT", "OTHER", "PATIENT", "SOURCE", "Role", "read_roles", "role_at"]

AGENT = "agent"
PATIENT = "patient"
SOURCE = "source"
OTHER = "other"

SUBJECT = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT = frozenset({"nsubjpass", "csubjpass"})
OBJECT = frozenset({"dobj", "iobj"})
TARGET_PREPOSITIONS = frozenset({"on", "against", "at", "upon", "with", "between", "into", "targeting", "toward",
                                 "towards"})
"""Prepositions whose object is the side acted upon ("fired on", "an attack against", "clashed with")."""
TARGET_VERBS = frozenset({"target", "hit", "strike", "kill", "wound", "injure", "abduct", "kidnap", "seize"})
"""Verbs of a participial clause whose object is the trigger's victim ("..., killing nine", "targeting X")."""
NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "ROOT", "conj", "npadvmod"})
MODIFIER_DEPS = frozenset({"amod", "compound", "poss", "nmod"})
"""Modifiers of a nominal trigger that name its author ("Turkish shelling", "the army's raid")."""
CUT_DEPS = frozenset({"relcl", "advcl", "ccomp", "parataxis", "punct"})
"""Dependents that are clauses of their own, not part of an argument's mention."""
NOT_SOURCE_LEMMAS = frozenset({"claim"})
"""Speech verbs whose subject is a party: a group that claims an attack is its author."""
MEANS_PREPOSITIONS = frozenset({"in", "during", "by"})
"""Prepositions after a verb of harm whose object may be the act that did it ("killed in shelling")."""
TIME_ENTITIES = frozenset({"DATE", "TIME"})
SETTING_PREPOSITIONS = frozenset({"in", "at", "near", "outside", "inside", "around", "across", "during", "after",
                                  "before", "on", "since", "until"})
"""Prepositions that tell where or when, not who: their phrase is no part of a party's mention."""
PRONOUNS = frozenset({"it", "they", "we", "he", "she"})
POSSESSIVES = frozenset({"its", "their", "our", "his", "her"})
"""Possessive determiners: in what a speaker said, "its fighters" are the speaker's own."""
PREDICATE_STEPS = 4
"""How many heads up a nominal trigger may climb to the verb whose arguments it shares."""


@dataclass(frozen=True)
class Role:
    """A span that plays a role in the trigger's event."""

    span: Span
    """The mention: its text and character offsets into the document."""
    role: str
    """``AGENT``, ``PATIENT``, ``SOURCE`` or ``OTHER``."""


def read_roles(doc: Doc, start: int, end: int, cue_start: int, cue_end: int) -> list[Role]:
    """The roles around the trigger at ``[cue_start, cue_end)`` in the sentence at ``[start, end)``.

    Offsets are character offsets into ``doc``; the returned spans are too, sorted by start. An
    empty list when the trigger is not a token range of the sentence or the parse names no one.
    """
    tokens = [t for t in doc if start <= t.idx < end]
    cue = [t for t in tokens if t.idx < cue_end and t.idx + len(t) > cue_start]
    if not cue:
        return []
    head = _head_of(cue)
    own = {t.i for t in cue}
    found: list[tuple[Token, str]] = []
    if _is_nominal(head):
        found += _nominal_roles(head, own)
    else:
        found += _verbal_roles(head)
    speech = [t for t in tokens if is_speech_verb(t) and t.lemma_.lower() not in NOT_SOURCE_LEMMAS]
    sources = [(arg, SOURCE) for verb in speech for arg in _subjects(verb)]
    sources += [(t, SOURCE) for t in tokens if t.dep_ == "pobj" and t.head.lower_ == "to"
                and t.head.head.lower_ == "according"]
    if sources:
        found = [(_speaker_for(arg, speech) if role == AGENT and _stands_for_speaker(arg) else arg, role)
                 for arg, role in found]
    taken = {t.i for t, _ in found}
    found += [(arg, role) for arg, role in sources if arg.i not in taken]
    others = [(s, OTHER) for t in tokens if t.pos_ in {"VERB", "AUX"} and t.i != head.i and t not in speech
              and not _governs(t, head) and not _governs(head, t)
              for s in _subjects(t) if s.i not in taken]
    found += others
    roles = {}
    for arg, role in _spread(found, own):
        span = _extent(arg, own)
        if span is not None and span not in roles:
            roles[span] = role
    return sorted((Role(Span(a, b, doc.text[a:b]), role) for (a, b), role in roles.items()),
                  key=lambda r: (r.span.start, -r.span.end))


def role_at(roles: Iterable[Role], start: int, end: int) -> str | None:
    """The role of the narrowest span of ``roles`` that contains ``[start, end)``, else None."""
    inside = [r for r in roles if r.span.start <= start and end <= r.span.end]
    if not inside:
        return None
    return min(inside, key=lambda r: r.span.end - r.span.start).role


def _head_of(tokens: list[Token]) -> Token:
    """The token of a multi-word trigger whose head lies outside it ("air *strikes*")."""
    ids = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in ids or t.head is t), tokens[-1])


def _is_nominal(token: Token) -> bool:
    """A trigger used as a noun ("the shelling", "an attack"), whatever its part-of-speech tag."""
    if token.pos_ in {"NOUN", "PROPN"}:
        return True
    if token.tag_ != "VBG":
        return False
    return token.dep_ == "pobj" or (token.dep_ in NOMINAL_DEPS - {"ROOT", "conj"} and any(
        c.dep_ in {"det", "amod", "poss", "compound"} for c in token.children))


def _subjects(verb: Token) -> list[Token]:
    """The active subject of a verb, its own or the one it shares with the verb it hangs from
    ("... stormed the town, taking dozens hostage"; "... freed them and killed ten")."""
    for _ in range(PREDICATE_STEPS):
        own = [c for c in verb.children if c.dep_ in SUBJECT]
        if own:
            return [_antecedent(s) for s in own]
        if any(c.dep_ in PASSIVE_SUBJECT for c in verb.children):
            return []
        if verb.dep_ in {"conj", "xcomp", "advcl"} and verb.head is not verb:
            verb = verb.head
            continue
        if verb.dep_ in {"acl"} and verb.tag_ == "VBG":
            return [verb.head]  # "militants storming the town"
        return []
    return []


def _antecedent(token: Token) -> Token:
    """A relative pronoun stands for the noun its clause describes ("gunmen who stormed")."""
    if token.tag_ in {"WP", "WDT"} and token.head.dep_ == "relcl":
        return token.head.head
    return token


def _verbal_roles(verb: Token) -> list[tuple[Token, str]]:
    found: list[tuple[Token, str]] = []
    passive = any(c.dep_ in PASSIVE_SUBJECT or c.dep_ == "auxpass" for c in verb.children) or (
        verb.dep_ == "acl" and verb.tag_ == "VBN")  # "troops taken hostage", "a convoy hit by shelling"
    if not passive:
        found += [(s, AGENT) for s in _subjects(verb)]
        if verb.dep_ == "relcl" and not any(c.dep_ in SUBJECT for c in verb.children):
            found.append((verb.head, PATIENT))  # "the town that militants stormed"
    else:
        found += [(c, PATIENT) for c in verb.children if c.dep_ in PASSIVE_SUBJECT]
        if verb.dep_ in {"acl", "relcl"} and not found:
            found.append((_antecedent(verb.head), PATIENT))  # "the train attacked by gunmen"
    for child in verb.children:
        if child.dep_ == "agent":
            found += [(p, AGENT) for p in child.children if p.dep_ == "pobj"]
        elif child.dep_ in OBJECT:
            found.append((child, PATIENT))
        elif child.dep_ == "prep" and child.lower_ in TARGET_PREPOSITIONS | {"from"}:
            found += [(p, PATIENT) for p in _objects(child)]  # "... retook the town from the rebels"
        elif child.dep_ == "prep" and child.lower_ in MEANS_PREPOSITIONS:
            for means in _objects(child):  # "were killed in Turkish shelling": the shelling's author
                if _names_violence(means):
                    found += [(r, role) for r, role in _nominal_roles(means, {means.i}, False) if role == AGENT]
        elif child.dep_ in {"advcl", "xcomp", "conj"} and child.lemma_.lower() in TARGET_VERBS and not any(
                c.dep_ in SUBJECT for c in child.children):
            found += [(c, PATIENT) for c in child.children if c.dep_ in OBJECT]  # "..., killing nine"
    return found


def _objects(preposition: Token) -> list[Token]:
    """The objects of a preposition that can be parties: not dates or times ("on Friday")."""
    return [p for p in preposition.children if p.dep_ == "pobj" and p.ent_type_ not in TIME_ENTITIES]


def _names_violence(noun: Token) -> bool:
    """Whether a noun phrase names an act of violence ("heavy shelling", "an air strike"), by the
    trigger lexicon (``taxonomy.triggers``)."""
    return any(True for _ in taxonomy.triggers(noun.doc, noun.left_edge.idx, noun.idx + len(noun)))


def _nominal_roles(noun: Token, own: set[int], clause: bool = True) -> list[tuple[Token, str]]:
    found: list[tuple[Token, str]] = []
    for child in noun.children:
        if child.i in own:
            continue
        if child.dep_ in MODIFIER_DEPS and (child.pos_ in {"PROPN", "ADJ", "NOUN"} or child.dep_ == "poss"):
            found.append((child, AGENT))  # "Turkish shelling", "regime strikes", "the army's raid"
        elif child.dep_ == "prep" and child.lower_ in {"by", "from"}:
            found += [(p, AGENT) for p in child.children if p.dep_ == "pobj"]
        elif child.dep_ == "prep" and child.lower_ == "between":  # "clashes between the army and the RSF"
            for first in _objects(child):
                found += [(c, PATIENT) for c in first.children if c.dep_ == "conj"]
                found.append((first, AGENT))
        elif child.dep_ == "prep" and child.lower_ in TARGET_PREPOSITIONS:
            found += [(p, PATIENT) for p in _objects(child)]
        elif child.dep_ == "acl":  # "strikes carried out by the coalition against X"
            found += [(r, role) for r, role in _verbal_roles(child) if r is not noun]
    if not clause:
        return found
    verb = noun.head
    if noun.dep_ in {"nsubj"}:  # "air strikes killed nine"
        found += [(c, PATIENT) for c in verb.children if c.dep_ in OBJECT]
    elif noun.dep_ in OBJECT or noun.dep_ == "nsubjpass":  # "militants carried out an attack"
        found += [(r, role) for r, role in _verbal_roles(verb) if r is not noun and role == AGENT]
    elif noun.dep_ == "pobj" and verb.dep_ == "prep" and verb.lower_ in MEANS_PREPOSITIONS:
        harmed = verb.head  # "were killed in shelling", "died in an attack by militants"
        if harmed.pos_ in {"VERB", "AUX"}:
            found += [(r, role) for r, role in _verbal_roles(harmed) if r is not noun and role == PATIENT]
    return found


def _stands_for_speaker(agent: Token) -> bool:
    """A pronoun ("the army said it struck", "... its air strikes") or a noun of the speaker's own
    ("Hamas said its fighters fired"): in reported speech the agent is then the speaker."""
    return agent.lower_ in PRONOUNS | POSSESSIVES or any(c.dep_ == "poss" and c.lower_ in POSSESSIVES for c in agent.children)


def _speaker_for(pronoun: Token, speech: list[Token]) -> Token:
    """The speaker a subject pronoun stands for when its clause is what the speaker said."""
    for verb in speech:
        if _governs(verb, pronoun):
            subjects = _subjects(verb)
            if subjects:
                return subjects[0]
    return pronoun


def _governs(ancestor: Token, token: Token) -> bool:
    return any(a.i == ancestor.i for a in token.ancestors)


def _spread(found: list[tuple[Token, str]], own: set[int]) -> Iterator[tuple[Token, str]]:
    """Each argument with its conjuncts and appositions ("Turkey and Iraq")."""
    for token, role in found:
        stack = [token]
        seen: set[int] = set()
        while stack:
            t = stack.pop()
            if t.i in seen or t.i in own:
                continue
            seen.add(t.i)
            yield t, role
            stack += [c for c in t.children if c.dep_ in {"conj", "appos"}]


def _extent(token: Token, own: set[int]) -> tuple[int, int] | None:
    """Character range of an argument's mention: its subtree without clauses of their own, its
    conjuncts (they are arguments of their own) or the trigger."""
    cut = {token.i}
    keep: list[Token] = []
    stack = [token]
    while stack:
        t = stack.pop()
        if t.i in own:
            continue
        keep.append(t)
        for c in t.children:
            if c.dep_ in CUT_DEPS or c.dep_ in {"conj", "cc"} or c.i in cut or (
                    c.dep_ == "prep" and c.lower_ in SETTING_PREPOSITIONS):
                continue
            cut.add(c.i)
            stack.append(c)
    if not keep:
        return None
    first = min(keep, key=lambda t: t.i)
    last = max(keep, key=lambda t: t.i)
    return first.idx, last.idx + len(last)
