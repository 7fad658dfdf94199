"""ACLED's event taxonomy and the trigger lexicon that classifies a sentence into it.

Each sub-type has cue patterns written from the ACLED codebook definitions (see ``ACLED.md``).
A sentence is classified by the first rule that fires in ``RULES``: the order encodes ACLED's
precedence (a chemical attack is a *Chemical weapon* event even if it killed civilians; an air
strike on civilians stays *Air/drone strike*; protesters killed by police is *Excessive force*).

The lexicon is matched once per document, when it is parsed: the ``trigger_cues`` spaCy component
(``nlp.pipeline`` adds it) stores every match of a rule's cues, a rule's vetoes and the word
classes the rules read as spans in ``doc.spans[CUES]`` (``sitrep.matching``), labelled with the
lexicon's name ("kill", "armed_agent") or the rule's ("rule 3", "rule 3 unless"). ``triggers``
classifies a sentence, or any range of a document, from those spans.

A rule may also read the dependency parse instead of the words' order: its ``frame`` names the
predicates (lemmas, "round up" with its particle) and what their arguments must be (the patient's and
the agent's head nouns, by the word classes above), so that "the former minister was detained by
military police", "police picked up five activists" and "troops arrested a rights lawyer" are one
arrest whatever the voice and the word order (``Frame``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from sitrep import nlp
from sitrep.lexicon import alternation, read
from sitrep.matching import CueMatcher, Found, found, leftmost

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

FACTORY = "trigger_cues"
"""The name of the spaCy component that matches the trigger lexicon (``nlp.pipeline`` adds it)."""
CUES = "cues"
"""The ``doc.spans`` key under which the ``trigger_cues`` component stores the lexicon's matches."""

SPECIFIC = 0.7
"""Cues weighted this or more name a kind of political violence or development themselves ("on a bombing
run", "air raids"); below, a bare verb ("killing") or a selective development ("training") that an
accident can have too."""
VETOES = ("attribution", "organised_agent", "sports", "mishap", "crime")
"""The word classes every sentence is read for (see ``triggers``)."""
CHECKS = {"state_led": ("state_agent", "non_state_agent"), "not_on_forces": ("state_agent", "non_state_agent")}
"""The further tests a rule may name, and the word classes each reads."""
OBJECT_ENDS = frozenset({"ADP", "PUNCT", "VERB", "AUX", "SCONJ", "CCONJ", "PART"})
"""Parts of speech that end the noun phrase after a verb of killing (its object, the victims)."""


FRAME_DEPTH = 2
"""How far below a predicate the other words of a multi-word predicate may hang ("took *into custody*")."""
QUANTITY_STEPS = 2
"""How many "of" phrases an argument's head noun may hand its role on through ("dozens of people",
"a haul of rifles"): the head that names what the argument is."""
VERBAL_TAGS = frozenset({"VB", "VBD", "VBG", "VBN", "VBP", "VBZ"})
ENTITY_CLASSES = {"@place": frozenset({"GPE", "LOC", "FAC"})}
"""Argument classes read from the named entities instead of a word class: ``@place``, a place's name."""


@dataclass(frozen=True)
class Frame:
    """A predicate and what its arguments must be, read from the dependency parse.

    A predicate is a verb (or a participle, whatever its part-of-speech tag says) whose lemma or word is
    the first of one of ``predicates``; the others must hang below it within ``FRAME_DEPTH`` ("pick
    up", "take into custody", "shoot down"). Its agent is its subject in the active voice (or that of
    the verb it is coordinated with or hangs from), the "by" phrase in the passive; its patient the
    object in the active, the subject in the passive, the object of "into" or "as" ("turned a school
    into a base"), the noun a participle modifies ("looted shops"). An argument names what its head
    noun, that noun's conjuncts and appositions, and the nouns after "of" of a quantity or a container
    ("dozens of activists", "a cache of rifles") are.
    """

    predicates: tuple[tuple[str, ...], ...]
    """Each predicate as its words, lower case: the lemma of its head first."""
    patient: tuple[str, ...] = ()
    """Word classes one of which the patient must be (empty: any patient, or none)."""
    agent: tuple[str, ...] = ()
    """Word classes one of which the agent must be (empty: any agent, or none)."""
    agentless: bool = True
    """Whether the predicate may have no agent the parse names (a passive without "by")."""
    not_agent: tuple[str, ...] = ()
    """Word classes the agent may not be ("*armed* men blocked the highway" is no demonstration)."""
    below: tuple[str, ...] = ()
    """Lemmas one of which must hang at most ``FRAME_DEPTH`` below the predicate (empty: none needed):
    what a gathering is for ("gathered ... *demanding* higher wages")."""
    modifier: bool = False
    """Whether a participle that modifies a noun ("the looted shops", "villagers armed with sticks")
    may be the predicate; otherwise only a clause's verb is."""


