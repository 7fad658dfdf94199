"""Finding place mentions in a parsed article and resolving them to the gazetteer.

``geoparse_doc`` runs the cascade:

1. candidate mentions: spaCy's GPE/LOC/FAC entities, gazetteer n-grams over capitalised words
   outside person names (places inside organisation names included), and demonyms ("Syrian");
2. candidates for each mention from the gazetteer (exact normalised name, else consonant skeleton);
3. explicit hierarchy ("Springfield, Illinois", "Atarib, in Aleppo province") and division words;
4. each mention resolved to its best-scoring candidate: population and feature class, plus the votes
   of the article's other names for countries and divisions (nearer names and the lead count more),
   scored twice so that confident names steer ambiguous ones.
"""

from __future__ import annotations

import difflib
import heapq
import itertools
import math
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import TypeVar

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from sitrep import nlp
from sitrep.lexicon import read
from sitrep.models import Place, Span
from sitrep.resolve import gazetteer
from sitrep.resolve.actors import country_names
from sitrep.resolve.gazetteer import Entry, Gazetteer

# Tuning constants, calibrated on the LGL and TR-News development suites (e2e accuracy at 161 km
# and precision), by changing one at a time.
MAX_NGRAM = 5
"""Longest gazetteer n-gram tried, in tokens."""
GAZ_ONLY_MIN_POPULATION = 50_000
"""A capitalised n-gram that spaCy did not tag as a place counts only if it names a country, a
first-level division or a place this populous (smaller ones: too many surnames and common words)."""
GAZ_ONLY_FOCUS_POPULATION = 5_000
"""...or a place this populous in a country/division the article is already about."""
WEIGHT_POPULATION = 1.0
"""Score per decade of population."""
FEATURE_PRIOR = {"PCLI": 6.0, "ADM1": 3.5, "PPLC": 5.0, "CONT": 6.0, "RGN": 4.0, "ADM2": -3.0}
"""Score added by feature code: a bare name usually means a country, a capital or a province, and
rarely a county (which news names with its "County")."""
BOOST_CITY_OVER_DIVISION = 4.0
"""A city this populous beats its own division of the same name ("Aleppo", "New York")..."""
CITY_OVER_DIVISION_POPULATION = 100_000
"""...when it has this many people."""
FOCUS_TEMPERATURE = 2.0
"""Each mention votes for countries with its candidates weighted by 10**(prior / this)."""
BOOST_FOCUS_COUNTRY = 5.0
"""Candidate in the article's focus country."""
BOOST_COUNTRY_MENTIONED = 2.5
"""Candidate in a country the article names."""
BOOST_ADMIN1_MENTIONED = 3.0
"""Candidate in a first-level division the other names point to (times their vote, at most 1)."""
BOOST_ADMIN1_NAMED = 3.0
"""Candidate in a first-level division another name may name ("Georgia" names the US state even
when it resolves to the country), times that name's nearness weight."""
BOOST_ADMIN2_NAMED = 4.0
"""Candidate in a county another mention names ("Paris" near "Henry County")."""
ADMIN1_VOTE_SHARE = 0.5
"""A gazetteer-only n-gram counts as in context when the other names vote this much for its division."""
CONTEXT_PASSES = 2
"""Passes of scoring: the second takes the other names' votes from the first's context-aware scores."""
LEAD_TOKENS = 60
"""The lead (title and first sentence, at least this many tokens) votes at full weight everywhere."""
NEAR_TOKENS = 150
"""Distance in tokens over which another name's vote decays..."""
FAR_WEIGHT = 0.5
"""...down to this share of its weight."""
BOOST_HIERARCHY = 8.0
"""Candidate inside the division or country named right after it ("Springfield, Illinois")."""
BOOST_SUFFIX_TYPE = 6.0
"""Division candidate when the mention says "province", "county", ... ."""
BOOST_EXACT_NAME = 3.0
"""Candidate whose own name (not an alternate or historical name) matches the mention ("Turner" is
an old name of a Chicago suburb, not what a news story means by it)."""
REGION_PRIOR = 9.0
"""Context-free score of the curated regions and water bodies (they carry no population): above
small namesakes ("Middle East", Maryland)."""
BOOST_DOMINANT_ADMIN1 = 3.0
"""Candidate in the division the other names point to most (local news: an article about one state
resolves its small ambiguous names inside it)..."""
DOMINANT_ADMIN1_MARGIN = 1.2
"""...when that division's vote is this many times the runner-up's."""
ANCHOR_MARGIN = 2.0
"""A name whose first-pass best candidate leads by this much anchors the distance-based coherence..."""
ANCHOR_FEATURES = frozenset({"PPL", "PPLC", "ADM2"})
"""...when it is a populated place or a county (a province's or country's point says little)."""
BOOST_PROXIMITY = 5.0
"""Candidate next to an anchor of the article (a namesake near the other places named)..."""
PROXIMITY_KM = 50.0
"""...decaying by e per this many kilometres."""
BOOST_SETTLEMENT_WORD = 6.0
"""Populated-place candidate when the text says "the city of Idlib", "the town of X", "Kaduna city"
(the mirror of ``BOOST_SUFFIX_TYPE``)."""
HEADLINE_CAPITALISED_SHARE = 0.7
"""A sentence whose words are capitalised at least this much is a title-case headline: there a
capitalised word says nothing about being a name, so gazetteer-only n-grams need the context's
support ("Spring Offensive", "Western Somalia", "The Mountain Villages")."""

FOCUS_WEIGHT_LOCATIVE = 2.0
"""How much a place after a locative preposition ("killed in Aleppo", "clashes near Galkayo") says
about the country an article is about, against 1 for a plain mention..."""
FOCUS_WEIGHT_ACTOR = 0.25
"""...a demonym or a place inside an actor phrase ("Turkish shelling", "US forces", "US-led")..."""
FOCUS_WEIGHT_ELSEWHERE = 0.25
"""...a capitals-only dateline ("MOSCOW (Sputnik) -") or where a statement was made ("said in
Washington"): where the reporter or the speaker was, not where things happened."""
SKELETON_MIN_LENGTH = 4
"""Shortest spaCy place entity, in characters, looked up by consonant skeleton when its exact name is
unknown ("Raqa")..."""
SKELETON_MIN_SIMILARITY = 0.6
"""A consonant-skeleton candidate must also share this much of its spelling with the mention
(difflib ratio of the name keys): "Raqa" meets "Raqqa", not every name with the consonants r-k."""

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
BROAD_FEATURES = frozenset({"PCLI", "ADM1", "CONT", "RGN"})
NAME_LABELS = frozenset({"ORG"})
ORGANISATION_WORDS = frozenset({"rights", "watch", "council", "committee", "organisation", "organization", "agency",
                                "ministry", "front", "army", "brigade", "brigades", "movement", "party", "forces",
                                "network", "observatory", "institute", "foundation", "union", "association"})
"""A capitalised word after an n-gram that makes it part of an organisation's name ("Human Rights")."""
BLOCKING_LABELS = frozenset({"PERSON", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL",
                             "ORDINAL", "WORK_OF_ART", "LAW", "EVENT", "PRODUCT", "LANGUAGE"})
