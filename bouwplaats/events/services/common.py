"""What the session and registration services share: the session's row lock, work after commit."""

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from bouwplaats.core.background import enqueue_on_commit

from .. import locks
from ..calendar import AMSTERDAM
from ..models import Session, SessionChange


def _locked(session: Session) -> Session:
    """Return ``session`` re-read under its row lock, with its programme and host."""
    return locks.lock_session(session.pk, related=("programme", "host"))


def _after_commit(func, *args) -> None:
    enqueue_on_commit(func, *args)


def _show(value: Any) -> str:
    """Return a field value as text for the change record and the mail."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value, AMSTERDAM).strftime(SessionChange.RECORDED_MOMENT)
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    return "" if value is None else str(value)
