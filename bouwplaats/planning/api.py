"""API for works in public space: GeoJSON in and out, combinations and conflicts."""

import datetime
from typing import Literal

import orjson
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.renderers import JSONRenderer

from bouwplaats.accounts.models import Organisation
from bouwplaats.core import jsonbody
from bouwplaats.core.errors import DomainError, InvalidInput
from bouwplaats.core.pagination import LimitOffsetPagination
from bouwplaats.core.schemas import EARLIEST_YEAR, LATEST_YEAR, DbId, PlausibleDate, model_field

from . import analysis, selectors, services
from .geo import BBOX_MAX_M, GeometryError, bbox_bounds
from .geojson import work_feature
from .models import Work, validate_period
from .permissions import can_view_internal

router = Router(tags=["werk-met-werk"])

MAX_LIMIT = 500
# The widest map window (metres, RD New) whose analysis runs per request at another
# distance or gap: a few thousand works at the density of a busy city.
MAX_WINDOW_M = 5000


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
    # API.md contract: `owner` takes an id or a name; digits are an id and must fit a bigint.
    owner: DbId | model_field(Organisation, "name") | None = Field(
        None,
        description="organisatie die eigenaar is: id (cijfers) of naam (hoofdletters tellen niet)",
        union_mode="left_to_right",
    )
    owner_name: model_field(Organisation, "name") | None = Field(
        None, description="naam van de organisatie die eigenaar is (hoofdletters tellen niet)"
    )
    kind: model_field(Work, "kind") | None = None
    status: model_field(Work, "status") | None = None
    period_from: PlausibleDate | None = Field(None, alias="from")
    period_to: PlausibleDate | None = Field(None, alias="to")


class WorkPropertiesIn(Schema):
    """The ``properties`` of one Feature sent to POST /works: the model's rules.

    The service checks them (the same rules, with the Dutch message the page shows); this
    schema documents them in OpenAPI.
    """

    owner: DbId | model_field(Organisation, "name") | None = Field(
        None, description="organisatie: id of naam; leeg: de eigen organisatie"
    )
    department: model_field(Work, "department") | Literal[""] = ""
    kind: model_field(Work, "kind")
    title: model_field(Work, "title") | None = Field(None, description="leeg: de soort werk")
    description: model_field(Work, "description") = ""
    start: model_field(Work, "start", description=f"jaar {EARLIEST_YEAR}–{LATEST_YEAR}")
    end: model_field(Work, "end", description=f"op of na start, jaar {EARLIEST_YEAR}–{LATEST_YEAR}")
    status: model_field(Work, "status") = Work.Status.GEPLAND
    hindrance: model_field(Work, "hindrance") = Work.Hindrance.GEEN
    contact: model_field(Work, "contact") = ""
    external_id: model_field(
        Work, "external_id", description="zelfde eigenaar en kenmerk: werkt dat werk bij"
    ) = ""
    public: bool = True


class WindowParams(Schema):
    bbox: str | None = Field(
        None,
        max_length=200,
        description=(
            "kaartvenster: min_lon,min_lat,max_lon,max_lat in WGS84 (hoogstens "
            f"{MAX_WINDOW_M // 1000} km breed en hoog); alleen paren binnen het venster"
        ),
    )


class AnalysisParams(WindowParams):
    distance_m: float = Field(
        analysis.DEFAULT_DISTANCE_M,
        ge=0,
        le=1000,
        description="een andere waarde dan 25 vraagt een kaartvenster (bbox)",
    )
    gap_days: int = Field(
        analysis.DEFAULT_GAP_DAYS,
        ge=0,
        le=3650,
        description="een andere waarde dan 180 vraagt een kaartvenster (bbox)",
    )


def parse_bbox(bbox: str | None, *, max_side_m: float = BBOX_MAX_M):
    """Return the RD New bounds of a ``bbox`` parameter, or None without one.

    Raises InvalidInput (422, Dutch, on ``bbox``) for a box geo.bbox_bounds refuses.
    """
    if bbox is None:
        return None
    try:
        return bbox_bounds(bbox, max_side_m=max_side_m)
    except GeometryError as exc:
        raise InvalidInput({"bbox": [str(exc)]}) from exc


def _filters(params: WorkFilters) -> selectors.Filters:
    owner, name = params.owner, params.owner_name
    if isinstance(owner, str):
        if owner.isascii() and owner.strip().isdigit():
            raise InvalidInput({"owner": [_("Dit id van een organisatie bestaat niet.")]})
        owner, name = None, owner
    if name:
        found = Organisation.objects.filter(name__iexact=name.strip()).first()
        owner = found.pk if found else -1
    try:
        validate_period(params.period_from, params.period_to, "to")
    except ValidationError as exc:
        raise InvalidInput.from_validation_error(exc) from exc
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
    bbox: str | None = Query(
        None,
        description=(
            "kaartvenster min_lon,min_lat,max_lon,max_lat in WGS84 (GeoJSON, RFC 7946 §5), "
            f"hoogstens {BBOX_MAX_M // 1000} km breed en hoog: alleen werken waarvan de "
            "omhullende rechthoek het venster raakt; de filters gelden ook"
        ),
    ),
):
    """Return works as a GeoJSON FeatureCollection, with ``count`` beside ``features``.

    Visitors see public works only. ``bbox``: only works whose extent meets that window.
    """
    bounds = parse_bbox(bbox)
    qs = selectors.work_list(user=request.user, filters=_filters(filters))
    if bounds is not None:
        qs = selectors.in_bbox(qs, bounds)
    internal = can_view_internal(request.user)
    if internal:
        qs = qs.prefetch_related("joint__works__owner")
    works = selectors.page_of(qs, offset, limit)
    return {
        "type": "FeatureCollection",
        "count": qs.count(),
        "features": [work_feature(w, internal=internal) for w in works],
    }