@dataclass(frozen=True)
class Rule:
    """One cue pattern for a sub-type, with conditions on the rest of the sentence."""

    sub_event_type: str
    cues: str
    """The label of the cue's matches: the rule's own ("rule 3") or a lexicon's ("protest")."""
    needs: tuple[str, ...] = ()
    """Lexicons that must all occur in the sentence too (attributions like 'police said' removed)."""
    unless: str | None = None
    """The label of the matches that veto the rule."""
    weight: float = 0.8
    """How sure the cue alone makes us (feeds the event's confidence)."""
    check: str | None = None
    """A further test of the cue in its sentence (``CHECKS``): "state_led", the actor named nearest
    before the cue is a state's force ("troops recaptured ..."); "not_on_forces", no armed force is
    named as the cue's victim just after it ("shot dead two soldiers" is no attack on civilians)."""
    source: str = ""
    """The ACLED codebook section the rule encodes."""
    frame: Frame | None = None
    """The rule's cue read from the parse instead (``cues`` then names no matches)."""


@dataclass(frozen=True)
class Taxonomy:
    """The trigger lexicon of one language, as read from its file."""

    lexicons: dict[str, tuple[list[str], bool]]
    """Named word classes (``kill``, ``armed_agent``, ``sports`` ...): their patterns, and whether
    they end on a word boundary."""
    rules: tuple[Rule, ...]
    """In ACLED's precedence: the first that fires classifies a sentence."""
    entries: dict[str, list[tuple[str, bool]]]
    """What the ``trigger_cues`` component matches, per label: the word classes the rules read and
    each rule's own cues and vetoes, their patterns in order (a pattern that is only ``{name}``
    stands for that lexicon's patterns), each with whether it ends on a word boundary."""
    groups: dict[str, str]
    """Each lexicon as one regular expression, for the patterns matched over the text."""


@cache
def taxonomy(language: str = "en") -> Taxonomy:
    """The trigger lexicon of a language, read once from ``sitrep/data/<language>/taxonomy.yaml``.

    Raises ``ValueError`` for a rule of an unknown sub-type, an unknown check, or a reference to a
    lexicon not defined above it; ``FileNotFoundError`` for a language without the file."""
    data = read(language, LEXICON_FILE)
    groups: dict[str, str] = {}
    lexicons: dict[str, tuple[list[str], bool]] = {}
    for name, entry in data["lexicons"].items():
        patterns, word_end = [str(p) for p in entry["patterns"]], bool(entry.get("word_end"))
        groups[name] = alternation(patterns, groups, f"{LEXICON_FILE}: {name}") + (r"\b" if word_end else "")
        lexicons[name] = (patterns, word_end)
    entries: dict[str, list[tuple[str, bool]]] = {}

    def label(value: str | list[str], own: str, where: str) -> str:
        if isinstance(value, str):
            if value not in lexicons:
                raise ValueError(f"{LEXICON_FILE}: {where} names no lexicon {value!r}")
            entries[value] = _spliced(value, lexicons)
            return value
        alternation(value, groups, f"{LEXICON_FILE}: {where}")  # every reference names a lexicon above
        entries[own] = [e for p in value for e in _spliced_entry(str(p), False, lexicons)]
        return own

    for name in (*VETOES, *(n for names in CHECKS.values() for n in names)):
        label(name, name, name)
    rules: list[Rule] = []
    for i, entry in enumerate(data["rules"]):
        sub = entry["sub_event_type"]
        where = f"rule {i + 1} ({sub})"
        if sub not in TYPE_OF:
            raise ValueError(f"{LEXICON_FILE}: {where}: not an ACLED sub-event type")
        if entry.get("check") is not None and entry["check"] not in CHECKS:
            raise ValueError(f"{LEXICON_FILE}: {where}: unknown check {entry['check']!r}")
        frame = _frame(entry["frame"], where, lambda name: label(name, name, name)) if "frame" in entry else None
        rules.append(Rule(
            sub, f"rule {i + 1}" if frame is not None else label(entry["cues"], f"rule {i + 1}", where),
            needs=tuple(label(name, name, where) for name in entry.get("needs", [])),
            unless=label(entry["unless"], f"rule {i + 1} unless", where) if entry.get("unless") is not None else None,
            weight=float(entry.get("weight", 0.8)),
            check=entry.get("check"),
            source=str(entry.get("source", "")),
            frame=frame,
        ))
    return Taxonomy(lexicons, tuple(rules), entries, groups)


