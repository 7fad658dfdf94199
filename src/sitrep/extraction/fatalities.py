"""Death counts read from one sentence: ACLED's conservative figure and UCDP's range.

``read_number`` parses a number phrase ("more than 300", "twenty-eight", "between 20 and 30",
"dozens"); ``read_fatalities`` finds the counts a sentence ties to deaths:

1. split the sentence into word tokens and read every number phrase (leaving out years, dates,
   ages, percentages, times, ordinals, weapon names such as "T-72");
2. tie each count to deaths: "killed 5", "killing at least 12", "claimed the lives of 9" (a death
   verb before it), "28 civilians were killed", "300 dead", "12 people died" (a death word after
   it, the transitive verbs only in the passive), "the toll rose to 30", "5 soldiers and 3
   civilians" (coordinated with a tied count); a count followed by "wounded", "injured", "arrested"
   ... is not a death count;
3. mark parts: counts after "including", "among them", ":" or before "of them" that follow a total
   ("300 dead, including 28 civilians") split that total and are not added to it;
4. add the disjoint totals ("killed 5 soldiers and 3 civilians" gives 8), each total being the
   larger of its own figure and the sum of its parts; a cumulative toll is used only when the
   sentence gives no direct count;
5. with deaths but no number ("civilians were killed"), ACLED's 3, or 10 for a significant attack
   (the caller decides), and 1 for a single victim ("a civilian was killed", "killing him").

Readings of vague amounts follow ACLED's codebook (the ``acled`` figure) and keep a UCDP-style
range (``low``, ``best``, ``high``): see VAGUE and QUALIFIERS below. Qualified figures ("around
100", "nearly 50", "up to 30") are coded at the stated figure, as ACLED coders do when no firmer
number is given; the range records the doubt. "Casualties" is not read as deaths: it often
counts the wounded too.

The word lists (vague amounts, qualifiers, death words, harm words, victim words, exclusions) live in
``data/en/fatalities.yaml``, each with the ACLED codebook rule or the grammar rule it comes from;
``lexicon`` loads them once.

Across sentences of one event, ``toll_relation`` tells whether a later toll restates, raises or adds
to the one told before, and ``combine_tolls`` keeps ACLED's conservative figure accordingly.

Sides: ``civilians`` counts victims named as civilians (civilians, children, women, residents ...);
``side_1`` counts state forces and their allies (soldiers, troops, government forces, police,
regime, "and their allies"), ``side_2`` non-state armed groups (rebels, militants, jihadists,
fighters, gunmen ...). A count goes to a side only when its words name one kind of victim; the
caller maps side_1/side_2 onto the event's actors.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from itertools import pairwise

from sitrep.extraction.dates import ENGLISH_MONTHS
from sitrep.lexicon import Token, read, tokenize
from sitrep.models import Fatalities, Span

__all__ = ["Count", "Lexicon", "combine_tolls", "lexicon", "read_fatalities", "read_number", "toll_relation"]

UNQUANTIFIED_DEATHS = 3
"""ACLED: deaths confirmed but no figure ("several", "many", "civilians were killed")."""
UNQUANTIFIED_DEATHS_SIGNIFICANT = 10
"""ACLED: the same, for a significant attack in a war zone."""
APPROX_MARGIN = 0.1
"""UCDP range around "about N": N minus and plus this fraction."""
MAX_GAP_WORDS = 8
"""Most words between a count and the death word after it ("28 members of the same family were killed")."""
MAX_NP_WORDS = 6
"""Most words read after a count to tell whose deaths they are."""


@dataclass(frozen=True)
class Lexicon:
    """The words that tie numbers to deaths, from ``sitrep/data/<language>/fatalities.yaml``."""

    vague: dict[str, tuple[int, int, int]]
    """Vague amounts: (low = ACLED's figure, best, high) ("dozens": 12, 24, 99)."""
    unquantified: frozenset[str]
    """Vague words with no size of their own: ACLED's 3, or 10 for a significant attack."""
    qualifiers: dict[str, str]
    """Qualifiers before a figure and their kind: min, more, nearly, about, upto, less."""
    words: dict[str, frozenset[str]]
    """The word classes by name (death_after, death_before, harm, civilian_words ...)."""
    death_particles: dict[str, frozenset[str]]
    """Phrasal death verbs before their count: particle -> verbs ("shot dead", "gunned down")."""


@cache
def lexicon(language: str = "en") -> Lexicon:
    """The fatality words of a language, loaded once from ``sitrep/data/<language>/fatalities.yaml``."""
    data = read(language, "fatalities.yaml")
    special = {"vague", "unquantified", "qualifiers", "death_particles"}
    return Lexicon(
        vague={str(k): (int(v[0]), int(v[1]), int(v[2])) for k, v in data["vague"].items()},
        unquantified=frozenset(str(w) for w in data["unquantified"]),
        qualifiers={str(k): str(v) for k, v in data["qualifiers"].items()},
        words={name: frozenset(str(w) for w in words) for name, words in data.items() if name not in special},
        death_particles={str(k): frozenset(str(w) for w in v) for k, v in data["death_particles"].items()},
    )


_EN = lexicon()
VAGUE = _EN.vague
"""Vague amounts (ACLED codebook, fatalities): word -> (low = ACLED's figure, best, high)."""
UNQUANTIFIED = _EN.unquantified
"""Vague words with no size of their own: ACLED's 3, or 10 for a significant attack."""
QUALIFIERS = _EN.qualifiers
"""Qualifiers before a figure ("at least", "nearly") and how they read it."""
DEATH_AFTER = _EN.words["death_after"]
"""Death words that can follow their count ("300 dead", "12 were killed")."""
TRANSITIVE = _EN.words["transitive"]
"""Of those, the verbs that after a count need the passive ("5 gunmen killed 3" is not 5 deaths)."""
DEATH_BEFORE = _EN.words["death_before"]
"""Death verbs that precede their count ("killed 5", "killing at least 12", "troops massacre 40")."""
DEATH_PARTICLES = _EN.death_particles
"""Phrasal death verbs that precede their count: "shot dead two soldiers", "gunned down 5"."""
DEATH_OF = _EN.words["death_of"]
"""Nouns that take the count after "of" ("claimed the lives of 9", "the bodies of 12")."""
AGGREGATE = _EN.words["aggregate"]
"""Phrases that make a toll a total over a period or several incidents ("in total", "since")."""
UPDATE_WORDS = _EN.words["update_words"]
"""Verbs that raise a toll told before ("the toll has risen to 19")."""
ADDITIVE_BEFORE = _EN.words["additive_before"]
"""Words before a count that make its deaths others than those told before ("another five")."""
ADDITIVE_AFTER = _EN.words["additive_after"]
"""Words after a count that make its deaths others ("19 more", "five others")."""
TOLL = _EN.words["toll"]
TOLL_LINK = _EN.words["toll_link"]
"""The word just before a toll's figure ("the toll rose to 30", "a toll of 12")."""
HARM = _EN.words["harm"]
"""Words that make a count something other than deaths."""
AMONG_THE_DEAD = _EN.words["among_the_dead"]
"""After "among": the count is of the dead ("11 children were among the dead")."""
NO_COUNT_BEFORE = _EN.words["no_count_before"]
"""Words before "one" that make it a pronoun, not a number ("no one", "the one")."""
CIVILIAN_WORDS = _EN.words["civilian_words"]
STATE_WORDS = _EN.words["state_words"]
NONSTATE_WORDS = _EN.words["nonstate_words"]
PERSON_WORDS = CIVILIAN_WORDS | STATE_WORDS | NONSTATE_WORDS | _EN.words["person_words"]
NOT_COUNT_AFTER = _EN.words["not_count_after"]
NOT_COUNT_BEFORE = _EN.words["not_count_before"]
SINGULAR_PERSON = _EN.words["singular_person"]
VICTIM_WORDS = frozenset(["victims", "dead", "those", "others", "whom", "them"])
"""Nouns of people that name the dead themselves after a toll ("the toll of victims")."""
REMAINS = _EN.words["remains"]
"""Nouns of the bodies found: their count is the deaths known so far, a lower bound."""

ONES = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "dozen": 12}

