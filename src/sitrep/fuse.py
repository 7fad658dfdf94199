"""Fusing: reports of one real event become one event with all its reports.

What one article says about one incident is a *report*: an event record as ``extract`` gives it
(``Event.to_dict()``), with its article's outlet, url, title and publication day. Reports of one
incident, from one article's headline and body or from many outlets, become one *event*.

How it decides, as an analyst would (ACLED codebook, "Sourcing" and "Fatalities"; UCDP GED codebook,
"Estimates"):

1. **Could they be one event?** (``Match.possible``) The same country; days that agree within
   ``DAY_TOLERANCE`` (an aggregate's span counts as its days, up to ``MAX_SPAN_DAYS``); places that do
   not contradict (two towns more than ``FAR_KM`` apart, or two different first-level divisions, are two
   events); types that can describe one incident (``compatible_types``). A report dated only to the
   month (time precision 3) or not at all is never fused.
2. **Do they say so?** (``Match.score``) Points for the same day (a day apart costs one), the same place
   (the same gazetteer entry or name, or towns within ``NEAR_KM``: one town under two spellings; two
   towns farther apart cost one), the same sub-type or type, actors that agree (a named actor or party in
   common; named actors with none in common cost one), the same toll, and the words their evidence
   sentences share (token overlap, no model). Two reports are *linked* when they could be one event and
   score at least ``LINK_SCORE``.
3. **Events** (``cluster``): linked reports join, strongest link first, unless some pair of reports in
   the joined group could not be one event (two towns, days two apart). The result depends only on the
   set of reports, never on the order they came in.
4. **What the event says** (``combine``): the best-supported day, the most precise place, the sub-type
   most reports give (violence before a strategic development), the actors of its best report, every
   source, and fatalities reconciled: each source's latest figure ("the toll rose to N" supersedes the
   same source's earlier figure), ACLED's figure the lowest credible one, UCDP's low, best (the median)
   and high across sources, a party's claim about its own action kept apart, and every source's figure
   named in the notes, never averaged away.

The event's id is the ``event_id`` of its first report (earliest publication day, then article id,
then report id), so it does not change when a later report joins it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from difflib import SequenceMatcher
from functools import cache
from typing import Any

from sitrep.lexicon import read

__all__ = [
    "LINK_SCORE",
    "Match",
    "Report",
    "cluster",
    "combine",
    "compatible_types",
    "fuse",
    "match",
    "report",
]

Record = dict[str, Any]

DAY_TOLERANCE = 1
"""Days two reports' dates may differ (ACLED's "within one day": outlets date an overnight strike apart).
A report dated only to the week (time precision 2) has the same tolerance: its span, when it gives one,
says which days it covers."""
MAX_SPAN_DAYS = 31
"""Longest aggregate span (``event_date``..``date_end``) fusion reads; longer spans are cut to this."""
NEAR_KM = 10.0
"""Two towns this close may be one place under two spellings or two gazetteer entries."""
FAR_KM = 25.0
"""Two towns farther apart are two places: reports set in them are two events (unless one is named like
its province and may stand for it)."""

SAME_DAY = 2.0
NEXT_DAY = -1.0
SAME_PLACE = 3.0
NEAR_PLACE = 2.0
SAME_AREA = 1.0
OTHER_TOWN = -1.0
"""Two towns between ``NEAR_KM`` and ``FAR_KM`` apart: probably two places, unless more says otherwise."""
SAME_SUB_TYPE = 2.0
SAME_TYPE = 1.0
COMPATIBLE_TYPES = 0.0
ACTORS_AGREE = 1.0
ACTORS_DISAGREE = -1.0
SAME_TOLL = 1.0
TEXT_WEIGHT = 4.0
"""Points for evidence sentences sharing all their words (token overlap coefficient, 0 to 1)."""
LINK_SCORE = 5.0
"""Points two reports need to be linked. The same day, town and sub-type (7), or the same day and town
told as two compatible types (5), are enough; a day apart (-1), or two towns 10 to 25 km apart (-1),
need shared words, actors or a toll besides."""

VIOLENT = ("Battles", "Explosions/Remote violence", "Violence against civilians")

_COMPATIBLE_PAIRS: frozenset[frozenset[str]] = frozenset(
    frozenset(pair)
    for pair in (
        # An armed clash and the territory taken in it (ACLED codes the taking as the battle).
        ("Battles", "Non-violent transfer of territory"),
        # Shelling in a battle: outlets tell the same fight as a clash or as the shelling.
        ("Battles", "Explosions/Remote violence"),
        # A strike or bombing that killed civilians, told by another outlet as an attack on them.
        ("Explosions/Remote violence", "Violence against civilians"),
        ("Battles", "Violence against civilians"),
        # A protest turned violent; a protest met with force.
        ("Protests", "Riots"),
        # An abduction told as an arrest, and the reverse.
        ("Abduction/forced disappearance", "Arrests"),
        # Property destroyed in a riot or a raid.
        ("Riots", "Looting/property destruction"),
    )
)
"""Event types (or a type and a sub-type) that can describe one incident (ACLED codebook, event types)."""

CROWDS = ("Civilians", "Protesters", "Rioters")
"""Inter codes of actors that name a crowd, not a party: no evidence for or against fusing."""

PARTY_KINDS = ("armed group", "government")
"""Source kinds whose claims about their own actions are kept apart from the credible figures."""

_WORD = re.compile(r"[^\W\d_][\w'’-]+|\d+")


@dataclass(frozen=True, eq=False)
class Report:
    """One stored event record, read for fusion. ``record`` is kept whole; the rest is derived from it."""

    record: Record = field(repr=False)
    article: Record = field(repr=False)
    """What the store keeps of its article: ``outlet``, ``published``, ``url``, ``title``."""
    event_id: str
    article_id: str
    outlet: str | None
    published: str | None
    """Publication day of the article (ISO), None when unknown."""
    start: date | None
    end: date | None
    precision: int
    country: str
    admin1: str
    location: str
    geonameid: int | None
    point: tuple[float, float] | None
    """(latitude, longitude) of a town-level place (geo precision 1 or 2), else None."""
    geo_precision: int
    event_type: str
    sub_event_type: str
    actors: frozenset[str]
    """Named actors of both sides and their associates (not crowds, not unidentified groups)."""
    words: frozenset[str]
    """Content words of the evidence sentences, lower case."""
    parties: frozenset[str]
    """``actors`` as parties: the state forces of one country (military, police) are one party."""
    names_province: bool
    """The place is a town named like its first-level division ("Idlib" in Idlib): the words may have
    meant the province, so a town elsewhere in it does not contradict."""
    fatalities: int
    confidence: float

    @property
    def order(self) -> tuple[str, str, str]:
        """The key that picks an event's id: earliest publication day, then article id, then report id."""
        return (self.published or "9999-12-31", self.article_id, self.event_id)


