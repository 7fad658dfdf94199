"""Where an event happened: which of a sentence's places is the scene, and which place stands in
when the sentence names none.

A sentence names places for many reasons. The scene is in the article's country, after a locative
preposition ("in", "near", "outside"), as precise as the text allows. Not the scene: a demonym
("Syrian army"), the seat of a source ("the Britain-based Observatory", "based in London"), a
dateline ("BEIRUT (Reuters)"), where a statement was made ("the ministry in Moscow said"), an
affiliation ("backed by Turkey"), a country in an actor's name ("US forces"), a small namesake abroad, or a
region across countries ("the Middle East").

The words read around a place's name (a locative preposition before it, "based in", "backed by", a
verb of saying or "forces" after it, "near") are word lists of ``sitrep/data/<language>/places.yaml``,
matched once per document by the ``word_cues`` component (``extraction.words``); this module reads
their spans.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from spacy.tokens import Doc

from sitrep import nlp
from sitrep.extraction import words
from sitrep.lexicon import read
from sitrep.models import Place, Span

MINOR_TOWN = 100_000
"""Towns smaller than this outside the article's country are not taken as an event's place."""
FILING_MIN_CHARS = 4
"""Shorter capitalised names are acronyms ('UAE', 'DRC'), not datelines."""
PRECISION_RANK = {1: 0, 2: 1, 3: 2}
DIVISION_HEADS = frozenset({"province", "governorate", "state", "region", "district", "county", "oblast",
                            "prefecture", "department", "city", "town", "village"})
"""Words after a name that make it a place's own name ("Idlib province"), never a demonym."""
BROAD_REGION_CODES = frozenset({"CONT", "RGN", "OCN"})
"""Feature codes of places that span countries (seas and gulfs stay: events at sea are coded there)."""
SPEAKER_WORDS = 2
"""Most words between a place's name and a verb of saying after it (``speech_after``: "the ministry in
Moscow said", "in Moscow officials said"): the place is where a statement was made."""
LOCATIVE_CHARS = 12
"""How far before a place's name a locative preposition is looked for (``locative``: "in", "towards the")."""
SEAT_CHARS = 40
"""How far before a place's name the words of a source's seat or a supporter are looked for
(``based_in``: "headquartered in the"; ``affiliation``: "backed by")."""
AFTER_CHARS = 80
"""How far after a place's name an actor's noun or a verb of saying is looked for (``forces_after``:
"US forces"; ``speech_after``, two words between)."""
APPROXIMATE_CHARS = 60
"""How far before a place's name the words that put an event near it are looked for (``approximate_before``:
"30 km east of the town of")."""


def compatible(a: Place | None, b: Place | None) -> bool:
    """Whether two places can be the same event's: the same, or one the country or province holding the other."""
    if a is None or b is None:
        return a is b
    if a.geonameid == b.geonameid:
        return True
    wide, narrow = (a, b) if a.geo_precision >= b.geo_precision else (b, a)
    if wide.country_code != narrow.country_code or wide.geo_precision == narrow.geo_precision:
        return False
    return wide.feature_code == "PCLI" or (wide.feature_code == "ADM1" and wide.admin1 == narrow.admin1)


def nearby_place(doc: Doc, span: Span, country: Place | None, places: Sequence[Place],
                 main: Place | None) -> Place | None:
    """For an event placed only in a country: the closest town or province of that country named in
    the same paragraph as a place (not a source's seat nor an actor's name: ``_scene_candidate``),
    else the article's main place there ("killed 20 in Syria" under an Aleppo story)."""
    text = nlp.text(doc)
    start = text.rfind("\n", 0, span.start) + 1
    end = text.find("\n", span.end)
    end = len(text) if end < 0 else end
    code = country.country_code if country else (main.country_code if main else None)
    near = [p for p in places if start <= p.mention.start < end and p.country_code == code
            and (p.geo_precision < 3 or p.feature_code == "ADM1") and _scene_candidate(doc, text, p)]
    if near:
        return min(near, key=lambda p: (abs(p.mention.start - span.start), p.geo_precision))
    return main if main is not None and main.country_code == code and main.geo_precision < 3 else None


def event_places(doc: Doc, span: Span, places: Sequence[Place], focus: str | None) -> list[Place]:
    """The places in a sentence where an event could be, best first: in the article's country,
    after a locative preposition, most precise.

    Demonyms ("Syrian army") name an actor's country, not a location, and a place after
    "based in" (or before "-based") is where a source sits, so neither locates the event.
    """
    text = nlp.text(doc)
    found = []
    for place in places:
        if not span.start <= place.mention.start < span.end or not _scene_candidate(doc, text, place):
            continue
        if focus is not None and place.country_code != focus and (
                _minor(place) or not words.ending_at(doc, "locative", place.mention.start, LOCATIVE_CHARS)):
            continue  # a small namesake abroad, or a name abroad no preposition makes a place ("Qatar Red
            # Crescent", "Western powers"), is likelier a misreading than the scene of the event
        found.append(place)
    return sorted(found, key=lambda p: (focus is not None and p.country_code != focus,
                                        not words.ending_at(doc, "locative", p.mention.start, LOCATIVE_CHARS),
                                        PRECISION_RANK[p.geo_precision]))