PART_BEFORE = frozenset(["including", "includes", "included", "among", "mostly", "mainly", "incl", ":", "("])
PART_WALK = frozenset(
    [",", "and", "but", "also", "as", "well", "plus", "-", "the", "of", "their", "his", "her", "its"]
)
"""Besides nominal words, what may stand between a part marker and the parts after it."""
VICTIMS_END = _EN.words["victims_end"]
"""Prepositions that end the victims' noun phrase ("40 people in a rebel-held town")."""
BREAK = frozenset(
    [";", "said", "says", "told", "according", "while", "whereas", "after", "when", "before", "because",
     "although", "though", "meanwhile", "since", "during", "until", "which", '"', "“", "”"]
)
AUX = frozenset(
    ["were", "was", "been", "be", "being", "are", "is", "have", "has", "had", "reportedly", "allegedly",
     "all", "also", "later", "subsequently", "confirmed", "reported", "found", "left", "shot", "lost",
     "their", "his", "her", "its", "now", "then", "believed", "thought", "said", "to", "have"]
)
"""Words allowed between a count and its death word besides the victims' noun phrase."""
GAP_BEFORE = frozenset(
    ["the", "a", "all", "of", "another", "further", "additional", "its", "their", "his", "her", "those",
     "these", "at", "least", "some", "an", "estimated", "reportedly", "also", "up", "to", "over"]
)
"""Words allowed between a death verb and its count ("killed all 12 passengers")."""
COORDINATION = frozenset(
    ["and", ",", "plus", "as", "well", "another", "further", "also", "at", "least", "or"]
)
DETERMINERS = frozenset(["the", "a", "this", "that", "those", "these", "his", "her", "their", "its"])
NEGATION = frozenset(["no", "not", "n't", "nobody", "none", "never", "without", "neither", "nor"])

MONTH_WORDS = frozenset(ENGLISH_MONTHS)
"""A number next to a month name is a day, not a count ("on 5 May")."""

_PHRASE_WORDS = 4
"""Longest multiword lexicon entry, in tokens ("in excess of", "a handful of")."""


@dataclass(frozen=True)
class Count:
    """A number phrase read from text, as ACLED's figure and a UCDP-style range."""

    span: Span
    """The words of the number phrase, qualifier included ("more than 300")."""
    low: int
    """Lowest credible reading."""
    best: int
    """Most likely reading."""
    high: int
    """Highest credible reading."""
    acled: int
    """ACLED's conservative single number."""
    vague: bool
    """True for words with no exact figure: "dozens", "hundreds", "several"."""
    unquantified: bool = False
    """True for "several", "many", "a number of": ACLED's 3, or 10 in a significant attack."""


@dataclass(frozen=True)
class _Found:
    """A count located in a sentence's tokens, tokens ``first`` to ``last`` (exclusive)."""

    count: Count
    first: int
    last: int


@dataclass
class _Group:
    """A death total and the parts that split it."""

    total: _Found
    parts: list[_Found]


def read_number(text: str) -> Count | None:
    """The first number phrase in ``text``: "1,200", "twenty-eight", "around a hundred", "dozens".

    Offsets in the returned span are relative to ``text``.
    """
    tokens = tokenize(text)
    found = _find_counts(tokens, text, 0)
    return found[0].count if found else None