def _frame(entry: dict[str, Any], where: str, label: Callable[[str], str]) -> Frame:
    """A rule's ``frame`` as read from the file; ``label`` registers each word class it names.
    Raises ``ValueError`` for a frame without predicates."""
    predicates = entry.get("predicates")
    if not isinstance(predicates, list) or not predicates:
        raise ValueError(f"{LEXICON_FILE}: {where}: a frame names its predicates")

    def classes(key: str) -> tuple[str, ...]:
        value = entry.get(key) or []
        names = [value] if isinstance(value, str) else value
        return tuple(str(name) if str(name) in ENTITY_CLASSES else label(str(name)) for name in names)

    return Frame(tuple(tuple(str(p).lower().split()) for p in predicates), classes("patient"), classes("agent"),
                 bool(entry.get("agentless", True)), classes("not_agent"),
                 tuple(str(w).lower() for w in entry.get("below") or []), bool(entry.get("modifier", False)))


def _spliced(name: str, lexicons: dict[str, tuple[list[str], bool]]) -> list[tuple[str, bool]]:
    """A lexicon's patterns, each with whether it ends on a word boundary."""
    patterns, word_end = lexicons[name]
    return [e for p in patterns for e in _spliced_entry(p, word_end, lexicons)]


def _spliced_entry(pattern: str, word_end: bool, lexicons: dict[str, tuple[list[str], bool]]) -> list[tuple[str, bool]]:
    """A pattern that is only ``{name}`` stands for that lexicon's patterns in order (a regular
    expression's alternation tries them so); any other pattern for itself."""
    if pattern.startswith("{") and pattern.endswith("}") and pattern[1:-1] in lexicons:
        return [(p, end or word_end) for p, end in _spliced(pattern[1:-1], lexicons)]
    return [(pattern, word_end)]


@Language.factory(FACTORY, default_config={"language": "en"})
def trigger_cues(nlp: Language, name: str, language: str) -> CueMatcher:
    """The spaCy component that matches a language's trigger lexicon into ``doc.spans[CUES]``."""
    lexicon = taxonomy(language)
    return CueMatcher(nlp.vocab, CUES, lexicon.entries, lexicon.lexicons, lexicon.groups)


RULES: tuple[Rule, ...] = taxonomy("en").rules
SPORTS_EXEMPT = frozenset(EVENT_TYPES["Protests"] + EVENT_TYPES["Riots"])
"""Fans who riot after a match are still a riot."""

SUBTYPE_PRIORITY = {rule.sub_event_type: i for i, rule in reversed(list(enumerate(RULES)))}