def _error(status: int, detail, *, index=None, field=None, errors=None) -> JsonResponse:
    body = {"detail": str(detail), "code": field, "index": index, "field": field}
    if errors:
        body["errors"] = errors
    return JsonResponse(body, status=status)


def _geojson_body() -> dict:
    properties = WorkPropertiesIn.model_json_schema()
    feature = {
        "type": "object",
        "required": ["type", "geometry", "properties"],
        "properties": {
            "type": {"const": "Feature"},
            "geometry": {
                "type": "object",
                "description": "Point, LineString, Polygon or Multi…, WGS84 or RD New",
            },
            "properties": properties,
        },
    }
    collection = {
        "type": "object",
        "required": ["type", "features"],
        "properties": {
            "type": {"const": "FeatureCollection"},
            "crs": {"type": "object", "description": "EPSG:4326 (standaard) of EPSG:28992"},
            "features": {"type": "array", "items": feature, "minItems": 1},
        },
    }
    schema = {"oneOf": [feature, collection]}
    content = {"schema": schema}
    return {
        "requestBody": {
            "required": True,
            "content": {"application/geo+json": content, "application/json": content},
        }
    }


@router.post(
    "/works",
    response={200: dict, 201: dict, 400: dict, 403: dict, 413: dict, 422: dict},
    openapi_extra=_geojson_body(),
)
def post_works(request):
    """Create or update works from a Feature or FeatureCollection (all or nothing).

    The same ``external_id`` for the same owner updates that work. The answer carries the
    saved features and, per saved work, its combinations and conflicts, computed at once.
    A refused feature gives 4xx with ``index`` (0-based), ``field`` (also ``code``) and, for
    values the model refuses (422), ``errors`` per field; nothing is stored. Answers 201
    when at least one work was created, 200 when every feature updated a stored work (a
    re-upload); ``results[].created`` says which per feature.
    """
    try:
        data = jsonbody.loads(request.body or b"null")
    except RequestDataTooBig:
        return _error(413, _("Te veel gegevens in één keer: stuur de werken in delen."))
    except (ValueError, UnicodeDecodeError):
        return _error(400, _("Geen geldige JSON."))
    try:
        saved = services.works_import(actor=request.user, data=data)
    except DomainError as error:
        return _error(
            error.status_code,
            error.message,
            index=getattr(error, "index", None),
            field=error.code,
            errors=error.errors,
        )
    checks = selectors.work_checks_many(
        works=[s.work for s in saved], user=request.user, refreshed=saved.pairs
    )
    results = [
        {
            "id": item.work.pk,
            "created": item.created,
            "combinations": checks[item.work.pk][0],
            "conflicts": checks[item.work.pk][1],
        }
        for item in saved
    ]
    # The works come back as saved, owner attached; those in a joint work are read again
    # with its parts, in slices.
    works = {s.work.pk: s.work for s in saved}
    works.update(selectors.works_by_id([s.work.pk for s in saved if s.work.joint_id is not None]))
    body = {
        "type": "FeatureCollection",
        "count": len(saved),
        "features": [work_feature(works[s.work.pk], internal=True) for s in saved],
        "results": results,
    }
    # Rendered without first validating and dumping the whole body through the ``dict``
    # response schema (a pydantic walk per value), and by orjson (UTF-8, as ninja's media
    # type says): the body holds only JSON's own types, and json.dumps of a 5,000-work
    # answer took about 13 times as long.
    status = 201 if any(s.created for s in saved) else 200
    renderer = JSONRenderer()
    return HttpResponse(
        orjson.dumps(body),
        status=status,
        content_type=f"{renderer.media_type}; charset={renderer.charset}",
    )


@router.get("/works/combinations", response=list[CombinationOut])
@paginate(LimitOffsetPagination)
def list_combinations(request, params: Query[AnalysisParams]):
    """Return candidate combinations, best score first (visitors: among public works).

    At the default distance and gap these are the pairs kept on every save (an indexed,
    paged read); another distance or gap is computed for a map window (``bbox``) only.
    """
    bounds = parse_bbox(params.bbox, max_side_m=MAX_WINDOW_M)
    default = (params.distance_m, params.gap_days) == (
        analysis.DEFAULT_DISTANCE_M,
        analysis.DEFAULT_GAP_DAYS,
    )
    if bounds is None and not default:
        raise InvalidInput(
            {"bbox": [_("Geef bij een andere afstand of tussentijd een kaartvenster (bbox) op.")]}
        )
    if bounds is None:
        combos, _conflicts = selectors.stored_pairs(user=request.user)
    else:
        combos, _conflicts = selectors.window_analysis(
            user=request.user,
            bounds=bounds,
            distance_m=params.distance_m,
            gap_days=params.gap_days,
        )
    return combos


@router.get("/works/conflicts", response=list[ConflictOut])
@paginate(LimitOffsetPagination)
def list_conflicts(request, params: Query[WindowParams]):
    """Return hindering works at the same place at the same time, heavy first."""
    bounds = parse_bbox(params.bbox, max_side_m=MAX_WINDOW_M)
    if bounds is None:
        _combos, conflicts = selectors.stored_pairs(user=request.user)
    else:
        _combos, conflicts = selectors.window_analysis(user=request.user, bounds=bounds)
    return conflicts


@router.get("/works/{work_id}", response=FeatureOut)
def get_work(request, work_id: DbId):
    """Return one work as a GeoJSON Feature."""
    try:
        work = selectors.work_get(user=request.user, pk=work_id)
    except Work.DoesNotExist as exc:
        raise Http404 from exc
    return work_feature(work, internal=can_view_internal(request.user))
