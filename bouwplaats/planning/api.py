"""API for works in public space: GeoJSON in and out, combinations and conflicts."""

import datetime
import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from bouwplaats.core.pagination import LimitOffsetPagination

from . import analysis, selectors, services
from .models import Work
from .permissions import can_view_internal

router = Router(tags=["werk-met-werk"])

MAX_LIMIT = 500


class FeatureOut(Schema):
    type: str = "Feature"
    id: int
    geometry: dict
    properties: dict


class FeatureCollectionOut(Schema):
    type: str = "FeatureCollection"
    count: int
    features: list[FeatureOut]


class CombinationOut(Schema):
    work_a: int
    work_b: int
    distance_m: float
    gap_days: int
    score: float


class ConflictOut(Schema):
    work_a: int
    work_b: int
    severity: str = Field(description="zwaar: de geometrieën overlappen; licht: binnen de buffer")
    distance_m: float
    buffer_m: float
    overlap_start: datetime.date
    overlap_end: datetime.date


class WorkFilters(Schema):
    owner: str | None = Field(None, description="organisatie: id of naam")
    kind: str | None = None
    status: str | None = None
    period_from: datetime.date | None = Field(None, alias="from")
    period_to: datetime.date | None = Field(None, alias="to")


class AnalysisParams(Schema):
    distance_m: float = Field(analysis.DEFAULT_DISTANCE_M, ge=0, le=1000)
    gap_days: int = Field(analysis.DEFAULT_GAP_DAYS, ge=0, le=3650)


def feature(work: Work, *, internal: bool) -> dict:
    props = {
        "id": work.pk,
        "title": work.title,
        "owner": work.owner.name,
        "department": work.department,
        "kind": work.kind,
        "start": work.start.isoformat(),
        "end": work.end.isoformat(),
        "status": work.status,
        "hindrance": work.hindrance,
        "description": work.description,
        "public": work.public,
    }
    if internal:
        props.update(
            {
                "external_id": work.external_id,
                "contact": work.contact,
                "joint": work.joint_id,
                "owners": sorted({w.owner.name for w in work.joint.works.all()})
                if work.joint_id
                else [work.owner.name],
            }
        )
    return {"type": "Feature", "id": work.pk, "geometry": work.geometry, "properties": props}


def _filters(params: WorkFilters) -> selectors.Filters:
    owner = None
    if params.owner:
        from bouwplaats.accounts.models import Organisation

        qs = Organisation.objects.all()
        found = (
            qs.filter(pk=int(params.owner)).first()
            if params.owner.isdecimal() and len(params.owner) <= 18
            else qs.filter(name__iexact=params.owner).first()
        )
        owner = found.pk if found else -1
    return selectors.Filters(
        owner=owner,
        kind=params.kind or "",
        status=params.status or "",
        period_from=params.period_from,
        period_to=params.period_to,
    )


@router.get("/works", response=FeatureCollectionOut)
def list_works(
    request,
    filters: Query[WorkFilters],
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=settings.NINJA_PAGINATION_MAX_OFFSET),
):
    """Return works as a GeoJSON FeatureCollection, with ``count`` beside ``features``.

    Visitors see public works only.
    """
    qs = selectors.work_list(user=request.user, filters=_filters(filters))
    internal = can_view_internal(request.user)
    if internal:
        qs = qs.prefetch_related("joint__works__owner")
    works = list(qs[offset : offset + limit])
    return {
        "type": "FeatureCollection",
        "count": qs.count(),
        "features": [feature(w, internal=internal) for w in works],
    }


def _error(status: int, detail, *, index=None, field=None) -> JsonResponse:
    body = {"detail": str(detail), "index": index, "field": field}
    return JsonResponse(body, status=status)


GEOJSON_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/geo+json": {"schema": {"type": "object"}},
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "A GeoJSON Feature or FeatureCollection (WGS84 or RD New). "
                    "Properties: owner, department, kind, title, description, start, end, "
                    "status, hindrance, contact, external_id, public.",
                }
            },
        },
    }
}


@router.post(
    "/works",
    response={201: dict, 400: dict, 403: dict, 413: dict, 422: dict},
    openapi_extra=GEOJSON_BODY,
)
def post_works(request):
    """Create or update works from a Feature or FeatureCollection (all or nothing).

    The same ``external_id`` for the same owner updates that work. The answer carries the
    saved features and, per saved work, its combinations and conflicts, computed at once.
    A refused feature gives 4xx with ``index`` (0-based) and ``field``; nothing is stored.
    """
    try:
        data = json.loads(request.body or b"null")
    except RequestDataTooBig:
        return _error(413, _("Te veel gegevens in één keer: stuur de werken in delen."))
    except (ValueError, UnicodeDecodeError):
        return _error(400, _("Geen geldige JSON."))
    try:
        saved = services.works_import(actor=request.user, data=data)
    except services.WorkInputError as error:
        return _error(error.status_code, error.message, index=error.index, field=error.field)
    results = []
    for item in saved:
        combos, conflicts = selectors.work_checks(work=item.work, user=request.user)
        results.append(
            {
                "id": item.work.pk,
                "created": item.created,
                "combinations": combos,
                "conflicts": conflicts,
            }
        )
    works = selectors.works_by_id([s.work.pk for s in saved])
    body = {
        "type": "FeatureCollection",
        "count": len(saved),
        "features": [feature(works[s.work.pk], internal=True) for s in saved],
        "results": results,
    }
    return Status(201, body)


@router.get("/works/combinations", response=list[CombinationOut])
@paginate(LimitOffsetPagination)
def list_combinations(request, params: Query[AnalysisParams]):
    """Return candidate combinations, best score first (visitors: among public works)."""
    combos, _conflicts = selectors.planning_analysis(
        user=request.user, distance_m=params.distance_m, gap_days=params.gap_days
    )
    return combos


@router.get("/works/conflicts", response=list[ConflictOut])
@paginate(LimitOffsetPagination)
def list_conflicts(request):
    """Return hindering works at the same place at the same time, heavy first."""
    _combos, conflicts = selectors.planning_analysis(user=request.user)
    return conflicts


@router.get("/works/{work_id}", response=FeatureOut)
def get_work(request, work_id: int):
    """Return one work as a GeoJSON Feature."""
    try:
        work = selectors.work_get(user=request.user, pk=work_id)
    except Work.DoesNotExist as exc:
        raise Http404 from exc
    return feature(work, internal=can_view_internal(request.user))