@dataclass(frozen=True)
class Trigger:
    """The cue that made a sentence an event mention."""

    sub_event_type: str
    start: int
    """Offset of the cue's first token within the sentence (the range ``triggers`` read)."""
    end: int
    """Offset of the end of its last token."""
    text: str
    weight: float
    origin: int = 0
    """Document offset of the range ``triggers`` read: ``start`` and ``end`` count from it."""

    @property
    def event_type(self) -> str:
        return TYPE_OF[self.sub_event_type]


def classify(text: str, language: str = "en") -> Trigger | None:
    """The sub-type a text reports, read as one sentence, by the first rule of ``RULES`` that fires;
    None if no event. The text is parsed (``nlp.parse``); a stage that has the parse reads
    ``triggers`` of it."""
    doc = next(nlp.parse(language, [text]))
    return next(triggers(doc, 0, len(text), language), None)


def triggers(doc: Doc, start: int, end: int, language: str = "en") -> Iterator[Trigger]:
    """Every cue in the document characters ``[start, end)`` (a sentence), in ``RULES`` order (ACLED's
    precedence), each rule's cues in reading order, from the spans the ``trigger_cues`` component
    stored: what a rule's patterns would find over the range's text.

    1. a match report, a disaster or accident, or ordinary crime is no event unless an organised armed
       actor takes part (fans rioting after a match still make a riot);
    2. otherwise each rule whose cue, needs and vetoes hold gives a sub-type; the caller decides which
       cue the sentence asserts (``realis.asserted``).
    """
    lexicon = taxonomy(language)
    matches = found(doc, CUES, start, end)
    source = leftmost(matches.get("attribution", ()))  # '..., police said': the police are the source, not a party

    def party(name: str) -> bool:
        return any(not any(a.start < m.end and m.start < a.end for a in source) for m in matches.get(name, ()))

    organised = party("organised_agent")
    sports = not organised and "sports" in matches
    ordinary = not organised and ("mishap" in matches or "crime" in matches)
    mishap = organised and "mishap" in matches  # an accident with soldiers in it is still an accident (below)
    text = None
    for rule in lexicon.rules:
        if ordinary and rule.sub_event_type != "Mob violence":
            continue  # 1.
        if sports and rule.sub_event_type not in SPORTS_EXEMPT:
            continue
        if (rule.frame is None and rule.cues not in matches) or not all(party(need) for need in rule.needs):
            continue
        if rule.unless is not None and rule.unless in matches:
            continue
        cues = leftmost(matches[rule.cues]) if rule.frame is None else _framed(rule.frame, doc, start, end, matches)
        for cue in cues:
            if (mishap and rule.weight < SPECIFIC and rule.sub_event_type != "Mob violence"
                    and not _organised_acts(doc, matches, source)):
                continue  # "a military plane crashed, killing 12 soldiers": a bare verb of an accident
            if _checked(rule.check, matches, cue, doc):
                text = text if text is not None else nlp.text(doc)
                yield Trigger(rule.sub_event_type, cue.start - start, cue.end - start, text[cue.start:cue.end],
                              rule.weight, start)


def _organised_acts(doc: Doc, matches: dict[str, list[Found]], source: list[Found]) -> bool:
    """Whether an organised armed actor acts in a sentence that tells of a disaster or an accident: one
    that is the subject of a verb, or its "by" phrase, not a modifier ("a *military* plane crashed"),
    an object or a passive subject ("killing all 12 soldiers on board", "a soldier was killed"), nor
    the source of the report. ACLED codes political violence only; an accident that kills soldiers
    is none. Read only for cues below ``SPECIFIC``: "crashed while on a bombing run" is still one."""
    for match in matches.get("organised_agent", ()):
        named = doc.char_span(match.start, match.end, alignment_mode="expand")
        if named is None or any(a.start < match.end and match.start < a.end for a in source):
            continue
        head = named.root
        while head.dep_ in {"conj", "appos"} and head.head.i != head.i:
            head = head.head  # "troops and militias": the first conjunct's role
        if head.dep_ in {"nsubj", "ROOT"} or (head.dep_ == "pobj" and head.head.dep_ == "agent"):
            return True
    return False


