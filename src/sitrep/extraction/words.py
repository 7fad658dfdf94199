"""The word lists the stages read around a mention, matched once per document by spaCy.

A negation before an actor ("no civilians"), the verb that names a target before it ("struck the
..."), a follow-up's anaphor ("The attack ..."), the words that move a story on to another event
("Meanwhile"): each is a lexicon in the data file of the stage that reads it
(``sitrep/data/<language>/events.yaml``, ...; ``FILES``), each with the source it comes from,
written in the notation of ``sitrep.lexicon``. The ``word_cues`` spaCy component (``nlp.pipeline``
adds it) matches them all over the document's tokens (``sitrep.matching.CueMatcher``) into
``doc.spans[WORDS]``, labelled with the lexicon's name; the stages read those spans (``within``,
``ending_at``, ``starting_at``) instead of scanning the text again.

A pattern may name a list above it as ``{name}`` (all of that list's patterns as one alternative),
or ``{month}``: any month name of the month table (``dates.MONTH_NAMES``, the language's section).
A list marked ``text: true`` may read what tokens cannot show (a figure with its unit, "10 km east
of"; a span of any characters but a full stop; a look at the words after a match): its patterns
that cannot be matched token by token are matched over each sentence's text, and the matches
aligned to tokens (``matching.CueMatcher``); every other pattern must be matched over tokens
(``lexicons`` refuses one that cannot).

What a stage checks between a match and the mention it qualifies (only spaces, or a word or two)
is a rule of grammar of that stage, not a word list: ``ending_at`` and ``starting_at`` read it off
the characters between the two, which hold nothing but spaces and word characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from sitrep import nlp
from sitrep.extraction.dates import MONTH_NAMES
from sitrep.lexicon import alternation, read
from sitrep.matching import CueMatcher, Found, found, token_patterns

__all__ = ["FACTORY", "FILES", "WORDS", "WordLists", "ending_at", "lexicons", "starting_at", "within"]

FACTORY = "word_cues"
"""The name of the spaCy component that matches the word lists (``nlp.pipeline`` adds it)."""
WORDS = "words"
"""The ``doc.spans`` key under which the ``word_cues`` component stores its matches."""
FILES: dict[str, tuple[str, ...]] = {
    "events.yaml": ("related", "anaphora", "next_event", "claim", "negation", "target", "significant",
                    "reciprocal"),
    "places.yaml": ("place_of", "approximate_before", "approximate_figure", "locative", "based_in", "affiliation",
                    "forces_after", "speech_after"),
    "background.yaml": ("running_total", "comparison", "episode_total", "allegation", "habitual"),
}
"""The word lists matched, by the data file of a language that holds them. A list's name is the label
of its matches, so it is unique across files."""
MONTHS_SECTION = {"en": "english", "fr": "french"}
"""The section of the month table a language's ``{month}`` reads."""


@dataclass(frozen=True)
class WordLists:
    """The word lists of one language, as read from their files."""

    lexicons: dict[str, tuple[list[str], bool]]
    """Each list's patterns in order, and whether they end on a word boundary (its ``word_end``); and
    ``month``, the month table's names."""
    groups: dict[str, str]
    """Each list as one regular expression, for the patterns matched over the text."""

    @property
    def entries(self) -> dict[str, list[tuple[str, bool]]]:
        """What the ``word_cues`` component matches, per label: the patterns of each list of ``FILES``."""
        return {name: [(p, word_end) for p in patterns] for name, (patterns, word_end) in self.lexicons.items()
                if name != "month"}


@cache
def lexicons(language: str = "en") -> WordLists:
    """Every word list of ``FILES`` in a language, read once.

    Raises ``ValueError`` for a name found in two files, a reference to a list not defined above it
    in its file, or a pattern that cannot be matched over spaCy's tokens in a list not marked
    ``text`` (``matching.token_patterns``); ``KeyError`` for a list missing from its file."""
    months = sorted({m.word for m in MONTH_NAMES if m.language == MONTHS_SECTION[language]}, key=lambda w: (-len(w), w))
    lists: dict[str, tuple[list[str], bool]] = {"month": (months, True)}
    groups = {"month": "(?:" + "|".join(months) + r")\b\.?"}
    for file, names in FILES.items():
        data = read(language, file)
        for name in names:
            if name in lists:
                raise ValueError(f"{file}: {name!r} is already a word list of another file")
            patterns, word_end = [str(p) for p in data[name]["patterns"]], bool(data[name].get("word_end"))
            groups[name] = alternation(patterns, groups, f"{file}: {name}") + (r"\b" if word_end else "")
            for pattern in patterns:
                if not data[name].get("text") and token_patterns(pattern, lists, word_end) is None:
                    raise ValueError(f"{file}: {name}: {pattern!r} cannot be matched over tokens")
            lists[name] = (patterns, word_end)
    return WordLists(lists, groups)


@Language.factory(FACTORY, default_config={"language": "en"})
def word_cues(nlp: Language, name: str, language: str) -> CueMatcher:
    """The spaCy component that matches a language's word lists into ``doc.spans[WORDS]``."""
    lists = lexicons(language)
    return CueMatcher(nlp.vocab, WORDS, lists.entries, lists.lexicons, lists.groups)


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
