"""The plain data that moves between sitrep's stages.

Every stage takes and returns these frozen dataclasses; JSON appears only at the edges
(``Event.to_dict`` for output, ``store`` and ``export`` for files and databases).
Offsets are Python string indices into ``Article.text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Span:
    """A stretch of an article's text."""

    start: int
    """Offset of the first character."""
    end: int
    """Offset one past the last character."""
    text: str
    """``article.text[start:end]``, kept so a span can be read on its own."""

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Article:
    """One news report, whatever file or feed it came from."""

    id: str
    """Stable id: the record's own id, else derived from the file name and content."""
    text: str
    """The article body (for HTML: the extracted main text)."""
    title: str | None = None
    published: date | None = None
    """Publication day, from metadata, a dateline or ``--published``; None when unknown."""
    url: str | None = None
    outlet: str | None = None
    """The publishing outlet (site name or feed title), the source of last resort."""
    language: str = "en"


@dataclass(frozen=True)
class Place:
    """A place mention resolved to the gazetteer."""

    mention: Span
    """The words that named it."""
    name: str
    """Canonical name (GeoNames' name, English where the gazetteer has one)."""
    latitude: float
    longitude: float
    geonameid: int | None
    country_code: str | None
    """ISO 3166-1 alpha-2."""
    country: str | None
    """English short name of the country ("Syria")."""
    admin1: str | None
    """First-level division, English name ("Aleppo")."""
    admin2: str | None
    feature_code: str
    """GeoNames feature code: PPL*, ADM1, ADM2, PCLI, ..."""
    population: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The record ``sitrep geoparse`` prints (without ``article_id``)."""
        return {"start": self.mention.start, "end": self.mention.end, "text": self.mention.text,
                "geonameid": self.geonameid, "name": self.name, "latitude": self.latitude,
                "longitude": self.longitude, "country_code": self.country_code, "admin1": self.admin1,
                "feature_code": self.feature_code}

    @property
    def geo_precision(self) -> int:
        """ACLED geo precision of an event located here: 1 town, 2 district, 3 region or country."""
        if self.feature_code.startswith("PPL") or self.feature_code in {"ADM3", "ADM4", "PPLX"}:
            return 1
        if self.feature_code == "ADM2":
            return 2
        return 3


@dataclass(frozen=True)
class Actor:
    """An actor resolved to the knowledge base, in ACLED's naming."""

    name: str
    """Canonical name: 'Hayat Tahrir al-Sham', 'Military Forces of Syria (2000-2024)'."""
    inter: str
    """ACLED inter code: 'State forces', 'Rebel group', ... 'Civilians', 'External/Other forces'."""
    country: str | None = None
    """Country the actor belongs to or operates in, English short name."""
    mention: Span | None = None
    """The words that named it, when it came from the text."""


@dataclass(frozen=True)
class ActorMention:
    """An actor named in a text."""

    span: Span
    """Offsets into the text given to ``find`` (shifted by its ``offset``)."""
    actor: Actor
    """The resolved actor, with ``mention=span``."""
    generic: bool
    """True for unnamed references ("gunmen", "the army") resolved through the event country."""


@dataclass(frozen=True)
class Fatalities:
    """Deaths reported for one event, ACLED's single figure and UCDP's range."""

    fatalities: int
    """ACLED: the most conservative credible figure."""
    low: int
    """UCDP low."""
    best: int | None = None
    """UCDP best."""
    high: int | None = None
    """UCDP high."""
    civilians: int | None = None
    side_1: int | None = None
    """Deaths of state forces and their allies (the record gives them as the state's side's)."""
    side_2: int | None = None
    """Deaths of non-state armed groups."""
    evidence: tuple[Span, ...] = ()
    """The number words the figures were read from."""
    floor: bool = False
    """The figure is a lower bound ("at least 30", "more than 30", five bodies found so far): a figure
    told later at or above it refines it rather than contradicting it."""


NO_FATALITIES = Fatalities(0, 0, 0, 0)
STATE_FORCES = "State forces"
"""ACLED's inter code of a state's military and police (codebook, Actors)."""


@dataclass(frozen=True)
class Source:
    """Who reports an event, and how."""

    name: str
    kind: str = "media"
    """One of: monitor, government, armed group, media, international organisation, expert, witness, other."""
    claim: str = "reported"
    """One of: reported, claimed, confirmed, denied."""
    mention: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "claim": self.claim}


@dataclass(frozen=True)
class Quote:
    """An attributed statement: who said what, with the cue that says so."""

    source: Span | None
    """The speaker's words ('the Syrian Observatory for Human Rights'), None when unnamed."""
    actor: str | None
    """The speaker resolved to a canonical name, when it could be."""
    cue: Span
    """'said', 'according to', 'warned', ..."""
    content: Span
    """What was said."""

    def to_dict(self) -> dict[str, Any]:
        """The record ``sitrep quotes`` prints (without ``article_id``)."""
        source = {**self.source.to_dict(), "actor": self.actor} if self.source else None
        return {"source": source, "cue": self.cue.to_dict(), "content": self.content.to_dict()}


