"""REST API for sessions and registrations (see API.md)."""

import datetime
from typing import Annotated, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AfterValidator

from bouwplaats.core.errors import InvalidInput, NotAllowed
from bouwplaats.core.pagination import LimitOffsetPagination
from bouwplaats.core.schemas import DbId, model_field
from bouwplaats.core.validation import BIGINT_MAX, validate_single_line
from bouwplaats.programmes.models import Programme

from . import selectors, services
from .calendar import AMSTERDAM
from .models import Registration, Session, SessionPart, TextListValidator
from .permissions import can_manage_session, can_see_online_link, can_see_participants

router = Router(tags=["sessions"])


def _single_line(value: str) -> str:
    try:
        validate_single_line(value)
    except ValidationError as exc:
        raise ValueError(exc.messages[0]) from exc
    return value


def text_list(model, name: str):
    """Return the schema type of a JSON list of one-line texts with the model field's limits."""
    rule = next(
        v for v in model._meta.get_field(name).validators if isinstance(v, TextListValidator)
    )
    item = Annotated[str, Field(max_length=rule.max_length), AfterValidator(_single_line)]
    return Annotated[list[item], Field(max_length=rule.max_items)]


def _programme_ref(value: str) -> str:
    if value.isascii() and value.isdigit() and not 1 <= int(value) <= BIGINT_MAX:
        raise ValueError("Een id ligt tussen 1 en 2**63 - 1.")
    return value


# A programme's id (ASCII digits within the column's range) or its slug.
ProgrammeRef = Annotated[model_field(Programme, "slug"), AfterValidator(_programme_ref)]

Criteria = text_list(Session, "criteria")
Questions = text_list(Session, "questions")
Capacity = model_field(Session, "capacity")


class PersonOut(Schema):
    name: str
    function: str
    organisation: str | None


class PartSchema(Schema):
    title: str
    time: str = ""
    text: str = ""


class PartIn(Schema):
    title: model_field(SessionPart, "title")
    time: model_field(SessionPart, "time") = ""
    text: model_field(SessionPart, "text") = ""


Parts = Annotated[list[PartIn], Field(max_length=SessionPart.MAX_PER_SESSION)]


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
    cancellation_reason: str
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
        # A list reads the parts along into api_parts (no related manager built per session).
        found = getattr(obj, "api_parts", None)
        return found if found is not None else list(obj.parts.all())

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
        return obj.online_url if can_see_online_link(user, obj) else None


class SessionFilters(Schema):
    programme: ProgrammeRef | None = Field(None, description="id of slug van het programma")
    type: model_field(Session, "type") | None = None
    from_: model_field(Session, "start") | None = Field(None, alias="from")
    to: model_field(Session, "start") | None = None


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
    programme: DbId
    type: model_field(Session, "type")
    title: model_field(Session, "title")
    intro: model_field(Session, "intro") = ""
    goal: model_field(Session, "goal") = ""
    audience: model_field(Session, "audience") = ""
    criteria: Criteria = []
    start: model_field(Session, "start")
    end: model_field(Session, "end")
    location: model_field(Session, "location") = ""
    online: bool = False
    online_url: model_field(Session, "online_url") = ""
    capacity: Capacity | None = None
    registration_deadline: model_field(Session, "registration_deadline") | None = None
    requires_approval: bool = False
    questions: Questions = []
    participant_visibility: model_field(Session, "participant_visibility") = (
        Session.Visibility.PUBLIC
    )
    parts: Parts = []
    status: Literal["draft", "published"] = "draft"


class SessionPatch(Schema):
    """Only the fields sent are changed; ``status`` publishes or cancels in the same write.

    Cancelling a published session needs ``cancellation_reason``: it is mailed to everyone
    registered and shown on the session's page.

    Only ``capacity`` and ``registration_deadline`` may be sent as null (no limit).
    """

    type: model_field(Session, "type") = None
    title: model_field(Session, "title") = None
    intro: model_field(Session, "intro") = None
    goal: model_field(Session, "goal") = None
    audience: model_field(Session, "audience") = None
    criteria: Criteria = None
    start: model_field(Session, "start") = None
    end: model_field(Session, "end") = None
    location: model_field(Session, "location") = None
    online: bool = None
    online_url: model_field(Session, "online_url") = None
    capacity: Capacity | None = None
    registration_deadline: model_field(Session, "registration_deadline") | None = None
    requires_approval: bool = None
    questions: Questions = None
    participant_visibility: model_field(Session, "participant_visibility") = None
    parts: Parts = None
    status: model_field(Session, "status") = None
    cancellation_reason: model_field(Session, "cancellation_reason") = ""


