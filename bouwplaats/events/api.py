"""REST API for sessions and registrations (see API.md)."""

import datetime
from typing import Literal

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from bouwplaats.core.errors import DomainError, NotAllowed
from bouwplaats.core.pagination import LimitOffsetPagination
from bouwplaats.core.schemas import PlausibleDatetime
from bouwplaats.programmes.models import Programme

from . import selectors, services
from .calendar import AMSTERDAM
from .models import Registration, Session, SessionPart
from .permissions import can_see_online_link, can_see_participants

router = Router(tags=["sessions"])


class PersonOut(Schema):
    name: str
    function: str
    organisation: str | None


class PartSchema(Schema):
    title: str
    time: str = ""
    text: str = ""


class SessionOut(Schema):
    id: int
    title: str
    type: str
    programme: int = Field(..., alias="programme_id")
    programme_name: str
    intro: str
    goal: str
    audience: str
    criteria: list[str]
    host: PersonOut
    start: datetime.datetime
    end: datetime.datetime
    location: str
    online: bool
    capacity: int | None
    registration_deadline: datetime.datetime | None
    requires_approval: bool
    questions: list[str]
    participant_visibility: str
    parts: list[PartSchema]
    status: str
    confirmed_count: int
    waitlist_count: int
    sequence: int
    url: str
    ical_url: str

    @staticmethod
    def resolve_programme_name(obj):
        return obj.programme.name

    @staticmethod
    def resolve_host(obj):
        host = obj.host
        return {
            "name": host.display_name,
            "function": host.function,
            "organisation": host.organisation.name if host.organisation else None,
        }

    @staticmethod
    def resolve_start(obj):
        return _local(obj.start)

    @staticmethod
    def resolve_end(obj):
        return _local(obj.end)

    @staticmethod
    def resolve_registration_deadline(obj):
        return _local(obj.registration_deadline)

    @staticmethod
    def resolve_parts(obj):
        return list(obj.parts.all())

    @staticmethod
    def resolve_url(obj):
        return settings.SITE_URL + obj.get_absolute_url()

    @staticmethod
    def resolve_ical_url(obj):
        return settings.SITE_URL + reverse("events:ics", args=[obj.pk])


class SessionDetailOut(SessionOut):
    online_url: str | None = Field(
        None, description="Alleen voor aangemelde deelnemers en organisatoren"
    )

    @staticmethod
    def resolve_online_url(obj, context):
        user = context["request"].user
        return obj.online_url if can_see_online_link(obj, user) else None


class SessionFilters(Schema):
    programme: str | None = Field(None, description="id of slug van het programma")
    type: str | None = None
    from_: PlausibleDatetime | None = Field(None, alias="from")
    to: PlausibleDatetime | None = None


class RegistrationOut(Schema):
    id: int
    status: str


class RegistrationIn(Schema):
    answers: dict[str, str] = {}


class ChangeOut(Schema):
    field: str
    old: str
    new: str
    changed_at: datetime.datetime


class ParticipantOut(Schema):
    name: str
    function: str
    organisation: str | None
    status: str


class SessionIn(Schema):
    programme: int
    type: str
    title: str
    intro: str = ""
    goal: str = ""
    audience: str = ""
    criteria: list[str] = []
    start: PlausibleDatetime
    end: PlausibleDatetime
    location: str = ""
    online: bool = False
    online_url: str = ""
    capacity: int | None = None
    registration_deadline: PlausibleDatetime | None = None
    requires_approval: bool = False
    questions: list[str] = []
    participant_visibility: str = Session.Visibility.PUBLIC
    parts: list[PartSchema] = []
    status: Literal["draft", "published"] = "draft"


class SessionPatch(Schema):
    type: str | None = None
    title: str | None = None
    intro: str | None = None
    goal: str | None = None
    audience: str | None = None
    criteria: list[str] | None = None
    start: PlausibleDatetime | None = None
    end: PlausibleDatetime | None = None
    location: str | None = None
    online: bool | None = None
    online_url: str | None = None
    capacity: int | None = None
    registration_deadline: PlausibleDatetime | None = None
    requires_approval: bool | None = None
    questions: list[str] | None = None
    participant_visibility: str | None = None
    parts: list[PartSchema] | None = None
    status: Literal["draft", "published", "cancelled"] | None = None


def _aware(value: datetime.datetime | None) -> datetime.datetime | None:
    # Times without an offset are read as Dutch local time.
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value, AMSTERDAM)
    return value


