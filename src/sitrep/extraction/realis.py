"""Whether a clause asserts that an event took place, read from the spaCy dependency parse.

ACLED codes events that happened (codebook, "Event definition"); news wraps them in statements,
calls, warnings, plans, hypotheticals and generalities that use the same words. ``asserted`` takes
an event cue (a trigger's character span) and climbs the parse from it to the clause that carries
it, checking at each step what grammar says about the cue's reality:

1. the cue itself: a nominal cue modified by "potential", "proposed", "no" ... is not real; one
   that modifies a noun which names no occurrence ("a missile system", "fighter jets") names a kind
   of thing, not an event; one inside a framing noun ("calls for a ceasefire", "the anniversary of
   the protests", "a trial over the bombing") is not news of it;
2. its clause: negated, modal ("could", "will"), conditional ("if", "unless"), a to-infinitive of
   purpose, a question, or a present-tense generality ("others face violence"; news bodies report
   events in the past or the perfect, headlines in the present) is not an assertion;
3. the clause it is embedded in: a complement of a non-factive verb ("urged ... to accept a
   ceasefire", "threatened to break the truce", "denied attacking") is not asserted; a complement
   of a verb of saying is ("police said gunmen killed five": its own tense decides); an implicative
   verb passes its own reality on ("began shelling the town").

The word classes are grammar, not event vocabulary: they live in ``data/en/realis.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from spacy.tokens import Span, Token

from sitrep.extraction.attribution import is_speech_verb
from sitrep.extraction.fatalities import read_number

__all__ = ["Grammar", "asserted", "cue_phrase", "days_before_clause", "grammar", "modifier_clause", "present_perfect",
           "relative_host"]

NOMINAL = {"NOUN", "PROPN", "NUM", "PRON", "X", "SYM"}
PAST = {"VBD", "VBN"}
TIME_UNITS = {"day": 1, "week": 7}
"""Units of a distance in time between two clauses, in days ("five days after")."""
MAX_STEPS = 12
"""Most parse arcs climbed from a cue to its clause (sentences are shallow; guards cycles)."""


@dataclass(frozen=True)
class Grammar:
    """The word classes ``asserted`` reads, by lemma (lower case)."""

    non_factive_verbs: frozenset[str]
    """Verbs whose complement or object is not asserted to have happened ("urge", "threaten")."""
    implicative_verbs: frozenset[str]
    """Verbs whose complement happened when they did ("begin", "continue")."""
    irrealis_marks: frozenset[str]
    """Subordinators of conditional clauses ("if", "unless")."""
    irrealis_modifiers: frozenset[str]
    """Modifiers that make an event noun unreal ("potential", "proposed")."""
    framing_nouns: frozenset[str]
    """Nouns that frame an event noun as something other than news of it ("call", "anniversary")."""
    event_nouns: frozenset[str]
    """Nouns that name an occurrence ("attack", "deal"), which a cue may modify."""
    instrument_nouns: frozenset[str]
    """Nouns that name a weapon or its carrier ("missile", "drone"), not an occurrence."""
    weapon_use_verbs: frozenset[str]
    """Verbs that use a weapon named as their object ("fire", "launch")."""


@cache
def grammar(language: str = "en") -> Grammar:
    """The word classes of a language, loaded once from ``sitrep/data/<language>/realis.yaml``."""
    path = resources.files("sitrep") / "data" / language / "realis.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Grammar(**{name: frozenset(str(w).lower() for w in data[name]) for name in Grammar.__dataclass_fields__})


def asserted(sentence: Span, start: int, end: int, headline: bool = False, language: str = "en") -> bool:
    """Whether the event cue at document character offsets ``[start, end)`` of ``sentence`` is asserted
    to have happened (see the module docstring). ``headline``: the sentence is the article's title or
    first line, where the present tense reports the past ("Gunmen attack hotel")."""
    head = _cue_head(sentence, start, end)
    if head is None:
        return True
    if sentence.text.rstrip().rstrip("\"'”’").endswith("?"):
        return False  # a question asserts nothing
    return _climb(head, headline, grammar(language))


def present_perfect(sentence: Span, start: int, end: int) -> bool:
    """Whether the clause of the cue at document offsets ``[start, end)`` is in the present perfect
    ("rebels have taken control of the city"): news told as of the day of writing."""
    node = _cue_head(sentence, start, end)
    for _ in range(MAX_STEPS):
        if node is None or node.pos_ in {"VERB", "AUX"}:
            break
        node = None if node.head.i == node.i else node.head
    if node is None:
        return False
    return any(c.dep_ == "aux" and c.lemma_ == "have" and c.tag_ in {"VBZ", "VBP"} for c in node.children)


def days_before_clause(sentence: Span, start: int, end: int) -> int | None:
    """How many days before its main clause a cue's clause happened, when grammar says so: a clause
    under "N days (weeks) after" ("Five days after gunmen stormed the school, troops were combing the
    forest": the storming is five days before the combing). None otherwise."""
    node = _cue_head(sentence, start, end)
    for _ in range(MAX_STEPS):
        if node is None or node.dep_ == "advcl" or node.head.i == node.i:
            break
        node = node.head if node.dep_ == "conj" or node.pos_ in NOMINAL else None
    after = next((c for c in node.children if c.dep_ == "mark" and c.lower_ == "after"), None) if node else None
    if node is None or node.dep_ != "advcl" or after is None:
        return None
    for unit in [*node.children, *after.children]:  # "five days after" hangs from the clause or from "after"
        days = TIME_UNITS.get(unit.lemma_.lower())
        if unit.dep_ == "npadvmod" and days is not None:
            amount = next((read_number(c.text) for c in unit.children if c.dep_ == "nummod"), None)
            return days * amount.best if amount is not None else None
    return None


def relative_host(sentence: Span, start: int, end: int) -> list[int]:
    """The document character offsets of the noun phrase whose relative or participial clause has the
    cue at ``[start, end)`` for its verb: the noun the clause hangs from and the nouns that noun belongs
    to ("the bombing of a base that killed nine": base, bombing); empty when the cue is no such verb."""
    clause = _modifier_clause(sentence, start, end)
    if clause is None:
        return []
    chain: list[int] = []
    noun = clause.head
    while len(chain) < MAX_STEPS and noun.pos_ in NOMINAL | {"ADP"}:
        if noun.pos_ in NOMINAL:
            chain.append(noun.idx)
        if noun.head.i == noun.i:
            break
        noun = noun.head
    return chain


def modifier_clause(sentence: Span, start: int, end: int) -> tuple[int, int] | None:
    """The document character range of the relative or participial clause whose verb is the cue at
    ``[start, end)`` ("schoolgirls kidnapped in Zamfara were freed on Tuesday": "kidnapped in
    Zamfara"); None when the cue's clause modifies no noun. Such a clause keeps its own time: a date
    outside it is another clause's."""
    clause = _modifier_clause(sentence, start, end)
    if clause is None:
        return None
    last = clause.doc[clause.right_edge.i]
    return clause.doc[clause.left_edge.i].idx, last.idx + len(last.text)


def _modifier_clause(sentence: Span, start: int, end: int) -> Token | None:
    """The verb of the relative or participial clause that the cue is the verb of; None otherwise (a
    noun deep inside such a clause is left alone: where a phrase attaches is the parse's weakest guess)."""
    node = _cue_head(sentence, start, end)
    if node is None or node.head.i == node.i or node.pos_ not in {"VERB", "AUX"}:
        return None
    return node if node.dep_ in {"relcl", "acl"} and node.head.pos_ in NOMINAL else None


def cue_phrase(sentence: Span, start: int, end: int) -> Span | None:
    """The noun phrase a nominal cue heads ("the 2004 bombing of a French base"), whose own dates date
    it; None for a verbal cue, which its clause dates."""
    head = _cue_head(sentence, start, end)
    if head is None or head.pos_ not in NOMINAL:
        return None
    return head.doc[head.left_edge.i:head.right_edge.i + 1]


def _cue_head(sentence: Span, start: int, end: int) -> Token | None:
    """The token of a cue that the rest of the cue hangs from."""
    cue = [t for t in sentence if t.idx < end and t.idx + len(t.text) > start]
    inside = {t.i for t in cue}
    return next((t for t in cue if t.head.i not in inside or t.head.i == t.i), cue[0] if cue else None)


def _climb(token: Token, headline: bool, words: Grammar) -> bool:
    node, cue = token, True
    weapon = token.lemma_.lower() in words.instrument_nouns
    for _ in range(MAX_STEPS):
        if node.pos_ in NOMINAL or (node.pos_ == "ADJ" and node.dep_ not in {"ROOT", "acomp", "ccomp"}):
            step = _nominal_step(node, words, cue=cue, weapon=weapon)
            named = node.dep_ in {"compound", "nmod"} and not isinstance(step, bool) and (
                step.lemma_.lower() in words.instrument_nouns)  # "mortar bombs": the weapon's own name
            cue = cue and (node.dep_ in {"conj", "appos"} or named)  # "planes, tanks and artillery": each is the cue
            weapon = weapon and (node.dep_ in {"conj", "appos"} or named or (
                node.dep_ == "pobj" and node.head.lower_ == "of"))  # "a cache of rifles": still the weapons
        else:
            step = _clause_step(node, headline, words)
            cue = False
        if isinstance(step, bool):
            return step
        node = step
    return True


def _nominal_step(noun: Token, words: Grammar, cue: bool, weapon: bool = False) -> Token | bool:
    """One step up from an event noun: to the noun or verb it belongs to, or a verdict. ``cue``: the
    noun is the cue itself; a weapon ("missile") that modifies a thing ("a missile system") or that
    something other than its use acts on ("making bombs", "seized a cache of rifles and grenades") is
    no event, while an occurrence ("clash") stays one whatever the parse attaches it to. ``weapon``:
    the cue is a weapon and ``noun`` still names it (the cue, a conjunct, or the noun a quantity of it
    hangs from)."""
    for child in noun.children:
        word = child.lower_
        if child.dep_ in {"amod", "compound", "nmod", "advmod"} and (
                word in words.irrealis_modifiers or word.rsplit("-", 1)[-1] in words.irrealis_modifiers):
            return False  # "a potential ceasefire", "the U.S.-proposed truce"
        if child.dep_ in {"det", "neg"} and word in {"no", "never"}:
            return False  # "no clashes were reported"
    dep, head = noun.dep_, noun.head
    if dep == "ROOT" or head.i == noun.i:
        return True  # a headline fragment: "Deadly clashes in the north"
    if dep in {"compound", "amod", "nmod"} and head.pos_ in NOMINAL:
        if head.lemma_.lower() in words.framing_nouns:
            return False
        if cue and noun.lemma_.lower() in words.instrument_nouns and head.lemma_.lower() not in words.event_nouns:
            if head.lemma_.lower() in words.instrument_nouns:
                return head  # a weapon named by two ("mortar bombs", "rocket shells"): the head's use decides
            return False  # an instrument naming a kind of thing: "a missile system", "rocket fuel"
        return head
    if dep == "pobj":
        owner = head.head if head.dep_ != "ROOT" else head
        if owner.pos_ in NOMINAL:
            return False if owner.lemma_.lower() in words.framing_nouns else owner
        if owner.lemma_.lower() in words.non_factive_verbs:
            return False  # "called for a truce", "warned of attacks"
        if any(c.dep_ in {"nsubj", "nsubjpass"} and c.lemma_.lower() in words.framing_nouns for c in owner.children):
            return False  # "a trial opened over the bombing", "talks began on a truce"
        return owner
    if dep in {"conj", "appos"}:
        return head
    if ((cue and noun.lemma_.lower() in words.instrument_nouns) or weapon) and dep == "dobj" and (
            head.lemma_.lower() not in words.weapon_use_verbs):
        return False  # a weapon made, carried, bought or found is no attack: "making bombs"
    if head.pos_ in NOMINAL:
        return False if head.lemma_.lower() in words.framing_nouns else head
    if dep in {"dobj", "nsubjpass", "attr", "oprd", "dative"} and head.lemma_.lower() in words.non_factive_verbs:
        return False  # "urged a ceasefire", "feared attacks", "denied the abduction" (not their subjects)
    return head


def _clause_step(verb: Token, headline: bool, words: Grammar) -> Token | bool:
    """One step up from a verb (or predicate adjective): to the clause it is embedded in, or a verdict."""
    infinitive = False
    for child in verb.children:
        if child.dep_ == "neg":
            return False
        if child.dep_ in {"aux", "auxpass"} and child.tag_ == "MD" and not _reportive(verb, child):
            return False  # "could", "would", "will", "may"
        if child.dep_ == "aux" and child.tag_ == "TO":
            infinitive = True
        if child.dep_ == "mark" and child.lower_ in words.irrealis_marks:
            return False
    dep, head = verb.dep_, verb.head
    if dep == "ROOT" or head.i == verb.i:
        return not infinitive and _reported_tense(verb, headline)
    lemma = head.lemma_.lower()
    if dep in {"xcomp", "ccomp", "pcomp"} and lemma in words.non_factive_verbs:
        return False  # "urged Russia to accept", "denied attacking", "called it a truce"
    if dep == "xcomp":
        if infinitive and any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children):
            return True  # a perfect infinitive reports the past: "claimed to have reached an agreement"
        if infinitive and lemma not in words.implicative_verbs:
            return False  # "vowed to retake", "went there to fight"
        return head
    if dep in {"ccomp", "parataxis"}:
        return not infinitive and _reported_tense(verb, headline)  # "police said gunmen killed five"
    if dep in {"advcl", "relcl"}:
        if infinitive:
            return False  # "in order to attack"
        if verb.tag_ in {"VBD", "VBZ", "VBP"} or _has_aux(verb):
            return _reported_tense(verb, headline)  # "after gunmen attacked the base"
        return head
    if dep == "pcomp":
        return head.head if head.dep_ != "ROOT" else head
    if infinitive:
        return False
    return head


