"""The situation report: one self-contained HTML page on the stored events that pass the filters.

``render(store, filters, now)`` gives the page; ``summarize`` the figures it shows, as plain data. The
page holds, in order:

1. headline figures: events, fatalities, events and fatalities by event type, and the change against
   the previous period of the same length (same filters, the days just before);
2. a map of the events over the country boundaries shipped with sitrep (``sitrep.basemap``): colour by
   event type, area by fatalities, a town (geo_precision 1) a filled disc, a place known only as
   near a town or as a region's centroid (2, 3) a ring;
3. a weekly chart of events (bars) and fatalities (line), weeks from Monday;
4. the top events (most fatalities, then most reports, then most named sources) with their notes,
   sources and the articles they were read from;
5. the sources most relied on: outlets, and the sources the articles name;
6. how the data was made: period, filters, articles, reports, fusion, places' precision, review.

Events an analyst rejected (``review.status`` "rejected") are left out of every figure and counted
apart; an event without a ``review`` is unreviewed. Charts are SVG drawn by matplotlib (no pyplot, no
GUI), embedded as ``data:`` URIs; the CSS is inline and the page loads nothing: the only addresses in
it are the links to the articles. Every text from an article goes through Jinja2's autoescaping.
matplotlib and Jinja2 are the ``report`` extra (``pip install 'sitrep[report]'``).
"""

from __future__ import annotations

import base64
import io
import math
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from sitrep import __version__
from sitrep.errors import import_optional
from sitrep.extraction.taxonomy import EVENT_TYPES

__all__ = ["FILTERS", "POLICY", "TOP_EVENTS", "TOP_SOURCES", "Period", "Summary", "page", "render", "summarize"]

FILTERS = ("country", "since", "until", "event_type", "actor")
"""The filters ``summarize`` takes: the keyword arguments of ``Store.events``."""
OPTIONS = {"event_type": "type"}
"""The name a filter goes by on the command line and in a query (``--type``, ``?type=``), where it differs."""
TOP_EVENTS = 10
"""Events listed in full."""
TOP_SOURCES = 10
"""Outlets and named sources listed."""
MAX_WEEKS = 520
"""The weekly chart spans the whole period up to ten years; a longer one, the weeks of its events."""
EXTRA = "report"

COLOURS: dict[str, str] = {
    "Battles": "#D55E00",
    "Explosions/Remote violence": "#0072B2",
    "Violence against civilians": "#CC79A7",
    "Protests": "#009E73",
    "Riots": "#E69F00",
    "Strategic developments": "#555555",
}
"""Colour of each event type on the map (Okabe and Ito's palette for colour-blind readers, grey last)."""
OTHER_COLOUR = "#999999"
POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
"""The page's Content-Security-Policy (in the page, and a header where it is served): nothing fetched,
no script run."""
SHOWN = ("event_id", "event_date", "event_type", "sub_event_type", "location", "admin1", "country", "actor1",
         "actor2", "fatalities", "fatalities_low", "fatalities_high", "notes", "sources", "reports")
"""The fields of an event the page shows (a record lacking one, as an older version wrote it, shows it as unknown)."""
REPORT_SHOWN = ("article_id", "url", "title", "outlet", "published")
"""... of each of its reports."""
SOURCE_SHOWN = ("name", "claim", "fatalities")
"""... of each of its sources."""
VECTOR_POINTS = 1000
"""Past this many events on the map, its points are drawn as one image inside the SVG (at ``RASTER_DPI``)
rather than one SVG element each: 5,000 events as vectors made a 5 MB page, as an image under 2 MB,
whatever their number."""
RASTER_DPI = 150
MAP_RATIO = 1.45
"""Width over height of the map's frame (on paper)."""


class EventSource(Protocol):
    """What the report reads from a store (``sitrep.store.Store``)."""

    def events(self, country: str | None = None, since: date | None = None, until: date | None = None,
               event_type: str | None = None, actor: str | None = None, fused: bool = True, *,
               reviewed: str | None = None) -> Iterator[dict[str, Any]]: ...

    def counts(self) -> dict[str, int]: ...