def _local(value: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(value, AMSTERDAM) if value else None


def _visible(request, session_id: int, *, full: bool = True) -> Session:
    try:
        if full:
            session = selectors.session_get(pk=session_id)
        else:
            session = Session.objects.select_related("programme").get(pk=session_id)
    except Session.DoesNotExist as exc:
        raise Http404 from exc
    if not session.can_view(request.user):
        raise Http404
    return session


def _member(request):
    if not request.user.is_authenticated:
        raise NotAllowed(_("Log in met een API-sleutel."), status_code=401)
    return request.user


@router.get("/sessions", response=list[SessionOut])
@paginate(LimitOffsetPagination)
def list_sessions(request, filters: Query[SessionFilters]):
    """Return published (and cancelled) sessions; filters programme (id or slug), type, from, to."""
    qs = selectors.session_list(
        programme=filters.programme,
        type=filters.type,
        start_from=_aware(filters.from_),
        start_to=_aware(filters.to),
    )
    return qs.prefetch_related(Prefetch("parts", queryset=SessionPart.objects.order_by("position")))


@router.post("/sessions", response={201: SessionDetailOut})
def create_session(request, payload: SessionIn):
    """Create a session: a draft hosted by the caller; the programme team may publish at once."""
    member = _member(request)
    programme = Programme.objects.filter(pk=payload.programme).first()
    if programme is None:
        raise DomainError(_("Onbekend programma."), code="programme")
    data = payload.dict()
    data.pop("programme")
    publish = data.pop("status") == Session.Status.PUBLISHED
    session = services.session_create(
        actor=member,
        programme=programme,
        publish=publish,
        **{**data, "start": _aware(payload.start), "end": _aware(payload.end),
           "registration_deadline": _aware(payload.registration_deadline)},
    )  # fmt: skip
    return Status(201, selectors.session_get(pk=session.pk))


@router.get("/sessions/{session_id}", response=SessionDetailOut)
def get_session(request, session_id: int):
    """Return one session."""
    return _visible(request, session_id)


@router.patch("/sessions/{session_id}", response=SessionDetailOut)
def update_session(request, session_id: int, payload: SessionPatch):
    """Change a session (host or team); changes of date, time, place or parts are recorded."""
    member = _member(request)
    session = _visible(request, session_id)
    if not session.can_manage(member):
        raise NotAllowed(_("Alleen de organisatoren en het programmateam kunnen dit wijzigen."))
    data = payload.dict(exclude_unset=True)
    status = data.pop("status", None)
    for name in ("start", "end", "registration_deadline"):
        if name in data:
            data[name] = _aware(data[name])
    for name in ("type", "title", "start", "end", "location", "online", "requires_approval"):
        if name in data and data[name] is None:
            raise DomainError(_("%(f)s mag niet leeg zijn.") % {"f": name}, code=name)
    if data:
        services.session_update(session=session, actor=member, **data)
    if status and status != session.status:
        if status == Session.Status.PUBLISHED:
            services.session_publish(session=session, actor=member)
        elif status == Session.Status.CANCELLED:
            services.session_cancel(session=session, actor=member)
        else:
            raise DomainError(_("Een sessie kan niet terug naar concept."), status_code=409)
    return selectors.session_get(pk=session.pk)


@router.get("/sessions/{session_id}/changes", response=list[ChangeOut])
@paginate(LimitOffsetPagination)
def list_changes(request, session_id: int):
    """Return the recorded changes of a session, oldest first."""
    return selectors.session_changes(session=_visible(request, session_id, full=False))


def _answers(request) -> dict[str, str]:
    """Read the optional JSON body ``{"answers": {question: answer}}``; none is fine."""
    if request.content_type != "application/json" or not request.body.strip():
        return {}
    try:
        return RegistrationIn.model_validate_json(request.body).answers
    except ValueError as exc:
        raise DomainError(
            _('Stuur {"answers": {vraag: antwoord}} of een lege body.'), status_code=422
        ) from exc


@router.post(
    "/sessions/{session_id}/registrations",
    response={201: RegistrationOut},
    openapi_extra={
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": RegistrationIn.model_json_schema()}},
        }
    },
)
def register(request, session_id: int):
    """Register the caller: confirmed, waitlisted or pending (awaits the host's approval)."""
    member = _member(request)
    answers = _answers(request)
    try:
        # The service reads the session itself, under the row lock: no earlier read needed.
        registration = services.registration_create(
            session=Session(pk=session_id), member=member, answers=answers
        )
    except Session.DoesNotExist as exc:
        raise Http404 from exc
    return Status(201, {"id": registration.pk, "status": registration.status})


@router.delete("/sessions/{session_id}/registrations/me", response=RegistrationOut)
def unregister(request, session_id: int):
    """Cancel the caller's registration; the first on the waiting list is promoted."""
    member = _member(request)
    session = _visible(request, session_id, full=False)
    registration = Registration.objects.filter(session=session, member=member).first()
    if registration is None:
        raise Http404
    registration = services.registration_cancel(registration=registration, actor=member)
    return {"id": registration.pk, "status": registration.status}


@router.get("/sessions/{session_id}/participants", response=list[ParticipantOut])
@paginate(LimitOffsetPagination)
def list_participants(request, session_id: int):
    """Return the participants the caller may see: everyone for organisers, else confirmed."""
    session = _visible(request, session_id, full=False)
    if not can_see_participants(session, request.user):
        raise NotAllowed(_("De deelnemerslijst van deze sessie is niet voor jou zichtbaar."))
    if session.can_manage(request.user):
        statuses = list(Registration.Status.values)
    else:
        statuses = [Registration.Status.CONFIRMED]
    return [
        {
            "name": r.member.display_name,
            "function": r.member.function,
            "organisation": r.member.organisation.name if r.member.organisation else None,
            "status": r.status,
        }
        for r in selectors.participants(session=session, user=request.user, statuses=statuses)
    ]
