"""Who may do what with sessions: the events app's one policy module.

Each rule is written once, as a pair: ``can_…(user, session)`` answers for one session, and
the matching queryset function returns the sessions (of ``qs``, default all) for which the
answer is yes. Pages, the API, selectors, the calendar feeds, exports and services all ask
here; ``tests/events/test_permissions.py`` checks that both halves of each pair agree.

The people involved:

- *hosts*: the session's bouwmeester (``host``) and its co-hosts;
- *the programme team*: members of the session's programme's team, and platform
  administrators (``is_staff``), see :mod:`bouwplaats.programmes.permissions`;
- *managers*: hosts plus the programme team;
- *participants*: members with a confirmed registration;
- *invited co-hosts*: whoever has the address of a co-host invitation verified on their
  account; only they answer it (a co-host is never added without their consent).
"""

from allauth.account.models import EmailAddress
from django.db.models import Q, QuerySet
from django.utils import timezone

from bouwplaats.programmes.permissions import is_team_member, programmes_with_team_member

from .models import CoHostInvitation, Registration, Session


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _all(qs: QuerySet[Session] | None) -> QuerySet[Session]:
    return Session.objects.all() if qs is None else qs


def remember_answers(session: Session) -> Session:
    """Let ``session`` keep the answers about its viewer for as long as it lives; return it.

    A session's page asks several rules that ask the same questions (is the viewer a co-host,
    on the programme team, what is their registration) up to three times: a session read for
    one request (selectors.session_get, the space's spaces.selectors.space_for) answers each
    once. Other sessions ask the database each time.
    """
    session._viewer_answers = {}
    return session


def _remembered(session: Session, user, question: str, ask):
    answers = getattr(session, "_viewer_answers", None)
    if answers is None:
        return ask()
    key = (question, user.pk)
    if key not in answers:
        answers[key] = ask()
    return answers[key]


def viewer_registration(user, session: Session) -> Registration | None:
    """Return ``user``'s registration for ``session`` (any status; one per member), or None."""
    if not _authenticated(user):
        return None
    return _remembered(
        session,
        user,
        "registration",
        lambda: Registration.objects.filter(session=session, member=user).first(),
    )


# Hosts: the bouwmeester and co-hosts. They ask for facilitation.


def is_host(user, session: Session) -> bool:
    """Return True if ``user`` organises ``session`` (bouwmeester or co-host)."""
    if not _authenticated(user):
        return False
    if session.host_id == user.pk:
        return True
    # The session's page reads its co-hosts along (selectors.session_get): ask those instead
    # of the database, once per rule that asks (can_manage_session, can_see_online_link, …).
    prefetched = getattr(session, "_prefetched_objects_cache", {}).get("co_hosts")
    if prefetched is not None:
        return any(co_host.pk == user.pk for co_host in prefetched)
    return _remembered(
        session, user, "co-host", lambda: session.co_hosts.filter(pk=user.pk).exists()
    )


def sessions_hosted_by(user, qs: QuerySet[Session] | None = None) -> QuerySet[Session]:
    """Return the sessions ``user`` organises (bouwmeester or co-host)."""
    qs = _all(qs)
    if not _authenticated(user):
        return qs.none()
    # A subquery rather than a join, so that counts annotated on qs are not multiplied.
    co_hosted = Session.co_hosts.through.objects.filter(user=user).values("session_id")
    return qs.filter(Q(host=user) | Q(pk__in=co_hosted))


# The same rule under the name of the action (its queryset is sessions_hosted_by).
can_request_facilitation = is_host


# The programme team publishes sessions and sends requested ones back.


def can_publish_session(user, session: Session) -> bool:
    """Return True if ``user`` may publish ``session`` or send it back (its programme team)."""
    return _remembered(session, user, "team", lambda: is_team_member(user, session.programme))


def sessions_publishable_by(user, qs: QuerySet[Session] | None = None) -> QuerySet[Session]:
    """Return the sessions whose programme team ``user`` is on (all for administrators)."""
    qs = _all(qs)
    if not _authenticated(user):
        return qs.none()
    if user.is_staff:
        return qs
    return qs.filter(programme__in=programmes_with_team_member(user))


def can_see_facilitation_queue(user) -> bool:
    """Return True if ``user`` is on any programme team (the queue lists their requests)."""
    return programmes_with_team_member(user).exists()


# Managers (hosts and the programme team) edit, cancel, mail, see every registration, export.


def can_manage_session(user, session: Session) -> bool:
    """Return True if ``user`` may edit ``session`` and handle its registrations."""
    return is_host(user, session) or can_publish_session(user, session)


def sessions_managed_by(user, qs: QuerySet[Session] | None = None) -> QuerySet[Session]:
    """Return the sessions ``user`` may edit: hosted by them or of their programme team."""
    qs = _all(qs)
    if not _authenticated(user):
        return qs.none()
    if user.is_staff:
        return qs
    hosted = sessions_hosted_by(user).values("pk")
    return qs.filter(Q(pk__in=hosted) | Q(programme__in=programmes_with_team_member(user)))


# The same rule under the names of the actions (their queryset is sessions_managed_by).
can_export_participants = can_manage_session
can_message_participants = can_manage_session
can_invite_cohosts = can_manage_session


