"""Reads shared by the pages and the API: visible works, the analysis, requests."""

import datetime
from dataclasses import dataclass

import numpy as np
import shapely
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet

from bouwplaats.accounts.models import Organisation, OrganisationMembership
from bouwplaats.core.models import AuditEntry

from . import analysis
from .geo import rd_geometries
from .models import (
    Combination,
    CombinationRequest,
    Conflict,
    InterestZone,
    JointWork,
    StreetFollow,
    Work,
)
from .permissions import (
    can_view_internal,
    joints_visible_to,
    requests_visible_to,
    works_editable_by,
    works_visible_to,
    zones_managed_by,
)

ROW_FIELDS = ("id", "rd_wkb", "owner_id", "department", "start", "end", "hindrance", "status")


@dataclass
class Filters:
    owner: int | None = None
    kind: str = ""
    status: str = ""
    period_from: datetime.date | None = None
    period_to: datetime.date | None = None


def work_list(*, user, filters: Filters | None = None) -> QuerySet[Work]:
    """Return the works ``user`` may see (permissions.works_visible_to), filtered."""
    qs = works_visible_to(user, Work.objects.select_related("owner", "joint"))
    f = filters or Filters()
    if f.owner:
        qs = qs.filter(owner_id=f.owner)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.period_from:
        qs = qs.filter(end__gte=f.period_from)
    if f.period_to:
        qs = qs.filter(start__lte=f.period_to)
    return qs.order_by("start", "id")


def page_of(qs: QuerySet[Work], offset: int, limit: int) -> list[Work]:
    """Return ``qs[offset:offset + limit]``: the page's ids first, by the ordering's index
    alone, then those rows with their joins and prefetches.

    Deep offsets (the API pages through 100,000 works) otherwise join every skipped row.
    """
    ids = list(qs.values_list("pk", flat=True)[offset : offset + limit])
    found = {work.pk: work for work in qs.filter(pk__in=ids).order_by()}
    return [found[pk] for pk in ids if pk in found]


def work_get(*, user, pk: int) -> Work:
    """Return one visible work (raises Work.DoesNotExist otherwise)."""
    return work_list(user=user).get(pk=pk)


def _owner_codes(rows) -> np.ndarray:
    codes: dict[tuple, int] = {}
    return np.fromiter(
        (codes.setdefault((r[2], r[3]), len(codes)) for r in rows), dtype=np.int64, count=len(rows)
    )


def workset_from_rows(rows) -> analysis.WorkSet:
    """Build the analysis arrays from ``values_list(*ROW_FIELDS, "joint_id")`` rows."""
    n = len(rows)
    return analysis.WorkSet(
        ids=np.fromiter((r[0] for r in rows), dtype=np.int64, count=n),
        geoms=rd_geometries([r[1] for r in rows]) if n else np.empty(0, dtype=object),
        owners=_owner_codes(rows),
        start=np.fromiter((r[4].toordinal() for r in rows), dtype=np.int64, count=n),
        end=np.fromiter((r[5].toordinal() for r in rows), dtype=np.int64, count=n),
        hindrance=np.fromiter(
            (analysis.HINDRANCE_CODES[r[6]] for r in rows), dtype=np.int8, count=n
        ),
        done=np.fromiter((r[7] == Work.Status.GEREED for r in rows), dtype=bool, count=n),
        joint=np.fromiter((r[8] if r[8] is not None else -1 for r in rows), np.int64, count=n),
    )


def _rows(qs) -> list[tuple]:
    return list(qs.order_by().values_list(*ROW_FIELDS, "joint_id"))


def _day(number: int) -> str:
    return datetime.date.fromordinal(int(number)).isoformat()


def _records(combos: analysis.Combinations, conflicts: analysis.Conflicts):
    conflict_records = conflicts.records()
    for record in conflict_records:
        record["overlap_start"] = _day(record["overlap_start"])
        record["overlap_end"] = _day(record["overlap_end"])
    return combos.records(), conflict_records


def _is_default(distance_m, gap_days) -> bool:
    return float(distance_m) == analysis.DEFAULT_DISTANCE_M and int(gap_days) == (
        analysis.DEFAULT_GAP_DAYS
    )