@dataclass(frozen=True)
class Event:
    """One coded event, ACLED's fields plus UCDP's fatality range and its evidence."""

    event_id: str
    """16 hex digits, stable: a digest of the article id, the offset of the event's first sentence and
    its sub-type (the same article read again gives the same ids)."""
    article_id: str
    """``Article.id`` of the report it was read from."""
    event_date: date | None
    """The day it happened; None when neither the text nor a publication date dates it (then
    ``time_precision`` is 3). Never a stand-in day."""
    time_precision: int
    """ACLED time precision: 1 the day is known, 2 the week or a few days, 3 the month or less."""
    event_type: str
    """One of ACLED's 6 event types ("Battles", "Explosions/Remote violence", ...)."""
    sub_event_type: str
    """One of ACLED's 25 sub-event types ("Armed clash", "Air/drone strike", ...)."""
    actor1: Actor
    """The initiator, in ACLED's naming (an unidentified armed group when none is named)."""
    actor2: Actor | None
    """The other party or the target, None when the event has none (a peaceful protest)."""
    place: Place | None
    """Where it happened; None when only the country is known (``country`` below then holds it)."""
    country: str
    """English short name of the country, ACLED's spelling; empty when unknown."""
    latitude: float | None
    """WGS84 latitude of ``place``; None when the text names no place. Never a stand-in point."""
    longitude: float | None
    """WGS84 longitude of ``place``, None with ``latitude``."""
    geo_precision: int
    """ACLED geo precision: 1 the town itself, 2 near it or its district, 3 the province or country."""
    fatalities: Fatalities
    """Deaths reported: ACLED's conservative figure and UCDP's low, best and high."""
    sources: tuple[Source, ...]
    """Who reported it: the speakers of the statements that cover it, else the outlet."""
    evidence: tuple[Span, ...]
    """The sentences it was read from, in reading order."""
    notes: str
    """One ACLED-style sentence: who did what, where, with what toll, according to whom."""
    confidence: float
    """0.05 to 0.99: the trigger's weight, raised by a date, a town, a named actor and a toll read
    with it, lowered when the day is not the text's own."""
    date_end: date | None = None
    """The last day of an event told as lasting several days, else None."""
    assoc_actor_1: tuple[str, ...] = ()
    """Names of the actors on ``actor1``'s side."""
    assoc_actor_2: tuple[str, ...] = ()
    """Names of the actors on ``actor2``'s side."""
    civilian_targeting: bool = False
    """ACLED's civilian targeting: civilians were the target (violence against civilians, or civilians
    as ``actor2``)."""
    iso3: str | None = None
    """ISO 3166-1 alpha-3 code of the place's country, None when no place is known."""
    admin1: str | None = None
    """First-level division of the place (English name), None when unknown."""
    admin2: str | None = None
    """Second-level division of the place, None when unknown."""
    location: str = ""
    """The place's name as ACLED writes a location; empty when no place is known."""
    article_ids: tuple[str, ...] = field(default=())
    """Every article reporting the event once the store has fused reports; empty for one article
    (then ``article_id`` alone)."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON record of ``event.schema.json``."""
        f = self.fatalities
        side_1, side_2 = _sides(f, self.actor1, self.actor2)
        return {
            "event_id": self.event_id,
            "article_id": self.article_id,
            "article_ids": list(self.article_ids or (self.article_id,)),
            "event_date": self.event_date.isoformat() if self.event_date else None,
            "date_end": self.date_end.isoformat() if self.date_end else None,
            "time_precision": self.time_precision,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "actor1": self.actor1.name,
            "assoc_actor_1": list(self.assoc_actor_1),
            "inter1": self.actor1.inter,
            "actor2": self.actor2.name if self.actor2 else None,
            "assoc_actor_2": list(self.assoc_actor_2),
            "inter2": self.actor2.inter if self.actor2 else None,
            "civilian_targeting": self.civilian_targeting,
            "country": self.country,
            "iso3": self.iso3,
            "admin1": self.admin1,
            "admin2": self.admin2,
            "location": self.location,
            "geonameid": self.place.geonameid if self.place else None,
            "latitude": _coordinate(self.latitude),
            "longitude": _coordinate(self.longitude),
            "geo_precision": self.geo_precision,
            "fatalities": f.fatalities,
            "fatalities_low": f.low,
            "fatalities_best": f.best,
            "fatalities_high": f.high,
            "deaths_civilians": f.civilians,
            "deaths_side_1": side_1,
            "deaths_side_2": side_2,
            "sources": [s.to_dict() for s in self.sources],
            "evidence": [s.to_dict() for s in self.evidence],
            "notes": self.notes,
            "confidence": round(self.confidence, 3),
        }


def _sides(f: Fatalities, actor1: Actor, actor2: Actor | None) -> tuple[int | None, int | None]:
    """(deaths of actor1's side, deaths of actor2's side) from the state forces' and the armed groups'
    dead the text counts: the state's dead are the state's side's, the armed groups' the other side's;
    None for both when both sides are states or both are not (the words do not say whose dead)."""
    state_1 = actor1.inter == STATE_FORCES
    state_2 = actor2 is not None and actor2.inter == STATE_FORCES
    if state_1 and not state_2:
        return f.side_1, f.side_2
    if state_2 or (not state_1 and actor2 is None):
        return f.side_2, f.side_1
    return None, None


COORDINATE_DECIMALS = 4
"""Decimals of published coordinates, as ACLED publishes them (about 11 m)."""


def _coordinate(value: float | None) -> float | None:
    return None if value is None else round(value, COORDINATE_DECIMALS)