def report(record: Mapping[str, Any], article: Mapping[str, Any] | None = None) -> Report:
    """A ``Report`` of an event record; ``article`` gives its article's ``outlet``, ``published``,
    ``url`` and ``title`` (as stored with the article), kept in the record's ``reports`` entry."""
    article = article or {}
    rec = dict(record)
    start = _day(rec.get("event_date"))
    end = _day(rec.get("date_end")) or start
    if start is not None and end is not None:
        end = min(max(end, start), start + timedelta(days=MAX_SPAN_DAYS))
    lat, lon = rec.get("latitude"), rec.get("longitude")
    precision = int(rec.get("geo_precision") or 3)
    point = (float(lat), float(lon)) if isinstance(lat, int | float) and isinstance(lon, int | float) \
        and _finite(lat) and _finite(lon) and precision <= 2 else None
    inters = {rec.get("actor1"): rec.get("inter1"), rec.get("actor2"): rec.get("inter2")}
    named = {a for a, inter in inters.items() if isinstance(a, str) and _named(a, inter)}
    named |= {a for key in ("assoc_actor_1", "assoc_actor_2") for a in rec.get(key) or () if isinstance(a, str)
              and _named(a, None)}
    text = " ".join(str(s.get("text") or "") for s in rec.get("evidence") or () if isinstance(s, dict))
    return Report(
        record=rec,
        article={k: article.get(k) for k in ("outlet", "published", "url", "title")},
        event_id=str(rec.get("event_id")),
        article_id=str(rec.get("article_id")),
        outlet=article.get("outlet"),
        published=article.get("published"),
        start=start,
        end=end,
        precision=int(rec.get("time_precision") or (1 if start else 3)),
        country=str(rec.get("country") or ""),
        admin1=_fold(rec.get("admin1")),
        location=_fold(rec.get("location")),
        geonameid=rec.get("geonameid") if isinstance(rec.get("geonameid"), int) else None,
        point=point,
        geo_precision=precision,
        event_type=str(rec.get("event_type") or ""),
        sub_event_type=str(rec.get("sub_event_type") or ""),
        actors=frozenset(named),
        words=words(text),
        parties=frozenset(_party(a) for a in named),
        names_province=bool(rec.get("location")) and precision == 1 and _alike(rec.get("location"), rec.get("admin1")),
        fatalities=int(rec.get("fatalities") or 0),
        confidence=float(rec.get("confidence") or 0.0),
    )


