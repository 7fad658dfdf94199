"""Where an event happened, from an administrative parenthesis: 'in Bursha village (Cadale, Middle Shabelle)'.

Reports often pin a small place by its district and province in parentheses. The province is
resolved among first-level divisions, then the small place is looked up inside it (exact names,
then transliteration skeletons, which are safe once the search is confined to one province); when
the small place is not in the gazetteer, the district's own town stands in, at ACLED precision 2,
and failing that the province, at precision 3.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sitrep.models import Place, Span
from sitrep.resolve import gazetteer
from sitrep.resolve.gazetteer import Entry
from sitrep.resolve.places import country_name

PARENTHESIS = re.compile(r"\(\s*([^(),;]{2,40}?)\s*(?:,\s*([^(),;]{2,40}?)\s*)?\)")
NAME_BEFORE = re.compile(r"((?:[A-Z][\w'’.-]*|al|el|ad|as)(?:[ -](?:[A-Z][\w'’.-]*|al|el|ad|as|[A-Z]\d+))*)"
                         r"(?:\s+(?:village|town|city|area|district|neighbou?rhood|camp|market|base|locality|"
                         r"settlement|IDP camp))?\s*$")


@dataclass(frozen=True)
class Located:
    """A place found through an administrative parenthesis, with the ACLED precision it supports."""

    place: Place
    precision: int
    admin1: str | None
    admin2: str | None


def parenthetical_place(text: str, sentence: Span, country_code: str | None) -> Located | None:
    """The first 'Place (District, Province)' in the sentence whose province the gazetteer knows."""
    gaz = gazetteer.load()
    for match in PARENTHESIS.finditer(text, sentence.start, sentence.end):
        district, province = (match.group(1), match.group(2)) if match.group(2) else (None, match.group(1))
        region = _best(gaz, province, country_code, None, {"ADM1"})
        if region is None and country_code is not None:  # the article's focus may be wrong: any country
            region = _best(gaz, province, None, None, {"ADM1"})
        if region is None:
            continue
        before = NAME_BEFORE.search(text, max(sentence.start, match.start() - 80), match.start())
        if before:
            found = _best(gaz, before.group(1), region.country_code, region.admin1, None)
            if found is not None:
                return Located(_place(found, _span(text, before.start(1), before.end(1))), 1, region.admin1,
                               district)
        if district:
            town = _best(gaz, district, region.country_code, region.admin1, None)
            if town is not None:
                return Located(_place(town, _span(text, match.start(1), match.end(1))), 2, region.admin1, district)
        end = match.end(2) if match.group(2) else match.end(1)
        start = match.start(2) if match.group(2) else match.start(1)
        return Located(_place(region, _span(text, start, end)), 3, region.admin1, district)
    return None


def _best(gaz: gazetteer.Gazetteer, name: str, country: str | None, admin1: str | None,
          features: set[str] | None) -> Entry | None:
    """The most populous entry of that name within the country (and province), exact names first."""
    key = gazetteer.name_key(name)
    for rows in (gaz.lookup(name), gaz.lookup_skeleton(gazetteer.skeleton_key(key)) if admin1 else ()):
        entries = [gaz.entry(r) for r in rows]
        entries = [e for e in entries if (country is None or e.country_code == country)
                   and (admin1 is None or e.admin1 == admin1)
                   and (features is None or e.feature_code in features)]
        if entries:
            return max(entries, key=lambda e: e.population)
    return None


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def _place(entry: Entry, mention: Span) -> Place:
    return Place(mention=mention, name=entry.name, latitude=entry.latitude, longitude=entry.longitude,
                 geonameid=entry.geonameid, country_code=entry.country_code,
                 country=country_name(entry.country_code) if entry.country_code else None,
                 admin1=entry.admin1, admin2=entry.admin2, feature_code=entry.feature_code,
                 population=entry.population)