COMBINATION_FIELDS = ("work_a_id", "work_b_id", "distance_m", "gap_days", "score")
CONFLICT_FIELDS = (
    "work_a_id",
    "work_b_id",
    "heavy",
    "distance_m",
    "buffer_m",
    "overlap_start",
    "overlap_end",
)
COMBINATION_ORDER = ("-score", "distance_m", "work_a_id", "work_b_id")
CONFLICT_ORDER = ("-heavy", "distance_m", "work_a_id", "work_b_id")


def _combination_record(row) -> dict:
    # Rounded as analysis.Combinations.records rounds: the same numbers as a recomputation.
    a, b, distance, gap, score = row
    return {
        "work_a": a,
        "work_b": b,
        "distance_m": round(distance, 2),
        "gap_days": gap,
        "score": round(score, 3),
    }


def _conflict_record(row) -> dict:
    a, b, heavy, distance, buffer, start, end = row
    return {
        "work_a": a,
        "work_b": b,
        "severity": "zwaar" if heavy else "licht",
        "distance_m": round(distance, 2),
        "buffer_m": float(buffer),
        "overlap_start": start.isoformat(),
        "overlap_end": end.isoformat(),
    }


class PairList:
    """Stored pairs read as the analysis's records, lazily: ``len()`` counts, slices page.

    Behaves as the list ``planning_analysis`` used to return for the ways pages and the API
    use it (``len``, slicing, iteration), with one query each instead of loading every row.
    """

    def __init__(self, qs: QuerySet, fields: tuple, record):
        self._qs, self._fields, self._record = qs, fields, record
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self._qs.count()
        return self._count

    def all(self) -> "PairList":
        return self

    def count_upto(self, limit: int) -> int:
        """Count at most ``limit`` pairs: a filtered list stops at ``limit``."""
        return self._qs.order_by()[:limit].count()

    def __len__(self) -> int:
        return self.count()

    def __bool__(self) -> bool:
        return self.count() > 0

    def __getitem__(self, key):
        if isinstance(key, slice):
            return [self._record(r) for r in self._qs.values_list(*self._fields)[key]]
        return self[key : key + 1][0]

    def __iter__(self):
        return (self._record(r) for r in self._qs.values_list(*self._fields).iterator(2000))


def _has_filters(f: Filters | None) -> bool:
    return f is not None and bool(f.owner or f.kind or f.status or f.period_from or f.period_to)


def pair_filter_q(f: Filters) -> Q:
    """Return ``f`` as a condition on stored pairs: both works match it (models.PairFacts).

    The same pairs as both works being in ``work_list(filters=f)``; checked inside one of the
    pairs' filter indexes, no work row read.
    """
    q = Q()
    if f.owner:
        q &= Q(shared_owner_id=f.owner)
    if f.kind:
        q &= Q(shared_kind=f.kind)
    if f.status:
        q &= Q(shared_status=f.status)
    if f.period_from:
        q &= Q(earliest_end__gte=f.period_from)
    if f.period_to:
        q &= Q(latest_start__lte=f.period_to)
    return q


def stored_pairs(
    *,
    user,
    filters: Filters | None = None,
    among: QuerySet[Work] | list[int] | None = None,
) -> tuple[PairList, PairList]:
    """Return the stored (combinations, conflicts) among the works ``user`` may see.

    ``filters`` and ``among`` (works or their ids: a map window's) narrow to pairs whose two
    works both match: ``filters`` by what the pair stores of its works (``pair_filter_q``,
    one filter index), ``among`` by its works. Ordered as the analysis orders them; see
    ``pairs.pairs_refresh`` for upkeep.
    """
    combos = Combination.objects.order_by(*COMBINATION_ORDER)
    conflicts = Conflict.objects.order_by(*CONFLICT_ORDER)
    if not can_view_internal(user):
        combos, conflicts = combos.filter(public=True), conflicts.filter(public=True)
    if _has_filters(filters):
        combos = combos.filter(pair_filter_q(filters))
        conflicts = conflicts.filter(pair_filter_q(filters))
    if isinstance(among, QuerySet):
        # A window's few works: their pairs by ``work_a`` IN (the works), each found pair's
        # ``work_b`` probed (EXISTS), instead of walking every stored pair. As two IN lists,
        # SQLite probes the (work_a, work_b) index for every pair of two listed works.
        works = among.select_related(None).order_by()
        sides = [Exists(works.filter(pk=OuterRef("work_b_id"))), Q(work_a__in=works.values("pk"))]
        combos, conflicts = combos.filter(*sides), conflicts.filter(*sides)
    elif among is not None:
        combos = combos.filter(work_a__in=among, work_b__in=among)
        conflicts = conflicts.filter(work_a__in=among, work_b__in=among)
    return (
        PairList(combos, COMBINATION_FIELDS, _combination_record),
        PairList(conflicts, CONFLICT_FIELDS, _conflict_record),
    )