def read_fatalities(sentence: str, offset: int = 0, significant: bool = False) -> Fatalities | None:
    """The deaths one sentence reports, or None when it reports none.

    ``offset`` is added to every evidence span; ``significant`` makes an unquantified toll
    ("several were killed") ACLED's 10 instead of 3.
    """
    if offset == 0:
        scanned, counts = _scan(sentence)
        tokens, found = list(scanned), list(counts)
    else:
        tokens = tokenize(sentence)
        found = _find_counts(tokens, sentence, offset)
    groups, tolls = _tie_counts(tokens, found)
    if not groups and tolls:
        groups = [_Group(max(tolls, key=lambda f: f.count.acled), [])]
    if not groups:
        return _unnumbered(tokens, offset, significant)
    return _total(groups, tokens, significant)


def toll_relation(sentence: str) -> str:
    """How the deaths a later sentence reports relate to those already told of the same event.

    "update" when the toll is raised to its figure ("the toll has risen to 19", "officials raised the
    toll to more than 60"): the new figure replaces the old; "more" when the deaths are others
    ("another five were killed", "19 more died", "four guards were also killed"): they add up;
    "aggregate" when the toll sums a period or several incidents ("in total over 40 were killed",
    "19 have been killed since Monday", "over the past three days"): it stands for the event only when
    nothing more particular is told; "same" otherwise: the same deaths told again, by the lede and the
    body or by another source.
    """
    scanned, counts = _scan(sentence)
    tokens = list(scanned)
    if any(_lexicon_at(tokens, i, AGGREGATE) for i in range(len(tokens))):
        return "aggregate"
    groups, tolls = _tie_counts(tokens, list(counts))
    first = groups[0].total if groups else (tolls[0] if tolls else None)
    if first is None:
        return "more" if {t.word for t in tokens} & {"another", "others"} else "same"
    before = tokens[first.first - 1].word if first.first > 0 else ""
    if before == "to" and any(t.word in UPDATE_WORDS for t in tokens[: first.first]):
        return "update"
    if _among_the_dead(tokens, first):
        return "same"  # "there were also 20 women among the dead": some of those told
    window = {t.word for t in tokens[max(0, first.first - 2) : first.last + MAX_GAP_WORDS]}
    after = tokens[first.last].word if first.last < len(tokens) else ""
    if before in ADDITIVE_BEFORE or after in ADDITIVE_AFTER or "also" in window:
        return "more"
    return "same"


@lru_cache(maxsize=256)
def _scan(sentence: str) -> tuple[tuple[Token, ...], tuple[_Found, ...]]:
    """A sentence's tokens and number phrases (offsets into it): read once, whether for its deaths
    (``read_fatalities``) or for how they relate to a toll told before (``toll_relation``)."""
    tokens = tokenize(sentence)
    return tuple(tokens), tuple(_find_counts(tokens, sentence, 0))


def combine_tolls(earlier: Fatalities, later: Fatalities, relation: str = "same") -> Fatalities:
    """The deaths of one event told by two sentences, ``relation`` as ``toll_relation`` gives it.

    ACLED codes "the most conservative credible figure" (codebook, fatalities): the same deaths told
    twice keep the lower figure (one source's 44 and another's 48 give 44), except that a vague
    amount ("dozens", ACLED's 12) yields to a stated figure, and a figure read only from a death word
    (ACLED's 3 or 10 for unnumbered deaths, 1 for one victim) yields to either. Two figures that do
    not contradict each other are no competing readings and the larger stands: a lower bound ("at
    least 30", "more than 30", five bodies found so far) and a figure at or above it ("32"). A raised
    toll replaces the earlier one; other deaths ("another five", or victims of a kind the earlier toll
    did not name: "five soldiers were killed" then "33 attackers were killed") add up. Of two competing
    figures the lower is ACLED's and the higher bounds UCDP's range ("12 to 15" and another source's
    "more than 30": 12, high 30).
    """
    if not earlier.evidence:
        return later
    if not later.evidence:
        return earlier
    if relation == "aggregate":  # a period's or a campaign's total is no incident's toll
        return earlier if _exactness(earlier) >= _exactness(later) else later
    if relation == "update":
        return later if _exactness(later) >= _exactness(earlier) else earlier
    if relation == "more":
        return _added(earlier, later)
    rank_earlier, rank_later = _exactness(earlier), _exactness(later)
    if rank_earlier != rank_later:
        return earlier if rank_earlier > rank_later else later
    if rank_earlier < 2:  # two readings without a figure: the one naming more deaths
        return later if later.fatalities > earlier.fatalities else earlier
    if _other_victims(earlier, later):
        return _added(earlier, later)  # "killed 5 soldiers ... 33 attackers were killed": all the event's dead
    low, high = sorted((earlier, later), key=lambda f: f.fatalities)
    if low.floor:
        return high  # "at least 30" then "32": no two readings of one count
    kept = later if later.fatalities < earlier.fatalities else earlier
    if earlier.high is None or later.high is None:
        return kept
    return replace(kept, high=max(earlier.high, later.high))  # the other source's figure is UCDP's high


def _kinds(deaths: Fatalities) -> set[str]:
    """The kinds of victim a toll names: civilians, state forces (side 1), armed groups (side 2)."""
    named = (("civilians", deaths.civilians), ("side_1", deaths.side_1), ("side_2", deaths.side_2))
    return {kind for kind, count in named if count}


def _other_victims(earlier: Fatalities, later: Fatalities) -> bool:
    """Whether a later toll counts only victims of a kind the earlier one does not name, while the
    earlier names some: other deaths of the same event ("18 soldiers and five passengers were killed"
    then "the army killed 33 militants")."""
    kinds, before = _kinds(later), _kinds(earlier)
    only = len(kinds) == 1 and later.fatalities == sum(
        count or 0 for count in (later.civilians, later.side_1, later.side_2))
    return only and bool(before) and not kinds & before


