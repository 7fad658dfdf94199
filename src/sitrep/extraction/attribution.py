"""Attribution: who said what, read from the dependency parse and from quotation marks.

``find_quotes`` walks a parsed article and returns one ``Quote`` per attributed statement:

1. Quotation marks are paired per paragraph (typographic, straight, doubled apostrophes, guillemets).
2. Every verb of saying, reporting or thinking (``SPEECH_LEMMAS``) becomes a cue; its speaker is its
   subject (inherited from the governing verb for "..., adding that", "and warned that"), or the
   noun after it in an inverted clause ("..., judges analyst Aaron Stein").
3. Its content is, in order: the complement clause ("said that ..."); a quotation right before or after
   the attribution clause; an infinitive complement ("called on X to ..."); the object of a verb whose
   object is what is communicated ("denied the report"); the clause before a sentence-final
   attribution ("Aleppo fell, the monitor warned").
4. "according to X" attributes the clause it modifies to X.
5. Spans follow the usual annotation convention: the complementiser "that" is part of the content,
   quotation marks (with the punctuation inside them) are kept, punctuation outside is dropped.

``source_kind`` and ``claim_status`` classify a source for ``Source`` records by keyword rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Token
from spacy.tokens import Span as TokenSpan

from sitrep import nlp
from sitrep.lexicon import read, tokenize
from sitrep.models import Quote, Span

__all__ = ["Words", "claim_status", "find_quotes", "is_speech_verb", "source_kind", "without_article", "words"]


@dataclass(frozen=True)
class Words:
    """The words attribution reads in one language, lower case (acronyms as written)."""

    speech_lemmas: frozenset[str]
    """Verbs whose subject is a speaker or thinker and whose complement is what is said or thought."""
    object_content_lemmas: frozenset[str]
    """Verbs whose direct object is itself the communicated content ("denied the report")."""
    naming_lemmas: frozenset[str]
    """Verbs that only attribute a judgement with a predicate ("called the raid “a crime”"), not a
    bare object ("a group called X", "called the minister")."""
    dative_lemmas: frozenset[str]
    """Verbs whose first object is the addressee, not the content ("told reporters")."""
    inversion_forms: frozenset[str]
    """Surface forms of speech verbs that may precede their subject after a quotation ("..., says X")."""
    pronouns: frozenset[str]
    """Personal pronouns a speaker may be."""
    person_pronouns: frozenset[str]
    """Pronouns that refer to a person."""
    person_nouns: frozenset[str]
    """Head nouns of speakers that "he" or "she" can refer back to."""
    nobody: frozenset[str]
    """First words of a speaker that is no one ("nobody", "no one")."""
    definite_articles: frozenset[str]
    """The definite article: "the" and a singular noun refer back to a source named before."""
    articles: frozenset[str]
    """Every article a name may open with."""
    name_connectors: tuple[str, ...]
    """Words that may stand between the capitalised words of an organisation's name."""
    kind_rules: tuple[tuple[str, tuple[str, ...]], ...]
    """Ordered keyword rules: the first kind with a keyword in the name wins (specific before generic)."""
    acronym_kinds: dict[str, str]
    """Acronyms matched as whole, case-sensitive words."""
    claim_cues: tuple[tuple[str, tuple[str, ...]], ...]
    """Cue word stems that set the claim status, checked in order."""


WORDS_FILE = "attribution.yaml"
"""The words of attribution in ``sitrep/data/<language>/`` (each entry names its source)."""