CONNECTORS = frozenset({"of", "de", "del", "la", "le", "al", "el", "ez", "az", "as", "ash", "ad", "ar", "an",
                        "-", "du", "des", "da", "do", "dos", "di", "am", "upon", "on", "en", "sur", "y",
                        "'s"})
PART_WORDS = frozenset({"northern", "southern", "eastern", "western", "northeastern", "northwestern",
                        "southeastern", "southwestern", "north-eastern", "north-western", "south-eastern",
                        "south-western"})
"""Compass adjectives before a name that make it a region ("northern Idlib": the province, not the city)."""
NAME_PARTICLES = frozenset({"al", "el", "ez", "az", "as", "ash", "ad", "ar", "an", "at", "ed", "es", "er", "umm",
                            "um", "abu", "bin", "ibn", "bani", "beni", "ould", "ag", "wad"})
"""Particles inside Arabic and Sahelian names: a place name followed by one continues ("Bab al-...")."""
NAME_HEADS = frozenset({"tal", "tall", "tell", "tel", "bab", "jabal", "jebel", "wadi", "ain", "ein", "ras", "kafr",
                        "deir", "dayr", "beit", "bayt", "khirbet", "khirbat", "bir", "qasr", "hay", "hayy", "souq",
                        "suq", "marj", "nahr", "jisr", "qalaat", "burj", "mazraat", "sheikh", "sidi"})
"""Generic words that open Arabic place names ("Tal" hill, "Bab" gate, "Wadi" valley): followed by another
capitalised word, alone they are never the place meant."""
SETTLEMENT_WORDS = frozenset(read("en", "places.yaml")["settlement_words"]["words"])
"""Words that make the name next to them a populated place ("the city of Idlib", "Kaduna city")."""
STREET_WORDS = frozenset({"street", "st", "road", "rd", "avenue", "ave", "drive", "dr", "boulevard", "blvd",
                          "lane", "ln", "pike", "parkway", "pkwy", "terrace", "circle"})
"""A capitalised word after an n-gram that makes it part of a street's name ("Dublin Road")."""
DIVISION_WORDS = frozenset({"province", "governorate", "county", "state", "region", "district", "parish",
                            "oblast", "prefecture", "department", "provinces", "counties", "states"})
STOP_WORDS = frozenset({
    "of", "police", "mobile", "media", "center", "centre", "data", "city", "town", "county", "state",
    "north", "south", "east", "west", "central", "university", "college", "school", "hospital", "church",
    "street", "road", "avenue", "park", "river", "lake", "mount", "island", "beach", "union", "republic",
    "government", "army", "court", "house", "office", "department", "national", "international", "news",
    "post", "times", "tribune", "herald", "daily", "press", "march", "may", "june", "july", "august",
    "april", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "god", "christ",
    "mission", "liberty", "independence", "victory", "unity", "hope", "faith", "grace", "progress",
    "reading", "split", "best", "bar", "nice", "sale", "page", "american", "africa", "orange", "golden",
    "federal", "district", "community", "council", "senate", "congress", "president", "mayor",
    "governor", "minister", "general", "captain", "officer", "chief", "man", "woman", "people", "home",
    "mr", "mrs", "ms", "dr", "st", "sr", "jr", "i", "a", "an", "the", "in", "on", "at", "by", "to", "is",
    "it", "he", "she", "we", "they", "this", "that", "but", "and", "or", "if", "as", "so", "no", "yes",
    "new", "old", "big", "little", "great", "high", "low", "long", "green", "white", "black", "brown",
    "gray", "grey", "red", "rose", "young", "king", "queen", "prince", "bishop", "ha", "oh", "ok",
    "northern", "southern", "eastern", "western", "upper", "lower", "middle", "coast", "valley",
})
"""Lower-cased single words never taken as a place on their own (ambiguous or common)."""
LOCATIVE_WORDS = frozenset({"in", "at", "near", "outside", "inside", "around", "across", "toward", "towards",
                            "into", "throughout", "within"})
"""Prepositions that make the name after them a place where something is or happens."""
PERSON_PLACE_WORDS = frozenset({"in", "near", "toward", "towards", "outside", "from", "at"})
"""After these a name spaCy tags as a person may be a town it does not know ("fighting in Galkayo")."""
WELL_KNOWN_POPULATION = 250_000
"""A city this populous, a capital or a first-level division is well known: tagged as a person outside a
locative phrase ("drones struck Kyiv"), its name is still taken as the place (see ``_person_place_mentions``)."""
WORLD_CAPITAL_POPULATION = 1_000_000
"""A national capital this populous is known the world over: tagged as a person where the article never
uses its name for one, it is the place whatever country the article is about ("Russian drones struck
Kyiv")."""
PERSON_TITLES = frozenset({"mr", "mrs", "ms", "dr", "president", "minister", "gen", "general", "sen", "senator",
                           "rep", "judge", "governor", "mayor", "king", "queen", "prince", "princess", "sheikh",
                           "colonel", "col", "lt", "sgt", "captain", "capt", "pope", "commander", "spokesman",
                           "spokeswoman", "prof", "professor", "rev", "father", "sister", "brother"})
"""Words before a name that make it a person's ("President Juba")."""
ACTOR_WORDS = frozenset({
    "forces", "force", "troops", "army", "military", "soldiers", "jets", "warplanes", "aircraft", "drones",
    "navy", "marines", "police", "government", "officials", "official", "authorities", "embassy",
    "ambassador", "president", "minister", "ministry", "envoy", "delegation", "led", "backed", "coalition",
    "airstrikes", "strikes", "raids", "intelligence", "media", "diplomats", "spokesman", "spokeswoman",
    "regime", "administration", "state", "special", "defense", "defence", "security", "air", "naval",
})
"""Words after a place or demonym that make it part of an actor's name or description ("US forces",
"US-led coalition", "Turkish army")."""
SPEECH_LEMMAS = frozenset({"say", "tell", "announce", "speak", "report", "state", "claim", "add", "confirm",
                           "declare", "insist", "warn", "write"})
"""A locative phrase on one of these verbs says where a statement was made ("said in Moscow")."""
DATELINE_FOLLOWERS = frozenset({"(", ",", "-", "--", "—", "–", ":"})


DEMONYMS: dict[str, str] = {
    word.lower(): iso2
    for iso2, country in country_names().items()
    for word in (*country.adjectives, *country.people)
}
"""Nationality adjectives and nouns -> ISO2 ("Turkish shelling", "Iranians"), from the country table
shared with the actor base (``data/countries.yaml``); plurals in -s and -es are handled by ``_demonym``."""


@dataclass
class _Mention:
    """A candidate mention before resolution."""

    start: int
    end: int
    """Token offsets."""
    rows: tuple[int, ...]
    from_ner: bool
    kind: str = "name"
    """'name', 'demonym', 'division' (the words after it say province/county/...) or 'settlement'
    ("the city of ...")."""
    key: str = ""
    """``name_key`` of the words that named it (without a division word)."""
    parent: tuple[int, ...] = ()
    """Rows of the division or country named right after it."""
    fuzzy: bool = False
    """Its candidates came from the consonant-skeleton fallback, not from an exact name."""
    role: float = 1.0
    """How much it says about the article's country (see ``FOCUS_WEIGHT_*``)."""