def planning_analysis(
    *,
    user,
    distance_m: float = analysis.DEFAULT_DISTANCE_M,
    gap_days: int = analysis.DEFAULT_GAP_DAYS,
    filters: Filters | None = None,
):
    """Return the ranked combinations and the conflicts among the works ``user`` may see.

    At the default distance and gap they are the stored pairs (``stored_pairs``: lazy,
    counted and paged by the database); other values recompute the analysis over every
    visible work, which costs seconds at 100,000 works: the API asks a window for them
    (``window_analysis``).
    """
    if _is_default(distance_m, gap_days):
        return stored_pairs(user=user, filters=filters)
    qs = work_list(user=user, filters=filters).exclude(status=Work.Status.GEREED)
    combos, conflicts = analysis.analyse(
        workset_from_rows(_rows(qs)), distance_m=distance_m, gap_days=gap_days
    )
    return _records(combos, conflicts)


def works_in_window(*, user, bounds: tuple[float, float, float, float]) -> QuerySet[Work]:
    """Return the active works ``user`` may see whose RD New bounding box meets ``bounds``.

    ``bounds`` is (minx, miny, maxx, maxy) in RD New metres.
    """
    minx, miny, maxx, maxy = bounds
    widest = Work.objects.aggregate(widest=Max("rd_span"))["widest"] or 0.0
    qs = Work.objects.exclude(status=Work.Status.GEREED).filter(
        rd_minx__lte=maxx,
        rd_minx__gte=minx - widest,
        rd_maxx__gte=minx,
        rd_miny__lte=maxy,
        rd_maxy__gte=miny,
    )
    return works_visible_to(user, qs)


def in_bbox(qs: QuerySet[Work], bounds: tuple[float, float, float, float]) -> QuerySet[Work]:
    """Return the works of ``qs`` whose RD New extent meets ``bounds`` (edges included).

    ``bounds`` is (minx, miny, maxx, maxy) in RD New metres (geo.bbox_bounds). An indexed
    range on ``rd_minx`` (planning_work_rd_box, which covers the filters and the order): no
    work is wider than the widest one (``rd_span``'s index), so ``rd_minx`` lies in a band
    the width of the window plus that.
    """
    minx, miny, maxx, maxy = bounds
    widest = Work.objects.aggregate(widest=Max("rd_span"))["widest"] or 0.0
    return qs.filter(
        rd_minx__lte=maxx,
        rd_minx__gte=minx - widest,
        rd_maxx__gte=minx,
        rd_miny__lte=maxy,
        rd_maxy__gte=miny,
    )


def window_analysis(
    *,
    user,
    bounds: tuple[float, float, float, float],
    distance_m: float = analysis.DEFAULT_DISTANCE_M,
    gap_days: int = analysis.DEFAULT_GAP_DAYS,
):
    """Return (combinations, conflicts) among the works in the map window ``bounds`` (RD New).

    The default distance and gap read the stored pairs; other values run the analysis over
    the window's works only.
    """
    works = works_in_window(user=user, bounds=bounds)
    if _is_default(distance_m, gap_days):
        return stored_pairs(user=user, among=works)
    combos, conflicts = analysis.analyse(
        workset_from_rows(_rows(works)), distance_m=distance_m, gap_days=gap_days
    )
    return _records(combos, conflicts)