def _scene_candidate(doc: Doc, text: str, place: Place) -> bool:
    """Whether a place mention can be where something happened: not a demonym, a region across
    countries, a source's seat ("based in", "-based"), a supporter ("backed by"), an actor's name
    ("US forces", "its Damascus ally"), a dateline or where a statement was made."""
    if _demonym(doc, place) or _broad_region(place):
        return False
    start, after = place.mention.start, place.mention.end
    if (words.ending_at(doc, "based_in", start, SEAT_CHARS, space=False)
            or words.ending_at(doc, "affiliation", start, SEAT_CHARS)
            or words.starting_at(doc, "forces_after", after, AFTER_CHARS, space=False)
            or text.startswith("-based", after)):
        return False
    return not (_filing_place(text, place) or words.starting_at(doc, "speech_after", after, AFTER_CHARS,
                                                                 words=SPEAKER_WORDS))


def _broad_region(place: Place) -> bool:
    """A continent, an ocean or a region across countries ("the Middle East", "the Sahel"): no event's
    place, which ACLED codes within one country."""
    return place.country_code is None and place.feature_code in BROAD_REGION_CODES


def _filing_place(text: str, place: Place) -> bool:
    """A dateline's city, in capitals in mixed-case text ('MOSCOW (Sputnik)', 'BEIRUT Syrian ...')."""
    words = place.mention.text
    return (len(words) >= FILING_MIN_CHARS and words.isupper()
            and any(c.islower() for c in text[place.mention.end:place.mention.end + 40]))


def _minor(place: Place) -> bool:
    """A town, not a capital, smaller than ``MINOR_TOWN``."""
    return place.feature_code.startswith("PPL") and place.feature_code != "PPLC" and place.population < MINOR_TOWN


def _demonym(doc: Doc, place: Place) -> bool:
    """'Syrian', 'Turkish', 'Iranians': a country or region named by its people's word."""
    own_name = re.search(rf"\b{re.escape(_words(place.name))}\b", _words(place.mention.text), re.IGNORECASE)
    if place.feature_code not in {"PCLI", "ADM1", "RGN"} or own_name:
        return False  # "Homs province" names the province itself
    words = doc.char_span(place.mention.start, place.mention.end, alignment_mode="expand")
    if words is None or (len(words) > 1 and words[-1].lower_ in DIVISION_HEADS):
        return False  # "Idlib province" under another spelling of the province's name
    return words.root.ent_type_ == "NORP" or words.root.pos_ in {"ADJ", "NOUN"}


def _words(name: str) -> str:
    """A name with hyphens as spaces ("Deir Ez-Zor" and "Deir ez Zor" are one name)."""
    return " ".join(re.split(r"[\s\-‐-‒–]+", name))


def main_place(doc: Doc, places: Sequence[Place], focus: str | None) -> Place | None:
    """The article's main place: its first town in the focus country named as a place (not a
    source's seat nor an actor's name: ``_scene_candidate``), else the first such place there."""
    if focus is None:
        return None
    text = nlp.text(doc)
    in_focus = [p for p in places if p.country_code == focus and _scene_candidate(doc, text, p)]
    cities = [p for p in in_focus if p.geo_precision == 1]
    return next(iter(cities or in_focus), None)


@cache
def _settlement_words(language: str) -> frozenset[str]:
    entry = read(language, "places.yaml")["settlement_words"]
    return frozenset(entry["words"] + entry["plurals"])


def named_settlements(doc: Doc, span: Span, language: str = "en") -> frozenset[str]:
    """The names a sentence calls settlements ("in the town of Maarrat Masrin", "the towns of X and Y":
    ``settlement_words``), lower-cased: each a place of its own, whether or not a gazetteer knows it (ACLED codes every
    location apart, codebook section Where)."""
    words = _settlement_words(language)
    names = set()
    tokens = doc.char_span(span.start, span.end, alignment_mode="expand")
    for tok in tokens if tokens is not None else ():
        if tok.lower_ not in words or tok.i + 2 >= len(doc) or doc[tok.i + 1].lower_ != "of":
            continue
        name = []
        for word in doc[tok.i + 2:min(len(doc), tok.i + 6)]:
            if not (word.is_alpha or "-" in word.text) or not word.text[0].isupper():
                break
            name.append(word.lower_)
        if name:
            names.add(" ".join(name))
    return frozenset(names)


def near_not_in(doc: Doc, place: Place) -> bool:
    """Whether the words just before ``place``'s mention put the event near it, not in it ("near
    Garissa", "30 km east of Mayadin", "between X and Y"; ``approximate_before``): ACLED's
    geo_precision 2 (codebook, Where)."""
    return any(words.ending_at(doc, name, place.mention.start, APPROXIMATE_CHARS)
               for name in ("approximate_before", "approximate_figure"))
