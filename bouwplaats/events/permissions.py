"""Access rules for sessions that both pages and the API ask."""

from django.utils import timezone

from .models import Registration, Session


def can_create_session(user) -> bool:
    """Return True if ``user`` may organise a session (any logged-in member)."""
    return bool(getattr(user, "is_authenticated", False))


def can_publish(session: Session, user) -> bool:
    """Return True if ``user`` may publish ``session`` or send it back (its programme team)."""
    return session.programme.is_team_member(user)


def can_see_online_link(session: Session, user) -> bool:
    """Return True if ``user`` may see the online meeting link (confirmed participants, hosts)."""
    return session.can_manage(user) or session.is_participant(user)


def can_see_participants(session: Session, user) -> bool:
    """Return True if ``user`` may see the participant list, per the session's visibility."""
    if session.participant_visibility == Session.Visibility.PUBLIC:
        return True
    if session.can_manage(user):
        return True
    if session.participant_visibility == Session.Visibility.PARTICIPANTS:
        return session.is_participant(user)
    return False


def registration_open(session: Session) -> bool:
    """Return True if the session takes sign-ups now: published, not over, deadline not passed."""
    now = timezone.now()
    return (
        session.status == Session.Status.PUBLISHED
        and session.end > now
        and not (session.registration_deadline and session.registration_deadline < now)
    )


def can_register(session: Session, user) -> bool:
    """Return True if ``user`` could sign up for ``session`` now (the service checks again)."""
    return (
        getattr(user, "is_authenticated", False)
        and registration_open(session)
        and not Registration.objects.filter(
            session=session,
            member=user,
            status__in=[
                Registration.Status.CONFIRMED,
                Registration.Status.WAITLISTED,
                Registration.Status.PENDING,
                Registration.Status.DECLINED,
            ],
        ).exists()
    )