def words(text: str, language: str = "en") -> frozenset[str]:
    """The content words of a text: lower case, at least three letters or a number, none of the
    language's stop words (spaCy's, and ``data/<language>/fusion.yaml``)."""
    ignored = _ignored(language)
    return frozenset(w for w in (m.group().lower().strip("'’-") for m in _WORD.finditer(text))
                     if (len(w) >= 3 or w.isdigit()) and w not in ignored)


@cache
def _ignored(language: str) -> frozenset[str]:
    from spacy.util import get_lang_class

    entries = read(language, "fusion.yaml")
    extra = {str(w).lower() for entry in entries.values() for w in entry["words"]}
    return frozenset(get_lang_class(language).Defaults.stop_words) | extra


@dataclass(frozen=True)
class Match:
    """How two reports compare."""

    possible: bool
    """Whether they could be one event (nothing contradicts it)."""
    score: float
    """The evidence that they are (see the module docstring)."""
    reasons: tuple[str, ...]
    """What was found, in words, for ``sitrep event``."""

    @property
    def linked(self) -> bool:
        return self.possible and self.score >= LINK_SCORE


def match(a: Report, b: Report) -> Match:
    """Compare two reports; the result is the same whichever comes first."""
    if b.event_id < a.event_id:
        a, b = b, a
    reasons: list[str] = []
    if not a.country or a.country != b.country:
        return Match(False, 0.0, ("different or unknown countries",))
    day = _days(a, b)
    if day is None:
        return Match(False, 0.0, ("days apart or not known to the day",))
    score, said = day
    reasons.append(said)
    place = _places(a, b)
    if place is None:
        return Match(False, 0.0, ("different places",))
    score += place[0]
    reasons.append(place[1])
    if a.article_id == b.article_id and (a.event_type != b.event_type or a.start != b.start):
        # The extractor already merges what one article tells twice of one event: two events of one
        # article are one only if they are told alike (a headline and its story: one day, one sub-type).
        return Match(False, 0.0, ("one article tells them as two events",))
    kind = _types(a, b)
    if kind is None:
        return Match(False, 0.0, (f"incompatible types ({a.sub_event_type}; {b.sub_event_type})",))
    if a.article_id == b.article_id and _sides_swapped(a, b):
        return Match(False, 0.0, ("the attacker of one is the target of the other",))
    score += kind[0]
    reasons.append(kind[1])
    if a.actors and b.actors:
        common = sorted(a.actors & b.actors) or sorted(a.parties & b.parties)
        if common:
            score += ACTORS_AGREE
            reasons.append("actors agree: " + ", ".join(common))
        else:
            score += ACTORS_DISAGREE
            reasons.append("actors differ: " + ", ".join(sorted(a.actors)) + " / " + ", ".join(sorted(b.actors)))
    if a.fatalities and a.fatalities == b.fatalities:
        score += SAME_TOLL
        reasons.append(f"the same toll ({a.fatalities})")
    overlap = _overlap(a.words, b.words)
    if overlap:
        score += TEXT_WEIGHT * overlap
        shared = sorted(a.words & b.words)
        reasons.append(f"evidence shares {overlap:.0%} of its words ({', '.join(shared[:8])}"
                       f"{', ...' if len(shared) > 8 else ''})")
    return Match(True, round(score, 3), tuple(reasons))


def _sides_swapped(a: Report, b: Report) -> bool:
    """Whether one-sided violence is told with its parties the other way round: the attacker of one
    report is the target of the other (the RSF shelling a camp, the army's jets striking the RSF), two
    acts as ACLED codes them. A battle's sides have no order. Used within one article, whose events
    were told apart: across outlets, the same act is often told from either side."""
    if "Battles" in (a.event_type, b.event_type):
        return False
    a1, a2, b1, b2 = (r.record.get(k) for r in (a, b) for k in ("actor1", "actor2"))
    return bool((a1 and a1 == b2 and a1 != b1) or (b1 and b1 == a2 and b1 != a1))


