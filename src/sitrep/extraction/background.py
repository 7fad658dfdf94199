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

from sitrep.extraction.dates import ENGLISH_MONTHS

__all__ = ["AGGREGATE_TOLL", "aggregate_toll", "background_statement"]

AGGREGATE_TOLL = 5000
"""A toll above this in one sentence is a war's or a campaign's, not one event's. The deadliest
single events in the conflicts covered (the 2013 Ghouta chemical attack, about 1,400 dead) stay
well below; the war totals reports repeat start at tens of thousands."""

_MONTH = "(?:" + "|".join(sorted((m.capitalize() for m in ENGLISH_MONTHS), key=len, reverse=True)) + r")\.?"
RUNNING_TOTAL = re.compile(
    r"since the (?:start|beginning|outbreak|onset) of|"
    r"since the (?:war|conflict|uprising|revolution|crisis|fighting) (?:began|started|erupted|broke out)|"
    r"\bsince (?:early |late |mid-?)?(?:19|20)\d\d\b|\bsince (?:early |late |mid-?)?" + _MONTH + r"(?! \d)|"
    r"\bsince the [\w' -]{3,60}? (?:began|started|erupted|broke out|passed|was (?:signed|adopted|passed)|"
    r"came into (?:force|effect)|took effect)\b|"
    r"death toll (?:of|in) the (?:war|conflict)|(?:war|conflict) has killed|"
    r"\b(?:war|conflict|crisis|uprising|insurgency)\b[^.;]{0,30}?\b(?:which|that) ha(?:s|ve) (?:killed|left|"
    r"claimed|cost)|\b(?:war|conflict|crisis)\b[^.;]{0,20}?\bha(?:s|ve) (?:left|claimed|cost)\b|"
    r"\b(?:\w+|\d+)[- ]year(?:s)?[- ](?:old |long )?(?:civil )?(?:war|conflict|uprising|insurgency)\b|"
    r"\b(?:in|over|during) the (?:past|last) (?:(?:few|several|two|three|four|five|six|\d+) )?(?:years?|months?)\b|"
    r"\bso far this year\b",
    re.IGNORECASE)
"""A toll for a whole war, or for months or years of it, is background, however the sentence is dated."""

ALLEGATION = re.compile(
    r"\baccus(?:es|e|ed|ing)\s+(?!of\b)[^.;]{1,80}?\bof\b|"
    r"\b(?:blame[sd]?|h(?:o|e)ld\b[^.;]{0,40}\bresponsible)\b[^.;]{0,60}\bfor (?:the )?"
    r"(?:use|using|chemical|attacks|bombings|killings)\b|"
    r"\bresponsible for\b[^.;]{0,20}\battacks\b",
    re.IGNORECASE)
"""An allegation about conduct ("accuses the regime of using chemical weapons") with no day of its own."""
HABITUAL = re.compile(r"\b(?:regularly|repeatedly|routinely|frequently|often|constantly|habitually|on a daily basis|"
                      r"(?:almost )?daily|every day|nightly)\b", re.IGNORECASE)
"""Words that make a statement about a pattern, not one occasion."""


def background_statement(text: str, dated: bool) -> bool:
    """Whether a trigger sentence is context rather than news: a running total (whatever its date), or an
    allegation or habitual statement that no date of its own ties to one day."""
    if RUNNING_TOTAL.search(text):
        return True
    return not dated and (ALLEGATION.search(text) is not None or HABITUAL.search(text) is not None)


def aggregate_toll(fatalities: int) -> bool:
    """Whether a toll is too large for one event (see ``AGGREGATE_TOLL``)."""
    return fatalities > AGGREGATE_TOLL
