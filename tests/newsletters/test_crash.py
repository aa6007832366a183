"""Kill the delivery worker with SIGKILL mid-send, restart it, and count what arrived."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from bouwplaats.newsletters import services
from bouwplaats.newsletters.models import Delivery, Issue, Subscription

ROOT = Path(__file__).resolve().parents[2]
SUBSCRIBERS = 300


def _database_url() -> str:
    """Return the URL of the test database, which the worker process must use too."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = quote(db["PASSWORD"] or "")
    return f"postgres://{db['USER']}:{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _worker(port: int, issue_pk: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bouwplaats.settings_test",
        "DATABASE_URL": _database_url(),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "SITE_URL": "https://bouwplaats.example.nl",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "newsletter_deliver", "--issue", str(issue_pk),
         "--batch-size", "25"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def _kill_when(handler, worker, count: int) -> None:
    deadline = time.monotonic() + 60
    while handler.count() < count:
        assert worker.poll() is None, worker.stderr.read().decode()
        assert time.monotonic() < deadline, "the worker sends nothing"
        time.sleep(0.002)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()


@pytest.mark.django_db(transaction=True)
def test_killed_worker_restarts_and_the_tally_is_exact(
    settings, smtp_sink, newsletter_list, team_member
):
    # Tasks are only recorded: the worker processes below are the only senders.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    controller, handler = smtp_sink
    handler.delay = 0.003
    Subscription.objects.bulk_create(
        Subscription(
            newsletter_list=newsletter_list, email=f"lezer{n:04}@example.nl", name=f"Lezer {n}",
            status=Subscription.Status.CONFIRMED,
        )
        for n in range(SUBSCRIBERS)
    )  # fmt: skip
    issue = Issue.objects.create(newsletter_list=newsletter_list, subject="Nieuwsflits crash")
    services.issue_send(issue=issue, user=team_member)
    assert Delivery.objects.filter(issue=issue, status="pending").count() == SUBSCRIBERS

    crashes = 0
    for stop_at in (40, 170):
        _kill_when(handler, _worker(controller.port, issue.pk), stop_at)
        crashes += 1
        assert Delivery.objects.filter(issue=issue, status="pending").exists()
    final = _worker(controller.port, issue.pk)
    assert final.wait(timeout=120) == 0, final.stderr.read().decode()

    received = Counter(rcpt[0] for rcpt, _data in handler.messages)
    expected = {f"lezer{n:04}@example.nl" for n in range(SUBSCRIBERS)}
    assert set(received) == expected, "nobody skipped, nobody unknown"
    duplicates = sum(received.values()) - len(expected)
    assert duplicates <= crashes
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert (issue.sent_count, issue.failed_count) == (SUBSCRIBERS, 0)
