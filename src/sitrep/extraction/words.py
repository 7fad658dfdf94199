"""The word lists the stages read around a mention, matched once per document by spaCy.

A negation before an actor ("no civilians"), the verb that names a target before it ("struck the
..."), a follow-up's anaphor ("The attack ..."), the words that move a story on to another event
("Meanwhile"): each is a lexicon in the data file of the stage that reads it
(``sitrep/data/<language>/events.yaml``, ...; ``FILES``), each with the source it comes from,
written in the notation of ``sitrep.lexicon``. The ``word_cues`` spaCy component (``nlp.pipeline``
adds it) matches them all over the document's tokens (``sitrep.matching.CueMatcher``) into
``doc.spans[WORDS]``, labelled with the lexicon's name; the stages read those spans (``within``,
``ending_at``, ``starting_at``) instead of scanning the text again.

What a stage checks between a match and the mention it qualifies (only spaces, or a word or two)
is a rule of grammar of that stage, not a word list: ``ending_at`` and ``starting_at`` read it off
the characters between the two, which hold nothing but spaces and word characters.
"""

from __future__ import annotations

from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from sitrep import nlp
from sitrep.lexicon import read
from sitrep.matching import CueMatcher, Found, found, token_patterns

__all__ = ["FACTORY", "FILES", "WORDS", "ending_at", "lexicons", "starting_at", "within"]

FACTORY = "word_cues"
"""The name of the spaCy component that matches the word lists (``nlp.pipeline`` adds it)."""
WORDS = "words"
"""The ``doc.spans`` key under which the ``word_cues`` component stores its matches."""
FILES: dict[str, tuple[str, ...]] = {
    "events.yaml": ("related", "anaphora", "next_event", "claim", "negation", "target", "significant",
                    "reciprocal"),
}
"""The word lists matched, by the data file of a language that holds them. A list's name is the label
of its matches, so it is unique across files."""


@cache
def lexicons(language: str = "en") -> dict[str, list[tuple[str, bool]]]:
    """Every word list of ``FILES`` in a language: its patterns in order, each with whether it ends on
    a word boundary (the list's ``word_end``).

    Raises ``ValueError`` for a name found in two files, or a pattern that cannot be matched over
    spaCy's tokens (``matching.token_patterns``: every pattern here is); ``KeyError`` for a list
    missing from its file."""
    lists: dict[str, list[tuple[str, bool]]] = {}
    for file, names in FILES.items():
        data = read(language, file)
        for name in names:
            if name in lists:
                raise ValueError(f"{file}: {name!r} is already a word list of another file")
            word_end = bool(data[name].get("word_end"))
            lists[name] = [(str(p), word_end) for p in data[name]["patterns"]]
            for pattern, _ in lists[name]:
                if token_patterns(pattern, {}, word_end) is None:
                    raise ValueError(f"{file}: {name}: {pattern!r} cannot be matched over tokens")
    return lists


@Language.factory(FACTORY, default_config={"language": "en"})
def word_cues(nlp: Language, name: str, language: str) -> CueMatcher:
    """The spaCy component that matches a language's word lists into ``doc.spans[WORDS]``."""
    return CueMatcher(nlp.vocab, WORDS, lexicons(language), {}, {})


def within(doc: Doc, label: str, start: int, end: int) -> list[Found]:
    """The matches of the word list ``label`` within document characters ``[start, end)``, in reading
    order (every match: overlapping ones too)."""
    return found(doc, WORDS, start, end).get(label, [])


def ending_at(doc: Doc, label: str, at: int, reach: int, words: int = 0, space: bool = True) -> bool:
    """Whether a match of ``label`` that starts at most ``reach`` characters before document character
    ``at`` ends just before it: spaces between (``space``: at least one), and at most ``words`` words
    of word characters, each followed by spaces."""
    text = nlp.text(doc)
    return any(_gap(text[m.end:at], words, space) for m in within(doc, label, max(0, at - reach), at))


def starting_at(doc: Doc, label: str, at: int, reach: int, words: int = 0, space: bool = True) -> bool:
    """Whether a match of ``label`` that ends at most ``reach`` characters after document character
    ``at`` starts just after it: spaces between (``space``: at least one), and at most ``words`` words
    of word characters, each followed by spaces."""
    text = nlp.text(doc)
    return any(_gap(text[at:m.start], words, space) for m in within(doc, label, at, at + reach))


def _gap(between: str, words: int, space: bool) -> bool:
    """Whether ``between`` is spaces (at least one if ``space``), or spaces and up to ``words`` words
    of word characters (letters, digits, "_"), each followed by spaces."""
    if not between:
        return not space
    if not between[-1].isspace() or (space and not between[0].isspace()):
        return False
    parts = between.split()
    return len(parts) <= words and all(c.isalnum() or c == "_" for part in parts for c in part)