class Places(list[Place]):
    """The places of one article in text order, with how much each says about the country the
    article is about (``focus_country`` reads it)."""

    focus_weights: tuple[float, ...] = ()


def geoparse_doc(doc: Doc, focus_country: str | None = None) -> list[Place]:
    """Every place mention in ``doc``, resolved; spans are character offsets into ``doc.text``."""
    gaz = gazetteer.load()
    # 1. candidate mentions, with what each says about the article's country
    mentions = _ner_mentions(doc, gaz) + _demonym_mentions(doc, gaz)
    _mark_roles(doc, mentions)
    exact = [m for m in mentions if not m.fuzzy]
    whole = _context(_names(gaz, doc, exact, None), None, focus_country)
    if whole.focus is None:  # no exact name to go by: the skeleton matches agreeing on a country
        whole = _context(_names(gaz, doc, mentions, None), None, None)
    mentions = exact + _supported_fuzzy(gaz, [m for m in mentions if m.fuzzy], whole)
    taken = {i for m in mentions for i in range(m.start, m.end)}
    mentions += _gazetteer_mentions(doc, gaz, taken, whole)
    taken = {i for m in mentions for i in range(m.start, m.end)}
    mentions += _person_place_mentions(doc, gaz, taken, _names(gaz, doc, mentions, None), focus_country)
    taken = {i for m in mentions for i in range(m.start, m.end)}
    mentions += _repeated_mentions(doc, gaz, mentions, taken)
    mentions = [m for m in mentions if not _opens_longer_name(doc, m)]
    mentions.sort(key=lambda m: m.start)
    _mark_roles(doc, mentions)
    # 2-3. division and settlement words, hierarchy; the context comes in step 4, from every other name
    _extend_division_words(doc, mentions)
    mentions = sorted(mentions + _capital_mentions(gaz, doc, mentions), key=lambda m: m.start)
    _mark_settlement_words(doc, mentions)
    _mark_part_words(doc, mentions)
    _link_hierarchy(doc, mentions)
    # 4. resolution
    entries = _resolve(gaz, doc, mentions, focus_country)
    places = Places(_place(doc, m, e) for m, e in zip(mentions, entries, strict=True))
    places.focus_weights = tuple(m.role for m in mentions)
    return places


def focus_country(places: Sequence[Place]) -> str | None:
    """ISO2 of the country the article is mostly about: the country its places are in, each place
    weighted by what it says about the focus (a place after "in" or "near" more, a demonym, an actor
    phrase like "US forces" or a "MOSCOW (Sputnik) -" dateline less); ties to the one named first."""
    weights = places.focus_weights if isinstance(places, Places) else ()
    if len(weights) != len(places):
        weights = tuple(_text_role(p) for p in places)
    counts: defaultdict[str, float] = defaultdict(float)
    for p, w in zip(places, weights, strict=True):
        if p.country_code:
            counts[p.country_code] += w
    if not counts:
        return None
    best = max(counts.values())
    return next(p.country_code for p in places if p.country_code and counts[p.country_code] == best)


def _text_role(place: Place) -> float:
    """What a place's own words say about the focus, for places not from ``geoparse_doc``."""
    text = place.mention.text
    if _demonym(text.lower()):
        return FOCUS_WEIGHT_ACTOR
    if place.mention.start < LEAD_TOKENS and text.isupper() and len(text) > 3:
        return FOCUS_WEIGHT_ELSEWHERE
    return 1.0


def country_name(code: str) -> str | None:
    """English short name of a country, ACLED style, from its ISO2 or ISO3 code."""
    country = _country(code)
    return country.name if country else None


def country_iso3(code: str) -> str | None:
    """ISO3 code of a country from its ISO2 (or ISO3) code."""
    country = _country(code)
    return country.iso3 if country else None


def _country(code: str) -> gazetteer.Country | None:
    countries = gazetteer.load().countries
    code = code.upper()
    if code in countries:
        return countries[code]
    return next((c for c in countries.values() if c.iso3 == code), None)


# --- 1. detection ----------------------------------------------------------------------------------

def _ner_mentions(doc: Doc, gaz: Gazetteer) -> list[_Mention]:
    """spaCy's place entities, split at commas, trimmed of "the" and of division words."""
    out: list[_Mention] = []
    for ent in doc.ents:
        if ent.label_ not in PLACE_LABELS:
            continue
        for part in _split_commas(ent):
            mention = _lookup_span(gaz, _extended(gaz, part), from_ner=True)
            if mention:
                out.append(mention)
    return out


def _extended(gaz: Gazetteer, span: SpacySpan) -> SpacySpan:
    """The entity with the capitalised words after it that spaCy left out, when the gazetteer knows
    the longer name ("Tal" + "Abyad": Tal Abyad, not At Tall)."""
    doc = span.doc
    if any(gaz.entry(r).feature_code in BROAD_FEATURES for r in gaz.lookup(span.text)):
        return span  # a country or province is not the head of a longer name ("U.S. Secretary")
    end = span.end
    while (end < min(len(doc), span.end + 2) and _capitalised(doc[end]) and doc[end].ent_iob_ == "O"
           and doc[end].lower_ not in STOP_WORDS and doc[end].lower_ not in ACTOR_WORDS):
        end += 1
    for stop in range(end, span.end, -1):
        if gaz.lookup(doc[span.start:stop].text):
            return doc[span.start:stop]
    return span


def _split_commas(ent: SpacySpan) -> list[SpacySpan]:
    parts, start = [], ent.start
    for tok in ent:
        if tok.text in {",", "/"}:
            parts.append(ent.doc[start:tok.i])
            start = tok.i + 1
    parts.append(ent.doc[start:ent.end])
    return [p for p in parts if len(p)]


def _lookup_span(gaz: Gazetteer, span: SpacySpan, from_ner: bool) -> _Mention | None:
    """A mention for a span: the whole span, else without a division word, else its skeleton."""
    while len(span) > 1 and span[0].lower_ in {"the", "'s"}:
        span = span[1:]
    while len(span) > 1 and span[-1].lower_ in {"'s", "-", "."}:
        span = span[:-1]
    rows = _lookup(gaz, span)
    kind = "name"
    if len(span) > 1 and span[-1].lower_ in DIVISION_WORDS:
        kind = "division"
        rows = rows or _lookup(gaz, span[:-1])
    key = gazetteer.name_key(span[:-1].text if kind == "division" else span.text)
    fuzzy = (not rows and from_ner and len(span.text) >= SKELETON_MIN_LENGTH
             and key not in gazetteer.GENERIC_NAMES and key not in gazetteer.country_acronyms())
    if fuzzy:
        rows = tuple(r for r in gaz.lookup_skeleton(span.text) if _similar(key, gaz.entry(r).name))
    if not rows:
        return None
    return _Mention(span.start, span.end, rows, from_ner, kind, key, fuzzy=fuzzy)