def _reportive(verb: Token, modal: Token) -> bool:
    """The reportive conditional of news translated from French or Italian: "would have" with a past
    participle, attributed to a source ("Aleppo would have fallen, the monitor said"): a report of the
    past, not a counterfactual (which an "if" clause would mark)."""
    if modal.lower_ != "would" or verb.tag_ != "VBN" or not any(c.lemma_ == "have" for c in verb.children):
        return False
    return any(is_speech_verb(t) or (t.lower_ == "according" and t.nbor().lower_ == "to")
               for t in verb.sent if t.i + 1 < len(t.doc))


def _has_aux(verb: Token) -> bool:
    return any(c.dep_ in {"aux", "auxpass"} for c in verb.children)


def _reported_tense(verb: Token, headline: bool) -> bool:
    """Whether a clause's tense reports an occurrence: the past, the perfect, the progressive, the
    passive, a state of being; the simple present only in a headline."""
    tag = verb.tag_
    auxes = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    if tag in PAST or any(a.tag_ in PAST for a in auxes):
        return True
    if tag == "VBG" or verb.pos_ in {"AUX", "ADJ"}:
        return True  # "are fighting", "is dead"
    if any(a.lemma_ in {"have", "be"} for a in auxes):
        return True  # "has killed", "is being shelled"
    if tag in {"VBZ", "VBP"}:
        return headline  # "Gunmen attack hotel"; in a story's body, a generality
    return headline  # a bare form: imperative or fragment
