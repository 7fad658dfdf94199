"""The dashboard of ``sitrep serve``: its static page and the three summaries the page draws from.

The page (``web/index.html`` with its script and style, and the vendored map and chart libraries in
``web/vendor/``) needs no build step and no network: the basemap is the Natural Earth countries at 1:110m
shipped in ``data/world/``. What the page shows is filtered and, past ``MAX_POINTS`` events in view,
clustered on the server, so that a store of 50,000 events sends the browser a few thousand points at most:

- ``GET /dashboard/map``: the filtered events in a bounding box, as points (few) or grid clusters (many),
  with the newest ``LIST_ROWS`` of them for the list beside the map;
- ``GET /dashboard/timeline``: events and fatalities per day or week under the filters, dates aside (the
  page brushes the timeline to set them);
- ``GET /dashboard/facets``: the countries, first-level divisions and actors stored, for the filter inputs.

Each takes the filters of ``Filters.from_query``. The event panel and the review use the API's own
routes (``/events/{id}``, ``/articles/{id}``, ``/events/{id}/review`` ...).
"""

from __future__ import annotations

import contextlib
import math
import os
import threading
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitrep.errors import SitrepError
from sitrep.store import Store

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

__all__ = ["MAX_POINTS", "WEB", "WORLD", "Filters", "Summary", "clusters", "routes", "summaries", "timeline"]

WEB = Path(__file__).parent / "web"
"""The page, its script and style, and the vendored libraries (each beside its licence)."""
WORLD = Path(__file__).parent / "data" / "world" / "countries-110m.json"
"""The basemap: Natural Earth countries at 1:110m as TopoJSON (the ``world-atlas`` 2.0.2 file)."""