def _lookup(gaz: Gazetteer, span: SpacySpan) -> tuple[int, ...]:
    """Exact gazetteer rows of a span; a state's abbreviation counts only written as one: with its
    period or after a comma ("Springfield, Mass."), not the word "Mass" in "Mass killing"; a country's
    acronym ("CAR", "C.A.R.") names only that country when written in capitals, and never otherwise
    ("Car"); a generic region word (``gazetteer.GENERIC_NAMES``: "the Gulf", "the Pacific") names no
    town or division."""
    rows = gaz.lookup(span.text)
    key = gazetteer.name_key(span.text)
    if rows and key in _ABBREVIATION_KEYS and not _written_as_abbreviation(span):
        rows = tuple(r for r in rows if gazetteer.name_key(gaz.entry(r).name) == key
                     or gaz.entry(r).feature_code != "ADM1")
    acronym = gazetteer.country_acronyms().get(key)
    if acronym in gaz.countries:
        country = gaz.countries[acronym].row
        rows = (country,) if gazetteer.is_acronym(span.text) else tuple(r for r in rows if r != country)
    if rows and key in gazetteer.GENERIC_NAMES:
        rows = tuple(r for r in rows if gaz.entry(r).feature_code in gazetteer.REGION_CODES)
    return rows


_ABBREVIATION_KEYS = frozenset(gazetteer.name_key(a) for a in gazetteer.US_STATE_ABBREVIATIONS.values())


def _written_as_abbreviation(span: SpacySpan) -> bool:
    doc = span.doc
    after = doc[span.end].text if span.end < len(doc) else ""
    before = doc[span.start - 1].text if span.start > 0 else ""
    return span.text.endswith(".") or after.startswith(".") or before == "," or span.text.isupper()


def _similar(key: str, name: str) -> bool:
    """Whether a skeleton candidate is spelt close enough to the mention (``SKELETON_MIN_SIMILARITY``)."""
    return difflib.SequenceMatcher(None, key, gazetteer.name_key(name)).ratio() >= SKELETON_MIN_SIMILARITY


def _supported_fuzzy(gaz: Gazetteer, mentions: list[_Mention], context: _Context) -> list[_Mention]:
    """Skeleton matches keep only the candidates the article's exact names support: in its focus
    country or in a division it names. A village of one country spelt like a town of another
    ("Kuriga" in Kaduna State, "Caraga" in the Philippines) is not a place elsewhere, and where the
    article's names point to one division of the country, neither is a small place of another division."""
    out = []
    for m in mentions:
        rows = tuple(r for r in m.rows if _supports(context, e := gaz.entry(r))
                     and not _small_place_elsewhere(context, e))
        if rows:
            m.rows = rows
            out.append(m)
    return out


def _demonym_mentions(doc: Doc, gaz: Gazetteer) -> list[_Mention]:
    """Nationality words ("Syrian", "Iranians") as mentions of their country."""
    out = []
    for tok in doc:
        if not tok.is_title and not tok.is_upper:
            continue
        iso2 = _demonym(tok.lower_)
        if iso2 and iso2 in gaz.countries and not (tok.ent_type_ in PLACE_LABELS and tok.ent_iob_ != "B"):
            out.append(_Mention(tok.i, tok.i + 1, (gaz.countries[iso2].row,), True, "demonym"))
    return out


def _demonym(word: str) -> str | None:
    for form in (word, word[:-1] if word.endswith("s") else "", word[:-2] if word.endswith("es") else ""):
        if form in DEMONYMS:
            return DEMONYMS[form]
    return None


def _gazetteer_mentions(doc: Doc, gaz: Gazetteer, taken: set[int], context: _Context) -> list[_Mention]:
    """Capitalised n-grams the gazetteer knows, outside person names and already found mentions."""
    out = []
    i = 0
    while i < len(doc):
        found = _longest_match(doc, gaz, i, taken, context)
        if found:
            out.append(found)
            i = found.end
        else:
            i += 1
    return out


def _longest_match(doc: Doc, gaz: Gazetteer, i: int, taken: set[int], context: _Context) -> _Mention | None:
    if not _can_start(doc[i], taken):
        return None
    best = None
    for j in range(i + 1, min(len(doc), i + MAX_NGRAM) + 1):
        last = doc[j - 1]
        if last.i in taken or last.ent_type_ in BLOCKING_LABELS or last.is_space:
            break
        if j - 1 > i and not (_capitalised(last) or last.lower_ in CONNECTORS):
            break
        if not _capitalised(last):
            continue
        rows = _lookup(gaz, doc[i:j])
        if rows and _plausible(gaz, doc[i:j], rows, context):
            best = _Mention(i, j, rows, False, key=gazetteer.name_key(doc[i:j].text))
    return best


def _can_start(tok: Token, taken: set[int]) -> bool:
    if tok.i in taken or not _capitalised(tok) or tok.ent_type_ in BLOCKING_LABELS:
        return False
    return tok.pos_ in {"PROPN", "NOUN", "ADJ", "X"} or tok.is_upper


def _capitalised(tok: Token) -> bool:
    """Title case or an upper-case word ("Aleppo", "US", "U.S.", "W.Va.")."""
    text = tok.text
    if not text[0].isupper() or not any(c.isalpha() for c in text) or tok.like_num:
        return False
    return tok.is_title or (tok.is_upper and len(text) > 1) or (text.endswith(".") and text[:-1].isalpha())


def _plausible(gaz: Gazetteer, span: SpacySpan, rows: tuple[int, ...], context: _Context) -> bool:
    """Whether a non-NER n-gram is taken as a place (see ``GAZ_ONLY_*``)."""
    if len(span) == 1 and (span[0].lower_ in STOP_WORDS or span[0].is_stop):
        return False
    if span[0].is_sent_start and len(span) == 1 and span[0].pos_ != "PROPN":
        return False
    if _in_street_name(span):
        return False
    if _lone_acronym(span):  # an organisation's acronym ("NISA"), not a town
        rows = tuple(r for r in rows if gaz.entry(r).feature_code in {"PCLI", "ADM1"})
    in_name = _inside_name(span)
    headline = _in_headline(span)
    for row in rows:
        e = gaz.entry(row)
        if in_name and gazetteer.name_key(e.name) != gazetteer.name_key(span.text):
            continue  # inside an organisation's name only a place's own name counts, not an alias ("Sham")
        if headline and len(span) == 1 and e.feature_code not in {"PCLI", "ADM1", "CONT", "RGN"} \
                and not _supports(context, e):
            continue  # a capitalised headline word is no sign of a name ("Spring Offensive")
        if e.feature_code in {"PCLI", "ADM1", "CONT", "RGN"} or e.population >= GAZ_ONLY_MIN_POPULATION:
            return True
        if e.feature_code == "ADM2" and len(span) > 1 and span[-1].lower_ in DIVISION_WORDS:
            return True  # the division word is the evidence ("Edgar County")
        if e.population >= GAZ_ONLY_FOCUS_POPULATION and _supports(context, e):
            return True
    return False


def _lone_acronym(span: SpacySpan) -> bool:
    """A word in capitals alone inside mixed-case text, not opening its line ("NISA said", not the
    dateline "FALLS VILLAGE -" nor a headline in capitals)."""
    line = _line(span)
    if not gazetteer.is_acronym(span.text) or span.start == line.start or not any(c.islower() for c in line.text):
        return False
    doc = span.doc
    near = [doc[i] for i in (span.start - 1, span.end) if 0 <= i < len(doc)]
    return not any(t.is_alpha and t.is_upper for t in near)


