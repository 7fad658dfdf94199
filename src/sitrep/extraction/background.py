"""Which trigger sentences report no news event of their own.

A news article surrounds its events with context that reads like an event to a trigger lexicon:
running tolls for a whole war ("the six-year war which has killed hundreds of thousands"), totals
over months ("more than 550 civilians have been killed in the last two months"), allegations about
a pattern of conduct ("Western powers accuse the regime of chemical attacks") and habitual or
generic statements ("It has regularly been targeted in bomb attacks"). None is one day's event in
one place, ACLED's unit, so none becomes an event (and none lends its toll to the event before it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sitrep.extraction.dates import MONTH_NAMES
from sitrep.lexicon import expand, read

__all__ = ["AGGREGATE_TOLL", "Context", "aggregate_toll", "background_statement", "episode_total", "patterns"]

AGGREGATE_TOLL = 5000
"""A toll above this in one sentence is a war's or a campaign's, not one event's. The deadliest
single events in the conflicts covered (the 2013 Ghouta chemical attack, about 1,400 dead) stay
well below; the war totals reports repeat start at tens of thousands."""

PATTERNS_FILE = "background.yaml"
"""The patterns of context in ``sitrep/data/<language>/`` (each entry names its source)."""
MONTHS_SECTION = {"en": "english", "fr": "french"}
"""The section of the month table a language's ``{month}`` reads."""


@dataclass(frozen=True)
class Context:
    """The patterns of background statements in one language (see the module docstring)."""

    running_total: re.Pattern[str]
    """A toll for a whole war, or for months or years of it, is background, however the sentence is dated."""
    allegation: re.Pattern[str]
    """An allegation about conduct ("accuses the regime of using chemical weapons") with no day of its own."""
    habitual: re.Pattern[str]
    """Words that make a statement about a pattern, not one occasion."""
    episode_total: re.Pattern[str]
    """A total over the days of the episode the news tells ("since the attacks began Tuesday")."""
    comparison: re.Pattern[str]
    """A superlative just before a running total's words: the war is what the news is compared with."""


@cache
def patterns(language: str = "en") -> Context:
    """The patterns of a language, read once from ``sitrep/data/<language>/background.yaml``."""
    section = MONTHS_SECTION[language]
    months = sorted((m.word.capitalize() for m in MONTH_NAMES if m.language == section), key=len, reverse=True)
    groups = {"month": "(?:" + "|".join(months) + r")\b\.?"}
    data = read(language, PATTERNS_FILE)

    def compiled(name: str) -> re.Pattern[str]:
        where = f"{PATTERNS_FILE}: {name}"
        return re.compile("|".join(expand(p, groups, where) for p in data[name]["patterns"]), re.IGNORECASE)

    return Context(compiled("running_total"), compiled("allegation"), compiled("habitual"), compiled("episode_total"),
                   compiled("comparison"))


RUNNING_TOTAL = patterns("en").running_total
ALLEGATION = patterns("en").allegation
HABITUAL = patterns("en").habitual
COMPARISON = patterns("en").comparison


def background_statement(text: str, dated: bool) -> bool:
    """Whether a trigger sentence is context rather than news: a running total (whatever its date; not
    the class a superlative compares the news with: "the worst attack of the six-year war"), or an
    allegation or habitual statement that no date of its own ties to one day."""
    if any(not COMPARISON.search(text, 0, m.start()) for m in RUNNING_TOTAL.finditer(text)):
        return True
    return not dated and (ALLEGATION.search(text) is not None or HABITUAL.search(text) is not None)


def episode_total(text: str) -> bool:
    """Whether a sentence tells a total over the days of the news's episode ("bodies of five soldiers
    have been found since the attacks began Tuesday"): no event of its own, though it may tell the
    toll of the event before it."""
    return patterns("en").episode_total.search(text) is not None


def aggregate_toll(fatalities: int) -> bool:
    """Whether a toll is too large for one event (see ``AGGREGATE_TOLL``)."""
    return fatalities > AGGREGATE_TOLL
