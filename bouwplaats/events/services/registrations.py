"""Writes on registrations: capacity under the session's lock, waiting list, owed mails."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bouwplaats.core.audit import log_action
from bouwplaats.core.errors import DomainError, InvalidInput, NotAllowed
from bouwplaats.core.validation import validate_text

from .. import locks, tasks
from ..models import Registration, Session
from .common import _locked, _mail_marks_after_commit

# A due mail older than this is not trusted to have a task on its way (the process may have
# stopped between the commit and the queue): the next registration queues one again.
MAIL_TASK_PATIENCE = datetime.timedelta(minutes=10)

# The longest answer to a registration question, in characters.
ANSWER_MAX_LENGTH = 1000


# What a registration reads of its session: the busiest write on the platform (a popular
# session fills in minutes) reads no more than it decides on.
_REGISTRATION_FIELDS = (
    "programme",
    "host",
    "status",
    "end",
    "capacity",
    "registration_deadline",
    "requires_approval",
    "questions",
    "seats_confirmed",
    "mail_task_queued_at",
)


def _earlier_registration(session_pk: int, member_pk: int) -> int | None:
    """Return the id of the member's registration for the session (any status), or None.

    Read before the session's lock, to keep the lock short: a registration made meanwhile by
    the same member is refused by the unique constraint, and the caller re-reads this row
    under the lock before deciding on it.
    """
    found = Registration.objects.filter(session_id=session_pk, member_id=member_pk).order_by()
    return next(iter(found.values_list("pk", flat=True)[:1]), None)


def _recount_seats(session: Session) -> None:
    """Set the session's seat count from its confirmed registrations (under its lock).

    Every change but a new registration ends with this exact count, so a count that drifted
    (rows written outside these services) is repaired by the next change.
    """
    confirmed = (
        Registration.objects.filter(session_id=OuterRef("pk"), status=Registration.Status.CONFIRMED)
        .order_by()
        .values("session_id")
        .annotate(seats=Count("pk"))
        .values("seats")
    )
    Session.objects.filter(pk=session.pk).update(seats_confirmed=Coalesce(Subquery(confirmed), 0))


def _mail_task_queued(session: Session, now: datetime.datetime) -> bool:
    """Tell whether a task that sends the session's owed mails is on its way.

    A task queued longer ago than MAIL_TASK_PATIENCE is not trusted to come.
    """
    queued_at = session.mail_task_queued_at
    return queued_at is not None and queued_at > now - MAIL_TASK_PATIENCE


def _owe_mail(registration: Registration, kind: str, *, actor) -> list[str]:
    """Record that the member is owed the ``kind`` mail and who acted; return the fields to save.

    The actor (None: the platform) is left out of the hosts told about the change.
    """
    # A later change overwrites an unsent mail: the member hears the newest state only.
    registration.mail_due, registration.mail_due_at = kind, timezone.now()
    registration.changed_by_id = getattr(actor, "pk", None)
    return ["mail_due", "mail_due_at", "changed_by"]


def _send_due_mails(session: Session, *, queued: bool = False) -> None:
    """Have the session's due registration mails sent after commit.

    ``queued``: a registration, under the session lock, saw another recent due mail, so a
    task is on its way and will send this one too (it stops only when, under the same
    lock, it finds none due).
    """
    if not queued:
        _mail_marks_after_commit(tasks.send_registration_mails, session.pk)


def _has_seat(session: Session) -> bool:
    if session.capacity is None:
        return True
    confirmed = session.registrations.filter(status=Registration.Status.CONFIRMED).count()
    return confirmed < session.capacity


def _promote_waiting(session: Session, *, actor) -> list[Registration]:
    """Confirm waiting members in order of sign-up while seats are free (under the lock).

    Each is owed a mail; the caller has it sent (_send_due_mails), once for the whole change.
    Called after every change that may free a seat; it leaves the seat count exact.
    """
    promoted = []
    waiting = session.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
        "created_at", "id"
    )
    for registration in waiting:
        if not _has_seat(session):
            break
        registration.status = Registration.Status.CONFIRMED
        owed = _owe_mail(registration, "promoted", actor=actor)
        registration.save(update_fields=["status", "updated_at", *owed])
        promoted.append(registration)
        log_action("events.registration.promoted", actor=actor, obj=registration)
    _recount_seats(session)
    return promoted


def answer_field(number: int) -> str:
    """Return the name errors give the answer to question ``number`` (from 0): ``q<number>``."""
    return f"q{number}"


def _clean_answers(session: Session, answers: dict[str, str] | None) -> dict[str, str]:
    """Return an answer per question, stripped.

    Raises DomainError (code ``answers``) for an unknown question and InvalidInput naming
    ``q<n>`` for an answer longer than ANSWER_MAX_LENGTH or holding control characters.
    """
    answers = answers or {}
    unknown = set(answers) - set(session.questions)
    if unknown:
        raise DomainError(_("Beantwoord alleen de vragen van deze sessie."), code="answers")
    cleaned = {q: str(answers.get(q, "")).strip() for q in session.questions}
    errors: dict[str, list[str]] = {}
    for number, answer in enumerate(cleaned.values()):
        try:
            MaxLengthValidator(ANSWER_MAX_LENGTH)(answer)
            validate_text(answer)
        except ValidationError as exc:
            errors[answer_field(number)] = exc.messages
    if errors:
        raise InvalidInput(errors)
    return cleaned


@transaction.atomic
def registration_create(*, session: Session, member, answers: dict[str, str] | None = None):
    """Register ``member``: confirmed, waitlisted or pending; never more than the capacity."""
    if not getattr(member, "is_authenticated", False):
        raise NotAllowed(_("Log in om u aan te melden."), status_code=401)
    earlier = _earlier_registration(session.pk, member.pk)
    # The capacity check, the insert and the seat count happen under one lock on the session
    # row, which carries the count: nothing else is read while the lock is held.
    session = locks.lock_session(session.pk, fields=_REGISTRATION_FIELDS)
    if session.status == Session.Status.DRAFT and not session.can_manage(member):
        raise DomainError(_("Deze sessie bestaat niet."), code="not_found", status_code=404)
    if session.status != Session.Status.PUBLISHED:
        raise DomainError(_("Voor deze sessie kunt u zich niet aanmelden."), status_code=409)
    now = timezone.now()
    if session.registration_deadline and now > session.registration_deadline:
        deadline = timezone.localtime(session.registration_deadline)
        raise DomainError(
            _("Aanmelden kon tot %(d)s.") % {"d": date_format(deadline, "DATETIME_FORMAT")},
            status_code=409,
        )
    if session.end <= now:
        raise DomainError(_("Deze sessie is al voorbij."), status_code=409)
    answers = _clean_answers(session, answers)
    queued = _mail_task_queued(session, now)
    # Re-read under the lock: it may have changed, or gone, since it was found.
    existing = Registration.objects.filter(pk=earlier).first() if earlier else None
    if existing and existing.status == Registration.Status.DECLINED:
        raise DomainError(_("Uw aanmelding voor deze sessie is afgewezen."), status_code=409)
    if existing and existing.status != Registration.Status.CANCELLED:
        raise DomainError(_("U bent al aangemeld voor deze sessie."), status_code=409)

    if session.requires_approval:
        status = Registration.Status.PENDING
    elif session.capacity is None or session.seats_confirmed < session.capacity:
        status = Registration.Status.CONFIRMED
    else:
        status = Registration.Status.WAITLISTED
    if existing:
        # Signing up again after cancelling puts the member at the back of the queue.
        existing.status, existing.answers, existing.reason = status, answers, ""
        existing.created_at = now
        owed = _owe_mail(existing, status, actor=member)
        existing.save(
            update_fields=["status", "answers", "reason", "created_at", "updated_at", *owed]
        )
        registration = existing
    else:
        registration = Registration(session=session, member=member, status=status, answers=answers)
        _owe_mail(registration, status, actor=member)
        # save() takes no savepoint for a model without parents: on a unique violation the
        # whole transaction is rolled back anyway.
        try:
            registration.save(force_insert=True)
        except IntegrityError as exc:
            raise DomainError(_("U bent al aangemeld voor deze sessie."), status_code=409) from exc
    counted: dict = {}
    if status == Registration.Status.CONFIRMED:
        counted["seats_confirmed"] = F("seats_confirmed") + 1
    if not queued:
        counted["mail_task_queued_at"] = now
    if counted:
        Session.objects.filter(pk=session.pk).update(**counted)
    _send_due_mails(session, queued=queued)
    log_action(
        "events.registration.created", actor=member, obj=registration, data={"status": status}
    )
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, actor) -> Registration:
    """Cancel a registration (the member, or an organiser); a freed seat goes to the next."""
    session = _locked(registration.session)
    registration = Registration.objects.select_related("member").get(pk=registration.pk)
    if registration.member_id != getattr(actor, "pk", None) and not session.can_manage(actor):
        raise NotAllowed(_("U kunt alleen uw eigen aanmelding annuleren."))
    if registration.status in (Registration.Status.CANCELLED, Registration.Status.DECLINED):
        raise DomainError(_("Deze aanmelding is al beëindigd."), status_code=409)
    freed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    owed = _owe_mail(registration, "cancelled", actor=actor)
    registration.save(update_fields=["status", "updated_at", *owed])
    log_action("events.registration.cancelled", actor=actor, obj=registration)
    if freed:
        _promote_waiting(session, actor=actor)
    _send_due_mails(session)
    return registration


@transaction.atomic
def registration_delete(*, registration: Registration, actor) -> None:
    """Delete a registration (organisers); a freed seat goes to the next on the waiting list."""
    session = _locked(registration.session)
    if not session.can_manage(actor):
        raise NotAllowed(_("Alleen de organisatoren kunnen aanmeldingen verwijderen."))
    registration = _current(registration)
    if registration is None:
        return
    freed = registration.status == Registration.Status.CONFIRMED
    log_action("events.registration.deleted", actor=actor, obj=registration)
    registration.delete()
    if freed and _promote_waiting(session, actor=actor):
        _send_due_mails(session)


def _current(registration: Registration) -> Registration | None:
    """Return the registration as stored now (read under the session's lock), or None if gone.

    The caller's copy may be stale: a waiting member promoted meanwhile holds a seat.
    """
    return Registration.objects.filter(pk=registration.pk).first()


def _decided(registration: Registration, session: Session, actor) -> Registration:
    if not session.can_manage(actor):
        raise NotAllowed(_("Alleen de organisatoren beoordelen aanmeldingen."))
    return Registration.objects.select_related("member").get(pk=registration.pk)


@transaction.atomic
def registration_approve(*, registration: Registration, actor) -> Registration:
    """Approve a pending registration: confirmed if a seat is free, otherwise waitlisted."""
    session = _locked(registration.session)
    registration = _decided(registration, session, actor)
    if registration.status != Registration.Status.PENDING:
        raise DomainError(_("Deze aanmelding wacht niet op beoordeling."), status_code=409)
    seat = _has_seat(session)
    registration.status = Registration.Status.CONFIRMED if seat else Registration.Status.WAITLISTED
    owed = _owe_mail(registration, "approved" if seat else "waitlisted", actor=actor)
    registration.save(update_fields=["status", "updated_at", *owed])
    if seat:
        _recount_seats(session)
    _send_due_mails(session)
    log_action(
        "events.registration.approved",
        actor=actor,
        obj=registration,
        data={"status": registration.status},
    )
    return registration


@transaction.atomic
def registration_decline(*, registration: Registration, actor, reason: str) -> Registration:
    """Decline a registration with a reason; a freed seat goes to the next."""
    session = _locked(registration.session)
    registration = _decided(registration, session, actor)
    if not reason.strip():
        raise DomainError(_("Geef een reden waarom u de aanmelding afwijst."), code="reason")
    if registration.status in (Registration.Status.CANCELLED, Registration.Status.DECLINED):
        raise DomainError(_("Deze aanmelding is al beëindigd."), status_code=409)
    freed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.DECLINED
    registration.reason = reason.strip()
    owed = _owe_mail(registration, "declined", actor=actor)
    registration.save(update_fields=["status", "reason", "updated_at", *owed])
    log_action(
        "events.registration.declined",
        actor=actor,
        obj=registration,
        data={"reason": registration.reason},
    )
    if freed:
        _promote_waiting(session, actor=actor)
    _send_due_mails(session)
    return registration


@transaction.atomic
def registration_forget(*, registration: Registration) -> None:
    """Delete a leaving member's registration without mail; a freed seat goes to the next."""
    session = _locked(registration.session)
    registration = _current(registration)
    if registration is None:
        return
    freed = registration.status == Registration.Status.CONFIRMED
    log_action("events.registration.forgotten", obj=session)
    registration.delete()
    if freed and _promote_waiting(session, actor=None):
        _send_due_mails(session)
