"""What the stages may ask of the knowledge bases: small interfaces, and in-memory implementations.

Extraction (``sitrep.extraction``) finds words; resolving them to the actor knowledge base or the
gazetteer is the resolvers' work (``sitrep.resolve``). Only the pipeline's resolve stage
(``Pipeline._resolve``) calls a resolver: extraction never imports one and event assembly reads what
was resolved (``sitrep.stages.Resolved``). The pipeline is given resolvers typed by the protocols
below, so that it can be run and tested with a small in-memory resolver instead of the shipped
knowledge bases (the shipped ones: ``resolve.actors.ActorBase`` and ``resolve.places.GazetteerPlaces``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Protocol

from sitrep.models import Actor, ActorMention, Place, Span

__all__ = ["ActorResolver", "InMemoryActors", "InMemoryPlaces", "PlaceResolver"]


class ActorResolver(Protocol):
    """Names in text to actors in ACLED's naming (shipped: ``resolve.actors.ActorBase``)."""

    def find(self, text: str, country: str | None = None, when: date | None = None,
             offset: int = 0) -> list[ActorMention]:
        """Every actor named in ``text``, in reading order, without overlaps; spans shifted by ``offset``.
        ``country`` is the event's country (generic references such as "the army" need it), ``when``
        the event's day (state forces are named by their government period)."""
        ...

    def resolve(self, name: str, country: str | None = None, when: date | None = None) -> Actor | None:
        """The actor one name means, None when it names none."""
        ...

    def changes(self, text: str, country: str | None = None) -> tuple[date, ...]:
        """The days from which ``find`` or ``resolve`` of ``text`` in ``country`` may read differently
        (a government period begins, a group is founded or dissolved), ascending; a superset will do.
        None: they read the same on every day, and when the day is unknown. The resolve stage resolves
        names once for every day with it (``stages.by_day``)."""
        ...

    def generic(self, kind: str, country: str | None) -> Actor:
        """The actor for an unnamed reference of ``kind`` ("armed", "civilians", "protesters",
        "rioters") in ``country``."""
        ...


class PlaceResolver(Protocol):
    """Place names to gazetteer places (shipped: ``resolve.places.GazetteerPlaces``)."""

    def best(self, name: str, country_code: str | None = None, admin1: str | None = None,
             features: frozenset[str] | None = None) -> Place | None:
        """The most populous place called ``name`` within the country (ISO 3166-1 alpha-2) and first-level
        division when given, of one of ``features`` (GeoNames feature codes) when given; its ``mention``
        is ``name`` at offset 0, for the caller to replace with the words that named it."""
        ...

    def iso3(self, country_code: str) -> str | None:
        """ISO 3166-1 alpha-3 code of an alpha-2 code, None when unknown."""
        ...


@dataclass(frozen=True)
class InMemoryActors:
    """An ``ActorResolver`` over a few actors given by their aliases, for tests.

    ``aliases`` maps words, matched whole and case-insensitively, to the actor they name; ``generic``
    lists the aliases that are unnamed references ("gunmen"). Generic actors are named as the shipped
    base names them ("Unidentified Armed Group (Syria)").
    """

    aliases: Mapping[str, Actor]
    """Alias -> actor."""
    generics: frozenset[str] = field(default=frozenset())
    """The aliases that are unnamed references."""

    def find(self, text: str, country: str | None = None, when: date | None = None,
             offset: int = 0) -> list[ActorMention]:
        found: list[ActorMention] = []
        taken: list[tuple[int, int]] = []
        for alias in sorted(self.aliases, key=len, reverse=True):
            for match in re.finditer(rf"\b{re.escape(alias)}\b", text, re.IGNORECASE):
                if any(match.start() < end and start < match.end() for start, end in taken):
                    continue
                taken.append(match.span())
                span = Span(match.start() + offset, match.end() + offset, match.group())
                found.append(ActorMention(span, replace(self.aliases[alias], mention=span), alias in self.generics))
        return sorted(found, key=lambda m: m.span.start)

    def resolve(self, name: str, country: str | None = None, when: date | None = None) -> Actor | None:
        mentions = self.find(name, country, when)
        return replace(mentions[0].actor, mention=None) if mentions else None

    def changes(self, text: str, country: str | None = None) -> tuple[date, ...]:
        return ()  # its actors have no periods

    def generic(self, kind: str, country: str | None) -> Actor:
        base, inter = GENERIC_NAMES[kind]
        return Actor(f"{base} ({country})" if country else base, inter, country)


GENERIC_NAMES = {"armed": ("Unidentified Armed Group", "Political militia"),
                 "civilians": ("Civilians", "Civilians"),
                 "protesters": ("Protesters", "Protesters"),
                 "rioters": ("Rioters", "Rioters")}
"""The unnamed actors ``InMemoryActors.generic`` gives: name and ACLED inter code."""


@dataclass(frozen=True)
class InMemoryPlaces:
    """A ``PlaceResolver`` over a few places, for tests: exact names, case-insensitive."""

    places: tuple[Place, ...]
    """The places known, each by its ``name``."""
    iso3_codes: Mapping[str, str] = field(default_factory=dict)
    """Alpha-2 -> alpha-3."""

    def best(self, name: str, country_code: str | None = None, admin1: str | None = None,
             features: frozenset[str] | None = None) -> Place | None:
        found = [p for p in self.places if p.name.casefold() == name.casefold()
                 and (country_code is None or p.country_code == country_code)
                 and (admin1 is None or p.admin1 == admin1)
                 and (features is None or p.feature_code in features)]
        if not found:
            return None
        return replace(max(found, key=lambda p: p.population), mention=Span(0, len(name), name))

    def iso3(self, country_code: str) -> str | None:
        return self.iso3_codes.get(country_code)