def compatible_types(a: str, a_sub: str, b: str, b_sub: str) -> bool:
    """Whether events of these types and sub-types can be one incident told two ways."""
    if a == b:
        return True
    return any(frozenset((x, y)) in _COMPATIBLE_PAIRS for x in (a, a_sub) for y in (b, b_sub))


def cluster(reports: Sequence[Report], links: Mapping[tuple[str, str], float],
            together: Iterable[tuple[str, str]] = (), apart: Iterable[tuple[str, str]] = ()) -> list[list[Report]]:
    """Group reports into events: the strongest link first, a link joining two groups only if every
    pair across them could be one event (``match(...).possible``). ``links`` maps ``(id, id)`` pairs
    (either order) to their score; pairs of unknown reports are ignored. Groups come back sorted
    (each by ``Report.order``, the groups by their first report).

    ``together`` and ``apart`` are analysts' decisions (a merge, a split), pairs of report ids: a
    ``together`` pair joins its two groups whatever the reports say, before any link; an ``apart``
    pair is never in one group, whatever joins them (``apart`` wins over ``together``)."""
    by_id = {r.event_id: r for r in reports}
    group = {i: i for i in sorted(by_id)}
    members: dict[str, list[str]] = {i: [i] for i in group}
    possible: dict[tuple[str, str], bool] = {}
    separate = {(min(x, y), max(x, y)) for x, y in apart}

    def can(x: str, y: str) -> bool:
        key = (x, y) if x < y else (y, x)
        if key not in possible:
            possible[key] = key not in separate and match(by_id[key[0]], by_id[key[1]]).possible
        return possible[key]

    def allowed(x: str, y: str) -> bool:
        return (x, y) not in separate and (y, x) not in separate

    def join(gx: str, gy: str) -> None:
        keep, drop = (gx, gy) if gx < gy else (gy, gx)
        for m in members[drop]:
            group[m] = keep
        members[keep] += members.pop(drop)

    for x, y in sorted((min(x, y), max(x, y)) for x, y in together if x in by_id and y in by_id and x != y):
        gx, gy = group[x], group[y]
        if gx != gy and all(allowed(p, q) for p in members[gx] for q in members[gy]):
            join(gx, gy)
    edges = sorted(((-s, min(x, y), max(x, y)) for (x, y), s in links.items()
                    if x in by_id and y in by_id and x != y), key=lambda e: e)
    for _, x, y in edges:
        gx, gy = group[x], group[y]
        if gx == gy or not all(can(p, q) for p in members[gx] for q in members[gy]):
            continue
        join(gx, gy)
    groups = [sorted((by_id[m] for m in ms), key=lambda r: r.order) for ms in members.values()]
    return sorted(groups, key=lambda g: g[0].order)


def fuse(reports: Iterable[Report]) -> list[list[Report]]:
    """All reports grouped into events (``match`` on every pair of one country within the day
    tolerance, then ``cluster``): what the store computes incrementally, in one call."""
    items = sorted(reports, key=lambda r: r.event_id)
    links: dict[tuple[str, str], float] = {}
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            if a.country == b.country:
                m = match(a, b)
                if m.linked:
                    links[(a.event_id, b.event_id)] = m.score
    return cluster(items, links)


def candidate_window(r: Report) -> tuple[date, date] | None:
    """The days another report must reach into to be compared with ``r`` (what the store searches by
    country and day): it starts on or before the second and ends on or after the first. None when
    ``r`` is never fused (no day, a month's precision, no country)."""
    if r.start is None or r.end is None or r.precision >= 3 or not r.country:
        return None
    slack = timedelta(days=DAY_TOLERANCE)
    return r.start - slack, r.end + slack


# -- the fused event -----------------------------------------------------------------------------