# Co-host invitations: answered only by the member who has the invited address verified.


def verified_addresses(user) -> list[str]:
    """Return the addresses ``user`` has verified, lowercased (none for a visitor)."""
    if not _authenticated(user):
        return []
    emails = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return sorted({email.lower() for email in emails})


def can_answer_cohost_invitation(user, invitation: CoHostInvitation) -> bool:
    """Return True if ``user`` may accept ``invitation``: it is addressed to them (verified)."""
    return invitation.email.lower() in verified_addresses(user)


def cohost_invitations_for(
    user, qs: QuerySet[CoHostInvitation] | None = None
) -> QuerySet[CoHostInvitation]:
    """Return the invitations (of ``qs``, default all) to ``user``'s verified addresses."""
    qs = CoHostInvitation.objects.all() if qs is None else qs
    addresses = verified_addresses(user)
    if not addresses:
        return qs.none()
    match = Q()
    for address in addresses:
        match |= Q(email__iexact=address)
    return qs.filter(match)


# Viewing: published and cancelled sessions for everyone, drafts for their managers.


def can_view_session(user, session: Session) -> bool:
    """Return True if ``user`` may see ``session`` at all (its page, .ics, API, changes)."""
    if session.status != Session.Status.DRAFT:
        return True
    return can_manage_session(user, session)


def sessions_visible_to(user, qs: QuerySet[Session] | None = None) -> QuerySet[Session]:
    """Return the sessions ``user`` may see: not drafts, or drafts they manage."""
    qs = _all(qs)
    public = ~Q(status=Session.Status.DRAFT)
    if not _authenticated(user):
        return qs.filter(public)
    if user.is_staff:
        return qs
    return qs.filter(public | Q(pk__in=sessions_managed_by(user).values("pk")))


# Participants: a confirmed registration.


def is_participant(user, session: Session) -> bool:
    """Return True if ``user`` has a confirmed registration for ``session``."""
    if not _authenticated(user):
        return False
    if getattr(session, "_viewer_answers", None) is not None:
        registration = viewer_registration(user, session)
        return registration is not None and registration.status == Registration.Status.CONFIRMED
    return session.registrations.filter(member=user, status=Registration.Status.CONFIRMED).exists()


def sessions_with_participant(user, qs: QuerySet[Session] | None = None) -> QuerySet[Session]:
    """Return the sessions ``user`` has a confirmed registration for."""
    qs = _all(qs)
    if not _authenticated(user):
        return qs.none()
    confirmed = Registration.objects.filter(
        member=user, status=Registration.Status.CONFIRMED
    ).values("session_id")
    return qs.filter(pk__in=confirmed)


# The online meeting link: confirmed participants and managers.


def can_see_online_link(user, session: Session) -> bool:
    """Return True if ``user`` may see ``session``'s online meeting link."""
    return can_manage_session(user, session) or is_participant(user, session)


def sessions_with_online_link_for(user, qs: QuerySet[Session] | None = None) -> QuerySet[Session]:
    """Return the sessions whose online meeting link ``user`` may see."""
    qs = _all(qs)
    managed = sessions_managed_by(user).values("pk")
    joined = sessions_with_participant(user).values("pk")
    return qs.filter(Q(pk__in=managed) | Q(pk__in=joined))


# The participant list: per the session's participant_visibility, always for managers.


def can_see_participants(user, session: Session) -> bool:
    """Return True if ``user`` may see ``session``'s participant list."""
    if not can_view_session(user, session):
        return False
    if session.participant_visibility == Session.Visibility.PUBLIC:
        return True
    if can_manage_session(user, session):
        return True
    if session.participant_visibility == Session.Visibility.PARTICIPANTS:
        return is_participant(user, session)
    return False


def sessions_with_participants_visible_to(
    user, qs: QuerySet[Session] | None = None
) -> QuerySet[Session]:
    """Return the sessions whose participant list ``user`` may see."""
    qs = sessions_visible_to(user, qs)
    V = Session.Visibility
    managed = sessions_managed_by(user).values("pk")
    joined = sessions_with_participant(user).values("pk")
    return qs.filter(
        Q(participant_visibility=V.PUBLIC)
        | Q(pk__in=managed)
        | Q(participant_visibility=V.PARTICIPANTS, pk__in=joined)
    )


# Creating and registering.


def can_create_session(user) -> bool:
    """Return True if ``user`` may organise a session (any logged-in member)."""
    return _authenticated(user)


def registration_open(session: Session) -> bool:
    """Return True if the session takes sign-ups now: published, not over, deadline not passed."""
    now = timezone.now()
    return (
        session.status == Session.Status.PUBLISHED
        and session.end > now
        and not (session.registration_deadline and session.registration_deadline < now)
    )


def can_register(user, session: Session) -> bool:
    """Return True if ``user`` could sign up for ``session`` now (the service checks again)."""
    S = Registration.Status
    standing = [S.CONFIRMED, S.WAITLISTED, S.PENDING, S.DECLINED]
    if not (_authenticated(user) and registration_open(session)):
        return False
    if getattr(session, "_viewer_answers", None) is not None:
        registration = viewer_registration(user, session)
        return registration is None or registration.status not in standing
    return not Registration.objects.filter(
        session=session, member=user, status__in=standing
    ).exists()
