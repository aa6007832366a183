"""Reminders to a pilot's team that its progress report is due: when, and at most once a week.

Kept apart from ``services`` so the reminder task and the daily sweep (``manage.py
pilot_report_reminders``) can call it without importing the module that enqueues tasks.
"""

import datetime

from django.utils import timezone

from . import mails
from .models import Pilot
from .selectors import with_last_report

REMINDER_DAYS = 7
"""A reminder goes this many days before the report is due, and again each such period while
it is overdue."""


def reminder_at(pilot: Pilot, last_report_at: datetime.datetime | None) -> datetime.datetime:
    """Return when the pilot's team is first reminded of its next report."""
    return pilot.report_due_at(last_report_at) - datetime.timedelta(days=REMINDER_DAYS)


def is_due(pilot: Pilot, now: datetime.datetime) -> bool:
    """Return True if ``pilot`` (annotated by with_last_report) should be reminded at ``now``:
    its report is due within REMINDER_DAYS or overdue, and no reminder went in the last
    REMINDER_DAYS days."""
    if now < reminder_at(pilot, pilot.last_report_at):
        return False
    period = datetime.timedelta(days=REMINDER_DAYS)
    return pilot.reminded_at is None or pilot.reminded_at <= now - period


def pilot_report_remind(*, pilot_id: int, now: datetime.datetime | None = None) -> bool:
    """Mail the pilot's team that its report is due, if it is (see is_due). Return if sent."""
    now = now or timezone.now()
    pilot = (
        with_last_report(Pilot.objects.filter(pk=pilot_id))
        .select_related("organisation", "programme")
        .first()
    )
    if pilot is None or not is_due(pilot, now):
        return False
    # Claiming with one UPDATE keeps it to one mail when the task and the sweep race.
    claimed = Pilot.objects.filter(pk=pilot_id, reminded_at=pilot.reminded_at).update(
        reminded_at=now
    )
    if not claimed:
        return False
    mails.send_report_reminder(pilot, now=now)
    return True


def pilot_reports_remind_due(*, now: datetime.datetime | None = None) -> int:
    """Send every report reminder that is due (the daily sweep); return how many were sent."""
    now = now or timezone.now()
    due = [p.pk for p in with_last_report(Pilot.objects.all()) if is_due(p, now)]
    return sum(pilot_report_remind(pilot_id=pk, now=now) for pk in due)
