"""Who reports an event: the speakers of the statements that cover its sentences, by their full names.

A statement's speaker is named the way the knowledge base names actors where it can ("the Syrian
army" is "Military Forces of Syria (2000-2024)"), else by the fullest name the article gives it: an
acronym the article defines ("the Syrian Observatory for Human Rights (OSDH)") or a longer name used
elsewhere ("the Observatory").

The speakers' words (``speaker_words``) are looked up in the actor base by the resolve stage, once
for every day (``Resolved.speakers``); ``Sources`` reads those readings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import TypeGuard

from sitrep.extraction.attribution import (
    DEFINITE_ARTICLES,
    NAME_CONNECTORS,
    NOBODY,
    PRONOUNS,
    claim_status,
    source_kind,
    without_article,
)
from sitrep.lexicon import tokenize
from sitrep.models import Actor, Quote, Source, Span
from sitrep.stages import ByDay

CROWDS = {"Civilians", "Protesters", "Rioters"}
ACRONYM = re.compile(r"((?:[A-Z][\w'’-]*\s+)(?:(?:" + "|".join(NAME_CONNECTORS) + r")\s+|[A-Z][\w'’-]*\s+){1,8})"
                     r"\(([A-Z]{2,8})\)")
"""An organisation's name and the acronym the article defines for it in brackets ("Syrian Observatory for
Human Rights (SOHR)"): a format (capitalised words, the connectors of ``name_connectors`` between them,
capitals in brackets), matched once per article."""


class Sources:
    """The sources of one article's events."""

    def __init__(self, text: str, quotes: Sequence[Quote], speakers: Sequence[ByDay[Actor | None] | None]) -> None:
        """``speakers``: for each of ``quotes``, the actor its ``speaker_words`` name in the article's
        country, by day (``Resolved.speakers``)."""
        self.quotes = quotes
        self.speakers = speakers
        self.acronyms = {m.group(2): m.group(1).strip() for m in ACRONYM.finditer(text)}
        spoken = {_bare(q.source.text) for q in quotes if q.source and len(q.source.text.split()) > 1}
        self.names = tuple(sorted({*self.acronyms.values(), *(n for n in spoken if n[:1].isupper())},
                                  key=len, reverse=True))
        """Full names the article gives its sources, longest first, to expand short references."""
        self.spellings: dict[str, str] = {}
        """Each name as the article first gave it, by its case-folded form: 'Security sources' at the start
        of a sentence and 'security sources' inside one are one source."""

    def of(self, span: Span, when: date | None) -> list[Source]:
        """Who the sentence's statements are attributed to: statements about it, or cued in it."""
        found = []
        for quote, speaker in zip(self.quotes, self.speakers, strict=True):
            if not ((quote.content.start < span.end and span.start < quote.content.end)
                    or span.start <= quote.cue.start < span.end):
                continue
            name = self.name(quote, speaker, when)
            if name is not None:
                name = self.spellings.setdefault(name.casefold(), name)
                kind = source_kind(name)
                found.append(Source(name, kind, claim_status(quote.cue.text, kind), quote.source))
        return found

    def name(self, quote: Quote, speaker: ByDay[Actor | None] | None, when: date | None) -> str | None:
        """The canonical name of who made a statement, or None for an unnamed speaker. ``speaker``: the
        actor its words name, by day."""
        words = _speaker(quote)
        if words is None:
            return None
        definite = _definite_noun(words.strip())
        words = _bare(words)
        resolved = speaker.on(when) if speaker is not None else None
        if named(resolved):
            return resolved.name
        name = self.acronyms.get(words, quote.actor if quote.actor and quote.source is not None else words)
        fuller = [n for n in self.names if len(n) > len(name) and re.search(rf"\b{re.escape(name)}\b", n)]
        if fuller:
            return fuller[0]  # "the Observatory" is the Syrian Observatory for Human Rights
        return (self._antecedent(name) if definite else None) or name

    def _antecedent(self, noun: str) -> str | None:
        """The one named source of the same kind that "the" and a singular common noun refer back to
        ("the monitor added" after the Syrian Observatory for Human Rights spoke), None when there is
        none or several."""
        kind = source_kind(noun)
        if kind == "other":
            return None
        same = [n for n in self.names if n != n.lower() and source_kind(n) == kind]
        return same[0] if len(same) == 1 else None


def speaker_words(quote: Quote) -> str | None:
    """The words to look a statement's speaker up by in the actor base: its name without an article or
    a trailing acronym ("the Observatory (OSDH)" -> "Observatory"); for a pronoun, the speaker it stands
    for; None for no speaker or "nobody"."""
    words = _speaker(quote)
    return None if words is None else _bare(words)


def _speaker(quote: Quote) -> str | None:
    words = quote.source.text if quote.source else None
    if words is None or words.lower() in PRONOUNS:
        words = quote.actor  # the speaker a pronoun stands for
    if words is None or words.lower() in PRONOUNS or _nobody(words):
        return None
    return words


def _nobody(words: str) -> bool:
    """Whether a speaker's words are no one's ("nobody", "no one": ``attribution.NOBODY``)."""
    tokens = tokenize(words)
    return bool(tokens) and tokens[0].start == 0 and tokens[0].word in NOBODY


def _definite_noun(words: str) -> bool:
    """Whether a speaker's words are "the" and one singular common noun ("the monitor", "the ministry"):
    a reference back to a source named before."""
    tokens = tokenize(words)
    if len(tokens) != 2 or tokens[0].start != 0 or tokens[0].word not in DEFINITE_ARTICLES:
        return False
    noun = tokens[1].text
    return (words[tokens[0].end:tokens[1].start].isspace() and tokens[1].end == len(words)
            and noun.isascii() and noun.isalpha() and noun[-1] not in "sS")


def named(actor: Actor | None) -> TypeGuard[Actor]:
    """Whether a speaker resolved to ``actor`` goes by the actor's name: not when the knowledge base
    knows them only as a crowd or an unidentified group ("residents said", "gunmen said"); those keep
    their own words."""
    return actor is not None and actor.inter not in CROWDS and not actor.name.startswith("Unidentified")


def _bare(name: str) -> str:
    """A name without its article or a trailing acronym: 'the Observatory (OSDH)' -> 'Observatory'."""
    name = re.sub(r"\s*\([^)]*\)$", "", name.strip())  # a format: a trailing parenthesis
    return without_article(name)