def pairs_among(*, user, works, ids=None) -> tuple[list[dict], list[dict]]:
    """Return every stored (combination, conflict) between two of ``works`` (the map's).

    ``works``: Work objects, or a queryset (sliced too) of them with ``ids``, the set of
    their ids: the database reads the queryset as a subquery of ``work_a`` (its index),
    so no list of 2,000 ids is compiled per query, and ``work_b`` is kept when in ``ids``
    (asking both sides in SQL makes SQLite try every pair of ids). Ordered as
    ``stored_pairs``.
    """
    public_only = not can_view_internal(user)
    if isinstance(works, QuerySet):
        wanted = set(ids)
        parts = [works.values("pk")]
    else:
        wanted = {w.pk for w in works}
        ordered = sorted(wanted)
        parts = [ordered[at : at + 900] for at in range(0, len(ordered), 900)]
    found: tuple[list, list] = ([], [])
    for part in parts:
        for slot, model, fields in (
            (0, Combination, COMBINATION_FIELDS),
            (1, Conflict, CONFLICT_FIELDS),
        ):
            qs = model.objects.filter(work_a_id__in=part).order_by()
            if public_only:
                qs = qs.filter(public=True)
            found[slot].extend(r for r in qs.values_list(*fields) if r[1] in wanted)
    combos = sorted(found[0], key=lambda r: (-r[4], r[2], r[0], r[1]))
    conflicts = sorted(found[1], key=lambda r: (not r[2], r[3], r[0], r[1]))
    return [_combination_record(r) for r in combos], [_conflict_record(r) for r in conflicts]


def _oriented(record: dict, work_id: int) -> dict:
    if record["work_a"] == work_id:
        return record
    return {**record, "work_a": record["work_b"], "work_b": record["work_a"]}


def work_checks_many(
    *, works, user=None, refreshed=None
) -> dict[int, tuple[list[dict], list[dict]]]:
    """Return, per work id, its stored (combinations, conflicts), ``work_a`` being that work.

    Ordered as ``analysis.check_one`` orders them; a few queries for any number of works.
    ``user`` None: all works; otherwise only pairs with works ``user`` may see.
    ``refreshed``: what ``pairs.pairs_refresh`` just stored (``pairs.Refreshed``); the
    pairs of its works are taken from it for a user who sees every work, not read again.
    """
    ids = sorted({w.pk for w in works})
    found: dict[int, tuple[list, list]] = {i: ([], []) for i in ids}
    internal = user is None or can_view_internal(user)
    known = refreshed.ids & found.keys() if refreshed is not None and internal else set()
    if known:
        _refreshed_checks(refreshed, known, found)
    ids = [i for i in ids if i not in known]
    for at in range(0, len(ids), 450):
        part = ids[at : at + 450]
        for slot, model, fields, record in (
            (0, Combination, COMBINATION_FIELDS, _combination_record),
            (1, Conflict, CONFLICT_FIELDS, _conflict_record),
        ):
            a_side = Q(work_a_id__in=part)
            b_side = Q(work_b_id__in=part)
            if not internal:
                a_side &= Q(work_b__public=True)
                b_side &= Q(work_a__public=True)
            # One query per side: each uses its own index (an OR of the two may not). A
            # side's rows count for that side's work only: a pair of two works of the part
            # comes in both, once for each of them.
            for end, side in ((0, a_side), (1, b_side)):
                for row in model.objects.filter(side).order_by().values_list(*fields):
                    found[row[end]][slot].append(_oriented(record(row), row[end]))
    for combos, conflicts in found.values():
        combos.sort(key=lambda r: (-r["score"], r["distance_m"], r["work_b"]))
        conflicts.sort(key=lambda r: (r["severity"] != "zwaar", r["distance_m"], r["work_b"]))
    return found


