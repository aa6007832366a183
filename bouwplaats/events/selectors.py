"""Reads on sessions that pages and the API share; who may see what is asked of permissions."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from bouwplaats.core.validation import BIGINT_MAX, validate_plausible_year
from bouwplaats.programmes.models import Programme

from .calendar import AMSTERDAM
from .models import (
    CoHostInvitation,
    Highlight,
    Registration,
    Session,
    SessionChange,
    SessionPart,
)
from .permissions import (
    can_see_participants,
    cohost_invitations_for,
    remember_answers,
    sessions_hosted_by,
    sessions_managed_by,
    sessions_publishable_by,
    sessions_visible_to,
    sessions_with_participant,
    viewer_registration,
)

S = Registration.Status


def _registrations_with_status(status: str) -> Coalesce:
    """Return the number of the outer session's registrations with ``status``, as a subquery.

    A correlated subquery per listed row (one range of the (session, status, created_at)
    index), not a join with GROUP BY: the join aggregated every registration of every
    session before the page's LIMIT applied, seconds at 200,000 registrations.
    """
    counted = (
        Registration.objects.filter(session=OuterRef("pk"), status=status)
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def with_counts(qs: QuerySet[Session]) -> QuerySet[Session]:
    """Annotate confirmed, waiting and pending counts and the last change."""
    return qs.annotate(
        confirmed_count=_registrations_with_status(S.CONFIRMED),
        waitlist_count=_registrations_with_status(S.WAITLISTED),
        pending_count=_registrations_with_status(S.PENDING),
        last_changed_at=Subquery(
            SessionChange.objects.filter(session=OuterRef("pk"))
            .order_by("-changed_at")
            .values("changed_at")[:1]
        ),
    )


def _month_range(month: str) -> tuple[datetime.datetime, datetime.datetime] | None:
    try:
        first = datetime.datetime.strptime(month, "%Y-%m")
        validate_plausible_year(first)
    except (ValueError, ValidationError):
        return None
    start = first.replace(tzinfo=AMSTERDAM)
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return start, following.replace(tzinfo=AMSTERDAM)


def session_list(
    *,
    user=None,
    upcoming: bool | None = None,
    programme: Programme | int | str | None = None,
    type: str | None = None,
    theme: str | None = None,
    month: str | None = None,
    start_from: datetime.datetime | None = None,
    start_to: datetime.datetime | None = None,
) -> QuerySet[Session]:
    """Return the sessions ``user`` may see, filtered; upcoming first, past newest first.

    Without ``user`` (or for a visitor): published and cancelled sessions. ``programme`` is
    a Programme, its id (ASCII digits) or its slug.
    """
    qs = sessions_visible_to(user)
    now = timezone.now()
    if upcoming is True:
        qs = qs.filter(end__gte=now).order_by("start", "id")
    elif upcoming is False:
        qs = qs.filter(end__lt=now).order_by("-start", "-id")
    else:
        qs = qs.order_by("start", "id")
    if programme:
        if isinstance(programme, Programme):
            qs = qs.filter(programme=programme)
        elif isinstance(programme, int) or (programme.isascii() and programme.isdigit()):
            # An id beyond the column's range matches nothing (SQLite would overflow).
            pk = int(programme)
            qs = qs.filter(programme_id=pk) if pk <= BIGINT_MAX else qs.none()
        else:
            qs = qs.filter(programme__slug=programme)
    if type:
        qs = qs.filter(type=type)
    if theme:
        qs = qs.filter(themes__slug=theme)
    if month and (bounds := _month_range(month)):
        qs = qs.filter(start__gte=bounds[0], start__lt=bounds[1])
    if start_from:
        qs = qs.filter(start__gte=start_from)
    if start_to:
        qs = qs.filter(start__lte=start_to)
    return with_counts(
        qs.select_related("programme", "host", "host__organisation")
    ).prefetch_related("themes")


def session_get(*, pk: int, user=None, full: bool = True) -> Session:
    """Return one session ``user`` may see (raises Session.DoesNotExist, also if hidden).

    With ``full`` everything its page shows (counts, parts, themes, co-hosts), else the bare
    session with its programme. Without ``user``: as a visitor would.
    """
    qs = sessions_visible_to(user, Session.objects.filter(pk=pk))
    if not full:
        return qs.select_related("programme").get()
    session = (
        with_counts(qs)
        .select_related("programme", "host", "host__organisation")
        .annotate(
            **{f"has_{name}": Exists(rows) for name, (rows, _lookup) in _PAGE_RELATED.items()}
        )
        .get()
    )
    # Each related list is read only when the session has one (most have no parts, highlights
    # or co-hosts): an empty one is known from the session's own row, without a query.
    present = [
        lookup for name, (_rows, lookup) in _PAGE_RELATED.items() if getattr(session, f"has_{name}")
    ]
    prefetch_related_objects([session], *present)
    session.__dict__.setdefault("_prefetched_objects_cache", {})
    for name in _PAGE_RELATED:
        if not getattr(session, f"has_{name}"):
            session._prefetched_objects_cache[name] = getattr(session, name).none()
    # Its page asks the same questions about the viewer in several rules: each once.
    return remember_answers(session)


# What a session's page lists beside it: (does it have any?, how to read them along).
_PAGE_RELATED = {
    "themes": (Session.themes.through.objects.filter(session_id=OuterRef("pk")), "themes"),
    "highlights": (Highlight.objects.filter(session_id=OuterRef("pk")), "highlights"),
    "parts": (
        SessionPart.objects.filter(session_id=OuterRef("pk")),
        Prefetch("parts", queryset=SessionPart.objects.order_by("position", "id")),
    ),
    "co_hosts": (Session.co_hosts.through.objects.filter(session_id=OuterRef("pk")), "co_hosts"),
}


def participants(*, session: Session, user, statuses=(S.CONFIRMED,)) -> list[Registration]:
    """Return the registrations ``user`` may see, with member and organisation in one query."""
    if not can_see_participants(user, session):
        return []
    return list(
        session.registrations.filter(status__in=statuses)
        .select_related("member", "member__organisation")
        .order_by("created_at", "id")
    )


def registrations_for_hosts(*, session: Session) -> QuerySet[Registration]:
    """Return every registration of the session for its organisers, in order of sign-up."""
    return session.registrations.select_related("member", "member__organisation").order_by(
        "created_at", "id"
    )


def registration_of(*, session: Session, user) -> Registration | None:
    """Return ``user``'s registration for ``session``, if any."""
    return viewer_registration(user, session)


