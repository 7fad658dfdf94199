"""The TopoJSON decoder, on topologies written here and on the shipped world map."""

from __future__ import annotations

import json
from importlib import resources
from itertools import pairwise

import pytest

from sitrep.basemap import WORLD, countries, decode, flat

# Two unit squares side by side sharing the edge x = 0 (arc 0), the left one walking it upwards, the
# right one downwards (~0). Then the same topology quantized: positions on a grid of half units from
# (-1, 0), delta-encoded.
SQUARES = {
    "type": "Topology",
    "objects": {"squares": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "id": "A", "properties": {"name": "Left"}, "arcs": [[0, 1]]},
        {"type": "Polygon", "id": 2, "arcs": [[-1, 2]]},
        {"type": None, "id": "empty"},
    ]}},
    "arcs": [
        [[0, 0], [0, 1]],
        [[0, 1], [-1, 1], [-1, 0], [0, 0]],
        [[0, 0], [1, 0], [1, 1], [0, 1]],
    ],
}
QUANTIZED = {
    **SQUARES,
    "transform": {"scale": [0.5, 0.5], "translate": [-1, 0]},
    "arcs": [
        [[2, 0], [0, 2]],
        [[2, 2], [-2, 0], [0, -2], [2, 0]],
        [[2, 0], [2, 0], [0, 2], [-2, 0]],
    ],
}
LEFT = ((0.0, 0.0), (0.0, 1.0), (-1.0, 1.0), (-1.0, 0.0), (0.0, 0.0))
RIGHT = ((0.0, 1.0), (0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0))


@pytest.mark.parametrize("topology", [SQUARES, QUANTIZED], ids=["plain", "quantized"])
def test_rings_join_their_arcs_and_walk_negative_ones_backwards(topology: dict[str, object]) -> None:
    left, right = decode(topology, "squares")
    assert (left.id, left.name, left.polygons) == ("A", "Left", ((LEFT,),))
    assert (right.id, right.name, right.polygons) == ("2", None, ((RIGHT,),))


def test_a_multipolygon_keeps_each_polygon_with_its_holes() -> None:
    topology = {
        "type": "Topology",
        "objects": {"land": {"type": "MultiPolygon", "arcs": [[[0], [1]], [[2]]]}},
        "arcs": [
            [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]],
            [[1, 1], [1, 2], [2, 2], [2, 1], [1, 1]],
            [[10, 10], [11, 10], [11, 11], [10, 10]],
        ],
    }
    (land,) = decode(topology, "land")
    outer, hole = land.polygons[0]
    assert len(land.polygons) == 2 and outer[2] == (4.0, 4.0) and hole[1] == (1.0, 2.0)
    assert land.polygons[1] == (((10.0, 10.0), (11.0, 10.0), (11.0, 11.0), (10.0, 10.0)),)


def test_bad_topologies_name_the_problem() -> None:
    with pytest.raises(ValueError, match="no object 'rivers'; its objects are \\['squares'\\]"):
        decode(SQUARES, "rivers")
    lines = {"type": "Topology", "objects": {"roads": {"type": "LineString", "arcs": [0]}}, "arcs": [[[0, 0], [1, 1]]]}
    with pytest.raises(ValueError, match="a LineString geometry; only Polygon and MultiPolygon"):
        decode(lines, "roads")
    broken = {**SQUARES, "arcs": SQUARES["arcs"][:2]}  # type: ignore[index]
    with pytest.raises(ValueError, match="arc index 2 out of range \\(the topology has 2 arcs\\)"):
        decode(broken, "squares")


def test_the_shipped_world_map_has_every_country_in_degrees() -> None:
    shapes = countries()
    assert len(shapes) == 177
    raw = json.loads((resources.files("sitrep") / WORLD).read_text(encoding="utf-8"))
    assert [s.name for s in shapes] == [g["properties"]["name"] for g in raw["objects"]["countries"]["geometries"]]
    for shape in shapes:
        for polygon in shape.polygons:
            for ring in polygon:
                assert ring[0] == pytest.approx(ring[-1]) and len(ring) >= 4, shape.name
                assert all(-180.0 <= x <= 180.0 and -90.0 <= y <= 90.0 for x, y in ring), shape.name
    (syria,) = [s for s in shapes if s.name == "Syria"]
    xs = [x for polygon in syria.polygons for ring in polygon for x, _ in ring]
    ys = [y for polygon in syria.polygons for ring in polygon for _, y in ring]
    assert syria.id == "760"
    assert 35.5 < min(xs) < 36.0 and 42.0 < max(xs) < 42.5 and 32.0 < min(ys) < 32.5 and 37.0 < max(ys) < 37.5


def test_rings_across_the_antimeridian_or_round_a_pole_are_drawn_whole_on_a_flat_map() -> None:
    square = ((1.0, 1.0), (1.0, 2.0), (2.0, 2.0), (1.0, 1.0))
    assert flat(square) == [square]
    # An island from 179 E to 179 W: two edges across the antimeridian.
    island = ((179.0, -16.0), (-179.0, -16.0), (-179.0, -17.0), (179.0, -17.0), (179.0, -16.0))
    east, west = flat(island)
    assert east == ((179.0, -16.0), (181.0, -16.0), (181.0, -17.0), (179.0, -17.0), (179.0, -16.0))
    assert west == ((-181.0, -16.0), (-179.0, -16.0), (-179.0, -17.0), (-181.0, -17.0), (-181.0, -16.0))
    # A coast round the South Pole, jumping from 180 to -180 once: closed along the pole.
    polar = ((-180.0, -80.0), (0.0, -70.0), (180.0, -80.0), (-180.0, -80.0))
    assert flat(polar) == [((-180.0, -80.0), (0.0, -70.0), (180.0, -80.0), (180.0, -90.0), (-180.0, -90.0),
                            (-180.0, -80.0))]


def test_every_ring_of_the_world_map_is_continuous_once_flat() -> None:
    for shape in countries():
        for part in (p for polygon in shape.polygons for ring in polygon for p in flat(ring)):
            long_edges = [(a, b) for a, b in pairwise(part) if abs(b[0] - a[0]) > 180]
            assert all(abs(a[1]) == abs(b[1]) == 90 for a, b in long_edges), shape.name  # only along a pole
