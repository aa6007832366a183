"""Combinations and conflicts between works, vectorised over RD New geometries.

Rules (the property tests check these against a plain double loop):

- Periods are whole days with an inclusive end. ``gap`` = later start − earlier end, in days;
  periods overlap when ``gap <= 0`` and are ``max(gap, 0)`` days apart otherwise.
- Distance is ``shapely.distance`` in metres in RD New (0 when the geometries touch).
- A **combination**: works of different owners (an organisation's departments count as
  different owners), neither ``gereed``, not already one joint work, ``distance <= distance_m``
  and ``max(gap, 0) <= gap_days``. Its score (0–1) favours closeness and overlap in time.
- A **conflict** (GIPOD): two hindering works (hindrance not ``geen``), neither ``gereed``,
  not one joint work, with overlapping periods; **heavy** when the geometries intersect,
  **light** when they do not but ``distance <= buffer``: 10 m when either has ``rijstrook`` or
  ``afsluiting``, 5 m otherwise.

Candidate pairs come from one ``STRtree.query(..., predicate="dwithin")`` bulk query with a
hair of slack; the exact rules are then applied with numpy and vectorised shapely on the
candidates only, so nothing loops over pairs in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely import STRtree

# Hindrance codes, in the order of Work.Hindrance.
GEEN, BEPERKT, RIJSTROOK, AFSLUITING = 0, 1, 2, 3
HINDRANCE_CODES = {
    "geen": GEEN,
    "beperkt": BEPERKT,
    "rijstrook": RIJSTROOK,
    "afsluiting": AFSLUITING,
}
BUFFER_STRONG_M = 10.0
BUFFER_LIGHT_M = 5.0
DEFAULT_DISTANCE_M = 25.0
DEFAULT_GAP_DAYS = 180


def _slack(distance: float) -> float:
    # The tree's dwithin and shapely.distance may round differently at the border; a little
    # slack in the tree and the exact rule afterwards keeps "exactly 25 m" inside.
    return distance + 1e-6 + abs(distance) * 1e-9


@dataclass
class WorkSet:
    """Works as parallel arrays: ids, RD New geometries, owners, periods (day numbers)."""

    ids: np.ndarray
    geoms: np.ndarray
    owners: np.ndarray
    start: np.ndarray
    end: np.ndarray
    hindrance: np.ndarray
    done: np.ndarray
    joint: np.ndarray
    _tree: STRtree | None = field(default=None, repr=False)

    def __post_init__(self):
        self.ids = np.asarray(self.ids, dtype=np.int64)
        self.geoms = np.asarray(self.geoms, dtype=object)
        self.owners = np.asarray(self.owners, dtype=np.int64)
        self.start = np.asarray(self.start, dtype=np.int64)
        self.end = np.asarray(self.end, dtype=np.int64)
        self.hindrance = np.asarray(self.hindrance, dtype=np.int8)
        self.done = np.asarray(self.done, dtype=bool)
        self.joint = np.asarray(self.joint, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def tree(self) -> STRtree:
        """Return an STRtree over all geometries, built once."""
        if self._tree is None:
            self._tree = STRtree(self.geoms)
        return self._tree


@dataclass
class Combinations:
    """Candidate combinations, ranked: best score first."""

    a: np.ndarray
    b: np.ndarray
    distance_m: np.ndarray
    gap_days: np.ndarray
    score: np.ndarray

    def __len__(self) -> int:
        return len(self.a)

    def records(self) -> list[dict]:
        return [
            {
                "work_a": int(a),
                "work_b": int(b),
                "distance_m": round(float(d), 2),
                "gap_days": int(g),
                "score": round(float(s), 3),
            }
            for a, b, d, g, s in zip(
                self.a, self.b, self.distance_m, self.gap_days, self.score, strict=True
            )
        ]


@dataclass
class Conflicts:
    """Conflicts, heavy first, then by distance."""

    a: np.ndarray
    b: np.ndarray
    distance_m: np.ndarray
    buffer_m: np.ndarray
    heavy: np.ndarray
    overlap_start: np.ndarray
    overlap_end: np.ndarray

    def __len__(self) -> int:
        return len(self.a)

    def records(self) -> list[dict]:
        return [
            {
                "work_a": int(a),
                "work_b": int(b),
                "severity": "zwaar" if h else "licht",
                "distance_m": round(float(d), 2),
                "buffer_m": float(buf),
                "overlap_start": int(s),
                "overlap_end": int(e),
            }
            for a, b, d, buf, h, s, e in zip(
                self.a,
                self.b,
                self.distance_m,
                self.buffer_m,
                self.heavy,
                self.overlap_start,
                self.overlap_end,
                strict=True,
            )
        ]


def score(distance: np.ndarray, gap: np.ndarray, length: np.ndarray, distance_m, gap_days):
    """Score combinations in [0, 1]: half closeness, half time (any overlap beats any gap)."""
    closeness = 1.0 - distance / (distance_m + 1.0)
    overlap = np.minimum(1 - gap, length) / length
    temporal = np.where(gap <= 0, 0.5 + 0.5 * overlap, 0.5 * (1.0 - gap / (gap_days + 1.0)))
    return 0.5 * closeness + 0.5 * temporal


def _pairs_rules(ws: WorkSet, i, j, *, distance_m, gap_days):
    """Apply the rules to candidate pairs (i, j): gaps, distances, buffers and both masks."""
    gap = np.maximum(ws.start[i], ws.start[j]) - np.minimum(ws.end[i], ws.end[j])
    separate = (ws.joint[i] < 0) | (ws.joint[i] != ws.joint[j])
    combo = separate & (ws.owners[i] != ws.owners[j]) & (np.maximum(gap, 0) <= gap_days)
    hi, hj = ws.hindrance[i], ws.hindrance[j]
    conflict = separate & (hi > GEEN) & (hj > GEEN) & (gap <= 0)
    buffer = np.where(
        (hi >= RIJSTROOK) | (hj >= RIJSTROOK), BUFFER_STRONG_M, BUFFER_LIGHT_M
    ).astype(float)
    maybe = combo | conflict
    dist = np.full(len(i), np.inf)
    if maybe.any():
        dist[maybe] = shapely.distance(ws.geoms[i[maybe]], ws.geoms[j[maybe]])
    combo &= dist <= distance_m
    conflict &= dist <= buffer
    return gap, dist, buffer, combo, conflict


def _build(ws: WorkSet, i, j, gap, dist, buffer, combo, conflict, *, distance_m, gap_days):
    ci, cj = i[combo], j[combo]
    length = np.minimum(ws.end[ci] - ws.start[ci], ws.end[cj] - ws.start[cj]) + 1
    cs = score(dist[combo], gap[combo], length, distance_m, gap_days)
    order = np.lexsort((ws.ids[cj], ws.ids[ci], dist[combo], -cs))
    combinations = Combinations(
        a=ws.ids[ci][order],
        b=ws.ids[cj][order],
        distance_m=dist[combo][order],
        gap_days=np.maximum(gap[combo], 0)[order],
        score=cs[order],
    )
    fi, fj = i[conflict], j[conflict]
    heavy = np.zeros(len(fi), dtype=bool)
    if len(fi):
        heavy = shapely.intersects(ws.geoms[fi], ws.geoms[fj])
    fdist = dist[conflict]
    order = np.lexsort((ws.ids[fj], ws.ids[fi], fdist, ~heavy))
    conflicts = Conflicts(
        a=ws.ids[fi][order],
        b=ws.ids[fj][order],
        distance_m=fdist[order],
        buffer_m=buffer[conflict][order],
        heavy=heavy[order],
        overlap_start=np.maximum(ws.start[fi], ws.start[fj])[order],
        overlap_end=np.minimum(ws.end[fi], ws.end[fj])[order],
    )
    return combinations, conflicts


def analyse(
    ws: WorkSet, *, distance_m: float = DEFAULT_DISTANCE_M, gap_days: int = DEFAULT_GAP_DAYS
) -> tuple[Combinations, Conflicts]:
    """Return all combinations and conflicts in ``ws`` (each pair once)."""
    active = np.flatnonzero(~ws.done)
    reach = max(float(distance_m), BUFFER_STRONG_M)
    if len(active) >= 2:
        sub = ws.geoms[active]
        left, right = STRtree(sub).query(sub, predicate="dwithin", distance=_slack(reach))
        keep = left < right
        i, j = active[left[keep]], active[right[keep]]
    else:
        i = j = np.empty(0, dtype=np.int64)
    parts = _pairs_rules(ws, i, j, distance_m=distance_m, gap_days=gap_days)
    return _build(ws, i, j, *parts, distance_m=distance_m, gap_days=gap_days)


def check_one(
    ws: WorkSet,
    index: int,
    *,
    distance_m: float = DEFAULT_DISTANCE_M,
    gap_days: int = DEFAULT_GAP_DAYS,
) -> tuple[Combinations, Conflicts]:
    """Return the combinations and conflicts of work ``ws[index]`` with every other work.

    ``work_a`` is always the checked work. Uses the set's STRtree, so checking many works of
    one set builds the tree once.
    """
    empty = np.empty(0, dtype=np.int64)
    if ws.done[index]:
        j = empty
    else:
        reach = max(float(distance_m), BUFFER_STRONG_M)
        j = ws.tree.query(ws.geoms[index], predicate="dwithin", distance=_slack(reach))
        j = j[(j != index) & ~ws.done[j]]
    i = np.full(len(j), index, dtype=np.int64)
    parts = _pairs_rules(ws, i, j, distance_m=distance_m, gap_days=gap_days)
    return _build(ws, i, j, *parts, distance_m=distance_m, gap_days=gap_days)


def check_many(
    ws: WorkSet,
    indices,
    *,
    distance_m: float = DEFAULT_DISTANCE_M,
    gap_days: int = DEFAULT_GAP_DAYS,
) -> tuple[Combinations, Conflicts]:
    """Return the combinations and conflicts of the works ``ws[indices]`` with every work.

    ``check_one`` for many works in one bulk tree query: ``work_a`` is a checked work; a pair
    of two checked works comes once, the lower index as ``work_a``.
    """
    indices = np.unique(np.asarray(indices, dtype=np.int64))
    indices = indices[~ws.done[indices]]
    empty = np.empty(0, dtype=np.int64)
    i = j = empty
    if len(indices) and len(ws) > 1:
        reach = max(float(distance_m), BUFFER_STRONG_M)
        left, j = ws.tree.query(ws.geoms[indices], predicate="dwithin", distance=_slack(reach))
        i = indices[left]
        checked = np.zeros(len(ws), dtype=bool)
        checked[indices] = True
        keep = (j != i) & ~ws.done[j] & (~checked[j] | (i < j))
        i, j = i[keep], j[keep]
    parts = _pairs_rules(ws, i, j, distance_m=distance_m, gap_days=gap_days)
    return _build(ws, i, j, *parts, distance_m=distance_m, gap_days=gap_days)