def _in_street_name(span: SpacySpan) -> bool:
    """Whether a capitalised street word follows the n-gram ("Wichita Street", "Dublin Rd.")."""
    after = span.doc[span.end] if span.end < len(span.doc) else None
    return after is not None and _capitalised(after) and after.lower_.rstrip(".") in STREET_WORDS


def _in_headline(span: SpacySpan) -> bool:
    """Whether the n-gram sits in a title-case line or sentence (see ``HEADLINE_CAPITALISED_SHARE``)."""
    words = [t for t in _line(span) if t.is_alpha]
    if len(words) < 4:
        words = [t for t in span.sent if t.is_alpha]
    if len(words) < 4:
        return False
    capitalised = sum(1 for t in words if t.text[0].isupper())
    return capitalised >= HEADLINE_CAPITALISED_SHARE * len(words)


def _inside_name(span: SpacySpan) -> bool:
    """Whether the n-gram is part of a longer organisation name ("Observatory for Human Rights")."""
    doc = span.doc
    first = doc[span.start]
    after = doc[span.end] if span.end < len(doc) else None
    return (first.ent_type_ in NAME_LABELS and first.ent_iob_ == "I") or (
        after is not None and ((after.ent_type_ in NAME_LABELS and after.ent_iob_ == "I")
                               or (after.is_title and after.lower_ in ORGANISATION_WORDS)))


def _repeated_mentions(doc: Doc, gaz: Gazetteer, mentions: list[_Mention], taken: set[int]) -> list[_Mention]:
    """Later uses of a name already found as a place ("GOMA - ... took control of most of Goma"), which
    the entity tagger may have missed the second time: one name, one sense, in one article. Only names
    the tagger found and whose senses lie in one country are repeated, so an ambiguous name's
    misreading does not spread (measured: repeating ambiguous names too finds more places on the LGL
    suite but resolves fewer of them right)."""
    known: dict[str, tuple[int, ...]] = {}
    for m in mentions:
        if m.kind == "name" and m.from_ner and len({gaz.entry(r).country_code for r in m.rows}) == 1:
            known.setdefault(doc[m.start:m.end].text.title(), m.rows)
    out = []
    for i, tok in enumerate(doc):
        if i in taken or not (tok.is_title or tok.is_upper):
            continue
        for n in range(MAX_NGRAM, 0, -1):
            words = doc[i:i + n]
            rows = known.get(words.text.title()) if len(words) == n else None
            if rows and not any(j in taken for j in range(i, i + n)):
                out.append(_Mention(i, i + n, rows, False, key=gazetteer.name_key(words.text)))
                taken.update(range(i, i + n))
                break
    return out


def _person_place_mentions(doc: Doc, gaz: Gazetteer, taken: set[int], names: Sequence[_Name],
                           focus: str | None) -> list[_Mention]:
    """Names spaCy tags as persons that name a place of the article's focus country: right after a
    locative preposition ("fighting near Galkayo") or where the text calls them a place ("the town of
    Galkayo", "Galkayo district"), any place there (small towns it has not seen are
    often taken for people); elsewhere ("drones struck Kyiv", "Kyiv residents"), a well-known one
    (``_well_known``) of the focus country or of a country the article names, when the article never
    uses the name for a person (``_used_as_person``) and the focus country has no other town of that
    name ("Madison"); and, whatever the focus, a capital known the world over (``_world_capital``)
    where it stands as a place (``_placed_as_capital``). The focus is the one the article's other names
    point to: a name is no evidence for itself ("Alexandria" alone is not an article about Egypt)."""
    out = []
    for ent in doc.ents:
        if ent.label_ != "PERSON" or any(i in taken for i in range(ent.start, ent.end)):
            continue
        mention = _lookup_span(gaz, ent, from_ner=True)
        if mention is None or mention.fuzzy:
            continue
        context = _context(names, mention, focus)
        capitals = tuple(r for r in mention.rows if _world_capital(gaz.entry(r))) \
            if _placed_as_capital(doc, ent) else ()
        if context.focus is None:
            mention.rows = capitals
            if capitals:
                out.append(mention)
            continue
        if (ent.start > 0 and doc[ent.start - 1].lower_ in PERSON_PLACE_WORDS) or _called_a_place(doc, ent):
            mention.rows = tuple(r for r in mention.rows if gaz.entry(r).country_code == context.focus)
        elif not _used_as_person(doc, ent):
            known = [r for r in mention.rows if r in capitals or (_well_known(gaz.entry(r)) and (
                gaz.entry(r).country_code == context.focus
                or context.countries.get(gaz.entry(r).country_code or "", 0.0) >= 1.0))]
            towns = [e for e in (gaz.entry(r) for r in mention.rows) if e.feature_code.startswith("PPL")
                     and e.population >= GAZ_ONLY_FOCUS_POPULATION and e.country_code == context.focus]
            if len(towns) > 1:
                known = []  # many towns of that name in the country ("Madison"): which one is unclear
            mention.rows = tuple(known)
        else:
            continue
        if mention.rows:
            out.append(mention)
    return out


def _called_a_place(doc: Doc, ent: SpacySpan) -> bool:
    """Whether the text calls a name a settlement: "the town of X", "X, a town near ..." (not "X town",
    as in "Richmond and X town centres", nor "the X district", where a division's name may be an
    official's or a destination's)."""
    before = [t.lower_ for t in doc[max(0, ent.start - 2):ent.start]]
    if len(before) == 2 and before[0] in SETTLEMENT_WORDS and before[1] == "of":
        return True
    after = [t.lower_ for t in doc[ent.end:ent.end + 4]]
    return after[:2] in ([",", "a"], [",", "the"]) and any(w in SETTLEMENT_WORDS for w in after[2:4])


def _well_known(e: Entry) -> bool:
    """A capital, a first-level division or a city of ``WELL_KNOWN_POPULATION``."""
    return e.feature_code in {"PPLC", "ADM1"} or (e.feature_code.startswith("PPL")
                                                  and e.population >= WELL_KNOWN_POPULATION)


def _world_capital(e: Entry) -> bool:
    """A national capital of ``WORLD_CAPITAL_POPULATION``."""
    return e.feature_code == "PPLC" and e.population >= WORLD_CAPITAL_POPULATION


def _placed_as_capital(doc: Doc, ent: SpacySpan) -> bool:
    """Whether a name tagged as a person stands where a place does and a person's name seldom does: not
    the subject of its clause ("Lima told reporters"), not after another capitalised word ("Coach
    Lima"), and never used for a person in the article (``_used_as_person``)."""
    if ent.root.dep_ in {"nsubj", "nsubjpass"} or _used_as_person(doc, ent):
        return False
    return ent.start == 0 or not doc[ent.start - 1].is_title or bool(doc[ent.start - 1].is_sent_start)