def combine(reports: Sequence[Report]) -> Record:
    """One event record from the reports of one event (see the module docstring).

    A single report is its own record, unchanged. Several give a record with the fields of
    ``Event.to_dict()``, ``article_ids``, ``reports`` (each report's article, outlet, day, sub-type,
    place, figures, sources and evidence offsets into its own article) and ``fusion`` (the figures
    per source and what was chosen).
    """
    ordered = sorted(reports, key=lambda r: r.order)
    if len(ordered) == 1:
        return dict(ordered[0].record)
    anchor = ordered[0]
    sub_type = _sub_type(ordered)
    best = min(ordered, key=lambda r: (r.sub_event_type != sub_type, r.geo_precision, r.precision,
                                        -len(r.actors), -r.confidence, r.order))
    where = min(ordered, key=lambda r: (r.geo_precision, r.point is None, r is not best, r.order))
    day, days = _event_day(ordered)
    figures = _figures(ordered)
    toll, low, best_figure, high, chosen = _reconcile(figures)
    record = dict(best.record)
    record.update({
        "event_id": anchor.event_id,
        "article_id": best.article_id,
        "article_ids": _unique(r.article_id for r in ordered),
        "event_date": day.isoformat() if day else None,
        "date_end": _date_end(ordered, day),
        "time_precision": min(r.precision for r in ordered if r.start == day) if day else best.precision,
        "event_type": best.event_type,
        "sub_event_type": best.sub_event_type,
        "confidence": round(max(r.confidence for r in ordered), 3),
        "sources": _sources(ordered),
    })
    for key in ("country", "iso3", "admin1", "admin2", "location", "geonameid", "latitude", "longitude",
                "geo_precision"):
        record[key] = where.record.get(key)
    if chosen is not None:
        record.update({"fatalities": toll, "fatalities_low": low, "fatalities_best": best_figure,
                       "fatalities_high": high})
        for key in ("deaths_civilians", "deaths_side_1", "deaths_side_2"):
            record[key] = chosen.record.get(key)
    record["notes"] = _notes(best, ordered, days, figures, toll)
    record["reports"] = [_report_entry(r) for r in ordered]
    record["fusion"] = {
        "reports": len(ordered),
        "days": {d: n for d, n in days},
        "figures": [f.to_dict() for f in figures],
    }
    return record


@dataclass(frozen=True)
class Figure:
    """One source's toll for the event: its latest report's figures."""

    source: str
    fatalities: int
    low: int
    best: int
    high: int
    claim: bool
    """A party's own claim (an armed group or a government speaking of its own action)."""
    report: Report = field(repr=False)

    def to_dict(self) -> Record:
        return {"source": self.source, "fatalities": self.fatalities, "low": self.low, "best": self.best,
                "high": self.high, "claim": self.claim, "event_id": self.report.event_id,
                "article_id": self.report.article_id}


def _figures(reports: Sequence[Report]) -> list[Figure]:
    """Each source's figure: the figures of its latest report (a later "toll rose to N" supersedes the
    same source's earlier figure; on one day the higher). Reports that give no toll give no figure."""
    latest: dict[str, Figure] = {}
    for r in reports:
        rec = r.record
        best = _int(rec.get("fatalities_best"), r.fatalities)
        if max(best, r.fatalities) <= 0:
            continue
        name, claim = _figure_source(r)
        figure = Figure(name, r.fatalities, _int(rec.get("fatalities_low"), r.fatalities), best,
                        _int(rec.get("fatalities_high"), best), claim, r)
        key = name.casefold()
        old = latest.get(key)
        if old is None or (r.published or "", best) > (old.report.published or "", old.best):
            latest[key] = figure
    return sorted(latest.values(), key=lambda f: (f.claim, f.source.casefold()))


def _figure_source(r: Report) -> tuple[str, bool]:
    """Who a report's toll is from (its first named source that is not a party's claim, else its
    outlet) and whether it is a party's claim (every source is a party speaking of its own action)."""
    sources = [s for s in r.record.get("sources") or () if isinstance(s, dict) and s.get("name")]
    claims = [s.get("kind") in PARTY_KINDS and s.get("claim") == "claimed" for s in sources]
    if not sources:
        return r.outlet or r.article_id, False
    if all(claims):
        return str(sources[0]["name"]), True
    return str(next(s for s, c in zip(sources, claims, strict=True) if not c)["name"]), False


