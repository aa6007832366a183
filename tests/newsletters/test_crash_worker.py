"""Acceptance: the real `manage.py db_worker` is SIGKILLed a quarter into a 400-subscriber send;
a fresh `db_worker` is started and nothing else. Every subscriber gets the issue, at most one
duplicate per crash, and the issue ends "sent" (issue 11 §3: a send resumes by itself).

Works on the test database whichever it is: a file SQLite database by default, PostgreSQL
with DATABASE_URL.
"""

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
SUBSCRIBERS = 400
LEASE = 2  # seconds; production's is two minutes


def database_url() -> str:
    """Return the URL of the test database, which the worker processes must use too."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = quote(db["PASSWORD"] or "")
    return f"postgres://{db['USER']}:{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def db_worker(port: int) -> subprocess.Popen:
    """Start `manage.py db_worker` as systemd would, against the test database and the sink."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bouwplaats.settings_test",
        "DATABASE_URL": database_url(),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "SITE_URL": "https://bouwplaats.example.nl",
        "NEWSLETTER_WORKER_LEASE": str(LEASE),
        "MAIL_CLAIM_LEASE": str(LEASE),
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def kill_when(handler, worker: subprocess.Popen, count: int) -> None:
    """SIGKILL ``worker`` once the sink has accepted ``count`` messages."""
    deadline = time.monotonic() + 90
    while handler.count() < count:
        assert worker.poll() is None, worker.stderr.read().decode()
        assert time.monotonic() < deadline, "the worker sends nothing"
        time.sleep(0.002)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def wait_for(condition, worker: subprocess.Popen, *, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert worker.poll() is None, worker.stderr.read().decode()
        assert time.monotonic() < deadline, "the new worker did not finish the job"
        time.sleep(0.1)


@pytest.fixture
def database_tasks(settings):
    """Queue tasks in the database, as in production: only the worker processes run them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.NEWSLETTER_WORKER_LEASE = LEASE


@pytest.mark.django_db(transaction=True)
def test_a_killed_db_worker_s_send_is_finished_by_a_fresh_db_worker_alone(
    database_tasks, smtp_sink, newsletter_list, team_member
):
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
    services.issue_send(issue=issue, user=team_member)  # queues the delivery task

    first = db_worker(controller.port)
    try:
        kill_when(handler, first, SUBSCRIBERS // 4)
    finally:
        stop(first)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING
    assert Delivery.objects.filter(issue=issue, status="pending").exists()

    fresh = db_worker(controller.port)  # what systemd does; nobody presses "hervatten"
    try:
        wait_for(
            lambda: Issue.objects.filter(pk=issue.pk, status=Issue.Status.SENT).exists(), fresh
        )
    finally:
        stop(fresh)

    received = Counter(rcpt[0] for rcpt, _data in handler.messages)
    expected = {f"lezer{n:04}@example.nl" for n in range(SUBSCRIBERS)}
    assert set(received) == expected, "nobody skipped, nobody unknown"
    assert sum(received.values()) - len(expected) <= 1, "at most one duplicate per crash"
    issue.refresh_from_db()
    assert (issue.sent_count, issue.failed_count) == (SUBSCRIBERS, 0)