@dataclass(frozen=True)
class Period:
    """Days from ``first`` to ``last``, both inclusive."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def before(self) -> Period:
        """The period of the same length that ends the day before this one starts (cut at the first day
        the calendar has, for a period reaching far into the future)."""
        first = self.first.toordinal()
        return Period(date.fromordinal(max(1, first - self.days)), date.fromordinal(max(1, first - 1)))


@dataclass(frozen=True)
class Summary:
    """The figures of a situation report. Events are fused event records (``Store.events``)."""

    filters: dict[str, Any]
    """The filters given (``FILTERS``; None for those not given)."""
    now: datetime
    """When the report was made."""
    events: list[dict[str, Any]]
    """The events reported on: those passing the filters, less those an analyst rejected; by date."""
    rejected: int
    """Events passing the filters that an analyst rejected (left out of every figure)."""
    period: Period | None
    """The days reported on: ``--since`` (else the first event's day) to ``--until`` (else the last
    event's day); None when neither is given and no event is dated."""
    fatalities: int
    """The events' fatalities added up (ACLED's conservative figure of each event)."""
    by_type: list[tuple[str, int, int, int, int]]
    """Per event type present now or before: (type, events, fatalities, events before, fatalities
    before), in ACLED's order of types."""
    previous: tuple[Period, int, int] | None
    """The period before, its events and fatalities (same filters); None without a period."""
    weekly: list[tuple[date, int, int]]
    """(Monday, events, fatalities) for each week of the period, empty weeks included."""
    undated: int
    """Events without a day (in the totals, in no week)."""
    top: list[dict[str, Any]]
    """The ``TOP_EVENTS`` events with most fatalities, then reports, then named sources."""
    outlets: list[tuple[str, int, int]]
    """(outlet, events, articles) for the outlets of most events."""
    named_sources: list[tuple[str, str | None, int]]
    """(name, kind, events) for the sources the articles name in most events."""
    articles: int
    """Articles the events were read from."""
    articles_stored: int
    """Articles in the whole database."""
    reports: int
    """Reports (one article's account of one event) behind the events."""
    fused: int
    """Events told by more than one report."""
    precision: dict[str, int] = field(default_factory=dict)
    """Events by how well their place is known: 'town', 'near or region', 'unknown' (no coordinates)."""
    reviewed: int = 0
    """Events an analyst confirmed or corrected."""

    @property
    def reviewed_share(self) -> float | None:
        """Reviewed events over events (None when there are none)."""
        return self.reviewed / len(self.events) if self.events else None


def summarize(store: EventSource, filters: Mapping[str, Any], now: datetime) -> Summary:
    """The figures of the report on the events of ``store`` that pass ``filters`` (``FILTERS``: country
    name or ISO3, ``since``/``until`` dates, ACLED event type or sub-type, part of an actor's name; any
    left out or None does not filter). ValueError for another filter, or ``since`` after ``until``."""
    unknown = set(filters) - set(FILTERS)
    if unknown:
        raise ValueError(f"unknown report filters {sorted(unknown)}; the filters are {list(FILTERS)}")
    given: dict[str, Any] = {name: filters.get(name) for name in FILTERS}
    if given["since"] and given["until"] and given["since"] > given["until"]:
        raise ValueError(f"the period starts ({given['since']}) after it ends ({given['until']})")
    # 1. The events that pass the filters, less those an analyst rejected.
    everything = list(store.events(**given, reviewed="all"))
    events = [e for e in everything if _status(e) != "rejected"]
    # 2. The period they cover, and the same filters over the period just before it.
    days = [d for d in (_day(e) for e in events) if d is not None]
    period = _period(given["since"], given["until"], days, now.date())
    previous: tuple[Period, int, int] | None = None
    before: list[dict[str, Any]] = []
    if period is not None:
        earlier = period.before()
        shifted: dict[str, Any] = {**given, "since": earlier.first, "until": earlier.last}
        before = list(store.events(**shifted))  # without ``reviewed``: all but the rejected
        previous = (earlier, len(before), _fatalities(before))
    # 3. The figures.
    reports = [r for e in events for r in e.get("reports") or () if isinstance(r, dict)]
    return Summary(
        filters=given, now=now, events=events, rejected=len(everything) - len(events), period=period,
        fatalities=_fatalities(events), by_type=_by_type(events, before), previous=previous,
        weekly=_weekly(events, period) if period else [], undated=len(events) - len(days),
        top=sorted(events, key=_prominence)[:TOP_EVENTS], outlets=_outlets(events),
        named_sources=_named_sources(events), articles=len({r.get("article_id") for r in reports}),
        articles_stored=store.counts()["articles"], reports=len(reports),
        fused=sum(1 for e in events if len(e.get("reports") or ()) > 1), precision=_precision(events),
        reviewed=sum(1 for e in events if _status(e) in ("confirmed", "corrected")),
    )


def render(store: EventSource, filters: Mapping[str, Any], now: datetime) -> str:
    """The situation report as one HTML page (a str): see the module's docstring. Errors as
    ``summarize``; MissingDependency, saying how to install it, without the ``report`` extra."""
    return page(summarize(store, filters, now))


def page(summary: Summary) -> str:
    """The HTML page of a summary (``render`` in two steps, for a caller that wants the figures too)."""
    jinja2: Any = import_optional("jinja2", EXTRA)
    env = jinja2.Environment(loader=jinja2.PackageLoader("sitrep", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["signed"] = _signed
    env.filters["many"] = _many
    return str(env.get_template("report.html").render(
        s=summary, title=_title(summary), top=[_shown(e) for e in summary.top], version=__version__,
        colours=COLOURS, policy=POLICY, link=_link, place=_place,
        options=[(OPTIONS.get(k, k), v) for k, v in summary.filters.items() if v],
        map_uri=_map(summary.events), weekly_uri=_weekly_chart(summary.weekly) if summary.events else None,
    ))


# -- figures ----------------------------------------------------------------------------------------

def _status(event: Mapping[str, Any]) -> str:
    review = event.get("review")
    return str(review.get("status") or "unreviewed") if isinstance(review, dict) else "unreviewed"


def _day(event: Mapping[str, Any]) -> date | None:
    value = event.get("event_date")
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _fatalities(events: Iterable[Mapping[str, Any]]) -> int:
    return sum(e["fatalities"] for e in events if isinstance(e.get("fatalities"), int))


def _period(since: date | None, until: date | None, days: list[date], today: date) -> Period | None:
    """``since`` (else the first day) to ``until`` (else the last day; else today, when only ``since``
    is given and no event is dated); None when there is no first day."""
    first = since or (min(days) if days else None)
    last = until or (max(days) if days else max(today, since) if since else None)
    return None if first is None or last is None else Period(first, last)


def _by_type(events: list[dict[str, Any]], before: list[dict[str, Any]]) -> list[tuple[str, int, int, int, int]]:
    def tally(records: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
        kinds = {str(e.get("event_type")) for e in records}
        return {k: (sum(1 for e in records if e.get("event_type") == k),
                    _fatalities(e for e in records if e.get("event_type") == k)) for k in kinds}

    now, then = tally(events), tally(before)
    order = [*EVENT_TYPES, *sorted((set(now) | set(then)) - set(EVENT_TYPES))]
    return [(k, *now.get(k, (0, 0)), *then.get(k, (0, 0))) for k in order if k in now or k in then]


def _weekly(events: list[dict[str, Any]], period: Period) -> list[tuple[date, int, int]]:
    """Every week of the period, or, for a period of more than ``MAX_WEEKS`` weeks, every week from the
    first event's to the last event's (a period may reach centuries ahead)."""
    first, last = period.first, period.last
    if period.days > 7 * MAX_WEEKS:
        days = [d for d in (_day(e) for e in events) if d is not None]
        if not days:
            return []
        first, last = max(first, min(days)), min(last, max(days))
    monday = first - timedelta(days=first.weekday())
    weeks: dict[date, list[int]] = {}
    while monday <= last:
        weeks[monday] = [0, 0]
        monday += timedelta(days=7)
    for event in events:
        day = _day(event)
        if day is not None:
            week = weeks.setdefault(day - timedelta(days=day.weekday()), [0, 0])
            week[0] += 1
            week[1] += event["fatalities"] if isinstance(event.get("fatalities"), int) else 0
    return [(monday, n, dead) for monday, (n, dead) in sorted(weeks.items())]


def _prominence(event: Mapping[str, Any]) -> tuple[int, int, int, str, str]:
    dead = event.get("fatalities")
    return (-(dead if isinstance(dead, int) else 0), -len(event.get("reports") or ()),
            -len(_source_names(event)), str(event.get("event_date") or "9999"), str(event.get("event_id")))


def _source_names(event: Mapping[str, Any]) -> list[str]:
    """The distinct names of the sources an event's articles name, in their order."""
    names = [str(s["name"]) for s in event.get("sources") or () if isinstance(s, dict) and s.get("name")]
    return list(dict.fromkeys(names))


def _outlets(events: list[dict[str, Any]]) -> list[tuple[str, int, int]]:
    per_event: Counter[str] = Counter()
    articles: dict[str, set[str]] = {}
    for event in events:
        outlets: set[str] = set()
        for report in event.get("reports") or ():
            if isinstance(report, dict) and report.get("outlet"):
                outlets.add(str(report["outlet"]))
                articles.setdefault(str(report["outlet"]), set()).add(str(report.get("article_id")))
        per_event.update(outlets)
    ranked = sorted(per_event.items(), key=lambda item: (-item[1], -len(articles[item[0]]), item[0]))
    return [(name, n, len(articles[name])) for name, n in ranked[:TOP_SOURCES]]


def _named_sources(events: list[dict[str, Any]]) -> list[tuple[str, str | None, int]]:
    per_event: Counter[str] = Counter()
    kinds: dict[str, Counter[str]] = {}
    for event in events:
        per_event.update(_source_names(event))
        for source in event.get("sources") or ():
            if isinstance(source, dict) and source.get("name") and source.get("kind"):
                kinds.setdefault(str(source["name"]), Counter())[str(source["kind"])] += 1
    ranked = sorted(per_event.items(), key=lambda item: (-item[1], item[0]))[:TOP_SOURCES]
    return [(name, kinds[name].most_common(1)[0][0] if name in kinds else None, n) for name, n in ranked]


def _precision(events: list[dict[str, Any]]) -> dict[str, int]:
    counts = Counter(_where(e)[2] for e in events)
    return {name: counts[name] for name in ("town", "near or region", "unknown")}


def _where(event: Mapping[str, Any]) -> tuple[float | None, float | None, str]:
    """Longitude, latitude and how well the place is known: 'town' (geo_precision 1), 'near or region'
    (2 or 3, or no precision given), 'unknown' (no coordinates)."""
    lat, lon = event.get("latitude"), event.get("longitude")
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        return None, None, "unknown"
    return float(lon), float(lat), "town" if event.get("geo_precision") == 1 else "near or region"


# -- words ------------------------------------------------------------------------------------------

def _shown(event: Mapping[str, Any]) -> dict[str, Any]:
    """An event with every field the page shows: those a record lacks (written by an older version) as
    None; its reports and sources as dicts with theirs."""
    def each(items: Any, keys: tuple[str, ...]) -> list[dict[str, Any]]:
        return [{**dict.fromkeys(keys), **item} for item in items or () if isinstance(item, dict)]

    return {**dict.fromkeys(SHOWN), **event, "reports": each(event.get("reports"), REPORT_SHOWN),
            "sources": each(event.get("sources"), SOURCE_SHOWN)}


def _title(s: Summary) -> str:
    where = s.filters["country"] or "All countries"
    when = f"{s.period.first.isoformat()} to {s.period.last.isoformat()}" if s.period else "all dates"
    return f"Situation report: {where}, {when}"


def _place(event: Mapping[str, Any]) -> str:
    parts = [event.get("location"), event.get("admin1"), event.get("country")]
    names = list(dict.fromkeys(str(p) for p in parts if p))
    return ", ".join(names) or "place unknown"


def _link(url: object) -> str | None:
    """An article's address when it can be a link (http or https), else None (shown as text)."""
    return url if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else None


def _many(count: int, noun: str, plural: str | None = None) -> str:
    """'1 event', '2 events'."""
    return f"{count} {noun}" if count == 1 else f"{count} {plural or noun + 's'}"


def _signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)  # minus as ASCII hyphen keeps the figure searchable


# -- charts -----------------------------------------------------------------------------------------

def _figure(width: float, height: float) -> Any:
    """A matplotlib figure drawn without pyplot (no GUI backend, no global state)."""
    figure: Any = import_optional("matplotlib.figure", EXTRA)
    return figure.Figure(figsize=(width, height), layout="constrained")


_SAVING = threading.Lock()
"""Held while a figure is written: matplotlib's settings are the process's, and a server writes reports
in several threads."""


def _svg_uri(fig: Any) -> str:
    """The figure as an SVG ``data:`` URI, the same bytes for the same figure (no date, fixed ids)."""
    matplotlib: Any = import_optional("matplotlib", EXTRA)
    buffer = io.BytesIO()
    with _SAVING, matplotlib.rc_context({"svg.hashsalt": "sitrep", "svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None}, dpi=RASTER_DPI)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _map(events: list[dict[str, Any]]) -> str | None:
    """The map of the events with a known place, over the country boundaries; None when none has one."""
    points = [(*_where(e)[:2], _where(e)[2], e) for e in events if _where(e)[2] != "unknown"]
    if not points:
        return None
    path: Any = import_optional("matplotlib.path", EXTRA)
    collections: Any = import_optional("matplotlib.collections", EXTRA)
    lines: Any = import_optional("matplotlib.lines", EXTRA)
    from sitrep.basemap import countries, flat

    west, south, east, north = _extent([(p[0], p[1]) for p in points])
    fig = _figure(7.0, 5.2)
    ax = fig.add_subplot()
    ax.set_facecolor("#dceaf2")
    shapes = []
    for shape in countries():
        rings = [part for polygon in shape.polygons for ring in polygon for part in flat(ring)]
        if any(_overlaps(ring, (west, south, east, north)) for ring in rings):
            vertices = [xy for ring in rings for xy in ring]
            codes = [c for ring in rings for c in [path.Path.MOVETO] + [path.Path.LINETO] * (len(ring) - 1)]
            shapes.append(path.Path(vertices, codes))
    ax.add_collection(collections.PathCollection(shapes, facecolors="#f4f1ea", edgecolors="#8c8c8c", linewidths=0.6),
                      autolim=False)
    present = [k for k in [*COLOURS, None] if any(_colour_key(p[3]) == k for p in points)]
    for kind in present:
        for precision, filled in (("near or region", False), ("town", True)):
            chosen = [p for p in points if _colour_key(p[3]) == kind and p[2] == precision]
            if chosen:
                colour = COLOURS.get(kind or "", OTHER_COLOUR)
                ax.scatter([p[0] for p in chosen], [p[1] for p in chosen], s=[_area(p[3]) for p in chosen],
                           facecolors=colour if filled else "none", edgecolors="white" if filled else colour,
                           linewidths=0.6 if filled else 1.6, alpha=0.85, zorder=3,
                           rasterized=len(points) > VECTOR_POINTS)
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / _x_scale(south, north))
    ax.tick_params(labelsize=7)
    handles = [lines.Line2D([], [], ls="", marker="o", markersize=7, markerfacecolor=COLOURS.get(k or "", OTHER_COLOUR),
                            markeredgecolor="white", label=k or "Other") for k in present]
    handles += [
        lines.Line2D([], [], ls="", marker="o", markersize=7, markerfacecolor="#777777", markeredgecolor="white",
                     label="town (precision 1)"),
        lines.Line2D([], [], ls="", marker="o", markersize=7, markerfacecolor="none", markeredgecolor="#777777",
                     markeredgewidth=1.6, label="near a town or a region's centroid (2, 3)"),
    ]
    handles += [lines.Line2D([], [], ls="", marker="o", markersize=math.sqrt(_area({"fatalities": n})),
                             markerfacecolor="#bbbbbb", markeredgecolor="white", label=f"{n} killed")
                for n in (0, 10, 100)]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=7, frameon=False)
    return _svg_uri(fig)


def _colour_key(event: Mapping[str, Any]) -> str | None:
    kind = event.get("event_type")
    return kind if kind in COLOURS else None


def _area(event: Mapping[str, Any]) -> float:
    """A marker's area in points squared: grows with the square root of the fatalities."""
    dead = event.get("fatalities")
    return 18.0 + 16.0 * math.sqrt(dead if isinstance(dead, int) and dead > 0 else 0)


def _extent(points: list[tuple[float | None, float | None]]) -> tuple[float, float, float, float]:
    """West, south, east, north around the points, with a margin, at least 4 degrees across, widened
    to a landscape frame (``MAP_RATIO``) once drawn with the scale of its middle latitude."""
    xs = [float(x) for x, _ in points if x is not None]
    ys = [float(y) for _, y in points if y is not None]
    margin = max(2.0, 0.15 * max(max(xs) - min(xs), max(ys) - min(ys)))
    west, south, east, north = min(xs) - margin, min(ys) - margin, max(xs) + margin, max(ys) + margin
    scale = _x_scale(south, north)
    width, height = (east - west) * scale, north - south
    if width < MAP_RATIO * height:
        grow = (MAP_RATIO * height / scale - (east - west)) / 2
        west, east = west - grow, east + grow
    else:
        grow = (width / MAP_RATIO - height) / 2
        south, north = south - grow, north + grow
    return max(-180.0, west), max(-85.0, south), min(180.0, east), min(85.0, north)


def _x_scale(south: float, north: float) -> float:
    """How much shorter a degree of longitude is than one of latitude at the middle of the frame."""
    return max(0.2, math.cos(math.radians((south + north) / 2)))


def _overlaps(ring: tuple[tuple[float, float], ...], box: tuple[float, float, float, float]) -> bool:
    xs, ys = [x for x, _ in ring], [y for _, y in ring]
    return min(xs) <= box[2] and max(xs) >= box[0] and min(ys) <= box[3] and max(ys) >= box[1]


def _weekly_chart(weekly: list[tuple[date, int, int]]) -> str | None:
    """Bars of events per week and a line of fatalities per week, each week drawn from its Monday;
    None without a week."""
    if not weekly:
        return None
    dates: Any = import_optional("matplotlib.dates", EXTRA)
    fig = _figure(7.0, 2.6)
    ax = fig.add_subplot()
    mondays = [monday for monday, _, _ in weekly]
    ax.bar(mondays, [n for _, n, _ in weekly], width=6, align="edge", color="#4c72b0")
    ax.set_ylabel("events per week", fontsize=8, color="#4c72b0")
    ax.yaxis.get_major_locator().set_params(integer=True)
    right = ax.twinx()
    middles = [monday + timedelta(days=3) for monday in mondays]
    right.plot(middles, [dead for _, _, dead in weekly], color="#c44e52", marker="o", markersize=3)
    right.set_ylabel("fatalities per week", fontsize=8, color="#c44e52")
    right.set_ylim(bottom=0)
    right.yaxis.get_major_locator().set_params(integer=True)
    locator = dates.AutoDateLocator(minticks=3, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator))
    ax.set_xlim(mondays[0] - timedelta(days=1), mondays[-1] + timedelta(days=8))
    for axis in (ax, right):
        axis.tick_params(labelsize=7)
    return _svg_uri(fig)