def _exactness(deaths: Fatalities) -> int:
    """How exactly a toll was stated: 2 a figure ("at least 62"), 1 a vague amount ("dozens"),
    0 only a death word (ACLED's 3 or 10, or 1 for one victim)."""
    counts = [read_number(span.text) for span in deaths.evidence]
    if any(c is not None and not c.vague for c in counts):
        return 2
    return 1 if any(c is not None for c in counts) else 0


def _added(a: Fatalities, b: Fatalities) -> Fatalities:
    """Two tolls of different deaths, summed figure by figure."""
    def plus(x: int | None, y: int | None) -> int | None:
        return None if x is None and y is None else (x or 0) + (y or 0)

    high = None if a.high is None or b.high is None else a.high + b.high
    return Fatalities(
        a.fatalities + b.fatalities, a.low + b.low, plus(a.best, b.best), high,
        plus(a.civilians, b.civilians), plus(a.side_1, b.side_1), plus(a.side_2, b.side_2),
        a.evidence + b.evidence, a.floor or b.floor,
    )


# --- 1. number phrases -------------------------------------------------------------------------


def _words(tokens: Sequence[Token], i: int, n: int) -> str:
    """The lowercased words ``tokens[i:i+n]`` joined by spaces."""
    return " ".join(t.word for t in tokens[i : i + n])


def _lexicon_at(tokens: Sequence[Token], i: int, lexicon: Iterable[str]) -> tuple[str, int] | None:
    """The longest lexicon entry starting at token ``i``, with its length in tokens."""
    entries = lexicon if isinstance(lexicon, (frozenset, set, dict)) else frozenset(lexicon)
    for n in range(_PHRASE_WORDS, 0, -1):
        phrase = _words(tokens, i, n)
        if len(tokens) >= i + n and phrase in entries:
            return phrase, n
    return None


def _find_counts(tokens: Sequence[Token], text: str, offset: int) -> list[_Found]:
    """Every number phrase in the tokens, left to right, without overlaps."""
    found: list[_Found] = []
    i = 0
    while i < len(tokens):
        item = _count_at(tokens, i, text, offset)
        if item is None:
            i += 1
            continue
        found.append(item)
        i = item.last
    return found


def _count_at(tokens: Sequence[Token], i: int, text: str, offset: int) -> _Found | None:
    """The number phrase starting at token ``i`` (qualifier, figure, range), if any."""
    qualifier = _lexicon_at(tokens, i, QUALIFIERS)
    kind, j = ("exact", i) if qualifier is None else (QUALIFIERS[qualifier[0]], i + qualifier[1])
    if tokens[i].word == "between":
        kind, j = "between", i + 1
    core = _core_at(tokens, j)
    if core is None and qualifier is not None and qualifier[0] == "some":
        kind, j = "exact", i
        core = _core_at(tokens, j)
    if core is None or _excluded(tokens, j, core[2]):
        return None
    low, high, last, vague = core
    if high == 0:
        return None
    upper = _range_end(tokens, last, kind == "between")
    if upper is not None:
        high, last = upper
    elif kind == "between":
        return None
    start, end = tokens[i].start, tokens[last - 1].end
    span = Span(start + offset, end + offset, text[start:end])
    count = _qualified(span, low, high, kind, vague)
    return _Found(count, i, last)


def _core_at(tokens: Sequence[Token], i: int) -> tuple[int, int, int, bool] | None:
    """A bare figure at token ``i``: (low, high, next token, vague) or None."""
    if i >= len(tokens):
        return None
    vague = _lexicon_at(tokens, i, VAGUE)
    compound = _vague_scale(tokens, i)
    if compound is not None:
        return compound
    if vague is not None and not (vague[0] == "some" and _core_at(tokens, i + 1)):
        low, _, high = VAGUE[vague[0]]
        return low, high, i + vague[1], True
    number = _digits_at(tokens, i) or _number_words_at(tokens, i)
    if number is None:
        return None
    value, last = number
    return value, value, last, False


def _vague_scale(tokens: Sequence[Token], i: int) -> tuple[int, int, int, bool] | None:
    """"several dozen", "a few hundred": twice the scale, up to nine times."""
    lead = _lexicon_at(tokens, i, ("several", "a few", "few"))
    if lead is None or i + lead[1] >= len(tokens):
        return None
    scale = SCALES.get(tokens[i + lead[1]].word)
    if scale is None:
        return None
    return 2 * scale, 9 * scale, i + lead[1] + 1, True


_FIGURE = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
"""A figure in digits: any decimal digits (float() reads them all), thousands grouped by commas or not."""


def _digits_at(tokens: Sequence[Token], i: int) -> tuple[int, int] | None:
    """"1,200", "12", "1.5 million": value and next token."""
    text = tokens[i].text
    if not text[0].isdecimal():  # not isdigit(): "²" is a digit to it, but no number to float()
        return None
    scale = SCALES.get(tokens[i + 1].word) if i + 1 < len(tokens) else None
    if "." in text and scale is None:
        return None
    if not _FIGURE.fullmatch(text):  # "1,200", "12", "1.5"; not "12th", "1.2.3", "3²"
        return None
    value = float(text.replace(",", ""))
    if not math.isfinite(value * (scale or 1)):  # 400 nines are no toll
        return None
    if scale is not None:
        return int(value * scale), i + 2
    return int(value), i + 1