def _aware(value: datetime.datetime | None, name: str = "") -> datetime.datetime | None:
    """Read a time without an offset as Dutch local time.

    A local time the clock skips (the night summer time starts) or passes twice (the night
    it ends) means no single instant: refused naming the field ``name``, send an offset.
    """
    if value is None or not timezone.is_naive(value):
        return value
    first = value.replace(tzinfo=AMSTERDAM)
    second = first.replace(fold=1)
    back = first.astimezone(datetime.UTC).astimezone(AMSTERDAM).replace(tzinfo=None)
    if name and (first.utcoffset() != second.utcoffset() or back != value):
        raise InvalidInput(
            {name: [_("Deze tijd is in Nederland dubbelzinnig of bestaat niet; geef de UTC-"
                      "verschuiving mee (bijvoorbeeld +01:00).")]}
        )  # fmt: skip
    return first


def _local(value: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(value, AMSTERDAM) if value else None


def _visible(request, session_id: int, *, full: bool = True) -> Session:
    # A session the caller may not see is not found (permissions.sessions_visible_to).
    try:
        return selectors.session_get(pk=session_id, user=request.user, full=full)
    except Session.DoesNotExist as exc:
        raise Http404 from exc


def _member(request):
    if not request.user.is_authenticated:
        raise NotAllowed(_("Log in met een API-sleutel."), status_code=401)
    return request.user


@router.get("/sessions", response=list[SessionOut])
@paginate(LimitOffsetPagination)
def list_sessions(request, filters: Query[SessionFilters]):
    """Return the sessions the caller may see (published, cancelled, drafts they manage).

    Filters: programme (id or slug), type, from, to.
    """
    qs = selectors.session_list(
        user=request.user,
        programme=filters.programme,
        type=filters.type,
        start_from=_aware(filters.from_),
        start_to=_aware(filters.to),
    )
    # The list shows no themes: only the parts are read along (the themes cost a third).
    return qs.prefetch_related(None).prefetch_related(
        Prefetch("parts", queryset=SessionPart.objects.order_by("position"), to_attr="api_parts")
    )


@router.post("/sessions", response={201: SessionDetailOut})
def create_session(request, payload: SessionIn):
    """Create a session: a draft hosted by the caller; the programme team may publish at once."""
    member = _member(request)
    programme = Programme.objects.filter(pk=payload.programme).first()
    if programme is None:
        raise InvalidInput({"programme": [_("Onbekend programma.")]})
    data = payload.dict()
    data.pop("programme")
    publish = data.pop("status") == Session.Status.PUBLISHED
    session = services.session_create(
        actor=member,
        programme=programme,
        publish=publish,
        **{**data, "start": _aware(payload.start, "start"),
           "end": _aware(payload.end, "end"),
           "registration_deadline": _aware(payload.registration_deadline,
                                           "registration_deadline")},
    )  # fmt: skip
    return Status(201, selectors.session_get(pk=session.pk, user=member))


@router.get("/sessions/{session_id}", response=SessionDetailOut)
def get_session(request, session_id: DbId):
    """Return one session."""
    return _visible(request, session_id)


@router.patch("/sessions/{session_id}", response=SessionDetailOut)
def update_session(request, session_id: DbId, payload: SessionPatch):
    """Change a session (host or team) and with ``status`` publish or cancel it: all or nothing.

    Changes of date, time, place or parts of a published session are recorded and mailed.
    """
    member = _member(request)
    session = _visible(request, session_id, full=False)
    data = payload.dict(exclude_unset=True)
    for name in ("start", "end", "registration_deadline"):
        if name in data:
            data[name] = _aware(data[name], name)
    services.session_update(session=session, actor=member, **data)
    return selectors.session_get(pk=session.pk, user=member)


@router.get("/sessions/{session_id}/changes", response=list[ChangeOut])
@paginate(LimitOffsetPagination)
def list_changes(request, session_id: DbId):
    """Return the recorded changes of a session, oldest first."""
    return selectors.session_changes(session=_visible(request, session_id, full=False))


def _answers(request) -> dict[str, str]:
    """Read the optional JSON body ``{"answers": {question: answer}}``; none is fine."""
    if request.content_type != "application/json" or not request.body.strip():
        return {}
    try:
        return RegistrationIn.model_validate_json(request.body).answers
    except ValueError as exc:
        message = _('Stuur {"answers": {vraag: antwoord}} of een lege body.')
        raise InvalidInput({"answers": [message]}) from exc


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
def register(request, session_id: DbId):
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
def unregister(request, session_id: DbId):
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
def list_participants(request, session_id: DbId):
    """Return the participants the caller may see: everyone for organisers, else confirmed."""
    session = _visible(request, session_id, full=False)
    if not can_see_participants(request.user, session):
        raise NotAllowed(_("De deelnemerslijst van deze sessie is niet voor u zichtbaar."))
    if can_manage_session(request.user, session):
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