def _used_as_person(doc: Doc, ent: SpacySpan) -> bool:
    """Whether the article uses a name for a person anywhere: inside a longer person's name ("Sudani"
    after "Mohammed Shia al-Sudani"), after a title ("President Juba"), or as the one who speaks
    ("Houston said")."""
    words = [t.lower_ for t in ent]
    n = len(words)
    for other in doc.ents:
        if other.label_ == "PERSON" and len(other) > n and any(
                [t.lower_ for t in other[i:i + n]] == words for i in range(len(other) - n + 1)):
            return True
    for tok in doc:
        if tok.lower_ != words[-1]:
            continue
        before = doc[tok.i - n] if tok.i - n >= 0 else None
        if before is not None and before.lower_.rstrip(".") in PERSON_TITLES:
            return True
        if tok.dep_ in {"nsubj", "nsubjpass"} and tok.head.lemma_ in SPEECH_LEMMAS:
            return True
    return False


def _mark_roles(doc: Doc, mentions: list[_Mention]) -> None:
    """How much each mention says about the article's country (see ``FOCUS_WEIGHT_*``)."""
    for m in mentions:
        m.role = _role(doc, m)


def _role(doc: Doc, m: _Mention) -> float:
    after = [t for t in doc[m.end:m.end + 2] if t.text not in {"-", "'s"}]
    if m.kind == "demonym" or (after and after[0].lower_ in ACTOR_WORDS):
        return FOCUS_WEIGHT_ACTOR
    if _dateline(doc, m):
        return FOCUS_WEIGHT_ELSEWHERE
    preposition = _preposition(doc, m.start)
    if preposition is None:
        return 1.0
    if preposition.head.lemma_ in SPEECH_LEMMAS:
        return FOCUS_WEIGHT_ELSEWHERE
    return FOCUS_WEIGHT_LOCATIVE


def _dateline(doc: Doc, m: _Mention) -> bool:
    """A capitals-only name opening a line or sentence and followed by "(", "," or a dash."""
    words = doc[m.start:m.end]
    if not all(t.is_upper or not t.is_alpha for t in words) or len(words.text) < 3:
        return False
    starts = doc[m.start].is_sent_start or m.start == 0 or "\n" in doc[m.start - 1].text_with_ws
    return bool(starts) and m.end < len(doc) and doc[m.end].text in DATELINE_FOLLOWERS


def _preposition(doc: Doc, start: int) -> Token | None:
    """The locative preposition governing a name ("in the northern province of Idlib"), if any."""
    for tok in reversed(doc[max(0, start - 5):start]):
        if tok.lower_ in LOCATIVE_WORDS:
            return tok
        if not (tok.pos_ in {"DET", "ADJ", "PROPN"} or tok.lower_ in {"of", "'s", ","} or tok.lower_ in
                SETTLEMENT_WORDS or tok.lower_ in DIVISION_WORDS):
            return None
    return None


# --- 2-3. context ----------------------------------------------------------------------------------

def _extend_division_words(doc: Doc, mentions: list[_Mention]) -> None:
    """Take a division word right after a name into the mention: "Aleppo province", "Cook County"."""
    for m in mentions:
        if m.kind == "name" and m.end < len(doc) and doc[m.end].lower_ in DIVISION_WORDS:
            m.end += 1
            m.kind = "division"


