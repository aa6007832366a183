"""Run the daily jobs of README "Scheduled jobs" every day at a set time (for `make run`).

Production runs each job from cron or a systemd timer instead; this keeps a platform started
with `make run` (bin/serve) sending its digests and reminders without one.
"""

import datetime
import logging
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext

# The commands README.md lists as "daily"; tests/core/test_daily_jobs.py keeps both in step.
DAILY_JOBS = (
    "send_space_digests",
    "planning_reminders",
    "pilot_report_reminders",
    "send_host_digests",
    "knowledge_digest",
)

logger = logging.getLogger(__name__)


def next_run(now: datetime.datetime, at: datetime.time) -> datetime.datetime:
    """Return the first moment at local time ``at`` strictly after ``now`` (aware datetimes)."""
    local = timezone.localtime(now)
    candidate = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    if candidate <= local:
        candidate = timezone.make_aware(
            datetime.datetime.combine(candidate.date() + datetime.timedelta(days=1), at)
        )
    return candidate


def run_daily_jobs(stdout=None) -> list[str]:
    """Run each daily job once; return the names of those that failed (logged, not raised).

    One job failing (its mail server away) does not keep the others from running.
    """
    failed = []
    for job in DAILY_JOBS:
        try:
            call_command(job, stdout=stdout)
        except Exception:
            logger.exception("Daily job %s failed", job)
            failed.append(job)
    return failed


class Command(BaseCommand):
    help = "Run the daily jobs (digests, reminders) every day at --at (local time), or --once."

    def add_arguments(self, parser):
        parser.add_argument("--at", default="07:00", help="local time of day, HH:MM")
        parser.add_argument("--once", action="store_true", help="run them now, once, and stop")

    def handle(self, *args, at: str, once: bool, **options):
        try:
            when = datetime.time.fromisoformat(at)
        except ValueError as exc:
            raise CommandError(
                gettext("--at %(at)r is geen tijdstip (UU:MM).") % {"at": at}
            ) from exc
        if once:
            if failed := run_daily_jobs(self.stdout):
                raise CommandError(gettext("Mislukt: %(jobs)s") % {"jobs": ", ".join(failed)})
            return
        while True:
            due = next_run(timezone.now(), when)
            time.sleep(max(0.0, (due - timezone.now()).total_seconds()))
            run_daily_jobs(self.stdout)