def _reconcile(figures: Sequence[Figure]) -> tuple[int, int, int, int, Report | None]:
    """(ACLED figure, UCDP low, best, high, the report the ACLED figure comes from) over the credible
    figures (parties' claims only when nobody else gives one): the lowest for ACLED's and UCDP's low,
    the median source's for UCDP's best, the highest for UCDP's high."""
    credible = [f for f in figures if not f.claim] or list(figures)
    if not credible:
        return 0, 0, 0, 0, None
    lowest = min(credible, key=lambda f: (f.fatalities, f.source.casefold()))
    bests = sorted(f.best for f in credible)
    best = bests[(len(bests) - 1) // 2]
    return (lowest.fatalities, min(f.low for f in credible), best, max(max(f.high, f.best) for f in credible),
            lowest.report)


def _shares(reports: Sequence[Report]) -> dict[str, float]:
    """Each report's share of its article's one vote (an article is one witness however many of its
    sentences tell the event), by report id."""
    per_article: dict[str, int] = {}
    for r in reports:
        per_article[r.article_id] = per_article.get(r.article_id, 0) + 1
    return {r.event_id: 1 / per_article[r.article_id] for r in reports}


def _sub_type(reports: Sequence[Report]) -> str:
    """The sub-type most articles give; ties go to violence over a strategic development, then to the
    more confident reports, then alphabetically."""
    share = _shares(reports)
    votes: dict[str, tuple[float, float]] = {}
    for r in reports:
        n, c = votes.get(r.sub_event_type, (0.0, 0.0))
        votes[r.sub_event_type] = (n + share[r.event_id], c + r.confidence)
    type_of = {r.sub_event_type: r.event_type for r in reports}
    return min(votes, key=lambda s: (-round(votes[s][0], 6), type_of[s] not in VIOLENT, -votes[s][1], s))


def _event_day(reports: Sequence[Report]) -> tuple[date | None, list[tuple[str, int]]]:
    """The day most articles give, a report dated to the day counting twice one dated to the week or
    covering several days (ties: the earliest); and each day with its number of reports."""
    share = _shares(reports)
    counts: dict[date, float] = {}
    for r in reports:
        if r.start is not None:
            weight = 2.0 if r.precision == 1 and r.end == r.start else 1.0
            counts[r.start] = counts.get(r.start, 0.0) + weight * share[r.event_id]
    if not counts:
        return None, []
    day = min(counts, key=lambda d: (-round(counts[d], 6), d))
    seen: dict[str, int] = {}
    for r in reports:
        if r.start is not None:
            seen[r.start.isoformat()] = seen.get(r.start.isoformat(), 0) + 1
    return day, sorted(seen.items())


def _date_end(reports: Sequence[Report], day: date | None) -> str | None:
    ends = [r.record.get("date_end") for r in reports if r.start == day and r.record.get("date_end")]
    return max(str(e) for e in ends) if ends else None


def _sources(reports: Sequence[Report]) -> list[Record]:
    """Every report's sources, each (name, claim) once, in report order."""
    seen: set[tuple[str, str]] = set()
    out: list[Record] = []
    for r in reports:
        for s in r.record.get("sources") or ():
            if not isinstance(s, dict):
                continue
            key = (str(s.get("name") or "").casefold(), str(s.get("claim") or ""))
            if key not in seen:
                seen.add(key)
                out.append(s)
    return out


def _report_entry(r: Report) -> Record:
    rec = r.record
    entry: Record = {"article_id": r.article_id, "event_id": r.event_id, **r.article}
    for key in ("event_date", "date_end", "event_type", "sub_event_type", "actor1", "actor2", "location",
                "admin1", "fatalities", "fatalities_low", "fatalities_best", "fatalities_high", "sources",
                "evidence", "confidence"):
        entry[key] = rec.get(key)
    return entry


def _notes(best: Report, reports: Sequence[Report], days: Sequence[tuple[str, int]], figures: Sequence[Figure],
           toll: int) -> str:
    """The best report's notes, then how many reports and which outlets; days and tolls where they
    disagree; parties' claims apart."""
    base = str(best.record.get("notes") or "").strip()
    articles = _unique(r.article_id for r in reports)
    outlets = _unique(r.outlet or r.article_id for r in reports)
    parts = [base] if base else []
    in_articles = f"{len(articles)} article" + ("s" if len(articles) != 1 else "")
    parts.append(f"Fused from {len(reports)} reports in {in_articles} ({'; '.join(outlets)}).")
    if len(days) > 1:
        parts.append("Reported days: " + "; ".join(f"{d} ({n})" for d, n in days) + ".")
    credible = [f for f in figures if not f.claim]
    tolls = {f.fatalities for f in credible}
    if len(tolls) > 1:
        parts.append("Fatalities by source: " + "; ".join(f"{f.source} {f.fatalities}" for f in credible)
                     + f"; the lowest, {toll}, is given.")
    claims = [f for f in figures if f.claim]
    if claims:
        parts.append("Claimed: " + "; ".join(f"{f.source} {f.fatalities}" for f in claims) + ".")
    return " ".join(parts)


# -- comparing -----------------------------------------------------------------------------------


def _days(a: Report, b: Report) -> tuple[float, str] | None:
    if a.start is None or b.start is None or a.end is None or b.end is None or max(a.precision, b.precision) >= 3:
        return None
    slack = DAY_TOLERANCE
    if a.start - timedelta(days=slack) > b.end or b.start - timedelta(days=slack) > a.end:
        return None
    if a.start == b.start:
        return SAME_DAY, f"the same day ({a.start.isoformat()})"
    if a.start <= b.start <= a.end or b.start <= a.start <= b.end:
        return SAME_DAY / 2, f"one day inside the other's span ({a.start.isoformat()}; {b.start.isoformat()})"
    return NEXT_DAY, f"days within {slack} ({a.start.isoformat()}; {b.start.isoformat()})"


def _places(a: Report, b: Report) -> tuple[float, str] | None:
    if (a.geonameid is not None and a.geonameid == b.geonameid) or (a.location and a.location == b.location):
        return SAME_PLACE, f"the same place ({a.record.get('location')})"
    if a.point is not None and b.point is not None:
        km = _km(a.point, b.point)
        apart = f"places {km:.0f} km apart ({a.record.get('location')}; {b.record.get('location')})"
        if km <= NEAR_KM:
            return NEAR_PLACE, apart
        if a.geo_precision == 1 and b.geo_precision == 1:
            if a.admin1 and a.admin1 == b.admin1 and (a.names_province or b.names_province):
                return SAME_AREA, (f"the same province ({a.record.get('admin1')}); "
                                   f"{(a if a.names_province else b).record.get('location')} may name it")
            return (OTHER_TOWN, "two towns " + apart) if km <= FAR_KM else None
        if km <= FAR_KM:
            return SAME_AREA, apart
    if a.admin1 and b.admin1:
        if a.admin1 != b.admin1:
            return None
        return SAME_AREA, f"the same province ({a.record.get('admin1')})"
    return 0.0, "place not known in one report"


def _types(a: Report, b: Report) -> tuple[float, str] | None:
    if a.sub_event_type == b.sub_event_type:
        return SAME_SUB_TYPE, f"the same sub-type ({a.sub_event_type})"
    if a.event_type == b.event_type:
        return SAME_TYPE, f"the same type ({a.event_type})"
    if compatible_types(a.event_type, a.sub_event_type, b.event_type, b.sub_event_type):
        return COMPATIBLE_TYPES, f"compatible types ({a.sub_event_type}; {b.sub_event_type})"
    return None


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared words over the smaller set's words (0 when either has fewer than 3)."""
    if len(a) < 3 or len(b) < 3:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _km(p: tuple[float, float], q: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*p, *q))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


