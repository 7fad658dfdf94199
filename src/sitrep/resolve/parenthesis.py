"""Where an event happened, from an administrative parenthesis: 'in Bursha village (Cadale, Middle Shabelle)'.

Reports often pin a small place by its district and province in parentheses. The province is
resolved among first-level divisions, then the small place is looked up inside it (exact names,
then transliteration skeletons, which are safe once the search is confined to one province); when
the small place is not in the gazetteer, the district's own town stands in, at ACLED precision 2,
and failing that the province, at precision 3.

The resolve stage looks each sentence's parenthesis up once (``Resolved.located``); event assembly
reads the result.
"""

from __future__ import annotations

import re
from dataclasses import replace

from sitrep.lexicon import read
from sitrep.models import Span
from sitrep.resolvers import PlaceResolver
from sitrep.stages import Located

PARENTHESIS = re.compile(r"\(\s*([^(),;]{2,40}?)\s*(?:,\s*([^(),;]{2,40}?)\s*)?\)")
_NAME = read("en", "places.yaml")["parenthesis_name"]
_PARTICLES = "|".join(map(re.escape, _NAME["particles"]))
NAME_BEFORE = re.compile(rf"((?:[A-Z][\w'’.-]*|{_PARTICLES})(?:[ -](?:[A-Z][\w'’.-]*|{_PARTICLES}|[A-Z]\d+))*)"
                         r"(?:\s+(?:" + "|".join(map(re.escape, _NAME["heads"])) + r"))?\s*$")
"""A small place's name just before the parenthesis: a format (capitalised words, hyphens and the particles
of ``parenthesis_name`` between them, a grid square such as "K4"), then a settlement noun of
``parenthesis_name`` ("village")."""
PROVINCES = frozenset({"ADM1"})
"""GeoNames feature codes of the provinces a parenthesis names last."""


def parenthetical_place(text: str, sentence: Span, country_code: str | None,
                        gaz: PlaceResolver) -> Located | None:
    """The first 'Place (District, Province)' in the sentence whose province ``gaz`` knows."""
    for match in PARENTHESIS.finditer(text, sentence.start, sentence.end):
        district, province = (match.group(1), match.group(2)) if match.group(2) else (None, match.group(1))
        region = gaz.best(province, country_code, None, PROVINCES)
        if region is None and country_code is not None:  # the article's focus may be wrong: any country
            region = gaz.best(province, None, None, PROVINCES)
        if region is None:
            continue
        before = NAME_BEFORE.search(text, max(sentence.start, match.start() - 80), match.start())
        if before:
            found = gaz.best(before.group(1), region.country_code, region.admin1)
            if found is not None:
                return Located(replace(found, mention=_span(text, before.start(1), before.end(1))), 1,
                               region.admin1, district)
        if district:
            town = gaz.best(district, region.country_code, region.admin1)
            if town is not None:
                return Located(replace(town, mention=_span(text, match.start(1), match.end(1))), 2, region.admin1,
                               district)
        end = match.end(2) if match.group(2) else match.end(1)
        start = match.start(2) if match.group(2) else match.start(1)
        return Located(replace(region, mention=_span(text, start, end)), 3, region.admin1, district)
    return None


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])