def _checked(check: str | None, matches: dict[str, list[Found]], cue: Found, doc: Doc) -> bool:
    """Whether a cue passes its rule's further test (``Rule.check``)."""
    if check == "state_led":
        return _state_led(matches, cue)
    if check == "not_on_forces":
        return not _on_forces(matches, cue, doc)
    return True


def _on_forces(matches: dict[str, list[Found]], cue: Found, doc: Doc) -> bool:
    """Whether the victims of a cue of killing, the noun phrase inside or just after it ("shot two
    soldiers dead", "gunned down three policemen"), are an armed force: ACLED codes violence against
    civilians only when the victims are unarmed (codebook, Violence against civilians); killing
    soldiers or fighters is a battle."""
    first = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    if first is None:
        return False
    end = first.end
    while end < len(doc) and (doc[end].pos_ not in OBJECT_ENDS or doc[end].text == "-"):
        end += 1  # a hyphen joins a compound ("off-duty police")
    limit = doc[end - 1].idx + len(doc[end - 1]) if end > first.start else cue.end  # expanded: never before cue.end
    return any(cue.start < m.start and m.end <= limit
               for name in CHECKS["not_on_forces"] for m in matches.get(name, ()))


def _state_led(matches: dict[str, list[Found]], cue: Found) -> bool:
    """Whether the actor named nearest before the cue is a state's force ('troops recaptured ...')."""
    states = [m.end for m in leftmost(m for m in matches.get("state_agent", ()) if m.end <= cue.start)]
    others = [m.end for m in leftmost(m for m in matches.get("non_state_agent", ()) if m.end <= cue.start)]
    return bool(states) and (not others or max(states) > max(others))


def _framed(frame: Frame, doc: Doc, start: int, end: int, matches: dict[str, list[Found]]) -> list[Found]:
    """The predicates of the document characters ``[start, end)`` whose arguments fit ``frame``, each as
    the span of its head word (see ``Frame``)."""
    cues = []
    span = doc.char_span(start, end, alignment_mode="expand")
    for token in span if span is not None else ():
        if not (token.pos_ in {"VERB", "AUX"} or token.tag_ in VERBAL_TAGS):
            continue
        if token.dep_ in {"amod", "acl", "compound"} and not frame.modifier and not _headline_verb(token):
            continue
        words = {token.lemma_.lower(), token.lower_}
        predicate = next((p for p in frame.predicates if p[0] in words and _hangs_below(token, p[1:])), None)
        if predicate is None or (frame.below and not _below(token, frame.below)):
            continue
        agents, patients = _arguments(token, predicate)
        if frame.agent and not any(_is(a, frame.agent, matches) for a in agents) and (agents or not frame.agentless):
            continue  # an agent of another kind, or none where one is needed
        if frame.not_agent and any(_is(a, frame.not_agent, matches) for a in agents):
            continue
        if frame.patient and not any(_is(p, frame.patient, matches, modifiers=False) for p in patients):
            continue
        cues.append(Found(token.idx, token.idx + len(token), "frame", 0))
    return cues


def _hangs_below(token: Token, words: tuple[str, ...]) -> bool:
    """Whether each of ``words`` is a word (or lemma) of a token at most ``FRAME_DEPTH`` below ``token``."""
    return not words or all(w in _words_below(token) for w in words)


def _below(token: Token, lemmas: tuple[str, ...]) -> bool:
    """Whether one of ``lemmas`` is a word (or lemma) of a token at most ``FRAME_DEPTH`` below ``token``."""
    below = _words_below(token)
    return any(w in below for w in lemmas)


def _words_below(token: Token) -> set[str]:
    below: set[str] = set()
    level = [token]
    for _ in range(FRAME_DEPTH):
        level = [c for t in level for c in t.children]
        below |= {c.lower_ for c in level} | {c.lemma_.lower() for c in level}
    return below


