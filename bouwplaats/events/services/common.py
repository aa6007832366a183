"""What the session and registration services share: the session's row lock, work after commit."""

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from bouwplaats.core.background import enqueue_on_commit, enqueue_owed_on_commit

from .. import locks
from ..calendar import AMSTERDAM
from ..models import Session, SessionChange


def _locked(session: Session) -> Session:
    """Return ``session`` re-read under its row lock, with its programme and host."""
    return locks.lock_session(session.pk, related=("programme", "host"))


def _after_commit(func, *args) -> None:
    """Owe ``func(*args)`` through the outbox (core.background), queued after commit.

    The mails of a change, a cancellation, an organiser's message and the notices keep no
    mark of their own in the sessions' rows, so a queue that is down at the commit must
    not lose them: the outbox row is queued again by `manage.py requeue_owed_work`.
    """
    enqueue_owed_on_commit(func, *args)


def _mail_marks_after_commit(func, *args) -> None:
    """Queue ``func(*args)`` after commit for work kept on record in the registration rows.

    The registration mails are owed on the rows themselves (``outbox.py``), and the
    ``owed`` hook finds them, so no outbox row is written in a registration rush.
    """
    enqueue_on_commit(func, *args)


def _show(value: Any) -> str:
    """Return a field value as text for the change record and the mail."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value, AMSTERDAM).strftime(SessionChange.RECORDED_MOMENT)
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    return "" if value is None else str(value)
