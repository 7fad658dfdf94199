"""Which trigger sentences report no news event of their own.

A news article surrounds its events with context that reads like an event to a trigger lexicon:
running tolls for a whole war ("the six-year war which has killed hundreds of thousands"), totals
over months ("more than 550 civilians have been killed in the last two months"), allegations about
a pattern of conduct ("Western powers accuse the regime of chemical attacks") and habitual or
generic statements ("It has regularly been targeted in bomb attacks"). None is one day's event in
one place, ACLED's unit, so none becomes an event (and none lends its toll to the event before it).
"""

from __future__ import annotations

from spacy.tokens import Doc

from sitrep import nlp
from sitrep.extraction import words
from sitrep.matching import leftmost

__all__ = ["AGGREGATE_TOLL", "COMPARISON_CHARS", "aggregate_toll", "background_statement", "episode_total"]

AGGREGATE_TOLL = 5000
"""A toll above this in one sentence is a war's or a campaign's, not one event's. The deadliest
single events in the conflicts covered (the 2013 Ghouta chemical attack, about 1,400 dead) stay
well below; the war totals reports repeat start at tens of thousands."""

COMPARISON_CHARS = 60
"""Most characters between a superlative and the running total's words it takes as its comparison
class ("the deadliest attack of the four-year war"), in one clause: no full stop or semicolon between."""
CLAUSE_ENDS = ".;"

# The patterns are the word lists of sitrep/data/<language>/background.yaml (each entry names its
# source), matched once per document by the word_cues component (``extraction.words``):
# running_total, a toll for a whole war or for months or years of it; comparison, a superlative;
# allegation, an allegation about conduct ("accuses the regime of using chemical weapons");
# habitual, words that make a statement about a pattern, not one occasion; episode_total, a total
# over the days of the episode the news tells ("since the attacks began Tuesday").


def background_statement(doc: Doc, start: int, end: int, dated: bool) -> bool:
    """Whether the trigger sentence at document characters ``[start, end)`` is context rather than
    news: a running total (whatever its date; not the class a superlative compares the news with:
    "the worst attack of the six-year war"), or an allegation or habitual statement that no date of
    its own ties to one day."""
    superlatives = words.within(doc, "comparison", start, end)
    text = nlp.text(doc) if superlatives else ""

    def compared(at: int) -> bool:
        return any(m.end <= at and at - m.end <= COMPARISON_CHARS and not any(c in CLAUSE_ENDS for c in text[m.end:at])
                   for m in superlatives)

    if any(not compared(m.start) for m in leftmost(words.within(doc, "running_total", start, end))):
        return True
    return not dated and bool(words.within(doc, "allegation", start, end) or words.within(doc, "habitual", start, end))


def episode_total(doc: Doc, start: int, end: int) -> bool:
    """Whether the sentence at document characters ``[start, end)`` tells a total over the days of the
    news's episode ("bodies of five soldiers have been found since the attacks began Tuesday"): no event
    of its own, though it may tell the toll of the event before it."""
    return bool(words.within(doc, "episode_total", start, end))


def aggregate_toll(fatalities: int) -> bool:
    """Whether a toll is too large for one event (see ``AGGREGATE_TOLL``)."""
    return fatalities > AGGREGATE_TOLL