def _refreshed_checks(refreshed, ids: set[int], found: dict) -> None:
    """Add the pairs of the works ``ids`` in ``refreshed`` (pairs.Refreshed) to ``found``,
    as ``work_checks_many`` reads them: the stored values, rounded as stored rows are."""
    combos, conflicts = refreshed.combinations, refreshed.conflicts
    to_date = datetime.date.fromordinal
    rows = (
        (0, _combination_record, zip(
            combos.a.tolist(), combos.b.tolist(), combos.distance_m.tolist(),
            combos.gap_days.tolist(), combos.score.tolist(), strict=True,
        )),
        (1, _conflict_record, (
            (a, b, heavy, distance, buffer, to_date(start), to_date(end))
            for a, b, heavy, distance, buffer, start, end in zip(
                conflicts.a.tolist(), conflicts.b.tolist(), conflicts.heavy.tolist(),
                conflicts.distance_m.tolist(), conflicts.buffer_m.tolist(),
                conflicts.overlap_start.tolist(), conflicts.overlap_end.tolist(), strict=True,
            )
        )),
    )  # fmt: skip
    for slot, record, found_rows in rows:
        for row in found_rows:
            rec = record(row)
            for work_id in (row[0], row[1]):
                if work_id in ids:
                    found[work_id][slot].append(_oriented(rec, work_id))


def work_checks(
    *,
    work: Work,
    user=None,
    distance_m: float = analysis.DEFAULT_DISTANCE_M,
    gap_days: int = analysis.DEFAULT_GAP_DAYS,
) -> tuple[list[dict], list[dict]]:
    """Return the combinations and conflicts of one work (``work_a`` is that work).

    The default distance and gap read the stored pairs (kept by every save); other values
    run the one-work check (``work_checks_computed``).
    """
    if _is_default(distance_m, gap_days):
        return work_checks_many(works=[work], user=user)[work.pk]
    return work_checks_computed(work=work, user=user, distance_m=distance_m, gap_days=gap_days)


def work_checks_computed(
    *,
    work: Work,
    user=None,
    distance_m: float = analysis.DEFAULT_DISTANCE_M,
    gap_days: int = analysis.DEFAULT_GAP_DAYS,
) -> tuple[list[dict], list[dict]]:
    """Compute the combinations and conflicts of one work (``work_a`` is that work).

    Only neighbours that can matter are read: an indexed bounding-box and period window
    selects the candidates, an STRtree over them does the rest.
    """
    reach = max(float(distance_m), analysis.BUFFER_STRONG_M) + 1.0
    # No work is wider than the widest one: that bounds rd_minx from below too, so the
    # indexed range on rd_minx reads a narrow band instead of half the table.
    widest = Work.objects.aggregate(widest=Max("rd_span"))["widest"] or 0.0
    qs = (
        Work.objects.exclude(pk=work.pk)
        .exclude(status=Work.Status.GEREED)
        .filter(
            rd_minx__lte=work.rd_maxx + reach,
            rd_minx__gte=work.rd_minx - reach - widest,
            rd_maxx__gte=work.rd_minx - reach,
            rd_miny__lte=work.rd_maxy + reach,
            rd_maxy__gte=work.rd_miny - reach,
            start__lte=shift_day(work.end, gap_days),
            end__gte=shift_day(work.start, -gap_days),
        )
    )
    if user is not None:
        qs = works_visible_to(user, qs)
    target = (
        work.id,
        work.rd_wkb,
        work.owner_id,
        work.department,
        work.start,
        work.end,
        work.hindrance,
        work.status,
        work.joint_id,
    )
    combos, conflicts = analysis.check_one(
        workset_from_rows([target, *_rows(qs)]), 0, distance_m=distance_m, gap_days=gap_days
    )
    return _records(combos, conflicts)


def shift_day(day: datetime.date, days: int) -> datetime.date:
    """Return ``day`` + ``days``, clamped to the calendar's ends."""
    # A row stored before the year rule existed may sit near date.max or date.min.
    try:
        return day + datetime.timedelta(days=int(days))
    except OverflowError:
        return datetime.date.max if days > 0 else datetime.date.min


def works_by_id(ids, *, parts: bool = True) -> dict[int, Work]:
    """Return the works of ``ids`` with owner, joint work and its parts, by id; without
    ``parts`` only what names a work (title, owner, department)."""
    ids = sorted(set(ids))
    qs = Work.objects.select_related("owner", "joint")
    if parts:
        qs = qs.prefetch_related("joint__works__owner")
    else:
        # The pairs' lists name each work (title, owner, department) and link it: no
        # geometry to decode, no description.
        qs = Work.objects.select_related("owner").only(
            "id", "title", "department", "owner_id", "owner__name"
        )
    found = {}
    for at in range(0, len(ids), 900):
        found.update((w.pk, w) for w in qs.filter(pk__in=ids[at : at + 900]))
    return found