_STATE_FORCES = re.compile(r"^(?:[A-Z][a-z]+ )?Forces of (?:the )?(.+?)(?: \(\d{4}-\d{0,4}\))?$")


def _party(name: str) -> str:
    """The party an actor belongs to: 'state forces of Syria' for 'Police Forces of Syria (2000-2024)'
    and 'Military Forces of Syria (2000-2024)' (ACLED names state forces by branch and country)."""
    m = _STATE_FORCES.match(name)
    return f"state forces of {m.group(1)}" if m else name


def _alike(a: Any, b: Any) -> bool:
    """Whether two place names are one name in two spellings ("Idlib", "Idleb"; "Deir ez-Zor",
    "Deir ez Zor"): letters folded to ASCII, then at least 80% alike."""
    x, y = _ascii(a), _ascii(b)
    return bool(x) and bool(y) and (x == y or SequenceMatcher(None, x, y).ratio() >= 0.8)


def _ascii(value: Any) -> str:
    text = unicodedata.normalize("NFKD", str(value or "")).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "", text)


def _named(name: str, inter: str | None) -> bool:
    return bool(name) and not name.startswith("Unidentified") and inter not in CROWDS \
        and not name.startswith(CROWDS)


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _fold(value: Any) -> str:
    return " ".join(str(value).casefold().split()) if isinstance(value, str) else ""


def _int(value: Any, default: int) -> int:
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else default


def _unique(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for v in values:
        if v not in seen:
            seen.add(v)
            out.append(v)
    return out