def _number_words_at(tokens: Sequence[Token], i: int) -> tuple[int, int] | None:
    """"twenty-eight", "a hundred", "two thousand five hundred", "a dozen": value and next token."""
    total, current, last, j, end = 0, 0, "", i, i
    while j < len(tokens):
        word = tokens[j].word
        step = _number_word_step(word, last, tokens, j)
        if step is None:
            break
        kind, value = step
        if kind == "scale":
            current = max(current, 1) * value
        elif kind == "big":
            total, current = total + max(current, 1) * value, 0
        elif kind == "add":
            current += value
        last, j = _word_kind(word), j + 1
        if kind != "skip":
            end = j
    return (total + current, end) if end > i else None


def _word_kind(word: str) -> str:
    """The grammatical role of a number word, for ``_number_word_step``."""
    if word in ONES or word in {"a", "an"}:
        return "ones"
    if word in TEENS:
        return "teens"
    if word in TENS:
        return "tens"
    if word in {"hundred", "dozen"}:
        return "hundred"
    if word in {"thousand", "million"}:
        return "big"
    return word


def _number_word_step(word: str, last: str, tokens: Sequence[Token], j: int) -> tuple[str, int] | None:
    """How a number word continues the phrase read so far, or None where the phrase ends."""
    following = tokens[j + 1].word if j + 1 < len(tokens) else ""
    if word in {"a", "an"} and not last:
        return ("add", 1) if following in SCALES else None
    if word in ONES and last in {"", "tens", "hundred", "big", "and", "-"}:
        return "add", ONES[word]
    if (word in TEENS or word in TENS) and last in {"", "hundred", "big", "and"}:
        return "add", TEENS.get(word) or TENS[word]
    if word in {"hundred", "dozen"} and last in {"ones", "teens", "tens"}:
        return "scale", SCALES[word]
    if word in {"thousand", "million"} and last in {"ones", "teens", "tens", "hundred"}:
        return "big", SCALES[word]
    if word == "and" and last in {"hundred", "big"} and _is_number_word(following):
        return "skip", 0
    if word == "-" and last == "tens" and following in ONES:
        return "skip", 0
    return None


def _is_number_word(word: str) -> bool:
    """Whether ``word`` is a units, teens or tens number word."""
    return word in ONES or word in TEENS or word in TENS


def _range_end(tokens: Sequence[Token], i: int, between: bool) -> tuple[int, int] | None:
    """The upper figure of "20 to 30", "20-30", "two or three", "between 20 and 30"."""
    joiners = {"and"} if between else {"to", "-", "–", "or"}
    if i >= len(tokens) or tokens[i].word not in joiners:
        return None
    core = _core_at(tokens, i + 1)
    if core is None or core[3]:
        return None
    return core[1], core[2]


def _excluded(tokens: Sequence[Token], i: int, last: int) -> bool:
    """Whether the number at tokens ``i:last`` is a year, a date, an age, a time, an ordinal ..."""
    first, before = tokens[i], tokens[i - 1] if i > 0 else None
    after = tokens[last] if last < len(tokens) else None
    if before is not None and (before.word in NOT_COUNT_BEFORE or before.word in MONTH_WORDS):
        return True
    if first.word == "one" and before is not None and before.word in NO_COUNT_BEFORE:
        return True
    glued = before is not None and before.word in {"-", "/"} and before.end == first.start and i > 1
    if glued and tokens[i - 2].end == tokens[i - 1].start:  # "T-72", "MiG-21", "12/2"
        return True
    if after is not None and (after.word in NOT_COUNT_AFTER or after.word in MONTH_WORDS):
        return True
    if after is not None and after.word in {"-", ":", "/"} and after.start == tokens[last - 1].end:
        return _follows_joined(tokens, last)
    if re.fullmatch(r"(?:1[89]|20)\d\d", first.text) and last == i + 1:
        return True
    return after is not None and after.start == tokens[last - 1].end and after.word[0].isalpha()


def _follows_joined(tokens: Sequence[Token], i: int) -> bool:
    """After a number joined by "-", ":" or "/": an age ("12-year-old"), a time ("10:30"), a date."""
    if i + 1 >= len(tokens):
        return False
    nxt = tokens[i + 1]
    return nxt.word in NOT_COUNT_AFTER or (nxt.word[0].isdigit() and tokens[i].word != "-")


