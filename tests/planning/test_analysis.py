"""The vectorised analysis equals a plain double loop over all pairs, borders included."""

import math

import numpy as np
import shapely
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bouwplaats.planning import analysis
from bouwplaats.planning.analysis import WorkSet

# RD New around Ede; whole metres so that axis-aligned offsets give exact distances.
X0, Y0 = 174_000, 448_000


def brute_force(works, *, distance_m, gap_days):
    """Apply the documented rules to every pair, one pair at a time."""
    combos, conflicts = {}, {}
    for p in range(len(works)):
        for q in range(p + 1, len(works)):
            a, b = works[p], works[q]
            if a["done"] or b["done"]:
                continue
            if a["joint"] >= 0 and a["joint"] == b["joint"]:
                continue
            gap = max(a["start"], b["start"]) - min(a["end"], b["end"])
            dist = shapely.distance(a["geom"], b["geom"])
            key = (min(a["id"], b["id"]), max(a["id"], b["id"]))
            if a["owner"] != b["owner"] and dist <= distance_m and max(gap, 0) <= gap_days:
                length = min(a["end"] - a["start"], b["end"] - b["start"]) + 1
                closeness = 1 - dist / (distance_m + 1)
                if gap <= 0:
                    temporal = 0.5 + 0.5 * min(1 - gap, length) / length
                else:
                    temporal = 0.5 * (1 - gap / (gap_days + 1))
                combos[key] = (dist, max(gap, 0), 0.5 * closeness + 0.5 * temporal)
            if a["hindrance"] > 0 and b["hindrance"] > 0 and gap <= 0:
                strong = a["hindrance"] >= 2 or b["hindrance"] >= 2
                buffer = 10.0 if strong else 5.0
                if shapely.intersects(a["geom"], b["geom"]):
                    conflicts[key] = ("zwaar", dist)
                elif dist <= buffer:
                    conflicts[key] = ("licht", dist)
    return combos, conflicts


def as_workset(works):
    return WorkSet(
        ids=[w["id"] for w in works],
        geoms=[w["geom"] for w in works],
        owners=[w["owner"] for w in works],
        start=[w["start"] for w in works],
        end=[w["end"] for w in works],
        hindrance=[w["hindrance"] for w in works],
        done=[w["done"] for w in works],
        joint=[w["joint"] for w in works],
    )


def from_combinations(result):
    return {
        (min(a, b), max(a, b)): (d, g, s)
        for a, b, d, g, s in zip(
            result.a.tolist(),
            result.b.tolist(),
            result.distance_m.tolist(),
            result.gap_days.tolist(),
            result.score.tolist(),
            strict=True,
        )
    }


def from_conflicts(result):
    return {
        (min(a, b), max(a, b)): ("zwaar" if h else "licht", d)
        for a, b, h, d in zip(
            result.a.tolist(),
            result.b.tolist(),
            result.heavy.tolist(),
            result.distance_m.tolist(),
            strict=True,
        )
    }


def assert_same_combinations(got, expected):
    assert got.keys() == expected.keys()
    for key, (dist, gap, score) in expected.items():
        assert got[key][0] == dist and got[key][1] == gap
        assert math.isclose(got[key][2], score, rel_tol=1e-12, abs_tol=1e-12)


# Offsets of 0, 5, 10, 15, 20, 25, 30 m make the borders (5, 10, 25 m) common.
grid = st.integers(min_value=0, max_value=12).map(lambda n: n * 5)
coord = st.tuples(grid, grid)


@st.composite
def geometries(draw):
    kind = draw(st.sampled_from(["point", "hline", "vline", "line", "box", "triangle"]))
    x, y = draw(coord)
    x, y = X0 + x, Y0 + y
    if kind == "point":
        return shapely.Point(x, y)
    length = draw(st.integers(min_value=1, max_value=6)) * 5
    if kind == "hline":
        return shapely.LineString([(x, y), (x + length, y)])
    if kind == "vline":
        return shapely.LineString([(x, y), (x, y + length)])
    if kind == "line":
        # Free vertices: distances are no longer whole metres, so rounding is exercised too.
        # The services refuse degenerate geometries, so every line has some length.
        dx = draw(st.floats(min_value=0.5, max_value=40)) * draw(st.sampled_from([-1, 1]))
        dy = draw(st.floats(min_value=-40, max_value=40, allow_nan=False))
        return shapely.LineString([(x, y), (x + dx, y + dy)])
    if kind == "box":
        height = draw(st.integers(min_value=1, max_value=6)) * 5
        return shapely.box(x, y, x + length, y + height)
    return shapely.Polygon([(x, y), (x + length, y), (x, y + length)])