@cache
def words(language: str = "en") -> Words:
    """The words of attribution of a language, read once from ``sitrep/data/<language>/attribution.yaml``;
    ``FileNotFoundError`` for a language without the file, ``KeyError`` for a missing entry."""
    data = read(language, WORDS_FILE)

    def lower(entry: str, field: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in data[entry][field])

    def ordered(entry: str, field: str, key: str, values: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return tuple((str(r[key]), tuple(str(v) for v in r[values])) for r in data[entry][field])

    return Words(
        speech_lemmas=lower("speech_verbs", "lemmas"),
        object_content_lemmas=lower("object_content_verbs", "lemmas"),
        naming_lemmas=lower("naming_verbs", "lemmas"),
        dative_lemmas=lower("dative_verbs", "lemmas"),
        inversion_forms=lower("inversion_forms", "forms"),
        pronouns=lower("pronouns", "words"),
        person_pronouns=lower("person_pronouns", "words"),
        person_nouns=lower("person_nouns", "words"),
        nobody=lower("nobody", "words"),
        definite_articles=lower("articles", "definite"),
        articles=lower("articles", "definite") | lower("articles", "indefinite"),
        name_connectors=tuple(str(w) for w in data["name_connectors"]["words"]),
        kind_rules=ordered("source_kinds", "rules", "kind", "keywords"),
        acronym_kinds={str(k): str(v) for k, v in data["source_acronyms"]["kinds"].items()},
        claim_cues=ordered("claim_cues", "statuses", "status", "stems"),
    )


_EN = words("en")
SPEECH_LEMMAS = _EN.speech_lemmas
OBJECT_CONTENT_LEMMAS = _EN.object_content_lemmas
NAMING_LEMMAS = _EN.naming_lemmas
DATIVE_LEMMAS = _EN.dative_lemmas
INVERSION_FORMS = _EN.inversion_forms
PRONOUNS = _EN.pronouns
PERSON_PRONOUNS = _EN.person_pronouns
PERSON_NOUNS = _EN.person_nouns
NOBODY = _EN.nobody
DEFINITE_ARTICLES = _EN.definite_articles
ARTICLES = _EN.articles
NAME_CONNECTORS = _EN.name_connectors
KIND_RULES = _EN.kind_rules
ACRONYM_KINDS = _EN.acronym_kinds
CLAIM_CUES = _EN.claim_cues


SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
INHERIT_DEPS = frozenset({"advcl", "xcomp", "conj", "pcomp"})
"""Dependencies through which a subjectless speech verb ("adding", "and warned") takes its head's subject."""

TRIM_RIGHT_DEPS = frozenset({"appos", "relcl", "acl", "punct", "advcl", "cc", "conj", "prep"})
"""Children after the head noun that are not part of the speaker's core name."""

CLAUSE_BREAKS = frozenset({",", ";", ":", '"', "“", "”", "«", "»", "„"})
"""Tokens that never stand inside a speaker's name before its head: where one does, the name starts after it."""

QUOTE_PAIRS = {"“": "”", "«": "»", "„": "“", "‹": "›"}
STRAIGHT_QUOTES = ('"', "''")
CLOSING_QUOTES = frozenset({"”", "»", "›", '"', "'", "’"})
OUTER_PUNCT = " \t\n,.;:—–-"
MAX_GAP_TOKENS = 6
"""Words allowed between a cue and the quotation it introduces ("told reporters on Friday: ...")."""
MAX_LEAD_CHARS = 160
"""Longest attribution clause between a quotation and the quotation that continues it."""
CONTINUATION = re.compile(r"[.,;]\s*(?:(?:but|and)\s+)?$")
"""How an attribution clause ends when the quotation resumes after it."""
MIN_QUOTE_CHARS = 12
"""Shorter quotations are scare quotes, not statements."""


@dataclass(frozen=True)
class Attribution:
    """A statement found in a parse, before its speaker is looked up: a cue with its speaker and
    content, as token or character ranges."""

    cue: tuple[int, int]
    """Character offsets of the words of saying ("said", "according to")."""
    source: TokenSpan | None
    """The speaker's words in the parse; None when the statement names none."""
    content: tuple[int, int]
    """Character offsets of what was said."""


def find_quotes(doc: Doc, resolve: Callable[[str], str | None] | None = None) -> list[Quote]:
    """Every attributed statement in a parsed article, in text order.

    ``resolve`` maps a speaker's words to a canonical actor name; without it (or when it returns
    None) the actor is the speaker's name as written, without a leading article. Pronoun speakers
    take the actor of the last named speaker of the same kind (person or organisation).
    """
    found = find_attributions(doc)
    names = {words: resolve(words) for words in speaker_words(found)} if resolve else {}
    return to_quotes(doc, found, names)


def find_attributions(doc: Doc) -> list[Attribution]:
    """Every attributed statement in a parsed article, in text order, its speaker as words (the
    mentions stage: ``to_quotes`` names the speakers once the words are resolved)."""
    quotes = _quote_spans(nlp.text(doc))
    found: list[Attribution] = []
    for token in doc:
        if token.lower_ == "according":
            found.extend(_according_to(token))
        elif is_speech_verb(token):
            found.extend(_verb_attribution(token, quotes))
    found.extend(_inverted(doc, quotes))
    found = [a for a in found if not _inside_quote(a.cue, quotes)]
    return _dedupe(found)


def speaker_words(found: Iterable[Attribution]) -> list[str]:
    """The distinct words of the named (not pronoun) speakers of ``found``, for the resolver to look up."""
    words = (a.source.text for a in found if a.source is not None and not _pronoun(a.source))
    return list(dict.fromkeys(words))


def source_kind(name: str) -> str:
    """The kind of a source by keyword rules: monitor, government, armed group, media,
    international organisation, expert, witness or other."""
    for word in re.findall(r"[A-Z]{2,5}\b", name):
        if word in ACRONYM_KINDS:
            return ACRONYM_KINDS[word]
    lowered = f" {name.lower()} "
    for kind, keywords in KIND_RULES:
        if any(re.search(rf"\b{re.escape(k)}", lowered) for k in keywords):
            return kind
    return "other"


def claim_status(cue_text: str, source_kind: str) -> str:
    """reported, claimed, confirmed or denied: from the cue word first, else from who speaks
    (an armed group's statement about its own actions is a claim)."""
    lowered = cue_text.lower()
    for status, stems in CLAIM_CUES:
        if any(stem in lowered for stem in stems):
            return status
    return "claimed" if source_kind == "armed group" else "reported"


# ---------------------------------------------------------------- quotation marks


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of paired quotations, marks included, never across a paragraph break."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for paragraph in text.split("\n"):
        spans.extend((offset + s, offset + e) for s, e in _paragraph_quotes(paragraph))
        offset += len(paragraph) + 1
    return sorted(spans)


def _paragraph_quotes(text: str) -> Iterator[tuple[int, int]]:
    """Pairs of typographic marks, then of straight marks, within one paragraph."""
    for opening, closing in QUOTE_PAIRS.items():
        marks = re.escape(opening + closing)
        for match in re.finditer(f"{re.escape(opening)}[^{marks}]*{re.escape(closing)}", text):
            yield match.span()
    for mark in STRAIGHT_QUOTES:
        positions = [m.start() for m in re.finditer(re.escape(mark), text)]
        for start, end in zip(positions[::2], positions[1::2], strict=False):
            yield start, end + len(mark)


def _quote_at(quotes: list[tuple[int, int]], start: int | None = None,
              end: int | None = None) -> tuple[int, int] | None:
    """The quotation opening at ``start`` or closing at ``end``, long enough to be a statement."""
    for q_start, q_end in quotes:
        if (start is None or q_start == start) and (end is None or q_end == end) and \
                q_end - q_start >= MIN_QUOTE_CHARS:
            return q_start, q_end
    return None


def _inside_quote(span: tuple[int, int], quotes: list[tuple[int, int]]) -> bool:
    """Whether a range lies within a quotation (a cue in someone else's words)."""
    return any(q_start < span[0] and span[1] < q_end for q_start, q_end in quotes)


def _widen_to_quotes(span: tuple[int, int], quotes: list[tuple[int, int]],
                     cue: tuple[int, int]) -> tuple[int, int]:
    """Extend a content range over every quotation that it overlaps, except one holding the cue."""
    start, end = span
    for q_start, q_end in quotes:
        if q_start < end and start < q_end and not q_start <= cue[0] < q_end:
            start, end = min(start, q_start), max(end, q_end)
    return start, end


# ---------------------------------------------------------------- cues and speakers


def is_speech_verb(token: Token) -> bool:
    """A verb of saying or thinking used as a verb (not "the said report")."""
    return (token.pos_ == "VERB" and token.lemma_.lower() in SPEECH_LEMMAS
            and token.dep_ not in {"amod", "compound", "acomp"})


def _is_cue_word(token: Token) -> bool:
    """A speech verb, or a form of one that may be mistagged in an inverted clause."""
    return is_speech_verb(token) or token.lower_ in INVERSION_FORMS


def _cue_range(verb: Token) -> tuple[int, int]:
    """Character range of the cue: the verb with its auxiliaries, negation and particle."""
    tokens = [verb] + [c for c in verb.children if c.dep_ in {"aux", "auxpass", "neg", "prt"}]
    first = min(tokens, key=lambda t: t.i)
    last = max(tokens, key=lambda t: t.i)
    if last.i - first.i > 4:
        first = last = verb
    return first.idx, last.idx + len(last)


def _speaker(verb: Token) -> Token | None:
    """The subject of a speech verb, inherited through "adding", "and warned", "to say"."""
    head = verb
    for _ in range(4):
        for child in head.children:
            if child.dep_ == "agent":
                return next((c for c in child.children if c.dep_ == "pobj"), None)
            if child.dep_ in SUBJECT_DEPS:
                if child.dep_ == "nsubjpass" or child.lower_ == "there":
                    return None
                return _relative_antecedent(child)
        if head.dep_ not in INHERIT_DEPS or head.head is head:
            return None
        head = head.head
    return None


def _relative_antecedent(subject: Token) -> Token:
    """"who" in "the minister, who said ..." stands for the minister."""
    if subject.tag_ in {"WP", "WDT"} and subject.head.dep_ == "relcl":
        return subject.head.head
    return subject


def _name_tokens(head: Token) -> TokenSpan:
    """The speaker's core noun phrase: the head with what precedes it and its name-internal
    modifiers, without appositions, relative clauses or trailing punctuation."""
    doc = head.doc
    start, end = head.left_edge.i, head.i + 1
    for i in range(head.i - 1, start - 1, -1):  # a misparse can hang the quote's end on the speaker
        if doc[i].text in CLAUSE_BREAKS:
            start = i + 1
            break
    for child in head.rights:
        same_entity = child.ent_iob_ == "I" and head.ent_iob_ != "O"
        if child.dep_ in TRIM_RIGHT_DEPS and not same_entity:
            break
        end = child.right_edge.i + 1
    while start < end - 1 and doc[start].is_punct:
        start += 1
    return doc[start:end]


# ---------------------------------------------------------------- content


def _verb_attribution(verb: Token, quotes: list[tuple[int, int]]) -> Iterator[Attribution]:
    """The attribution headed by one speech verb, if it has content."""
    if verb.dep_ == "acl" and not any(c.dep_ == "ccomp" for c in verb.children):
        return
    speaker = _speaker(verb)
    source = _name_tokens(speaker) if speaker is not None else None
    content = (_clause_content(verb) or _adjacent_quote(verb, source, quotes)
               or _complement_content(verb) or _preceding_clause(verb, source))
    if content is None:
        return
    cue = _cue_range(verb)
    content = _continued(verb.doc, cue, _widen_to_quotes(content, quotes, cue), quotes)
    text = nlp.text(verb.doc)
    content = _tidy(text, _one_paragraph(text, content, cue))
    if content[1] - content[0] > 1:
        yield Attribution(cue, source, content)


def _continued(doc: Doc, cue: tuple[int, int], content: tuple[int, int],
               quotes: list[tuple[int, int]]) -> tuple[int, int]:
    """A quotation before its cue runs on in a quotation right after the attribution sentence
    ("“A,” she said. “B.”"), unless that one has a cue of its own."""
    if content[1] > cue[0] or nlp.text(doc)[content[1] - 1] not in CLOSING_QUOTES:
        return content
    following = next((q for q in quotes if q[0] >= cue[1]), None)
    if following is None or following[1] - following[0] < MIN_QUOTE_CHARS:
        return content
    between = nlp.text(doc)[cue[1] : following[0]]
    if "\n" in between or len(between) > MAX_LEAD_CHARS or not CONTINUATION.search(between):
        return content
    tail = re.split(r"[.?!\n]", nlp.text(doc)[following[1] : following[1] + MAX_LEAD_CHARS // 2])[0]
    after = doc.char_span(following[1], following[1] + len(tail), alignment_mode="contract")
    closed = nlp.text(doc)[following[1] - 2] in ".…"
    if not closed and after is not None and any(_is_cue_word(t) for t in after):
        return content
    return content[0], following[1]


def _token_range(tokens: Iterable[Token]) -> tuple[int, int]:
    """Character range from the first to the last of some tokens."""
    items = sorted(tokens, key=lambda t: t.i)
    return items[0].idx, items[-1].idx + len(items[-1])


def _clause_content(verb: Token) -> tuple[int, int] | None:
    """The complement clause ("said that ...", "“...,” he said" when parsed as one)."""
    clauses = [c for c in verb.children if c.dep_ == "ccomp"] or _statement_clauses(verb)
    if not clauses:
        return None
    return _token_range(t for c in clauses for t in c.subtree)


def _statement_clauses(verb: Token) -> list[Token]:
    """A that-clause parsed onto the noun of "said in a statement that ..."."""
    return [clause for prep in verb.children if prep.dep_ == "prep"
            for noun in prep.children if noun.dep_ == "pobj"
            for clause in noun.children if clause.dep_ in {"acl", "relcl", "ccomp"}
            and any(m.dep_ == "mark" and m.lower_ == "that" for m in clause.children)]


def _complement_content(verb: Token) -> tuple[int, int] | None:
    """An infinitive complement, "call for" object, or a communicated direct object."""
    lemma = verb.lemma_.lower()
    for child in verb.children:
        if child.dep_ == "xcomp" and any(t.dep_ == "aux" and t.lower_ == "to" for t in child.children):
            return _token_range(child.subtree)
        if child.dep_ == "prep" and child.lower_ == "for" and lemma in {"call", "ask", "push"} \
                and any(True for _ in child.children):
            return _token_range(t for c in child.children for t in c.subtree)
    if lemma in OBJECT_CONTENT_LEMMAS and lemma not in DATIVE_LEMMAS and verb.dep_ != "acl":
        objects = [c for c in verb.children if c.dep_ in {"dobj", "oprd"}]
        naming = lemma in NAMING_LEMMAS and not any(o.dep_ == "oprd" for o in objects)
        if objects and not naming and not all(o.pos_ == "PRON" for o in objects):
            return _token_range(t for o in objects for t in o.subtree)
    return None


def _clause_edges(verb: Token, source: TokenSpan | None) -> tuple[int, int]:
    """First and last token index of the attribution clause (speaker, cue, addressee, adjuncts)."""
    start = min(verb.i, source.start) if source is not None else verb.i
    ends = [c.right_edge.i for c in verb.rights if c.dep_ not in {"ccomp", "punct", "cc", "conj"}]
    end = max([verb.i, *ends])
    if source is not None:
        end = max(end, source.end - 1)
    return start, end


def _adjacent_quote(verb: Token, source: TokenSpan | None,
                    quotes: list[tuple[int, int]]) -> tuple[int, int] | None:
    """A quotation that ends right before the attribution clause or opens right after the cue."""
    doc = verb.doc
    start, _ = _clause_edges(verb, source)
    before = nlp.text(doc)[: doc[start].idx].rstrip(OUTER_PUNCT.replace(".", ""))
    quote = _quote_at(quotes, end=len(before))
    if quote is not None:
        return _with_sentence_lead(doc, quote)
    for token in doc[verb.i + 1 : verb.i + 1 + MAX_GAP_TOKENS]:
        quote = _quote_at(quotes, start=token.idx)
        if quote is not None:
            return quote
        if token.text in {".", "?", "!", ";"} or (token.pos_ in {"VERB", "AUX"} and token.dep_ != "xcomp"):
            break
    return None


def _with_sentence_lead(doc: Doc, quote: tuple[int, int]) -> tuple[int, int]:
    """A quotation taken up mid-sentence ("The offensive “shows ...”, says X") with its lead words."""
    lead = doc.char_span(quote[0], quote[0] + 1, alignment_mode="expand")
    if lead is None:
        return quote
    sentence = lead.sent
    return min(quote[0], sentence.start_char), quote[1]


def _preceding_clause(verb: Token, source: TokenSpan | None) -> tuple[int, int] | None:
    """The statement before a sentence-final attribution ("Aleppo fell, the monitor warned")."""
    doc = verb.doc
    start, end = _clause_edges(verb, source)
    sentence = verb.sent
    if start - 1 <= sentence.start or doc[start - 1].text not in {",", "—", "–"}:
        return None
    content = (sentence.start_char, doc[start - 2].idx + len(doc[start - 2]))
    if end + 2 < sentence.end - 1 and doc[end + 1].text == ",":
        content = (sentence.start_char, sentence.end_char)
    return content


def _according_to(token: Token) -> Iterator[Attribution]:
    """"according to X": X is the source of the clause that the phrase modifies."""
    doc = token.doc
    if token.i + 1 >= len(doc) or doc[token.i + 1].lower_ != "to":
        return
    objects = [c for c in doc[token.i + 1].children if c.dep_ == "pobj"]
    if not objects:
        return
    clause = token.head if token.head.pos_ in {"VERB", "AUX"} else token.sent.root
    phrase = (token.left_edge.i, max(token.right_edge.i, objects[0].right_edge.i))
    tokens = [t for t in clause.subtree if not phrase[0] <= t.i <= phrase[1]]
    if clause is token or not tokens:
        tokens = [t for t in token.sent if not phrase[0] <= t.i <= phrase[1]]
    if not tokens:
        return
    content = _outside_phrase(tokens, phrase)
    cue = (token.idx, doc[token.i + 1].idx + 2)
    yield Attribution(cue, _name_tokens(objects[0]), _tidy(nlp.text(doc), content))


def _outside_phrase(tokens: list[Token], phrase: tuple[int, int]) -> tuple[int, int]:
    """Range of the clause's tokens, on the phrase's one side when it sits at an edge."""
    before = [t for t in tokens if t.i < phrase[0] and not t.is_space]
    after = [t for t in tokens if t.i > phrase[1] and not t.is_space]
    if before and after and all(t.is_punct for t in after):
        after = []
    if before and after and all(t.is_punct for t in before):
        before = []
    return _token_range(before + after)


def _inverted(doc: Doc, quotes: list[tuple[int, int]]) -> Iterator[Attribution]:
    """"“...”, judges analyst Aaron Stein": a speech verb form before its subject, after a quote."""
    for token in doc[1:]:
        if token.lower_ not in INVERSION_FORMS or (token.pos_ == "VERB" and _speaker(token) is not None):
            continue
        before = nlp.text(doc)[: token.idx].rstrip(" ,")
        quote = _quote_at(quotes, end=len(before))
        name = _following_name(token)
        if quote is not None and name is not None:
            cue = (token.idx, token.idx + len(token))
            content = _continued(doc, cue, _with_sentence_lead(doc, quote), quotes)
            yield Attribution(cue, name, _tidy(nlp.text(doc), content))


def _following_name(token: Token) -> TokenSpan | None:
    """The noun phrase right after an inverted cue, up to punctuation."""
    doc = token.doc
    end = token.i + 1
    while end < len(doc) and doc[end].pos_ in {"PROPN", "NOUN", "DET", "ADJ", "NUM", "PRON"}:
        end += 1
    span = doc[token.i + 1 : end]
    if not any(t.pos_ in {"PROPN", "NOUN", "PRON"} for t in span):
        return None
    return span


def _one_paragraph(text: str, content: tuple[int, int], cue: tuple[int, int]) -> tuple[int, int]:
    """Cut a content range at paragraph breaks, keeping the part next to the cue."""
    start, end = content
    if "\n" not in text[start:end]:
        return content
    if cue[0] >= end:
        return text.rindex("\n", start, end) + 1, end
    if cue[1] <= start:
        return start, text.index("\n", start, end)
    return max(text.rfind("\n", start, cue[0]) + 1, start), _find_or(text, "\n", cue[1], end)


def _find_or(text: str, sub: str, start: int, end: int) -> int:
    """Index of ``sub`` in ``text[start:end]``, else ``end``."""
    found = text.find(sub, start, end)
    return end if found < 0 else found


def _tidy(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """Drop spaces and punctuation outside the statement, keeping quotation marks."""
    start, end = span
    while start < end and text[start] in OUTER_PUNCT:
        start += 1
    while end > start and text[end - 1] in OUTER_PUNCT:
        end -= 1
    return start, end


# ---------------------------------------------------------------- output


def _dedupe(found: list[Attribution]) -> list[Attribution]:
    """One attribution per content range, the one with a named speaker first."""
    best: dict[tuple[int, int], Attribution] = {}
    for item in found:
        kept = best.get(item.content)
        if kept is None or (kept.source is None and item.source is not None):
            best[item.content] = item
    return sorted(best.values(), key=lambda a: (a.cue, a.content))


def to_quotes(doc: Doc, found: list[Attribution], names: Mapping[str, str | None]) -> list[Quote]:
    """The statements as quotes: spans, and actor names from ``names`` (a speaker's words -> its
    canonical name, None or absent: the name as written), pronouns taking the last named speaker of
    their kind."""
    text = nlp.text(doc)
    last: dict[bool, str] = {}
    quotes = []
    for item in found:
        actor = None
        source = None
        if item.source is not None:
            source = Span(item.source.start_char, item.source.end_char, item.source.text)
            actor = _actor(item.source, names, last)
        cue = Span(item.cue[0], item.cue[1], text[item.cue[0] : item.cue[1]])
        content = Span(item.content[0], item.content[1], text[item.content[0] : item.content[1]])
        quotes.append(Quote(source=source, actor=actor, cue=cue, content=content))
    return quotes


def _pronoun(name: TokenSpan) -> bool:
    return len(name) == 1 and name[0].lower_ in PRONOUNS


def _actor(name: TokenSpan, names: Mapping[str, str | None], last: dict[bool, str]) -> str | None:
    """Canonical name of a speaker; a pronoun takes the last named person (he, she) or group."""
    if _pronoun(name):
        return last.get(name[0].lower_ in PERSON_PRONOUNS)
    actor = names.get(name.text) or _clean_name(name)
    last[_is_person(name)] = actor
    return actor


def _is_person(name: TokenSpan) -> bool:
    """Whether a speaker is a person (a named person or a person noun such as "spokesman")."""
    return name.root.ent_type_ == "PERSON" or name.root.lemma_.lower() in PERSON_NOUNS


def _clean_name(name: TokenSpan) -> str:
    """The named entity the speaker's head belongs to, else the words, without a leading article."""
    entity = next((e for e in name.ents if e.start <= name.root.i < e.end), None)
    words = without_article((entity or name).text)
    return re.sub(r"[’']s$", "", words).strip()  # a format: the possessive ending


def without_article(name: str) -> str:
    """``name`` without the article it opens with (``ARTICLES``) and the spaces after it: "the
    Observatory" -> "Observatory"; unchanged when it opens with none or is the article alone."""
    tokens = tokenize(name)
    if len(tokens) > 1 and tokens[0].start == 0 and tokens[0].word in ARTICLES \
            and name[tokens[0].end:tokens[1].start].isspace():
        return name[tokens[1].start:]
    return name
