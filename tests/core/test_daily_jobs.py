"""`make run` (bin/serve) runs the daily jobs README lists, at a set time each day."""

import datetime
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from bouwplaats.core.management.commands import run_daily_jobs
from tests.factories import RegistrationFactory, SessionFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]


def test_every_daily_job_in_the_readme_is_run_by_make_run():
    readme = (ROOT / "README.md").read_text()
    daily = set(re.findall(r"manage\.py (\w+)\s+# daily:", readme))
    assert "send_host_digests" in daily
    assert daily == set(run_daily_jobs.DAILY_JOBS)
    assert "manage.py run_daily_jobs" in (ROOT / "bin" / "serve").read_text()


def test_once_runs_the_jobs_and_the_host_gets_the_overview(db, programme):
    host = UserFactory(email="digest@example.nl", host_notices="digest")
    session = SessionFactory(programme=programme, host=host)
    RegistrationFactory(session=session, status="pending")
    call_command("run_daily_jobs", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [m.subject for m in mail.outbox if m.to[0].endswith("digest@example.nl>")] == [
        "[Bouwplaats] Dagoverzicht van uw sessies"
    ]


def test_a_failing_job_does_not_stop_the_others(db, monkeypatch):
    ran = []

    def fake(name, **kwargs):
        ran.append(name)
        if name == "planning_reminders":
            raise RuntimeError("mail server away")

    monkeypatch.setattr(run_daily_jobs, "call_command", fake)
    assert run_daily_jobs.run_daily_jobs() == ["planning_reminders"]
    assert ran == list(run_daily_jobs.DAILY_JOBS)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2026-12-01T05:00:00+00:00", "2026-12-01T07:00:00+01:00"),
        ("2026-12-01T06:00:00+00:00", "2026-12-02T07:00:00+01:00"),
        ("2027-03-27T12:00:00+00:00", "2027-03-28T07:00:00+02:00"),
    ],
)
def test_next_run_is_the_next_seven_oclock_in_amsterdam(now, expected):
    due = run_daily_jobs.next_run(datetime.datetime.fromisoformat(now), datetime.time(7, 0))
    assert due == datetime.datetime.fromisoformat(expected)
    assert due.isoformat() == expected


def test_a_time_that_is_no_time_is_refused():
    with pytest.raises(CommandError):
        call_command("run_daily_jobs", "--at", "25:99")
