"""The boundaries between the stages of one article's analysis: frozen data, handed on, never called back.

    mentions (``Mentions``) -> resolved (``Resolved``) -> events assembled -> fused (the store) -> coded

``Mentions`` holds what the text says, as spans: its sentences, its dateline, its statements (their
speakers as words), the trigger cues (``doc.spans["cues"]``, ``sitrep.matching``). ``Resolved`` holds
what those words mean: places in the gazetteer, actors in the actor base, days against the publication
day, speakers by their canonical names. Event assembly (``extraction.events``) reads ``Resolved`` only;
it asks no knowledge base anything.

**What depends on the event.** Some resolutions depend on the event being assembled, not only on the
words: "the army" is the state forces of the event's country, and state forces are named after the
government in power on the event's day ("Military Forces of Syria (2000-2024)"); a group may be founded,
dissolved, or become the state's forces on a given day. The resolve stage resolves these up front into
every reading they can have: each sentence's actors once per country an event of the article can be
placed in (``SentenceActors``), each reading as a function of the day (``ByDay``: the reading before
the first day on which a name reads differently, the reading from each such day on, and the reading
when the day is unknown). The days on which a reading can change are finite and known to the actor base
(``ActorResolver.changes``: the start of a government period, a group's first or last day), so this is
exact: assembly picks the reading of its event's country and day (``SentenceActors.on``), a lookup,
and gets what asking the actor base then would have given.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from sitrep.extraction.attribution import Attribution
from sitrep.extraction.dateline import Dateline
from sitrep.extraction.dates import DateMention
from sitrep.models import Actor, ActorMention, Article, Place, Quote, Span

__all__ = ["ByDay", "Located", "Mentions", "Resolved", "SentenceActors", "by_day"]

T = TypeVar("T")


@dataclass(frozen=True)
class ByDay(Generic[T]):
    """A resolution that depends on the event's day, resolved for every day: a step function.

    ``on(day)`` is ``values[0]`` before ``since[0]``, ``values[i + 1]`` from ``since[i]`` until the next
    change, and ``undated`` when the day is unknown (None).
    """

    undated: T
    """The reading when the event's day is unknown (state forces then take their latest period)."""
    since: tuple[date, ...]
    """The days on which the reading changes, ascending; empty when it never does."""
    values: tuple[T, ...]
    """The readings: one before the first change, then one from each change on (``len(since) + 1``)."""

    def on(self, day: date | None) -> T:
        """The reading on ``day`` (None: unknown)."""
        if day is None:
            return self.undated
        return self.values[bisect_right(self.since, day)]


def by_day(read: Callable[[date | None], T], changes: Iterable[date]) -> ByDay[T]:
    """``read`` for every day, given the days on which its result can change (a superset will do;
    none: the same on every day and when the day is unknown): ``read(None)``, ``read`` before the
    first change (``date.min``), and ``read`` on each change where it differs from the reading before."""
    changes = tuple(changes)
    if not changes:
        value = read(None)
        return ByDay(value, (), (value,))
    since: list[date] = []
    values = [read(date.min)]
    for day in sorted(set(changes)):
        value = read(day)
        if value != values[-1]:
            since.append(day)
            values.append(value)
    return ByDay(read(None), tuple(since), tuple(values))


@dataclass(frozen=True)
class SentenceActors:
    """The actors one sentence names, resolved for every country and day an event can have."""

    sentence: Span
    """The sentence, offsets into the article's text."""
    readings: Mapping[str | None, ByDay[tuple[ActorMention, ...]]]
    """By the event's country (``Place.country`` of a place the article names, or None): the actor
    mentions, in reading order and without overlaps, their spans offsets into the article's text, as
    the actor base reads them on each day (``ActorResolver.find``)."""

    def on(self, country: str | None, day: date | None) -> tuple[ActorMention, ...]:
        """The sentence's actors for an event in ``country`` on ``day``. ``KeyError`` for a country the
        article gives no place in (the resolve stage resolved every other)."""
        return self.readings[country].on(day)


@dataclass(frozen=True)
class Located:
    """A place found through an administrative parenthesis, with the ACLED precision it supports
    (``resolve.parenthesis``)."""

    place: Place
    """The place, its ``mention`` the words that named it."""
    precision: int
    """ACLED geo-precision: 1 the small place itself, 2 the district's town, 3 the province."""
    admin1: str | None
    """The province, as the gazetteer names it."""
    admin2: str | None
    """The district, as the text names it; None when the parenthesis names only the province."""


@dataclass(frozen=True)
class Mentions:
    """Stage 1: what one article's text says, as spans, before anything is looked up."""

    article: Article
    """The article as read; its publication day None when it was implausible."""
    doc: Doc
    """The article's one spaCy parse, its text the article's (``nlp.text``); the trigger cues in
    ``doc.spans["cues"]``."""
    sentences: tuple[SpacySpan, ...]
    """The parse's sentences, in order (walked once: each walk of ``Doc.sents`` visits every token)."""
    dateline: Dateline
    """The article's opening: the report's day it names, and where it ends (``extraction.dateline``)."""
    attributions: tuple[Attribution, ...]
    """The statements found (``extraction.attribution.find_attributions``), their speakers as words."""


@dataclass(frozen=True)
class Resolved:
    """Stage 2: what one article names, resolved: everything event assembly reads.

    Built by ``Pipeline._resolve`` from ``Mentions``; read by ``extraction.events.extract_events``.
    """

    article: Article
    """The article as read; its publication day None when it was implausible."""
    doc: Doc
    """The article's one spaCy parse."""
    sentences: tuple[SpacySpan, ...]
    """The parse's sentences, in order."""
    published: date | None
    """The publication day: the article's, else the one its dateline gives."""
    opening: int
    """Where the dateline ends (0 when there is none): dates before it are the report's."""
    places: tuple[Place, ...]
    """Every place the text names, resolved to the gazetteer, in reading order."""
    focus: str | None
    """ISO 3166-1 alpha-2 code of the country the article is about, None when it names no place."""
    main: Place | None
    """The article's main place: its first town in the focus country, else the first place there."""
    quotes: tuple[Quote, ...]
    """Every attributed statement, its speaker named as the actor base names them where it does."""
    speakers: tuple[ByDay[Actor | None] | None, ...]
    """For each of ``quotes``: the actor its speaker's words name in the main place's country, by the
    event's day; None when the statement has no speaker to look up (unnamed, a pronoun, "nobody")."""
    dates: tuple[DateMention, ...]
    """Every date after the dateline, resolved against ``published`` (``extraction.dates.find_dates``)."""
    entity_dates: Mapping[tuple[int, int], tuple[DateMention, ...]]
    """For each DATE entity of the parse, by its character offsets: its dates read as "in" + its
    words, resolved against ``published`` (offsets into those words)."""
    actors: Mapping[int, SentenceActors]
    """Each sentence's actors, by the sentence's first character."""
    located: Mapping[int, Located | None]
    """Each sentence's place pinned by an administrative parenthesis, by its first character; None
    when it has none the gazetteer knows."""
    iso3: Mapping[str, str | None]
    """ISO 3166-1 alpha-3 code of each alpha-2 code of a place above (None when unknown)."""
    generics: Mapping[tuple[str, str | None], Actor]
    """The unnamed actor of each kind ("armed", "civilians", "protesters", "rioters") in each country an
    event can be given (a place's, an actor's, or None)."""
