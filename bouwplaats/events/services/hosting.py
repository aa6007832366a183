"""The host's handling of registrations beyond one at a time: approving several at once and
moving someone from the waiting list by hand.

Built on the registration service's own steps (the session's lock, the seat rule, the
waiting list's promotion and the owed mails), so that the seat count stays theirs.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from bouwplaats.core.audit import log_action
from bouwplaats.core.errors import DomainError, NotAllowed

from ..models import CAPACITY_MAX, Registration, Session
from ..permissions import can_manage_session
from .common import _locked
from .registrations import _has_seat, _promote_waiting, _send_due_mails, registration_approve


@transaction.atomic
def registration_approve_many(
    *, session: Session, registration_ids: list[int], actor
) -> dict[str, int]:
    """Approve the session's pending registrations ``registration_ids`` in order of sign-up.

    Return how many were confirmed and how many went to the waiting list (the session was
    full): ``{"confirmed": n, "waitlisted": m}``. Ids that are not (or no longer) pending for
    this session are skipped. Raises NotAllowed (403) for anyone but the session's managers.
    """
    session = _locked(session)
    if not can_manage_session(actor, session):
        raise NotAllowed(_("Alleen de organisatoren beoordelen aanmeldingen."))
    counts = {Registration.Status.CONFIRMED.value: 0, Registration.Status.WAITLISTED.value: 0}
    pending = session.registrations.filter(
        pk__in=[int(pk) for pk in registration_ids], status=Registration.Status.PENDING
    ).order_by("created_at", "id")
    for registration in pending:
        decided = registration_approve(registration=registration, actor=actor)
        counts[decided.status] += 1
    return counts


def promotion_raises_capacity(session: Session) -> bool:
    """Return True if moving someone from the waiting list needs one more seat (it is full)."""
    return not _has_seat(session)


@transaction.atomic
def registration_promote(*, registration: Registration, actor) -> Registration:
    """Give a waiting member a seat by hand, ahead of the others on the waiting list.

    A full session gets one seat more for them (its capacity is raised by one, never
    beyond CAPACITY_MAX): never more confirmed participants than the capacity. The member
    gets the "promoted" mail with the calendar invitation. Raises NotAllowed (403) for
    anyone but the session's managers and DomainError (409) when the registration is not
    on the waiting list or the capacity is at its maximum.
    """
    session = _locked(registration.session)
    if not can_manage_session(actor, session):
        raise NotAllowed(_("Alleen de organisatoren kunnen iemand van de wachtlijst halen."))
    registration = Registration.objects.select_related("member").get(pk=registration.pk)
    if registration.status != Registration.Status.WAITLISTED:
        raise DomainError(_("Deze aanmelding staat niet op de wachtlijst."), status_code=409)
    raised = not _has_seat(session)
    if raised:
        if session.capacity >= CAPACITY_MAX:
            raise DomainError(
                _("De sessie heeft al het grootste aantal plaatsen."), status_code=409
            )
        session.capacity += 1
        session.save(update_fields=["capacity", "updated_at"])
    # First in the queue: the waiting list's own promotion then gives the free seat to them.
    first = (
        session.registrations.filter(status=Registration.Status.WAITLISTED)
        .order_by("created_at", "id")
        .values_list("created_at", flat=True)
        .first()
    )
    ahead = min(first, registration.created_at) - datetime.timedelta(microseconds=1)
    Registration.objects.filter(pk=registration.pk).update(created_at=ahead)
    _promote_waiting(session, actor=actor)
    _send_due_mails(session)
    log_action(
        "events.registration.promoted_by_hand",
        actor=actor,
        obj=registration,
        data={"capacity_raised": raised, "capacity": session.capacity},
    )
    registration.refresh_from_db()
    return registration
