"""The pairs table: combinations and conflicts at the default distance, kept on every save.

PRODUCT.md §6: conflicts and combinations are recomputed the moment a work is saved. The
services call :func:`pairs_refresh` with the works they saved, in the same transaction, so
the map, the list and the API read ``Combination`` and ``Conflict`` rows with indexed
queries instead of recomputing the analysis per request. Deleting a work deletes its rows
(``on_delete=CASCADE``); no other pair depends on it. ``manage.py planning_rebuild_pairs``
rebuilds the whole table with :func:`pairs_rebuild`.

The rules are ``analysis``'s: the saved works are checked in one STRtree bulk query
(``analysis.check_many``) against the works of an indexed bounding-box and period window.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, fields

import numpy as np
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Max, Q, QuerySet

from . import analysis
from .models import Combination, Conflict, Work
from .permissions import shown_to_everyone_q
from .selectors import ROW_FIELDS, shift_day, workset_from_rows

# The work's fields the pairs depend on (the analysis's rows, and ``public`` of the stored
# pair): a change of any other field (title, description, contact) leaves its pairs as they are.
PAIR_INPUTS = (*(name for name in ROW_FIELDS if name != "id"), "joint_id", "public", "kind")
# Read beside ROW_FIELDS and joint_id: the stored pair's public flag and its filter facts.
FACT_FIELDS = ("shown", "kind")

# Pair rows per INSERT (Django lowers it further to the database's parameter limit).
WRITE_BATCH = 1000

# Works checked per window query: one query reads the neighbours of this many saved works.
# An upload's part (bench/planning.py sends 5,000) is checked in one window and one STRtree:
# in strips of 2,000 each strip's margin and tree were paid again (a 5,000-work part against
# 20,000 stored: 0.43 -> 0.32 s CPU without the writes). Larger sets go in strips, which
# bounds the rows held at once.
CHUNK = 10_000
# Ids per IN (...) list: well below SQLite's bound on parameters.
IDS_PER_QUERY = 900
BULK = 1000


def _chunks(items: list, size: int):
    for at in range(0, len(items), size):
        yield items[at : at + size]


def _delete_pairs(ids: list[int]) -> None:
    for part in _chunks(ids, IDS_PER_QUERY):
        for model in (Combination, Conflict):
            model.objects.filter(Q(work_a_id__in=part) | Q(work_b_id__in=part)).delete()


def _shown(qs: QuerySet[Work]) -> QuerySet[Work]:
    """Annotate ``shown``: whether visitors see the work (``permissions.shown_to_everyone``).

    A pair is public only when both works are: a public idea must not show through a pair.
    """
    return qs.annotate(shown=ExpressionWrapper(shown_to_everyone_q(), output_field=BooleanField()))


def _window_rows(targets: list[tuple], widest: float) -> list[tuple]:
    """Return ``ROW_FIELDS + (joint_id, public)`` of every active work that can pair with
    ``targets`` (rows of id, minx, miny, maxx, maxy, start, end): they included."""
    reach = max(analysis.DEFAULT_DISTANCE_M, analysis.BUFFER_STRONG_M) + 1.0
    minx = min(t[1] for t in targets) - reach
    miny = min(t[2] for t in targets) - reach
    maxx = max(t[3] for t in targets) + reach
    maxy = max(t[4] for t in targets) + reach
    first = min(t[5] for t in targets)
    last = max(t[6] for t in targets)
    qs = (
        Work.objects.exclude(status=Work.Status.GEREED)
        .filter(
            rd_minx__lte=maxx,
            # No work is wider than the widest one: the indexed range on rd_minx stays narrow.
            rd_minx__gte=minx - widest,
            rd_maxx__gte=minx,
            rd_miny__lte=maxy,
            rd_maxy__gte=miny,
            start__lte=shift_day(last, analysis.DEFAULT_GAP_DAYS),
            end__gte=shift_day(first, -analysis.DEFAULT_GAP_DAYS),
        )
        .order_by()
    )
    return list(_shown(qs).values_list(*ROW_FIELDS, "joint_id", *FACT_FIELDS))


def _rows(model, columns: dict[str, list]) -> list:
    """Return unsaved ``model`` instances, one per position of the equal-length ``columns``.

    Built positionally in the model's field order (``Model.__init__``'s fast path, as rows
    read from the database are): the keyword path was most of storing tens of thousands of
    pairs. Every concrete field but the id must be in ``columns``.
    """
    names = [field.attname for field in model._meta.concrete_fields]
    ordered = [columns[name] if name != "id" else None for name in names]
    size = len(next(iter(columns.values())))
    ordered = [[None] * size if column is None else column for column in ordered]
    return [model(*values) for values in zip(*ordered, strict=True)]


class _Facts:
    """Per work of ``rows`` (ROW_FIELDS, joint_id, FACT_FIELDS): what a pair stores of it."""

    def __init__(self, rows: list[tuple]):
        n = len(rows)
        self.public = np.fromiter((r[9] for r in rows), dtype=bool, count=n)
        self.owner = np.fromiter((r[2] for r in rows), dtype=np.int64, count=n)
        self.kind = np.array([r[10] for r in rows], dtype=object)
        self.status = np.array([r[7] for r in rows], dtype=object)

    def columns(self, ws: analysis.WorkSet, a: np.ndarray, b: np.ndarray) -> dict[str, list]:
        """Return the pair columns of the works ``a`` and ``b`` (ids in ``ws``): public when
        visitors see both, what both share (models.PairFacts), and their ids, lower first."""
        order = np.argsort(ws.ids)
        at_a = order[np.searchsorted(ws.ids, a, sorter=order)]
        at_b = order[np.searchsorted(ws.ids, b, sorter=order)]
        owner_a, owner_b = self.owner[at_a], self.owner[at_b]
        kind_a, kind_b = self.kind[at_a], self.kind[at_b]
        status_a, status_b = self.status[at_a], self.status[at_b]
        to_date = datetime.date.fromordinal
        return {
            "work_a_id": np.minimum(a, b).tolist(),
            "work_b_id": np.maximum(a, b).tolist(),
            "public": (self.public[at_a] & self.public[at_b]).tolist(),
            "shared_owner_id": [
                int(x) if x == y else None
                for x, y in zip(owner_a.tolist(), owner_b.tolist(), strict=True)
            ],
            "shared_kind": np.where(kind_a == kind_b, kind_a, "").tolist(),
            "shared_status": np.where(status_a == status_b, status_a, "").tolist(),
            "latest_start": [
                to_date(day) for day in np.maximum(ws.start[at_a], ws.start[at_b]).tolist()
            ],
            "earliest_end": [
                to_date(day) for day in np.minimum(ws.end[at_a], ws.end[at_b]).tolist()
            ],
        }


def _store(ws: analysis.WorkSet, facts: _Facts, combos, conflicts) -> None:
    """Store the pairs ``combos`` and ``conflicts`` found in ``ws``, each once (a < b)."""

    def columns(found) -> dict[str, list]:
        return {
            **facts.columns(ws, found.a, found.b),
            "distance_m": found.distance_m.tolist(),
        }

    if len(combos):
        rows = _rows(
            Combination,
            {
                **columns(combos),
                "gap_days": combos.gap_days.tolist(),
                "score": combos.score.tolist(),
            },
        )
        Combination.objects.bulk_create(rows, batch_size=WRITE_BATCH)
    if len(conflicts):
        to_date = datetime.date.fromordinal
        rows = _rows(
            Conflict,
            {
                **columns(conflicts),
                "heavy": conflicts.heavy.astype(bool).tolist(),
                "buffer_m": conflicts.buffer_m.astype(float).tolist(),
                "overlap_start": [to_date(int(day)) for day in conflicts.overlap_start.tolist()],
                "overlap_end": [to_date(int(day)) for day in conflicts.overlap_end.tolist()],
            },
        )
        Conflict.objects.bulk_create(rows, batch_size=WRITE_BATCH)


@dataclass
class Refreshed:
    """The pairs ``pairs_refresh`` stored: every pair of each work in ``ids``, each once.

    ``combinations`` and ``conflicts`` hold the rows as stored (``work_a`` and ``work_b``
    in either order), so the answer to an upload needs no second read of them.
    """

    ids: frozenset[int]
    combinations: analysis.Combinations
    conflicts: analysis.Conflicts


def _joined(parts: list, kind: type):
    """Return the found pairs of ``parts`` (``kind`` instances) as one ``kind``."""
    names = [f.name for f in fields(kind)]
    if not parts:
        return kind(**{name: np.empty(0) for name in names})
    return kind(**{name: np.concatenate([getattr(p, name) for p in parts]) for name in names})


@transaction.atomic
def pairs_refresh(work_ids: Iterable[int], *, new: Iterable[int] = ()) -> Refreshed:
    """Recompute the stored pairs of the works ``work_ids`` with every other work.

    Call it inside the transaction that saved them (the services do): their old rows go and
    the pairs the analysis finds now are stored, each once. Other works' pairs stay. Works
    in ``new`` were just created: they have no rows to delete yet. Returns what was stored.
    """
    ids = sorted({int(i) for i in work_ids})
    found_combos: list[analysis.Combinations] = []
    found_conflicts: list[analysis.Conflicts] = []

    def refreshed() -> Refreshed:
        return Refreshed(
            ids=frozenset(ids),
            combinations=_joined(found_combos, analysis.Combinations),
            conflicts=_joined(found_conflicts, analysis.Conflicts),
        )

    if not ids:
        return refreshed()
    created = {int(i) for i in new}
    _delete_pairs([i for i in ids if i not in created])
    targets = []
    for part in _chunks(ids, IDS_PER_QUERY):
        targets.extend(
            Work.objects.filter(pk__in=part)
            .exclude(status=Work.Status.GEREED)
            .order_by()
            .values_list("id", "rd_minx", "rd_miny", "rd_maxx", "rd_maxy", "start", "end")
        )
    if not targets:
        return refreshed()
    widest = Work.objects.aggregate(widest=Max("rd_span"))["widest"] or 0.0
    checked = set(ids)
    # Neighbours in space share a window: sorting by x keeps each chunk's window a strip.
    targets.sort(key=lambda t: (t[1], t[0]))
    for chunk in _chunks(targets, CHUNK):
        rows = _window_rows(chunk, widest)
        ws = workset_from_rows(rows)
        mine = {t[0] for t in chunk}
        indices = [n for n, r in enumerate(rows) if r[0] in mine]
        # A pair of two refreshed works in different chunks is stored by the lower id's chunk.
        others = np.fromiter((r[0] in checked and r[0] not in mine for r in rows), bool, len(rows))
        combos, conflicts = analysis.check_many(ws, indices)
        combos = _drop_taken(combos, ws, others)
        conflicts = _drop_taken(conflicts, ws, others)
        _store(ws, _Facts(rows), combos, conflicts)
        found_combos.append(combos)
        found_conflicts.append(conflicts)
    return refreshed()


def _drop_taken(found, ws: analysis.WorkSet, others: np.ndarray):
    """Drop pairs with a refreshed work of another chunk whose id is lower (stored there)."""
    if not len(found):
        return found
    position = np.searchsorted(ws.ids, found.b, sorter=np.argsort(ws.ids))
    index_b = np.argsort(ws.ids)[position]
    keep = ~(others[index_b] & (found.b < found.a))
    return type(found)(**{name: getattr(found, name)[keep] for name in found.__dataclass_fields__})


@transaction.atomic
def pairs_rebuild() -> tuple[int, int]:
    """Rebuild the whole pairs table from the works; return (combinations, conflicts).

    Idempotent: the full analysis, the same rules as every save. Used by ``manage.py
    planning_rebuild_pairs`` after a restore or a change of the rules.
    """
    Combination.objects.all().delete()
    Conflict.objects.all().delete()
    rows = list(
        _shown(Work.objects.exclude(status=Work.Status.GEREED))
        .order_by()
        .values_list(*ROW_FIELDS, "joint_id", *FACT_FIELDS)
    )
    ws = workset_from_rows(rows)
    combos, conflicts = analysis.analyse(ws)
    _store(ws, _Facts(rows), combos, conflicts)
    return len(combos), len(conflicts)