def _arguments(verb: Token, predicate: tuple[str, ...] = ()) -> tuple[list[Token], list[Token]]:
    """The agents and the patients of a predicate (see ``Frame``); ``predicate``: its words, whose
    particle the parse may read as a preposition ("sealed *off* the city": the city is the object)."""
    children = list(verb.children)
    passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in children) or (
        verb.dep_ in {"acl", "amod"} and verb.tag_ == "VBN")
    agents: list[Token] = []
    patients: list[Token] = []
    if _headline_verb(verb):
        passive = False
    if passive:
        agents = [p for c in children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
        patients = [c for c in children if c.dep_ == "nsubjpass"]
        if not patients and verb.dep_ in {"acl", "amod"}:
            patients = [verb.head]  # "weapons seized by police"
    else:
        agents = _subject(verb)
        patients = [c for c in children if c.dep_ in {"dobj", "dative", "oprd"}]
        if verb.dep_ in {"amod", "compound"} and verb.head.pos_ in {"NOUN", "PROPN"}:
            patients.append(verb.head)  # a participle read as an adjective: "defused bombs"
    patients += [p for c in children if c.dep_ == "prep" and (c.lower_ in {"into", "as"} or c.lower_ in predicate[1:])
                 for p in c.children if p.dep_ == "pobj"]
    return agents, patients


def _headline_verb(token: Token) -> bool:
    """Whether a verb the parse hangs from the sentence's root noun as its modifier is the sentence's
    own verb, the noun its subject: a past tense ("The rebel coalition named a new commander", which
    the parse may read as "the coalition (that was) named"), never a participle after a determiner's
    noun phrase with a verb of its own."""
    return (token.dep_ == "acl" and token.tag_ == "VBD" and token.head.dep_ == "ROOT"
            and token.head.pos_ in {"NOUN", "PROPN"} and token.i > token.head.i)


def _subject(verb: Token) -> list[Token]:
    """The active subject of a verb, or of the verb it is coordinated with or hangs from ("troops
    entered the town and arrested ...", "police raided the house, arresting ..."); a pronoun that
    stands for the subject of the verb that reports the clause ("the army said it had retaken ...")
    is that subject."""
    if _headline_verb(verb):
        return [verb.head]
    for _ in range(3):
        own = [c for c in verb.children if c.dep_ in {"nsubj", "csubj"}]
        if own:
            return [_reporter(s) if s.tag_ == "PRP" else s for s in own]
        if any(c.dep_ == "nsubjpass" for c in verb.children) or verb.dep_ not in {"conj", "xcomp", "advcl"}:
            return []
        verb = verb.head
    return []


def _reporter(pronoun: Token) -> Token:
    """The noun a subject pronoun stands for: the subject of the nearest verb above its clause that has
    one not a pronoun ("Burkinabe forces said they had freed the town"); the pronoun itself when none."""
    for verb in pronoun.head.ancestors:
        subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is not None and subject.tag_ != "PRP":
            return subject
    return pronoun


def _is(argument: Token, classes: tuple[str, ...], matches: dict[str, list[Found]], modifiers: bool = True) -> bool:
    """Whether an argument's head words (see ``Frame``) are of one of the word classes ``classes``; with
    ``modifiers``, the words before them in their phrase too ("*armed* men", "*military* police": who
    acts is told by its modifiers; what is acted upon by its head: "police *vehicles*")."""
    heads: list[Token] = []
    stack = [(argument, 0)]
    while stack:
        token, steps = stack.pop()
        if any(h.i == token.i for h in heads):
            continue
        heads.append(token)
        for child in token.children:
            if child.dep_ in {"conj", "appos"}:
                stack.append((child, steps))
            elif child.dep_ == "prep" and child.lower_ == "of" and steps < QUANTITY_STEPS:
                stack += [(p, steps + 1) for p in child.children if p.dep_ == "pobj"]
    ranges = [(min(h.left_edge.idx, h.idx) if modifiers else h.idx, h.idx + len(h)) for h in heads]
    for name in classes:
        if name in ENTITY_CLASSES:
            if any(h.ent_type_ in ENTITY_CLASSES[name] for h in heads):
                return True
        elif any(m.start < b and a < m.end for a, b in ranges for m in matches.get(name, ())):
            return True
    return False
