"""The world basemap shipped with sitrep: country boundaries from Natural Earth, as TopoJSON.

``data/world/countries-110m.json`` is the ``world-atlas`` package's 1:110 million country map (Natural
Earth, public domain; the file's licence beside it). The situation report draws it; the dashboard
serves the same file to the browser.

A TopoJSON file stores each boundary line once, as an *arc*: a list of positions, quantized to integers
and delta-encoded when the topology has a ``transform``. A polygon's ring is a list of arc indexes; an
index ``~i`` (that is ``-i - 1``) is arc ``i`` walked backwards, and consecutive arcs share their joining
position. ``countries`` decodes the polygons back into rings of longitude, latitude positions.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Any

__all__ = ["WORLD", "Shape", "countries", "decode", "flat"]

WORLD = "data/world/countries-110m.json"
"""The shipped world map, inside the package (``importlib.resources.files("sitrep") / WORLD``)."""

Position = tuple[float, float]
Ring = tuple[Position, ...]
Polygon = tuple[Ring, ...]


@dataclass(frozen=True)
class Shape:
    """One polygonal feature of a topology: a country of the world map."""

    id: str | None
    """The geometry's id: for the world map, the ISO 3166-1 numeric code ('760' for Syria); None when absent."""
    name: str | None
    """``properties.name``: the Natural Earth name ('Syria'); None when absent."""
    polygons: tuple[Polygon, ...]
    """Each polygon as its rings of (longitude, latitude) positions in degrees, outer ring first, then
    its holes; each ring closed (its last position repeats its first)."""


def decode(topology: Mapping[str, Any], name: str) -> list[Shape]:
    """The polygonal features of the object ``name`` of a TopoJSON ``topology`` (a parsed file).

    Polygon and MultiPolygon geometries become ``Shape``s, in the file's order, a GeometryCollection's
    members included; geometries with a null type (no shape) are skipped. ValueError, naming the
    object and the problem, when ``name`` is not an object of the topology, a geometry is of another
    type (points, lines), or an arc index is out of range.
    """
    objects = topology.get("objects") or {}
    if name not in objects:
        raise ValueError(f"the topology has no object {name!r}; its objects are {sorted(objects)}")
    arcs = _arcs(topology)
    return [_shape(g, arcs, name) for g in _geometries(objects[name]) if g.get("type") is not None]


@cache
def countries() -> tuple[Shape, ...]:
    """The countries of the shipped world map (177 shapes), read once per process."""
    text = (resources.files("sitrep") / WORLD).read_text(encoding="utf-8")
    return tuple(decode(json.loads(text), "countries"))


def flat(ring: Ring) -> list[Ring]:
    """A ring as it can be drawn on a flat map in longitude and latitude, which has edges at -180 and
    180 degrees where the sphere has none. The world map's rings are not cut there: Fiji's and Russia's
    cross the antimeridian, Antarctica's goes round the South Pole.

    A ring that crosses the antimeridian and comes back (an even number of edges longer than 180
    degrees of longitude) is given twice, made continuous past 180 (or -180) and shifted by 360
    degrees, so that each side of the map shows its part. A ring that goes round a pole (an odd number)
    is closed along that pole where it jumps. Any other ring is given as it is."""
    jumps = [i for i in range(len(ring) - 1) if abs(ring[i + 1][0] - ring[i][0]) > 180]
    if not jumps:
        return [ring]
    if len(jumps) % 2:
        around: list[Position] = []
        for i, position in enumerate(ring):
            around.append(position)
            if i in jumps:
                pole = -90.0 if position[1] < 0 else 90.0
                around += [(position[0], pole), (ring[i + 1][0], pole)]
        return [tuple(around)]
    shift = 0.0
    continuous = [ring[0]]
    for (x0, _), (x1, y1) in pairwise(ring):
        shift += -360.0 if x1 - x0 > 180 else 360.0 if x1 - x0 < -180 else 0.0
        continuous.append((x1 + shift, y1))
    other = -360.0 if max(x for x, _ in continuous) > 180 else 360.0
    return [tuple(continuous), tuple((x + other, y) for x, y in continuous)]


def _geometries(obj: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """A geometry, or the members of a GeometryCollection (recursively)."""
    if obj.get("type") == "GeometryCollection":
        for member in obj.get("geometries") or ():
            yield from _geometries(member)
    else:
        yield obj


def _arcs(topology: Mapping[str, Any]) -> list[list[Position]]:
    """Every arc as absolute positions: delta-decoded and scaled when the topology is quantized."""
    transform = topology.get("transform")
    if not transform:
        return [[(float(p[0]), float(p[1])) for p in arc] for arc in topology.get("arcs") or ()]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    decoded = []
    for arc in topology.get("arcs") or ():
        x = y = 0
        positions = []
        for p in arc:
            x, y = x + p[0], y + p[1]
            positions.append((x * sx + tx, y * sy + ty))
        decoded.append(positions)
    return decoded


def _shape(geometry: Mapping[str, Any], arcs: Sequence[Sequence[Position]], name: str) -> Shape:
    kind = geometry.get("type")
    if kind == "Polygon":
        polygons = [geometry["arcs"]]
    elif kind == "MultiPolygon":
        polygons = geometry["arcs"]
    else:
        raise ValueError(f"object {name!r}: a {kind} geometry; only Polygon and MultiPolygon are decoded")
    props = geometry.get("properties") or {}
    identifier = geometry.get("id")
    return Shape(
        id=None if identifier is None else str(identifier),
        name=props.get("name"),
        polygons=tuple(tuple(_ring(ring, arcs, name) for ring in polygon) for polygon in polygons),
    )


def _ring(indexes: Sequence[int], arcs: Sequence[Sequence[Position]], name: str) -> Ring:
    """The positions of a ring: its arcs joined (each arc's first position is the previous one's last),
    a negative index ``~i`` being arc ``i`` reversed."""
    positions: list[Position] = []
    for index in indexes:
        i = index if index >= 0 else ~index
        if not 0 <= i < len(arcs):
            raise ValueError(f"object {name!r}: arc index {index} out of range (the topology has {len(arcs)} arcs)")
        arc = list(arcs[i]) if index >= 0 else list(reversed(arcs[i]))
        positions.extend(arc[1:] if positions else arc)
    return tuple(positions)
