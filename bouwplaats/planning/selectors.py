"""Reads shared by the pages and the API: visible works, the analysis, requests."""

import datetime
from dataclasses import dataclass

import numpy as np
import shapely
from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Max, Q, QuerySet

from bouwplaats.accounts.models import Organisation, OrganisationMembership
from bouwplaats.core.models import AuditEntry

from . import analysis
from .geo import rd_geometries
from .models import CombinationRequest, InterestZone, JointWork, StreetFollow, Work
from .permissions import (
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


def planning_analysis(
    *,
    user,
    distance_m: float = analysis.DEFAULT_DISTANCE_M,
    gap_days: int = analysis.DEFAULT_GAP_DAYS,
    filters: Filters | None = None,
) -> tuple[list[dict], list[dict]]:
    """Return the ranked combinations and the conflicts among the works ``user`` may see."""
    qs = work_list(user=user, filters=filters).exclude(status=Work.Status.GEREED)
    combos, conflicts = analysis.analyse(
        workset_from_rows(_rows(qs)), distance_m=distance_m, gap_days=gap_days
    )
    return _records(combos, conflicts)


def work_checks(
    *,
    work: Work,
    user=None,
    distance_m: float = analysis.DEFAULT_DISTANCE_M,
    gap_days: int = analysis.DEFAULT_GAP_DAYS,
) -> tuple[list[dict], list[dict]]:
    """Return the combinations and conflicts of one work (``work_a`` is that work).

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
            start__lte=_shift(work.end, gap_days),
            end__gte=_shift(work.start, -gap_days),
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


def _shift(day: datetime.date, days: int) -> datetime.date:
    # A row stored before the year rule existed may sit near date.max or date.min.
    try:
        return day + datetime.timedelta(days=int(days))
    except OverflowError:
        return datetime.date.max if days > 0 else datetime.date.min


def works_by_id(ids) -> dict[int, Work]:
    return {w.pk: w for w in Work.objects.select_related("owner", "joint").filter(pk__in=ids)}


def with_works(records: list[dict]) -> list[dict]:
    """Attach the Work objects to analysis records for display (one query)."""
    works = works_by_id({r["work_a"] for r in records} | {r["work_b"] for r in records})
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
    return Organisation.objects.filter(pk__in=works_visible_to(user).values("owner_id"))


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