@st.composite
def works(draw):
    n = draw(st.integers(min_value=0, max_value=12))
    result = []
    for number in range(n):
        # Periods on a 30-day grid with 0..210-day lengths make "exactly 180 days" common.
        start = draw(st.integers(min_value=0, max_value=14)) * 30
        length = draw(st.sampled_from([0, 1, 29, 30, 60, 180, 210]))
        result.append(
            {
                "id": 100 + number,
                "geom": draw(geometries()),
                "owner": draw(st.integers(min_value=0, max_value=2)),
                "start": 740_000 + start,
                "end": 740_000 + start + length,
                "hindrance": draw(st.integers(min_value=0, max_value=3)),
                "done": draw(st.sampled_from([False, False, False, True])),
                "joint": draw(st.sampled_from([-1, -1, -1, 7, 8])),
            }
        )
    return result


def point(id, x, y, *, owner, start, end, hindrance=0, done=False, joint=-1):
    return {
        "id": id,
        "geom": shapely.Point(X0 + x, Y0 + y),
        "owner": owner,
        "start": start,
        "end": end,
        "hindrance": hindrance,
        "done": done,
        "joint": joint,
    }


BORDER = [
    # Exactly 25 m and exactly 180 days apart: a combination.
    point(1, 0, 0, owner=1, start=0, end=10),
    point(2, 25, 0, owner=2, start=190, end=200),
    # Just beyond both borders of 1: not a combination.
    point(3, 0, 25.5, owner=2, start=191, end=200),
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(works(), st.sampled_from([0.0, 5.0, 25.0, 40.0]), st.sampled_from([0, 30, 180]))
@example(BORDER, 25.0, 180)
def test_full_analysis_equals_double_loop(ws, distance_m, gap_days):
    combos, conflicts = analysis.analyse(as_workset(ws), distance_m=distance_m, gap_days=gap_days)
    expected_combos, expected_conflicts = brute_force(ws, distance_m=distance_m, gap_days=gap_days)
    assert_same_combinations(from_combinations(combos), expected_combos)
    assert from_conflicts(conflicts) == expected_conflicts


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(works(), st.data())
def test_check_one_equals_double_loop_rows_of_that_work(ws, data):
    if not ws:
        return
    index = data.draw(st.integers(min_value=0, max_value=len(ws) - 1))
    work_id = ws[index]["id"]
    combos, conflicts = analysis.check_one(as_workset(ws), index)
    expected_combos, expected_conflicts = brute_force(ws, distance_m=25.0, gap_days=180)
    assert set(combos.a.tolist()) <= {work_id} and set(conflicts.a.tolist()) <= {work_id}
    assert_same_combinations(
        from_combinations(combos), {k: v for k, v in expected_combos.items() if work_id in k}
    )
    assert from_conflicts(conflicts) == {
        k: v for k, v in expected_conflicts.items() if work_id in k
    }


def test_borders_are_inclusive():
    combos, _ = analysis.analyse(as_workset(BORDER))
    [record] = combos.records()
    assert (record["work_a"], record["work_b"]) == (1, 2)
    assert (record["distance_m"], record["gap_days"]) == (25.0, 180)
    assert 0 < record["score"] < 0.05


def test_conflict_buffers_are_ten_metres_for_lanes_and_five_otherwise():
    day = {"start": 0, "end": 30}
    ws = [
        # A lane closure and a sidewalk work 10 m apart: light conflict (10 m buffer).
        point(1, 0, 0, owner=1, hindrance=analysis.RIJSTROOK, **day),
        point(2, 10, 0, owner=2, hindrance=analysis.BEPERKT, **day),
        # Two sidewalk works: 5 m is the border, 6 m is none.
        point(3, 100, 0, owner=1, hindrance=analysis.BEPERKT, **day),
        point(4, 105, 0, owner=2, hindrance=analysis.BEPERKT, **day),
        point(5, 111, 0, owner=1, hindrance=analysis.BEPERKT, **day),
        # Same place, one without hindrance: no conflict.
        point(6, 0, 0, owner=3, hindrance=analysis.GEEN, **day),
        # Same place as 1, a closure: heavy.
        point(7, 0, 0, owner=2, hindrance=analysis.AFSLUITING, **day),
    ]
    _, conflicts = analysis.analyse(as_workset(ws))
    found = {
        (r["work_a"], r["work_b"]): (r["severity"], r["buffer_m"]) for r in conflicts.records()
    }
    assert found == {
        (1, 7): ("zwaar", 10.0),
        (2, 7): ("licht", 10.0),
        (1, 2): ("licht", 10.0),
        (3, 4): ("licht", 5.0),
    }
    assert conflicts.records()[0]["severity"] == "zwaar"


def test_ranking_prefers_closer_and_overlapping_pairs():
    ws = [
        point(1, 0, 0, owner=1, start=0, end=100),
        point(2, 2, 0, owner=2, start=0, end=100),  # close, full overlap
        point(3, 0, 20, owner=2, start=150, end=200),  # farther, a gap
    ]
    combos, _ = analysis.analyse(as_workset(ws))
    pairs = [(r["work_a"], r["work_b"]) for r in combos.records()]
    assert pairs[0] == (1, 2)
    assert np.all(np.diff(combos.score) <= 0)