def with_works(records: list[dict], *, parts: bool = True) -> list[dict]:
    """Attach the Work objects to analysis records for display (one query; ``parts``: with
    their joint works' parts, which the pairs' lists do not show)."""
    ids = {r["work_a"] for r in records} | {r["work_b"] for r in records}
    works = works_by_id(ids, parts=parts)
    return [{**r, "a": works[r["work_a"]], "b": works[r["work_b"]]} for r in records]


def work_history(*, work: Work) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        object_type="planning.work", object_id=str(work.pk)
    ).select_related("actor")


def joint_get(*, user, pk: int) -> JointWork:
    """Return one joint work ``user`` may see (raises JointWork.DoesNotExist otherwise)."""
    return joints_visible_to(user, JointWork.objects.prefetch_related("works__owner")).get(pk=pk)


def requests_for(*, user) -> tuple[QuerySet, QuerySet]:
    """Return (incoming, outgoing) requests: to works ``user`` may edit, and from them only."""
    qs = requests_visible_to(
        user,
        CombinationRequest.objects.select_related(
            "from_work__owner", "to_work__owner", "requested_by", "answered_by"
        ),
    )
    editable = works_editable_by(user)
    incoming = qs.filter(to_work__in=editable)
    return incoming, qs.exclude(to_work__in=editable)


def owners_visible_to(*, user) -> QuerySet[Organisation]:
    """Return the organisations that own a work ``user`` may see (the filter's choices)."""
    # Per organisation one probe of the owner index (EXISTS), not a scan of every work.
    visible = works_visible_to(user).filter(owner_id=OuterRef("pk"))
    return Organisation.objects.filter(Exists(visible))


def open_requests_with(work: Work) -> dict[int, CombinationRequest]:
    """Return the open requests between ``work`` and others, by the other work's id."""
    requests = CombinationRequest.objects.filter(
        Q(from_work=work) | Q(to_work=work), status=CombinationRequest.Status.OPEN
    )
    return {r.to_work_id if r.from_work_id == work.pk else r.from_work_id: r for r in requests}


def zones_containing(work: Work) -> list[InterestZone]:
    """Return the interest zones that ``work`` lies in or touches, with their members.

    Only zones whose member still acts for the zone's organisation (an approved membership)
    and is active: a revoked member hears nothing more about its works.
    """
    zones = list(
        InterestZone.objects.filter(
            member__is_active=True,
            member__is_removed=False,
            member__memberships__organisation=F("owner"),
            member__memberships__status=OrganisationMembership.Status.APPROVED,
        ).select_related("member", "owner")
    )
    if not zones:
        return []
    areas = shapely.from_wkb(np.asarray([bytes(z.rd_wkb) for z in zones], dtype=object))
    hits = shapely.intersects(areas, shapely.from_wkb(bytes(work.rd_wkb)))
    return [zone for zone, hit in zip(zones, hits, strict=True) if hit]


def zones_for(*, user) -> QuerySet[InterestZone]:
    """Return the zones ``user`` manages (permissions.zones_managed_by), staff their own."""
    return zones_managed_by(user, InterestZone.objects.filter(member_id=user.pk)).select_related(
        "owner"
    )


# The residents' view ---------------------------------------------------------------------


def resident_works(qs: QuerySet[Work] | None = None) -> QuerySet[Work]:
    """Return what residents see: public works that are planned or under way.

    Ideas are never shown (PRODUCT.md §6: the public map shows no ideas or internal details),
    nor finished works, nor initiatives a planner has not accepted (they are not public).
    """
    qs = works_visible_to(AnonymousUser(), qs if qs is not None else Work.objects.all())
    return qs.exclude(status__in=[Work.Status.IDEE, Work.Status.GEREED])


