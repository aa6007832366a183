"""Reminders of open combination requests: when one is due, and sending it at most once.

Kept apart from ``services`` so the reminder task can call it without importing the module
that enqueues tasks.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from . import mails
from .models import CombinationRequest

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
REMINDER_DAYS = 3


def reminder_at(deadline: datetime.date) -> datetime.datetime:
    """Return when the reminder of a request with ``deadline`` is due: 08:00, three days ahead."""
    day = deadline - datetime.timedelta(days=REMINDER_DAYS)
    return datetime.datetime.combine(day, datetime.time(8, 0), tzinfo=AMSTERDAM)


def _due(today: datetime.date):
    return CombinationRequest.objects.filter(
        status=CombinationRequest.Status.OPEN,
        reminder_sent_at__isnull=True,
        deadline__gte=today,
        deadline__lte=today + datetime.timedelta(days=REMINDER_DAYS),
    )


def combination_request_remind(*, request_id: int, today: datetime.date | None = None) -> bool:
    """Send the reminder of an open request when it is due; at most once. Return if sent."""
    today = today or timezone.localdate()
    # Claiming with one UPDATE makes "at most once" hold when a task and the sweep race.
    claimed = _due(today).filter(pk=request_id).update(reminder_sent_at=timezone.now())
    if not claimed:
        return False
    req = CombinationRequest.objects.select_related(
        "from_work__owner", "to_work__owner", "to_work__created_by"
    ).get(pk=request_id)
    mails.send_reminder(req)
    return True


def combination_requests_remind_due(*, today: datetime.date | None = None) -> int:
    """Send every reminder that is due (for backends without deferred tasks); return count."""
    today = today or timezone.localdate()
    due = list(_due(today).values_list("pk", flat=True))
    return sum(combination_request_remind(request_id=pk, today=today) for pk in due)
