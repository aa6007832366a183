"""API of verankering: the regions' koffertjes and the programme team's stakeholder field."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from bouwplaats.core.errors import NotAllowed
from bouwplaats.core.pagination import LimitOffsetPagination
from bouwplaats.core.schemas import DbId, model_field
from bouwplaats.programmes.models import Programme

from . import selectors, services
from .models import KoffertjeItem
from .permissions import can_manage_stakeholders

router = Router(tags=["verankering"])


class KoffertjeItemOut(Schema):
    element: str
    text: str
    owner: str
    status: str


class KoffertjeOut(Schema):
    region: str
    region_slug: str
    items: list[KoffertjeItemOut]
    url: str
    updated_at: datetime

    @staticmethod
    def resolve_region(obj):
        return obj.region.name

    @staticmethod
    def resolve_region_slug(obj):
        return obj.region.slug

    @staticmethod
    def resolve_items(obj):
        return list(obj.items.all())

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class KoffertjeFilters(Schema):
    element: model_field(KoffertjeItem, "element") | None = None
    status: model_field(KoffertjeItem, "status") | None = None


@router.get("/programmes/{programme_id}/koffertjes", response=list[KoffertjeOut])
@paginate(LimitOffsetPagination)
def list_koffertjes(request, programme_id: DbId, filters: Query[KoffertjeFilters]):
    """Return per region what it anchors after the programme (public): ``region`` and its
    ``items`` (``element``, ``text``, ``owner``, ``status``); ``element`` and ``status``
    filter the items."""
    programme = get_object_or_404(Programme, pk=programme_id)
    koffertjes = list(selectors.koffertjes_for_api(programme=programme))
    for koffertje in koffertjes:
        items = [
            i
            for i in koffertje.items.all()
            if (not filters.element or i.element == filters.element)
            and (not filters.status or i.status == filters.status)
        ]
        koffertje._prefetched_objects_cache["items"] = items
    return koffertjes


class KoffertjeIn(Schema):
    region: str


@router.post("/programmes/{programme_id}/koffertjes", response={201: KoffertjeOut})
def add_koffertje(request, programme_id: DbId, payload: KoffertjeIn):
    """Add a region to the programme and start its koffertje (programme team): ``region`` is
    the region's name; answers the new koffertje (``region``, ``items`` empty), 422 with
    ``errors.region`` for an empty, too long or multi-line name or a region it already has."""
    programme = get_object_or_404(Programme, pk=programme_id)
    if not request.user.is_authenticated:
        raise NotAllowed(_("Log in met een API-sleutel."), status_code=401)
    koffertje = services.koffertje_region_add(
        actor=request.user, programme=programme, name=payload.region
    )
    return Status(201, selectors.koffertjes_for_api(programme=programme).get(pk=koffertje.pk))


class RatingOut(Schema):
    interest: int
    influence: int
    level: str
    direction: str
    reason: str
    at: datetime


class PersonOut(Schema):
    name: str
    role: str


class StakeholderOut(Schema):
    id: int
    name: str
    kind: str
    pilot: int | None
    interest: int
    influence: int
    level: str
    promise: str
    direction: str
    notes: str
    rated_at: datetime
    stale: bool
    persons: list[PersonOut]
    history: list[RatingOut]
    url: str

    @staticmethod
    def resolve_pilot(obj):
        return obj.pilot_id

    @staticmethod
    def resolve_stale(obj):
        return obj.is_stale()

    @staticmethod
    def resolve_persons(obj):
        return list(obj.persons.all())

    @staticmethod
    def resolve_history(obj):
        return list(obj.ratings.all())

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


@router.get("/programmes/{programme_id}/stakeholders", response=list[StakeholderOut])
@paginate(LimitOffsetPagination)
def list_stakeholders(request, programme_id: DbId):
    """Return the programme team's stakeholder field (programme team only): ``name``,
    ``interest``, ``influence``, ``level`` (with its ``promise``), ``direction``, the named
    ``persons`` and the dated ``history`` of ratings with their reasons, oldest first."""
    programme = get_object_or_404(Programme, pk=programme_id)
    if not request.user.is_authenticated:
        raise NotAllowed(_("Log in met een API-sleutel."), status_code=401)
    if not can_manage_stakeholders(request.user, programme):
        raise NotAllowed(_("Het stakeholderveld is voor het programmateam."), code="stakeholders")
    return selectors.stakeholder_field(programme=programme, with_persons=True)