def _qualified(span: Span, low: int, high: int, kind: str, vague: bool) -> Count:
    """The Count for a figure read with its qualifier ("at least", "nearly", "between")."""
    if vague:
        key = _vague_key(span.text)
        plain = key in VAGUE and VAGUE[key][0] == low  # not "several dozen"
        best = VAGUE[key][1] if plain else (low + high) // 2
        return Count(span, low, best, high, low, True, plain and key in UNQUANTIFIED)
    if high != low:  # a stated range: ACLED takes its bottom
        return Count(span, low, (low + high) // 2, high, low, False)
    n = low
    if kind == "about":
        return Count(span, int(n * (1 - APPROX_MARGIN)), n, round(n * (1 + APPROX_MARGIN)), n, False)
    if kind == "nearly":
        return Count(span, int(n * (1 - APPROX_MARGIN)), n, n, n, False)
    if kind == "upto":
        return Count(span, max(1, n // 2), n, n, n, False)
    if kind == "less":
        top = max(1, n - 1)
        return Count(span, 1, max(1, top // 2), top, min(UNQUANTIFIED_DEATHS, top), False)
    return Count(span, n, n, n, n, False)


def _vague_key(text: str) -> str:
    """The VAGUE entry a vague phrase was read from ("dozens of" -> "dozens")."""
    words = text.lower().split()
    for n in range(len(words), 0, -1):
        for k in range(len(words) - n + 1):
            key = " ".join(words[k : k + n])
            if key in VAGUE:
                return key
    return ""


# --- 2. and 3. tying counts to deaths ----------------------------------------------------------


def _tie_counts(tokens: Sequence[Token], found: Sequence[_Found]) -> tuple[list[_Group], list[_Found]]:
    """The death totals with their parts, and the cumulative tolls, among the counts found."""
    starts = {f.first: f for f in found}
    groups: list[_Group] = []
    tolls: list[_Found] = []
    tied: set[int] = set()
    for f in found:
        role = _role(tokens, f, starts, tied, bool(groups))
        if role == "toll":
            tolls.append(f)
        elif role == "part" and groups:
            groups[-1].parts.append(f)
        elif role == "total" and _restated(tokens, f, groups, starts, tied):
            pass
        elif role in {"total", "part"}:
            groups.append(_Group(f, []))
        if role is not None:
            tied.add(f.first)
    return groups, tolls


def _restated(
    tokens: Sequence[Token], f: _Found, groups: Sequence[_Group], starts: dict[int, _Found], tied: set[int]
) -> bool:
    """Whether a total repeats an earlier total of the sentence in another clause ("air raids kill 20
    militants ... at least 20 militants were killed": a headline run into its lede, or a quote of the
    same report). A figure repeated outside a coordination ("5 soldiers and 5 civilians") names the
    same deaths again; counting them twice would break ACLED's conservative figure."""
    if f.count.vague or _coordinated(tokens, f.first, starts, tied):
        return False
    return any(g.total.count.acled == f.count.acled and not g.total.count.vague for g in groups)


def _role(
    tokens: Sequence[Token], f: _Found, starts: dict[int, _Found], tied: set[int], has_total: bool
) -> str | None:
    """How a count relates to deaths: "total", "part", "toll", or None (not deaths)."""
    if _harm_after(tokens, f, starts):
        return None
    if has_total and _words(tokens, f.last, 2) in {"of them", "of whom"}:
        return "part"  # "17 were killed, two of them medics"; before "killed two of them" reads a total
    before = _death_before(tokens, f.first)
    if before is not None:
        return before
    if _harm_before(tokens, f.first):
        return None
    if _part_of_previous(tokens, f, starts, tied, has_total):
        return "part"
    if _coordinated(tokens, f.first, starts, tied) or _death_after(tokens, f, starts):
        return "total"
    return None


def _skip_left(tokens: Sequence[Token], i: int, allowed: frozenset[str], most: int = 3) -> int:
    """The index of the first token left of ``i`` that is not an allowed filler word."""
    j = i - 1
    while j >= 0 and tokens[j].word in allowed and i - j <= most:
        j -= 1
    return j


def _death_before(tokens: Sequence[Token], i: int) -> str | None:
    """"total" after a death verb ("killed 5", "the lives of 9"), "toll" after a toll, else None."""
    j = _skip_left(tokens, i, GAP_BEFORE)
    if j >= 0 and tokens[j].word in DEATH_BEFORE and not _irrealis(tokens, j):
        return "total"
    if j >= 1 and tokens[j - 1].word in DEATH_PARTICLES.get(tokens[j].word, ()) and not _irrealis(tokens, j - 1):
        return "total"  # "shot dead two soldiers"
    if j + 1 < i and tokens[j + 1].word == "of" and j >= 0 and tokens[j].word in DEATH_OF:
        return "total"
    if i == 0 or tokens[i - 1].word not in TOLL_LINK:
        return None
    raised = i >= 2 and tokens[i - 2].word in UPDATE_WORDS  # "the toll from ... has risen to 19": a longer subject
    for k in range(i - 1, max(-1, i - (2 if raised else 1) * MAX_GAP_WORDS - 1), -1):
        word = tokens[k].word
        if word in TOLL:
            return None if _tally_of_living(tokens, k) else "toll"
        if word == "number" and _of_the_dead(tokens, k + 1):
            return "toll"  # "put the number of dead at more than 30"
        if word in BREAK or word in HARM or word[0].isdigit():
            break
    return None


def _of_the_dead(tokens: Sequence[Token], j: int) -> bool:
    """Whether the words from ``j`` are "of (the) dead", "of those killed", "of victims"."""
    if j >= len(tokens) or tokens[j].word != "of":
        return False
    j += 1
    while j < len(tokens) and tokens[j].word in DETERMINERS | {"those"}:
        j += 1
    return j < len(tokens) and (tokens[j].word in DEATH_AFTER or tokens[j].word == "victims")


def _tally_of_living(tokens: Sequence[Token], k: int) -> bool:
    """Whether the toll noun at ``k`` counts people who are not said to be dead ("the tally of
    passengers on the train"): its of-complement names people and no death word follows them."""
    j = k + 1
    if j >= len(tokens) or tokens[j].word != "of":
        return False
    j += 1
    while j < len(tokens) and tokens[j].word in DETERMINERS:
        j += 1
    if j >= len(tokens) or tokens[j].word not in PERSON_WORDS - VICTIM_WORDS:
        return False
    return not any(t.word in DEATH_AFTER for t in tokens[j + 1 : j + 3])


def _irrealis(tokens: Sequence[Token], i: int) -> bool:
    """Whether the word at ``i`` is negated or not a reported fact ("to kill", "did not kill")."""
    window = {t.word for t in tokens[max(0, i - 3) : i]}
    if window & NEGATION:
        return True
    return i > 0 and tokens[i - 1].word in {"to", "would", "could", "will", "may", "might", "threatened"}


def _harm_before(tokens: Sequence[Token], i: int) -> bool:
    """Whether a harm verb governs the count at ``i`` ("wounding 12")."""
    j = _skip_left(tokens, i, GAP_BEFORE)
    return j >= 0 and tokens[j].word in HARM


def _harm_after(tokens: Sequence[Token], f: _Found, starts: dict[int, _Found]) -> bool:
    """Whether the count counts the wounded, arrested ... ("12 were injured", "160 people injured").

    A harm word after "and" starts a clause of its own ("killed 5 people and wounded 12").
    """
    for k in range(f.last, min(len(tokens), f.last + MAX_GAP_WORDS)):
        word = tokens[k].word
        if word in HARM:
            return tokens[k - 1].word not in {"and", ",", "or"}
        if word in DEATH_AFTER:
            return _or_harm(tokens, k)
        if word in BREAK or k in starts:
            return False
    return False


def _or_harm(tokens: Sequence[Token], k: int) -> bool:
    """"killed or wounded": whether the death word at ``k`` is one side of an either-or with harm."""
    return k + 2 < len(tokens) and tokens[k + 1].word == "or" and tokens[k + 2].word in HARM


def _part_of_previous(
    tokens: Sequence[Token], f: _Found, starts: dict[int, _Found], tied: set[int], has_total: bool
) -> bool:
    """Whether the count splits an earlier total ("300 dead, including 28 civilians", "5 of them")."""
    after = _words(tokens, f.last, 2)
    if has_total and after in {"of them", "of whom"}:
        return True
    if f.first > 0 and tokens[f.first - 1].word == "(":
        return has_total
    k = f.first - 1
    while k >= 0 and f.first - k <= 2 * MAX_GAP_WORDS:
        word = tokens[k].word
        if word in PART_BEFORE and word != "(":
            return has_total or _death_word_before(tokens, k)
        if not (_nominal(tokens[k]) or word in PART_WALK or k in starts or _found_ending_at(starts, k)):
            return False
        previous = _found_ending_at(starts, k)
        if previous is not None:
            if previous.first not in tied:
                return False
            k = previous.first
        k -= 1
    return False


def _found_ending_at(starts: dict[int, _Found], k: int) -> _Found | None:
    """The count whose last token is ``k``, if any."""
    return next((f for f in starts.values() if f.last - 1 == k), None)


def _death_word_before(tokens: Sequence[Token], i: int) -> bool:
    """Whether a death word comes before token ``i`` ("killed civilians, including 5 children")."""
    return any(t.word in DEATH_BEFORE or t.word in DEATH_AFTER for t in tokens[:i])


def _coordinated(tokens: Sequence[Token], i: int, starts: dict[int, _Found], tied: set[int]) -> bool:
    """Whether "and" joins the count to a tied one before it ("killed 5 soldiers and 3 civilians")."""
    j = _skip_left(tokens, i, COORDINATION)
    if j == i - 1 or not {t.word for t in tokens[j + 1 : i]} & {"and", ",", "plus", "well"}:
        return False
    for k in range(j, max(-1, j - MAX_NP_WORDS - 1), -1):
        previous = _found_ending_at(starts, k)
        if previous is not None:
            return previous.first in tied
        if not _nominal(tokens[k]):
            return False
    return False


def _nominal(token: Token) -> bool:
    """Whether a word can sit in the victims' noun phrase ("Syrian government soldiers")."""
    word = token.word
    if not word[0].isalpha() and word not in {"-", "'", "’"}:
        return False
    return not (word in BREAK or word in HARM or word in DEATH_AFTER or word in DEATH_BEFORE or word in AUX)


def _death_after(tokens: Sequence[Token], f: _Found, starts: dict[int, _Found]) -> bool:
    """Whether a death word follows the count ("300 dead", "28 civilians were killed")."""
    gap: list[Token] = []
    inserted = False  # inside ", including ...," where counts are parts, not coordinated totals
    k = origin = f.last
    while k < len(tokens) and k - origin <= 2 * MAX_GAP_WORDS and len(gap) <= MAX_GAP_WORDS:
        token = tokens[k]
        if token.word in DEATH_AFTER:
            return _passive_enough(tokens, k, starts) and _victims_words(gap)
        if token.word in BREAK or token.word in HARM:
            return False
        if token.word == "among" and _words(tokens, k + 1, 2) in AMONG_THE_DEAD:
            return _victims_words(gap)
        if k in starts:
            if not inserted and tokens[k - 1].word not in COORDINATION:
                return False
            k = starts[k].last
            if not inserted:  # "18 soldiers, three staff and five passengers were killed": each count its words
                gap, origin = [], k
            continue
        if token.word in PART_BEFORE:
            inserted = True
        elif token.word in {",", ")"}:
            inserted = False
        elif token.word not in AUX and token.word[0].isalpha() and not inserted:
            gap.append(token)
        k += 1
    return False


def _passive_enough(tokens: Sequence[Token], k: int, starts: dict[int, _Found]) -> bool:
    """A transitive death verb after a count must not take an object ("5 gunmen killed 3")."""
    if tokens[k].word not in TRANSITIVE or tokens[k - 1].word in AUX:
        return True
    if k + 1 >= len(tokens):
        return True
    following = tokens[k + 1]
    return not (k + 1 in starts or following.word in {"a", "an", "the"} or following.word in PERSON_WORDS)


def _victims_words(gap: Sequence[Token]) -> bool:
    """Whether the words between a count and its death word can name victims ("19 more died")."""
    gap = [t for t in gap if t.word not in ADDITIVE_AFTER]
    if not gap:
        return True
    return any(t.word in PERSON_WORDS or (t.text[0].isupper() and t.word.endswith("s")) for t in gap)


# --- 4. and 5. the figures ---------------------------------------------------------------------


def _acled(count: Count, significant: bool) -> int:
    """ACLED's figure for a count, raised for an unquantified toll in a significant attack."""
    if count.unquantified and significant:
        return UNQUANTIFIED_DEATHS_SIGNIFICANT
    return count.acled


def _total(groups: Sequence[_Group], tokens: Sequence[Token], significant: bool) -> Fatalities:
    """Disjoint totals added, each the larger of its figure and its parts; split by victims."""
    figures = [0, 0, 0, 0]
    by_kind: dict[str, int] = {}
    evidence: list[Span] = []
    for group in groups:
        members = [group.total, *group.parts]
        evidence.extend(f.count.span for f in members)
        whole, parts = group.total.count, [p.count for p in group.parts]
        figures[0] += max(_acled(whole, significant), sum(_acled(p, significant) for p in parts))
        figures[1] += max(whole.low, sum(p.low for p in parts))
        figures[2] += max(whole.best, sum(p.best for p in parts))
        figures[3] += max(whole.high, sum(p.high for p in parts))
        for kind, value in _split(group, tokens, significant).items():
            by_kind[kind] = by_kind.get(kind, 0) + value
    acled, low, best, high = figures
    floor = any(_lower_bound(tokens, group.total) for group in groups)
    return Fatalities(
        acled, low, best, high, by_kind.get("civilian"), by_kind.get("state"), by_kind.get("nonstate"),
        tuple(evidence), floor,
    )


def _among_the_dead(tokens: Sequence[Token], f: _Found) -> bool:
    """Whether a count is said to be among the dead ("20 women were also among the dead"): a part of
    the deaths told, never others."""
    for k in range(f.last, len(tokens)):
        if tokens[k].word in BREAK:
            return False
        if tokens[k].word == "among" and _words(tokens, k + 1, 2) in AMONG_THE_DEAD:
            return True
    return False


def _lower_bound(tokens: Sequence[Token], f: _Found) -> bool:
    """Whether a count is a lower bound: a floor's qualifier ("at least", "more than"), some of the
    dead ("five women were among the dead") or a count of the bodies found so far ("five bodies were
    recovered", "the bodies of 12")."""
    qualifier = _lexicon_at(tokens, f.first, QUALIFIERS)
    if qualifier is not None and QUALIFIERS[qualifier[0]] in {"min", "more"}:
        return True
    if _among_the_dead(tokens, f):
        return True
    if f.first >= 2 and tokens[f.first - 1].word == "of" and tokens[f.first - 2].word in REMAINS:
        return True
    for token in tokens[f.last : f.last + MAX_NP_WORDS]:
        if token.word in REMAINS:
            return True
        if not _nominal(token):
            return False
    return False


def _split(group: _Group, tokens: Sequence[Token], significant: bool) -> dict[str, int]:
    """Deaths of one group by kind of victim, where the words tell."""
    kind = _victim_kind(tokens, group.total)
    if kind is not None:
        return {kind: _acled(group.total.count, significant)}
    split: dict[str, int] = {}
    for part in group.parts:
        part_kind = _victim_kind(tokens, part)
        if part_kind is not None:
            split[part_kind] = split.get(part_kind, 0) + _acled(part.count, significant)
    return split


def _victim_kind(tokens: Sequence[Token], f: _Found) -> str | None:
    """"civilian", "state" or "nonstate" when the words after the count name one kind of victim."""
    words: set[str] = set()
    for token in tokens[f.last : f.last + MAX_NP_WORDS]:
        if (token.word in {"and", ","} and words) or token.word in VICTIMS_END:
            break
        if not _nominal(token) and token.word not in {"of", "and"}:
            break
        words.add(token.word)
    kinds = {
        kind for kind, lexicon in (("civilian", CIVILIAN_WORDS), ("state", STATE_WORDS),
                                   ("nonstate", NONSTATE_WORDS)) if words & lexicon
    }
    return kinds.pop() if len(kinds) == 1 else None


def _unnumbered(tokens: Sequence[Token], offset: int, significant: bool) -> Fatalities | None:
    """Deaths reported without a figure: 1 for one victim, else ACLED's 3 (10 if significant)."""
    for k, token in enumerate(tokens):
        if not _death_fact(tokens, k):
            continue
        span = Span(token.start + offset, token.end + offset, token.text)
        if _single_victim(tokens, k):
            return Fatalities(1, 1, 1, 1, evidence=(span,))
        figure = UNQUANTIFIED_DEATHS_SIGNIFICANT if significant else UNQUANTIFIED_DEATHS
        return Fatalities(figure, 2, figure, None, evidence=(span,))
    return None


def _death_fact(tokens: Sequence[Token], k: int) -> bool:
    """Whether token ``k`` reports deaths as a fact (not negated, hypothetical or either-or)."""
    word = tokens[k].word
    if word in {"lives", "die", "dying", "kill"} or word not in DEATH_AFTER | DEATH_BEFORE:
        return False
    if k > 0 and word in {"killing", "killed", "killings", "dead"} and tokens[k - 1].word in DETERMINERS:
        return False  # "the killing", "those killed", "the dead": a reference to deaths told elsewhere
    return not (_irrealis(tokens, k) or _or_harm(tokens, k))


def _single_victim(tokens: Sequence[Token], k: int) -> bool:
    """"a civilian was killed", "killing him", "killed a soldier": one victim."""
    after = _words(tokens, k + 1, 1)
    if tokens[k].word in DEATH_BEFORE and after in {"him", "her"}:
        return True
    if tokens[k].word in DEATH_BEFORE and after in {"a", "an"}:  # "killed a senior rebel commander"
        phrase = itertools.takewhile(_nominal, tokens[k + 2 : k + 2 + MAX_GAP_WORDS])
        return any(t.word in SINGULAR_PERSON for t in phrase)
    window = tokens[max(0, k - 4) : k]
    return any(t.word in {"was", "is"} for t in window[-2:]) or any(
        a.word in {"a", "an"} and b.word in SINGULAR_PERSON for a, b in pairwise(window)
    )