def session_changes(*, session: Session) -> QuerySet[SessionChange]:
    """Return the session's recorded changes, oldest first.

    None without a query when the session was read with_counts and has no last change.
    """
    if hasattr(session, "last_changed_at") and session.last_changed_at is None:
        return SessionChange.objects.none()
    return session.changes.order_by("changed_at", "id")


def facilitation_queue(*, user) -> QuerySet[Session]:
    """Return drafts awaiting the programme team in programmes whose team ``user`` is on.

    Those asking for facilitation, and those the team took on that still wait to be published.
    """
    F = Session.Facilitation
    qs = sessions_publishable_by(
        user,
        Session.objects.filter(
            status=Session.Status.DRAFT, facilitation__in=[F.REQUESTED, F.ACCEPTED]
        ),
    )
    return qs.select_related("programme", "host", "host__organisation", "facilitator").order_by(
        "start", "id"
    )


def programme_feed_sessions(*, programme: Programme) -> QuerySet[Session]:
    """Return the sessions a programme's calendar feed carries: what a visitor may see.

    A feed is fetched without a login and shared by calendar apps, so it never carries drafts.
    """
    return sessions_visible_to(None, programme.sessions.all()).order_by("start", "id")


def waitlist_position(*, registration: Registration) -> int | None:
    """Return the 1-based place of a waiting registration in the queue, else None."""
    if registration.status != S.WAITLISTED:
        return None
    ahead = registration.session.registrations.filter(status=S.WAITLISTED).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


# Mijn Bouwplaats: one member's registrations, the sessions they organise, what waits for them.


def _with_waitlist_position(qs: QuerySet[Registration]) -> QuerySet[Registration]:
    """Annotate ``ahead``: how many wait before each registration (one query for all)."""
    ahead = (
        Registration.objects.filter(session=OuterRef("session"), status=S.WAITLISTED)
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(ahead=Coalesce(Subquery(ahead), 0))


def my_registrations(
    *, user, upcoming: bool = True, limit: int | None = None
) -> list[Registration]:
    """Return ``user``'s registrations that still count (confirmed, waiting, pending).

    Each waiting one carries ``waitlist_position`` (1-based); upcoming sessions first by
    start, or past ones newest first; at most ``limit`` (None: all), cut in the query.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    now = timezone.now()
    qs = Registration.objects.filter(
        member=user, status__in=[S.CONFIRMED, S.WAITLISTED, S.PENDING]
    ).exclude(session__status=Session.Status.DRAFT)
    if upcoming:
        qs = qs.filter(session__end__gte=now).order_by("session__start", "id")
    else:
        qs = qs.filter(session__end__lt=now).order_by("-session__start", "-id")
    qs = _with_waitlist_position(qs).select_related("session")
    registrations = list(qs if limit is None else qs[:limit])
    for registration in registrations:
        registration.waitlist_position = (
            registration.ahead + 1 if registration.status == S.WAITLISTED else None
        )
    return registrations


def my_hosted_sessions(*, user) -> QuerySet[Session]:
    """Return the sessions ``user`` organises (host or co-host) that are not over, with counts."""
    return with_counts(
        sessions_hosted_by(user, Session.objects.filter(end__gte=timezone.now()))
        .select_related("programme")
        .order_by("start", "id")
    )


def approvals_waiting_for(*, user) -> QuerySet[Registration]:
    """Return the registrations awaiting approval in sessions ``user`` manages, oldest first."""
    managed = sessions_managed_by(user, Session.objects.filter(end__gte=timezone.now()))
    return (
        Registration.objects.filter(status=S.PENDING, session__in=managed.values("pk"))
        .select_related("member", "member__organisation", "session")
        .order_by("created_at", "id")
    )


def cohost_invitations_waiting_for(*, user) -> QuerySet[CoHostInvitation]:
    """Return the open co-host invitations to ``user``'s verified addresses."""
    return (
        cohost_invitations_for(user)
        .filter(status=CoHostInvitation.Status.PENDING, expires_at__gt=timezone.now())
        .select_related("session", "created_by")
        .order_by("created_at", "id")
    )


def personal_feed_sessions(*, user) -> QuerySet[Session]:
    """Return the sessions of ``user``'s calendar feed: those they have a seat in or organise.

    Published and cancelled ones only (a cancelled one tells the calendar to drop it); no
    drafts, no waiting or pending registrations (they have no appointment yet).
    """
    mine = Session.objects.filter(
        Q(pk__in=sessions_with_participant(user).values("pk"))
        | Q(pk__in=sessions_hosted_by(user).values("pk"))
    )
    return mine.exclude(status=Session.Status.DRAFT).order_by("start", "id")
