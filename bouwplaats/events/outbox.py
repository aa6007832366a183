"""The registration mails owed on registration rows: claimed under the session's lock, sent.

A change of a registration records the mail the member is owed on the row itself
(``Registration.mail_due``), in the change's own transaction; one task per session then sends
what is owed, oldest first, over one SMTP connection per batch.
"""

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.utils import translation

from . import locks
from .mails import registration_message
from .models import Registration, Session

# How many due mails one claim takes: a rush of registrations is mailed over one SMTP
# connection per batch instead of one per registration.
MAIL_BATCH = 100


def send_due_mails(session_id: int) -> None:
    """Send the mails owed to the session's registrants, oldest first, until none are due."""
    while batch := claim_due_mails(session_id):
        _send_batch(batch)


def claim_due_mails(session_id: int, limit: int = MAIL_BATCH) -> list[tuple[Registration, str]]:
    """Take up to ``limit`` due mails of the session, oldest first: (registration, kind).

    The taken rows are no longer due; an unknown session has none.
    """
    with transaction.atomic():
        # Under the session's row lock: a registration that saw a mail due, and so queued no
        # task of its own, has committed before this can find none due and let the task stop.
        try:
            locks.lock_session(session_id, fields=("id",))
        except Session.DoesNotExist:
            return []
        due = list(
            Registration.objects.filter(session_id=session_id)
            .exclude(mail_due="")
            .select_related("session", "member")
            .order_by("mail_due_at", "id")[:limit]
        )
        Registration.objects.filter(pk__in=[r.pk for r in due]).update(
            mail_due="", mail_due_at=None
        )
    return [(registration, registration.mail_due) for registration in due]


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
                connection.send_messages([registration_message(registration, kind)])
                sent += 1
    finally:
        # Whatever was not sent (the mail server refused or went away) is owed again, from
        # its first due time: `manage.py send_registration_mails` (every few minutes) or a
        # registration once it has waited MAIL_TASK_PATIENCE retries it. A newer mail that
        # became due meanwhile wins.
        for registration, kind in batch[sent:]:
            Registration.objects.filter(pk=registration.pk, mail_due="").update(
                mail_due=kind, mail_due_at=registration.mail_due_at
            )
