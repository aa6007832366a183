"""The registration mails owed on registration rows: claimed under the session's lock, sent.

A change of a registration records the mail the member is owed on the row itself
(``Registration.mail_due``), in the change's own transaction; one task per session then sends
what is owed, oldest first, over one SMTP connection per batch.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import BadHeaderError, get_connection
from django.db import transaction
from django.utils import timezone, translation

from bouwplaats.core.audit import log_action
from bouwplaats.core.mail import AddressError

from . import locks
from .mails import host_notice_messages, registration_message
from .models import Registration, Session

# How many due mails one claim takes: a rush of registrations is mailed over one SMTP
# connection per batch instead of one per registration.
MAIL_BATCH = 100

logger = logging.getLogger(__name__)


def send_due_mails(session_id: int, *, watch=None) -> None:
    """Send the mails owed to the session's registrants, oldest first, until none are due.

    ``watch(lease)``: see claim_due_mails.
    """
    while batch := claim_due_mails(session_id, watch=watch):
        _send_batch(batch)


def claim_due_mails(
    session_id: int, limit: int = MAIL_BATCH, *, watch=None
) -> list[tuple[Registration, str]]:
    """Take up to ``limit`` due mails of the session, oldest first: (registration, kind).

    The taken rows stay owed, under a lease: their ``mail_due_at`` moves to the lease's
    expiry (MAIL_CLAIM_LEASE seconds on), so no other worker takes them before it; each is
    cleared only once the server accepted its mail (mark_mail_sent). A worker killed in
    between leaves them owed, and the watchdog sends them after the expiry: at least once, at
    most one duplicate per crash. ``watch(lease)`` is called inside the claim's transaction
    to set the watchdog (the mail task queues itself for after ``lease``, on commit); without
    it the next `manage.py send_registration_mails` is the watchdog. Each returned registration
    keeps its first due time in ``mail_due_at`` and the lease in ``mail_lease``. An unknown
    session has none.
    """
    now = timezone.now()
    lease = now + datetime.timedelta(seconds=getattr(settings, "MAIL_CLAIM_LEASE", 120))
    with transaction.atomic():
        # Under the session's row lock: a registration that saw a mail due, and so queued no
        # task of its own, has committed before this can find none due and let the task stop.
        try:
            locks.lock_session(session_id, fields=("id",))
        except Session.DoesNotExist:
            return []
        due = list(
            Registration.objects.filter(session_id=session_id, mail_due_at__lte=now)
            .exclude(mail_due="")
            .select_related("session", "member")
            .order_by("mail_due_at", "id")[:limit]
        )
        if not due:
            # None due, under the lock: the next registration queues a task again.
            Session.objects.filter(pk=session_id).update(mail_task_queued_at=None)
            return []
        Registration.objects.filter(pk__in=[r.pk for r in due]).update(mail_due_at=lease)
        if watch is not None:
            watch(lease)
    for registration in due:
        registration.mail_lease = lease
    return [(registration, registration.mail_due) for registration in due]


def mark_mail_sent(registration: Registration, kind: str) -> None:
    """Clear the owed mail the server just accepted, committed at once.

    Only if it is still this claim's (a newer mail owed meanwhile stays owed).
    """
    Registration.objects.filter(
        pk=registration.pk, mail_due=kind, mail_due_at=registration.mail_lease
    ).update(mail_due="", mail_due_at=None)


def _owe_again(registration: Registration, kind: str) -> None:
    # Owed again from its first due time, unless a newer mail became due meanwhile.
    Registration.objects.filter(
        pk=registration.pk, mail_due=kind, mail_due_at=registration.mail_lease
    ).update(mail_due_at=registration.mail_due_at)


def sessions_with_due_mails() -> list[int]:
    """Return the ids of the sessions with registration mails still owed, in order."""
    return sorted(
        set(Registration.objects.exclude(mail_due="").values_list("session_id", flat=True))
    )


def _send_batch(batch: list[tuple[Registration, str]]) -> None:
    sent = 0
    try:
        with translation.override(settings.LANGUAGE_CODE), get_connection() as connection:
            for registration, kind in batch:
                try:
                    message = registration_message(registration, kind)
                    connection.send_messages([message])
                except _ONE_RECIPIENT as error:
                    # This member's mail cannot go out (an address without IDNA form, a
                    # refusal for good): it must not hold up the others nor return forever.
                    _give_up(registration, kind, error)
                else:
                    mark_mail_sent(registration, kind)
                    _tell_hosts(connection, registration, kind)
                sent += 1
    finally:
        # Whatever was not sent (the mail server went away) is owed again, from its first
        # due time: `manage.py send_registration_mails` (every few minutes), the watchdog or a
        # registration once it has waited MAIL_TASK_PATIENCE retries it. A newer mail that
        # became due meanwhile wins.
        for registration, kind in batch[sent:]:
            _owe_again(registration, kind)


def _tell_hosts(connection, registration: Registration, kind: str) -> None:
    """Mail the hosts who want it about a registration awaiting approval or a cancellation.

    Sent after the member's own mail was accepted: a host refused for good is logged and
    skipped; a crash in between leaves the host without this one notice (their manage page
    and Mijn Bouwplaats still show it).
    """
    for message in host_notice_messages(registration, kind):
        try:
            connection.send_messages([message])
        except _ONE_RECIPIENT as error:
            logger.warning("Host notice about registration %s not sent: %r", registration.pk, error)


def _refused_for_good(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _msg in error.recipients.values())
    return not isinstance(error, smtplib.SMTPException)


# Errors that concern one recipient: building their message, or the server refusing them.
_ONE_RECIPIENT = (AddressError, BadHeaderError, UnicodeError, ValueError,
                  smtplib.SMTPRecipientsRefused)  # fmt: skip


def _give_up(registration: Registration, kind: str, error: Exception) -> None:
    if not _refused_for_good(error):
        raise error
    logger.warning(
        "Registration mail %s for registration %s not sent: %r", kind, registration.pk, error
    )
    log_action(
        "events.registration.mail_failed",
        obj=registration,
        data={"kind": kind, "reason": repr(error)[:500]},
    )
    mark_mail_sent(registration, kind)