def resident_count(*, filters: Filters) -> int:
    """Return how many works residents see under ``filters`` (their period only).

    Kept in the shared cache for ``settings.VISITOR_PAGE_CACHE_SECONDS``, the age the
    residents' page has for visitors already (core.page_cache): counting 80,000 works costs
    more than the rest of the page. 0 (tests, DEBUG) counts every time.
    """
    works = resident_works(work_list(user=AnonymousUser(), filters=filters))
    seconds = int(getattr(settings, "VISITOR_PAGE_CACHE_SECONDS", 0))
    if seconds <= 0:
        return works.count()
    key = f"planning:residents:count:{filters.period_from}:{filters.period_to}"
    found = cache.get(key)
    if found is None:
        found = works.count()
        cache.set(key, found, seconds)
    return found


_HINDRANCE_ORDER = [h.value for h in Work.Hindrance]


def _entry(works: list[Work], joint: JointWork | None) -> dict:
    owners = list(dict.fromkeys(w.owner for w in works))
    hindrance = max((w.hindrance for w in works), key=_HINDRANCE_ORDER.index)
    start = min(w.start for w in works)
    end = max(w.end for w in works)
    period = getattr(joint, "agreed_period", None) if joint is not None else None
    if period is not None:
        start, end = period
    return {
        "title": joint.title if joint is not None else works[0].title,
        "joint": joint is not None,
        "works": works,
        "owners": owners,
        "kinds": list(dict.fromkeys(w.get_kind_display() for w in works)),
        "start": start,
        "end": end,
        "hindrance": hindrance,
        "url": works[0].get_absolute_url(),
    }


def resident_entries(works) -> list[dict]:
    """Group ``works`` as residents see them: a joint work once, with every public part.

    Each entry: ``title``, ``joint``, ``works``, ``owners`` (Organisations, for their public
    contact), ``kinds``, ``start``, ``end`` (the agreed joint period when there is one),
    ``hindrance`` (the heaviest code of the parts) and ``url``; ordered by start.
    """
    works = list(works)
    joint_ids = {w.joint_id for w in works if w.joint_id}
    parts: dict[int, list[Work]] = {}
    if joint_ids:
        for part in resident_works(Work.objects.select_related("owner", "joint")).filter(
            joint_id__in=joint_ids
        ):
            parts.setdefault(part.joint_id, []).append(part)
    entries, seen = [], set()
    for work in works:
        if work.joint_id:
            if work.joint_id in seen:
                continue
            seen.add(work.joint_id)
            entries.append(_entry(parts.get(work.joint_id, [work]), work.joint))
        else:
            entries.append(_entry([work], None))
    return sorted(entries, key=lambda e: (e["start"], e["title"]))


def resident_works_in(area_rd) -> list[Work]:
    """Return the residents' works that lie in or touch ``area_rd`` (RD New polygon)."""
    minx, miny, maxx, maxy = (float(v) for v in shapely.bounds(area_rd))
    widest = Work.objects.aggregate(widest=Max("rd_span"))["widest"] or 0.0
    candidates = list(
        resident_works(Work.objects.select_related("owner", "joint")).filter(
            rd_minx__lte=maxx,
            rd_minx__gte=minx - widest,
            rd_maxx__gte=minx,
            rd_miny__lte=maxy,
            rd_maxy__gte=miny,
        )
    )
    if not candidates:
        return []
    geoms = rd_geometries([w.rd_wkb for w in candidates])
    hits = shapely.intersects(geoms, area_rd)
    return [w for w, hit in zip(candidates, hits, strict=True) if hit]


def street_follow_by_token(*, token: str) -> StreetFollow | None:
    """Return the street follow whose mailed link carries ``token``, or None (unknown or replaced).

    The token is the link's only key; the place it names is shown back to the resident.
    """
    return StreetFollow.objects.filter(token=token).first()


def street_followers_of(work: Work) -> list[StreetFollow]:
    """Return the confirmed street follows whose area ``work`` touches, if residents see it."""
    if not resident_works(Work.objects.filter(pk=work.pk)).exists():
        return []
    follows = list(StreetFollow.objects.filter(confirmed_at__isnull=False))
    if not follows:
        return []
    areas = shapely.from_wkb(np.asarray([bytes(f.rd_wkb) for f in follows], dtype=object))
    hits = shapely.intersects(areas, shapely.from_wkb(bytes(work.rd_wkb)))
    return [follow for follow, hit in zip(follows, hits, strict=True) if hit]
