"""The report reminder: a mail to the pilot's team a week before its report is due, and weekly
while it is overdue; a deferred task per pilot and the daily sweep (manage.py
pilot_report_reminders) claim it at most once."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from bouwplaats.projects import reminders, services, tasks
from bouwplaats.projects.models import Pilot

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _start(pilot, days_ago):
    Pilot.objects.filter(pk=pilot.pk).update(
        created_at=timezone.now() - days_ago * DAY, report_every_days=91
    )


def test_no_reminder_long_before_the_report_is_due(pilot):
    mail.outbox.clear()
    assert reminders.pilot_reports_remind_due() == 0
    assert mail.outbox == []


def test_a_week_before_due_the_pilot_team_is_reminded_once(pilot, planner, colleague, team):
    _start(pilot, 85)
    mail.outbox.clear()
    assert reminders.pilot_reports_remind_due() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) == {planner.email, colleague.email}
    assert "Voortgangsrapportage van ‘Havenkwartier’ gevraagd" in message.subject
    assert "uiterlijk" in message.body and pilot.get_absolute_url() in message.body
    # The sweep and the task again the same day: nothing more.
    assert reminders.pilot_reports_remind_due() == 0
    assert reminders.pilot_report_remind(pilot_id=pilot.pk) is False
    assert len(mail.outbox) == 1


def test_an_overdue_report_is_reminded_weekly_and_says_so(pilot, planner):
    _start(pilot, 100)
    now = timezone.now()
    mail.outbox.clear()
    assert reminders.pilot_reports_remind_due(now=now) == 1
    assert "achterstallig" in mail.outbox[0].subject
    assert reminders.pilot_reports_remind_due(now=now + 6 * DAY) == 0
    assert reminders.pilot_reports_remind_due(now=now + 7 * DAY) == 1
    assert len(mail.outbox) == 2


def test_a_new_report_moves_the_next_reminder(pilot, planner):
    _start(pilot, 100)
    reminders.pilot_reports_remind_due()
    services.progress_report_create(actor=planner, pilot=pilot, status="op_koers", reason="Goed")
    mail.outbox.clear()
    later = timezone.now() + 30 * DAY
    assert reminders.pilot_reports_remind_due(now=later) == 0
    assert reminders.pilot_reports_remind_due(now=timezone.now() + 85 * DAY) == 1


def test_unverified_members_and_the_programme_team_get_no_reminder(pilot, unverified, team):
    _start(pilot, 100)
    mail.outbox.clear()
    reminders.pilot_reports_remind_due()
    recipients = set(mail.outbox[0].to)
    assert unverified.email not in recipients and team.email not in recipients


def test_the_management_command_sends_what_is_due(pilot):
    _start(pilot, 100)
    mail.outbox.clear()
    out = io.StringIO()
    call_command("pilot_report_reminders", stdout=out)
    assert "1 herinnering verstuurd." in out.getvalue()
    assert len(mail.outbox) == 1


def test_the_task_reminds_through_the_same_rule(pilot):
    _start(pilot, 100)
    mail.outbox.clear()
    tasks.remind_pilot_report.call(pilot.pk)
    tasks.remind_pilot_report.call(pilot.pk)
    assert len(mail.outbox) == 1


def test_a_report_schedules_the_reminder_on_a_deferring_backend(
    pilot, planner, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        report = services.progress_report_create(
            actor=planner, pilot=pilot, status="risico", reason="Vergunning vertraagd"
        )
    reminder = DBTaskResult.objects.filter(task_path__endswith="remind_pilot_report").latest(
        "enqueued_at"
    )
    assert reminder.args_kwargs["args"] == [pilot.pk]
    assert reminder.run_after == report.at + (91 - 7) * DAY