MAX_POINTS = 5000
"""Up to this many events in view the map gets each as a point (the browser clusters them); past it,
the server sends grid clusters. A laptop's browser draws 5,000 clustered markers without a stall."""
LIST_ROWS = 200
"""How many events in view the list beside the map shows, newest first."""
CELLS_PER_TILE = 4
"""Grid of the server's clusters: cells per 256-pixel map tile side, i.e. a cell of 64 pixels."""
WEEKLY_AFTER_DAYS = 180
"""The timeline counts per week when the dated events span more days than this, else per day."""
CSP = ("default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
       "style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
"""The page's content security policy: its own scripts, styles and requests only (the map sets style
attributes, hence 'unsafe-inline' for styles alone), so that no text of an article can run as code."""
REVIEWED = ("only", "unreviewed", "rejected", "all", "confirmed", "corrected")
"""The ``reviewed`` filter, as the API's (``only``: confirmed or corrected; ``all``: the rejected too; left
out: every event but the rejected ones), and one review status alone (``confirmed``, ``corrected``)."""


class FilterError(SitrepError, ValueError):
    """A dashboard query parameter that cannot be read (named in the message)."""


@dataclass(frozen=True)
class Filters:
    """What the dashboard shows: every field optional, all given ones must hold."""

    country: str | None = None
    """Country name or ISO3 code, any case."""
    admin1: str | None = None
    """First-level division, any case."""
    type: str | None = None
    """Event type or sub-event type, any case (as ``sitrep events --type``)."""
    sub_event_type: str | None = None
    """Sub-event type, any case."""
    actor: str | None = None
    """A part of actor1's or actor2's name, any case."""
    since: date | None = None
    """First event day, inclusive (undated events never match a date filter)."""
    until: date | None = None
    """Last event day, inclusive."""
    min_fatalities: int | None = None
    """At least this many fatalities (the ACLED figure)."""
    reviewed: str | None = None
    """One of ``REVIEWED``; None: every event but the rejected ones."""
    min_confidence: float | None = None
    """At least this confidence, 0 to 1."""

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Filters:
        """The filters in a query string's parameters (unknown parameters are ignored; empty ones unset).

        Raises ``FilterError`` naming the parameter for a bad date, number or ``reviewed``."""
        given = {f.name: (query.get(f.name) or "").strip() or None for f in fields(cls)}
        try:
            since = date.fromisoformat(given["since"]) if given["since"] else None
            until = date.fromisoformat(given["until"]) if given["until"] else None
        except ValueError as err:
            raise FilterError(f"since/until: expected a day as YYYY-MM-DD ({err})") from err
        reviewed = given["reviewed"].lower() if given["reviewed"] else None
        if reviewed is not None and reviewed not in REVIEWED:
            raise FilterError(f"reviewed: {reviewed!r} is none of {', '.join(REVIEWED)}")
        return cls(
            country=given["country"], admin1=given["admin1"], type=given["type"],
            sub_event_type=given["sub_event_type"], actor=given["actor"], since=since, until=until,
            min_fatalities=_number("min_fatalities", given["min_fatalities"], int),
            reviewed=reviewed, min_confidence=_number("min_confidence", given["min_confidence"], float),
        )

    def undated(self) -> Filters:
        """The same filters without the date range."""
        return Filters(**{**{f.name: getattr(self, f.name) for f in fields(self)}, "since": None, "until": None})

    def matches(self, s: Summary) -> bool:
        """Whether an event passes the filters the store does not apply itself."""
        return ((self.admin1 is None or (s.admin1 or "").casefold() == self.admin1.casefold())
                and (self.sub_event_type is None or s.sub_event_type.casefold() == self.sub_event_type.casefold())
                and (self.min_fatalities is None or s.fatalities >= self.min_fatalities)
                and (self.min_confidence is None or s.confidence >= self.min_confidence)
                and _review_matches(self.reviewed, s.status))


@dataclass(frozen=True)
class Summary:
    """What the map, the timeline and the list need of one stored (fused) event."""

    id: str
    """The event id."""
    date: str | None
    """Event day, YYYY-MM-DD, or None."""
    event_type: str
    """ACLED event type."""
    sub_event_type: str
    """ACLED sub-event type."""
    location: str
    """Most precise place named ('' when none)."""
    admin1: str | None
    """First-level division."""
    country: str | None
    """Country name."""
    latitude: float | None
    """WGS84 degrees, None when the text names no place."""
    longitude: float | None
    """WGS84 degrees, None when the text names no place."""
    geo_precision: int
    """ACLED: 1 the town, 2 near it or part of a region, 3 a region's centroid."""
    fatalities: int
    """ACLED's conservative figure."""
    confidence: float
    """0 to 1."""
    status: str
    """The review status: unreviewed, confirmed, corrected or rejected."""
    sources: int
    """How many articles report it."""

    @classmethod
    def of(cls, record: Mapping[str, Any]) -> Summary:
        """The summary of an event record as the store gives it."""
        review = record.get("review") or {}
        return cls(
            id=str(record["event_id"]), date=record.get("event_date"), event_type=record.get("event_type") or "",
            sub_event_type=record.get("sub_event_type") or "", location=record.get("location") or "",
            admin1=record.get("admin1"), country=record.get("country"), latitude=record.get("latitude"),
            longitude=record.get("longitude"), geo_precision=int(record.get("geo_precision") or 3),
            fatalities=int(record.get("fatalities") or 0), confidence=float(record.get("confidence") or 0.0),
            status=str(review.get("status") or "unreviewed"),
            sources=len(record.get("reports") or record.get("article_ids") or [record.get("article_id")]),
        )

    def row(self) -> dict[str, Any]:
        """The list's row: every field by name."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


_CACHE: dict[tuple[Any, ...], list[Summary]] = {}
_CACHE_SIZE = 8
_READING = threading.Lock()  # one read of the store at a time: the page's three requests share the first


def summaries(db: str, filters: Filters, *, store: Callable[[str], Store] | None = None) -> list[Summary]:
    """The summaries of the stored events passing ``filters``, in the store's order (date, then id).

    The last ``_CACHE_SIZE`` answers are kept while the database file and its write-ahead log are
    unchanged, so that panning the map does not read the store again. Raises ``StoreError`` (or
    ``MissingDatabase``) as ``Store`` does."""
    with _READING:
        key = (db, filters, _stamp(db))
        if key[2] is not None and key in _CACHE:
            return _CACHE[key]
        with (store or _open)(db) as s:
            records = s.events(country=filters.country, since=filters.since, until=filters.until,
                               event_type=filters.type, actor=filters.actor, reviewed=_store_reviewed(filters.reviewed))
            found = [summary for summary in map(Summary.of, records) if filters.matches(summary)]
        if key[2] is not None:
            while len(_CACHE) >= _CACHE_SIZE:
                del _CACHE[next(iter(_CACHE))]
            _CACHE[key] = found
        return found


def in_view(found: Iterable[Summary], bbox: tuple[float, float, float, float] | None) -> list[Summary]:
    """The placed events inside ``bbox`` (west, south, east, north degrees; a west above east crosses
    the antimeridian); every placed event when ``bbox`` is None."""
    placed = [s for s in found if s.latitude is not None and s.longitude is not None]
    if bbox is None:
        return placed
    west, south, east, north = bbox
    def inside(s: Summary) -> bool:
        lon, lat = s.longitude or 0.0, s.latitude or 0.0
        across = lon >= west or lon <= east if west > east else west <= lon <= east
        return south <= lat <= north and across
    return [s for s in placed if inside(s)]


def clusters(placed: Iterable[Summary], zoom: int) -> list[dict[str, Any]]:
    """Grid clusters of placed events at a map zoom level (0 the whole world in one 256-pixel tile):
    each ``{"latitude", "longitude", "count", "fatalities", "event_type"}`` at its members' mean
    position, with the most frequent event type, largest first."""
    cell = 360.0 / (2 ** max(0, min(zoom, 18)) * CELLS_PER_TILE)
    cells: dict[tuple[int, int], list[Summary]] = {}
    for s in placed:
        key = (math.floor((s.longitude or 0.0) / cell), math.floor((s.latitude or 0.0) / cell))
        cells.setdefault(key, []).append(s)
    out = [{
        "latitude": round(sum(s.latitude or 0.0 for s in members) / len(members), 4),
        "longitude": round(sum(s.longitude or 0.0 for s in members) / len(members), 4),
        "count": len(members),
        "fatalities": sum(s.fatalities for s in members),
        "event_type": Counter(s.event_type for s in members).most_common(1)[0][0],
    } for members in cells.values()]
    return sorted(out, key=lambda c: (-c["count"], c["latitude"], c["longitude"]))


def timeline(found: list[Summary], unit: str = "auto") -> dict[str, Any]:
    """Events and fatalities per day or week (``unit``: day, week or auto), every bin from the first
    dated event to the last: ``{"unit", "bins": [{"start": "YYYY-MM-DD", "events", "fatalities"}],
    "undated": N}``; a week starts on Monday. Raises ``FilterError`` for another unit."""
    if unit not in ("auto", "day", "week"):
        raise FilterError(f"unit: {unit!r} is none of auto, day, week")
    dated = [(date.fromisoformat(s.date), s.fatalities) for s in found if s.date]
    undated = sum(1 for s in found if not s.date)
    if not dated:
        return {"unit": "day" if unit == "auto" else unit, "bins": [], "undated": undated}
    first, last = min(d for d, _ in dated), max(d for d, _ in dated)
    if unit == "auto":
        unit = "week" if (last - first).days > WEEKLY_AFTER_DAYS else "day"
    step = 7 if unit == "week" else 1
    def start(d: date) -> date:
        return d - timedelta(days=d.weekday()) if step == 7 else d
    counts: Counter[date] = Counter()
    deaths: Counter[date] = Counter()
    for d, fatalities in dated:
        counts[start(d)] += 1
        deaths[start(d)] += fatalities
    bins, day = [], start(first)
    while day <= last:
        bins.append({"start": day.isoformat(), "events": counts[day], "fatalities": deaths[day]})
        day += timedelta(days=step)
    return {"unit": unit, "bins": bins, "undated": undated}


def map_view(found: list[Summary], bbox: tuple[float, float, float, float] | None, zoom: int) -> dict[str, Any]:
    """The ``/dashboard/map`` answer: ``{"total", "unplaced", "in_view", "points" | "clusters", "list"}``;
    ``points`` are ``[id, latitude, longitude, event_type, fatalities, geo_precision, status]``."""
    view = in_view(found, bbox)
    answer: dict[str, Any] = {"total": len(found), "unplaced": sum(1 for s in found if s.latitude is None),
                              "in_view": len(view)}
    if len(view) <= MAX_POINTS:
        answer["points"] = [[s.id, s.latitude, s.longitude, s.event_type, s.fatalities, s.geo_precision, s.status]
                            for s in view]
    else:
        answer["clusters"] = clusters(view, zoom)
    newest = sorted(view, key=lambda s: (s.date or "", s.id), reverse=True)[:LIST_ROWS]
    answer["list"] = [s.row() for s in newest]
    return answer


def facets(found: Iterable[Summary]) -> dict[str, list[str]]:
    """The distinct countries, first-level divisions (``"Country: Admin1"`` keys' values), event and
    sub-event types among ``found``, sorted."""
    rows = list(found)
    return {
        "country": sorted({s.country for s in rows if s.country}),
        "admin1": sorted({s.admin1 for s in rows if s.admin1}),
        "event_type": sorted({s.event_type for s in rows if s.event_type}),
        "sub_event_type": sorted({s.sub_event_type for s in rows if s.sub_event_type}),
    }


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """``west,south,east,north`` in degrees, or None. Raises ``FilterError`` naming the problem."""
    if not value:
        return None
    try:
        west, south, east, north = (float(v) for v in value.split(","))
    except ValueError as err:
        raise FilterError(f"bbox: expected west,south,east,north in degrees, got {value!r}") from err
    if not (-90 <= south <= north <= 90):
        raise FilterError(f"bbox: south and north must be latitudes with south <= north, got {value!r}")
    return west, south, east, north


def _number(name: str, value: str | None, kind: type[int] | type[float]) -> Any:
    if value is None:
        return None
    try:
        number = kind(value)
    except ValueError as err:
        raise FilterError(f"{name}: expected a number, got {value!r}") from err
    if number < 0:
        raise FilterError(f"{name}: expected a number of at least 0, got {value!r}")
    return number


def _store_reviewed(wanted: str | None) -> str | None:
    """The store's ``reviewed`` selection that holds every event ``wanted`` selects."""
    return "only" if wanted in ("confirmed", "corrected") else wanted


def _review_matches(wanted: str | None, status: str) -> bool:
    if wanted is None:
        return status != "rejected"
    if wanted == "only":
        return status in ("confirmed", "corrected")
    return wanted == "all" or status == wanted


def _open(db: str) -> Store:
    return Store(db, create=False)


def _stamp(db: str) -> tuple[int, ...] | None:
    """A stamp of the database file's state (its and its WAL's change time and size), None when
    it cannot be taken (then nothing is cached)."""
    try:
        parts = [os.stat(db)]
    except OSError:
        return None
    with contextlib.suppress(OSError):
        parts.append(os.stat(db + "-wal"))
    return tuple(v for st in parts for v in (st.st_mtime_ns, st.st_size))


# -- HTTP -------------------------------------------------------------------------------------------

Guard = Callable[["Request"], Awaitable[None]]
"""Checks a request may read (raises the framework's HTTP error, 401 or 403, when not)."""


def routes(db: str, guard: Guard | None = None) -> list[BaseRoute]:
    """The dashboard's routes for a Starlette (or FastAPI) app serving ``db``: the page at ``/``, its
    files under ``/static/``, the basemap at ``/static/world/countries-110m.json`` and the three
    ``/dashboard/...`` summaries, each checked by ``guard`` (the page and its files are public: the
    page asks for a token when the data needs one). A bad filter answers 400 with the reason.
    Needs Starlette (``pip install 'sitrep[serve]'``)."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import FileResponse, JSONResponse
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    async def page(request: Request) -> Response:
        return FileResponse(WEB / "index.html", media_type="text/html", headers={"Content-Security-Policy": CSP})

    async def world(request: Request) -> Response:
        return FileResponse(WORLD, media_type="application/json")

    def endpoint(answer: Callable[[list[Summary], Request], dict[str, Any]],
                 dated: bool = True) -> Callable[[Request], Awaitable[Response]]:
        async def handle(request: Request) -> Response:
            if guard is not None:
                await guard(request)
            try:
                filters = Filters.from_query(request.query_params)
                found = await run_in_threadpool(summaries, db, filters if dated else filters.undated())
                return JSONResponse(answer(found, request))
            except FilterError as err:
                return JSONResponse({"detail": str(err)}, status_code=400)
        return handle

    def map_answer(found: list[Summary], request: Request) -> dict[str, Any]:
        zoom = _number("zoom", request.query_params.get("zoom") or "2", int)
        return map_view(found, parse_bbox(request.query_params.get("bbox")), zoom)

    def timeline_answer(found: list[Summary], request: Request) -> dict[str, Any]:
        return timeline(found, request.query_params.get("unit") or "auto")

    return [
        Route("/", page, methods=["GET"]),
        Route("/static/world/countries-110m.json", world, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=WEB), name="static"),
        Route("/dashboard/map", endpoint(map_answer), methods=["GET"]),
        Route("/dashboard/timeline", endpoint(timeline_answer, dated=False), methods=["GET"]),
        Route("/dashboard/facets", endpoint(lambda found, _: facets(found), dated=False), methods=["GET"]),
    ]