def _capital_mentions(gaz: Gazetteer, doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
    """The word "capital" after a country is a mention of its capital: "Cameroon's capital", "the
    Malian capital" (the country's own word stays a mention of the country); not when a name follows,
    which is the place meant ("the Syrian capital, Damascus", "the de facto Syrian capital Raqqa")."""
    capitals = gazetteer.capitals()
    out = []
    for m in mentions:
        entries = [gaz.entry(r) for r in m.rows]
        if m.kind not in {"name", "demonym"} or len(entries) != 1 or entries[0].feature_code != "PCLI":
            continue
        word = m.end + 1 if m.end < len(doc) and doc[m.end].lower_ == "'s" and m.kind == "name" else m.end
        if word >= len(doc) or doc[word].lower_ != "capital" or (entries[0].country_code or "") not in capitals:
            continue
        named = [t for t in doc[word + 1:word + 3] if t.text != ","][:1]
        if named and _capitalised(named[0]):
            continue
        out.append(_Mention(word, word + 1, (capitals[entries[0].country_code or ""],), False))
    return out


def _line(span: SpacySpan) -> SpacySpan:
    """The line of text (between line breaks) around a span."""
    doc = span.doc
    start, end = span.start, span.end
    while start > 0 and "\n" not in doc[start - 1].text_with_ws:
        start -= 1
    while end < len(doc) and "\n" not in doc[end - 1].text_with_ws:
        end += 1
    return doc[start:end]


def _mark_settlement_words(doc: Doc, mentions: list[_Mention]) -> None:
    """Mark names the text calls a city, town or village: "the city of Idlib", "Kaduna city"."""
    for m in mentions:
        if m.kind != "name":
            continue
        before = [t.lower_ for t in doc[max(0, m.start - 2):m.start]]
        after = doc[m.end].text if m.end < len(doc) else ""
        if (len(before) == 2 and before[0] in SETTLEMENT_WORDS and before[1] == "of") or after in SETTLEMENT_WORDS:
            m.kind = "settlement"


def _mark_part_words(doc: Doc, mentions: list[_Mention]) -> None:
    """Mark names after a compass adjective ("northern Idlib", "in southwestern Kaduna") as regions: a
    part of a province or country, so a province of that name beats its namesake city. The bare compass
    word names a part of a city ("east Aleppo", "west Mosul") and is left alone, and so is a name the
    article calls a city elsewhere ("Aleppo city ... clashes in western Aleppo")."""
    cities = {m.rows for m in mentions if m.kind == "settlement"}
    for m in mentions:
        if (m.kind == "name" and m.start > 0 and doc[m.start - 1].lower_ in PART_WORDS
                and m.rows not in cities):
            m.kind = "region"


def _opens_longer_name(doc: Doc, m: _Mention) -> bool:
    """Whether a mention is only the first word of a longer name the gazetteer does not know ("Tal" of
    "Tal Umm Khurayzat", "Bab" of "Bab al-Tabbaneh"): it is followed by a name particle and a
    capitalised word, or is itself a word that opens place names (``NAME_HEADS``) followed by one."""
    if m.kind == "demonym" or m.end >= len(doc):
        return False
    following = doc[m.end:m.end + 3]
    words = [t for t in following if t.text not in {"-", "'"}]
    if not words or (not doc[m.end - 1].whitespace_ and following[0].text not in {"-", "'"}):
        return False  # "Aleppo's"
    first = words[0]
    if first.lower_ in NAME_PARTICLES:
        return len(words) > 1 and _capitalised(words[1])
    return (m.end - m.start == 1 and doc[m.start].lower_ in NAME_HEADS and _capitalised(first)
            and first.lower_ not in STOP_WORDS and first.lower_ not in DIVISION_WORDS)


def _link_hierarchy(doc: Doc, mentions: list[_Mention]) -> None:
    """Give each mention the rows of a division/country named just after it: "X, Y", "X in Y"."""
    for a, b in itertools.pairwise(mentions):
        between = doc[a.end:b.start]
        words = [t.lower_ for t in between]
        if words in ([","], ["in"], [",", "in"], ["(",]) or words[:1] == ["("]:
            a.parent = b.rows


@dataclass
class _Name:
    """One distinct name of the article (all mentions with the same candidates) and its votes."""

    rows: tuple[int, ...]
    positions: list[int]
    """Token offsets of its mentions."""
    lead: bool
    """Named in the title or first sentence (a dateline: "SPRINGFIELD, Ill. -")."""
    countries: dict[str, float]
    """Its vote for each country: the share of its candidates' weight there (sum 1)."""
    admin1s: dict[tuple[str, str], float]
    """Its vote for each first-level division, the same way."""
    divisions: frozenset[tuple[str, ...]]
    """Divisions it may name: (country, admin1) of its ADM1 candidates, (country, admin1, admin2) of
    its ADM2 candidates. A place inside one is supported whichever namesake the name resolves to."""
    role: float = 1.0
    """How much its country vote counts toward the focus: its strongest mention's ``role``."""


@dataclass
class _Context:
    """What the article's other names say about where one mention is."""

    focus: str | None
    countries: dict[str, float]
    admin1s: dict[tuple[str, str], float]
    divisions: dict[tuple[str, ...], float]
    """Divisions named by other names, with the weight of the nearest naming."""
    dominant: tuple[str, str] | None = None
    """The first-level division the other names point to most, when clearly ahead."""


def _names(gaz: Gazetteer, doc: Doc, mentions: Sequence[_Mention],
           scores: dict[int, dict[int, float]] | None) -> list[_Name]:
    """Group the mentions by candidates and compute each name's votes (from ``scores`` if given,
    else from the context-free priors)."""
    lead_end = _lead_end(doc)
    groups: dict[tuple[int, ...], list[_Mention]] = {}
    for m in mentions:
        groups.setdefault(m.rows, []).append(m)
    names = []
    for rows, group in groups.items():
        entries = [gaz.entry(r) for r in rows]
        raw = scores.get(id(group[0])) if scores else None
        values = [raw[r] if raw else _prior(e) + _kind_boost(e, group[0]) for r, e in zip(rows, entries,
                                                                                     strict=True)]
        top = max(values)
        weights = [10 ** ((v - top) / FOCUS_TEMPERATURE) for v in values]
        total = sum(weights)
        countries: defaultdict[str, float] = defaultdict(float)
        admin1s: defaultdict[tuple[str, str], float] = defaultdict(float)
        for e, w in zip(entries, weights, strict=True):
            if e.country_code:
                countries[e.country_code] += w / total
                if e.admin1:
                    admin1s[(e.country_code, e.admin1)] += w / total
        names.append(_Name(rows, [m.start for m in group], group[0].start < lead_end, dict(countries),
                           dict(admin1s), _named_divisions(entries, group), max(m.role for m in group)))
    return names


def _named_divisions(entries: list[Entry], group: list[_Mention]) -> frozenset[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for e in entries:
        if e.feature_code == "ADM1" and e.country_code and e.admin1:
            out.add((e.country_code, e.admin1))
        elif (e.feature_code == "ADM2" and group[0].kind == "division" and e.country_code and e.admin1
              and e.admin2):
            out.add((e.country_code, e.admin1, e.admin2))
    return frozenset(out)


def _lead_end(doc: Doc) -> int:
    """Token offset where the title and first sentence end."""
    for i, sent in enumerate(doc.sents):
        if i == 1 or sent.end >= LEAD_TOKENS:
            return sent.end
    return len(doc)


def _weight(name: _Name, position: int) -> float:
    """How much a name's votes count for a mention at ``position``: more when near, full in the lead."""
    if name.lead:
        return 1.0
    distance = min(abs(p - position) for p in name.positions)
    return FAR_WEIGHT + (1 - FAR_WEIGHT) * math.exp(-distance / NEAR_TOKENS)


def _context(names: Sequence[_Name], m: _Mention | None, focus: str | None) -> _Context:
    """The context of one mention: the votes of every other name, weighted by nearness (of the
    whole article, every name at full weight, when ``m`` is None)."""
    countries: defaultdict[str, float] = defaultdict(float)
    focus_votes: defaultdict[str, float] = defaultdict(float)
    admin1s: defaultdict[tuple[str, str], float] = defaultdict(float)
    divisions: dict[tuple[str, ...], float] = {}
    for name in names:
        if m is not None and name.rows == m.rows:
            continue  # a name is no evidence for itself
        w = _weight(name, m.start) if m is not None else 1.0
        for code, share in name.countries.items():
            countries[code] += w * share
            focus_votes[code] += w * share * name.role
        for key, share in name.admin1s.items():
            admin1s[key] += w * share
        for division in name.divisions:
            divisions[division] = max(w, divisions.get(division, 0.0))
    if focus is None and focus_votes:
        focus = _most_common(focus_votes, 1)[0][0]
    return _Context(focus, dict(countries), dict(admin1s), divisions, _dominant(admin1s))


def _dominant(admin1s: dict[tuple[str, str], float]) -> tuple[str, str] | None:
    top = _most_common(admin1s, 2)
    if not top or top[0][1] < ADMIN1_VOTE_SHARE:
        return None
    if len(top) == 2 and top[0][1] < DOMINANT_ADMIN1_MARGIN * top[1][1]:
        return None
    return top[0][0]


def _small_place_elsewhere(context: _Context, e: Entry) -> bool:
    """Whether ``e`` is a place too small to be named without its division (under
    ``GAZ_ONLY_MIN_POPULATION``) and the context's dominant first-level division is another of its country."""
    dominant = context.dominant
    return (e.population < GAZ_ONLY_MIN_POPULATION and dominant is not None
            and dominant[0] == e.country_code and dominant[1] != e.admin1)


def _supports(context: _Context, e: Entry) -> bool:
    """Whether the context already points to where ``e`` is."""
    return e.country_code == context.focus or context.admin1s.get((e.country_code or "", e.admin1 or ""),
                                                                   0.0) >= ADMIN1_VOTE_SHARE


# --- 4. resolution ---------------------------------------------------------------------------------

def _resolve(gaz: Gazetteer, doc: Doc, mentions: Sequence[_Mention], focus: str | None) -> list[Entry]:
    """Score every candidate twice: with votes from the priors, then from the first scores."""
    scores: dict[int, dict[int, float]] | None = None
    for _ in range(CONTEXT_PASSES):
        names = _names(gaz, doc, mentions, scores)
        anchors = _anchors(gaz, mentions, scores) if scores else []
        scores = {id(m): _scores(gaz, m, _context(names, m, focus)) for m in mentions}
        for m in mentions:
            _add_proximity(gaz, m, scores[id(m)], [a for a in anchors if a[0] != m.rows])
    assert scores is not None
    senses = _discourse_senses(mentions, scores)
    return [gaz.entry(senses[m.rows] if _follows_discourse(m) and m.rows in senses
                      else max(m.rows, key=scores[id(m)].__getitem__)) for m in mentions]


def _anchors(gaz: Gazetteer, mentions: Sequence[_Mention],
             scores: dict[int, dict[int, float]]) -> list[tuple[tuple[int, ...], float, float]]:
    """Points of the article's confidently resolved places, (name rows, lat, lon): each name whose
    best candidate leads the runner-up by ``ANCHOR_MARGIN``; countries and regions excluded."""
    out = {}
    for m in mentions:
        values = sorted(scores[id(m)].values(), reverse=True)
        if len(values) > 1 and values[0] - values[1] < ANCHOR_MARGIN:
            continue
        e = gaz.entry(max(m.rows, key=scores[id(m)].__getitem__))
        if e.feature_code in ANCHOR_FEATURES:
            out[m.rows] = (m.rows, e.latitude, e.longitude)
    return list(out.values())


def _add_proximity(gaz: Gazetteer, m: _Mention, scores: dict[int, float],
                   anchors: list[tuple[tuple[int, ...], float, float]]) -> None:
    """Distance-based coherence: candidates near the article's other confidently placed names gain
    up to ``BOOST_PROXIMITY``, decaying with the distance to the nearest of them."""
    if not anchors or len(m.rows) < 2:
        return
    for row in m.rows:
        e = gaz.entry(row)
        if e.feature_code not in ANCHOR_FEATURES:
            continue
        nearest = min(gazetteer.distance_km(e.latitude, e.longitude, lat, lon) for _, lat, lon in anchors)
        scores[row] += BOOST_PROXIMITY * math.exp(-nearest / PROXIMITY_KM)


def _follows_discourse(m: _Mention) -> bool:
    """A bare name ("Dublin", not "Dublin, Ohio" or "Aleppo province") takes its name's one sense."""
    return m.kind == "name" and not m.parent


def _discourse_senses(mentions: Sequence[_Mention], scores: dict[int, dict[int, float]]) -> dict[tuple[int, ...], int]:
    """One sense per discourse: each name's candidate with the highest score summed over all its
    mentions, so that "Columbus, Ohio" in the dateline settles every later "Columbus"."""
    totals: dict[tuple[int, ...], defaultdict[int, float]] = {}
    for m in mentions:
        if m.kind in {"name", "settlement"}:
            total = totals.setdefault(m.rows, defaultdict(float))
            for row, value in scores[id(m)].items():
                total[row] += value
    return {rows: _most_common(total, 1)[0][0] for rows, total in totals.items()}


_Key = TypeVar("_Key", bound=Hashable)


def _most_common(votes: dict[_Key, float], n: int) -> list[tuple[_Key, float]]:
    """The ``n`` keys with the most votes, most first; ties in insertion order (``Counter.most_common``
    for float votes)."""
    return heapq.nlargest(n, votes.items(), key=itemgetter(1))


def _scores(gaz: Gazetteer, m: _Mention, context: _Context) -> dict[int, float]:
    entries = [gaz.entry(r) for r in m.rows]
    parents = [gaz.entry(r) for r in m.parent]
    divisions = {(e.country_code, e.admin1) for e in entries if e.feature_code == "ADM1"}
    return {r: _score(e, m, context, parents, divisions) for r, e in zip(m.rows, entries, strict=True)}


def _prior(e: Entry) -> float:
    """Context-free score: population and feature class."""
    if e.feature_code in gazetteer.REGION_CODES:
        return REGION_PRIOR
    return WEIGHT_POPULATION * math.log10(e.population + 1) + FEATURE_PRIOR.get(e.feature_code, 0.0)


def _score(e: Entry, m: _Mention, context: _Context, parents: list[Entry],
           divisions: set[tuple[str | None, str | None]]) -> float:
    score = _prior(e) + _kind_boost(e, m)
    if m.key and gazetteer.name_key(e.name) == m.key:
        score += BOOST_EXACT_NAME
    cc = e.country_code or ""
    if cc and cc == context.focus:
        score += BOOST_FOCUS_COUNTRY
    score += BOOST_COUNTRY_MENTIONED * min(1.0, context.countries.get(cc, 0.0))
    if (e.feature_code.startswith("PPL") and e.population >= CITY_OVER_DIVISION_POPULATION
            and (e.country_code, e.admin1) in divisions and m.kind not in {"division", "region"}):
        score += BOOST_CITY_OVER_DIVISION
    if e.feature_code not in {"ADM1", "PCLI"}:
        score += BOOST_ADMIN1_MENTIONED * min(1.0, context.admin1s.get((cc, e.admin1 or ""), 0.0))
        score += BOOST_DOMINANT_ADMIN1 * (context.dominant == (cc, e.admin1))
        score += BOOST_ADMIN1_NAMED * context.divisions.get((cc, e.admin1 or ""), 0.0)
        score += BOOST_ADMIN2_NAMED * context.divisions.get((cc, e.admin1 or "", e.admin2 or ""), 0.0)
    if any(_inside(e, p) for p in parents):
        score += BOOST_HIERARCHY
    return score


def _kind_boost(e: Entry, m: _Mention) -> float:
    """The words around the name say which kind of place it is: "Aleppo province", "the city of Idlib",
    "northern Idlib"."""
    if m.kind == "division" and e.feature_code in {"ADM1", "ADM2"}:
        return BOOST_SUFFIX_TYPE
    if m.kind == "region" and e.feature_code == "ADM1":
        return BOOST_SUFFIX_TYPE
    if m.kind == "settlement" and e.feature_code.startswith("PPL"):
        return BOOST_SETTLEMENT_WORD
    return 0.0


def _inside(e: Entry, parent: Entry) -> bool:
    if parent.feature_code == "PCLI":
        return e.country_code == parent.country_code and e.feature_code != "PCLI"
    if parent.feature_code == "ADM1":
        same = e.country_code == parent.country_code and e.admin1 == parent.admin1
        return same and e.feature_code != "ADM1"
    if parent.feature_code == "ADM2":
        return e.admin2 == parent.admin2 and e.country_code == parent.country_code
    return False


def _place(doc: Doc, m: _Mention, e: Entry) -> Place:
    start, end = doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1])
    country = country_name(e.country_code) if e.country_code else None
    return Place(Span(start, end, nlp.text(doc)[start:end]), e.name, e.latitude, e.longitude, e.geonameid,
                 e.country_code, country, e.admin1, e.admin2, e.feature_code, e.population)


class GazetteerPlaces:
    """The shipped ``resolvers.PlaceResolver``: the gazetteer (``gazetteer.load``), loaded on first use."""

    def best(self, name: str, country_code: str | None = None, admin1: str | None = None,
             features: frozenset[str] | None = None) -> Place | None:
        """The most populous entry of that name within the country (and province), exact names first;
        within a province, transliteration skeletons next (safe once the search is confined to one)."""
        gaz = gazetteer.load()
        key = gazetteer.name_key(name)
        for rows in (gaz.lookup(name), gaz.lookup_skeleton(gazetteer.skeleton_key(key)) if admin1 else ()):
            entries = [gaz.entry(r) for r in rows]
            entries = [e for e in entries if (country_code is None or e.country_code == country_code)
                       and (admin1 is None or e.admin1 == admin1)
                       and (features is None or e.feature_code in features)]
            if entries:
                e = max(entries, key=lambda e: e.population)
                country = country_name(e.country_code) if e.country_code else None
                return Place(Span(0, len(name), name), e.name, e.latitude, e.longitude, e.geonameid,
                             e.country_code, country, e.admin1, e.admin2, e.feature_code, e.population)
        return None

    def iso3(self, country_code: str) -> str | None:
        return country_iso3(country_code)
