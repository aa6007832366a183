"""/healthz: database, cache and task queue; 200 when healthy, 503 naming what fails."""

import datetime
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks import task

from bouwplaats.settings import cache_settings
from tests.stack import conftest as stack

ROOT = Path(__file__).resolve().parents[2]
DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Debian's redis-server on a loopback port, as the stack tests run it.
redis_server = stack.redis_server
redis_url = stack.redis_url


@task()
def noop() -> None:
    """A task for the queue to hold (never run here)."""


def closed_port() -> int:
    """Return a loopback port nothing listens on: connecting there is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_healthy_platform_answers_200_with_each_check(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert set(body["checks"]) == {"database", "cache", "queue", "outbox"}
    assert all(check["ok"] for check in body["checks"].values())
    # The test settings run tasks at once: nothing waits, and no depth can be measured.
    assert body["checks"]["queue"]["backend"].endswith("ImmediateBackend")
    assert body["checks"]["queue"]["depth"] is None


@pytest.mark.django_db
def test_healthz_needs_no_login_and_is_not_rate_limited(client):
    statuses = {client.get("/healthz").status_code for _ in range(40)}
    assert statuses == {200}
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_queue_depth_and_oldest_task_age_from_the_database_backend(client, settings):
    settings.TASKS = DB_BACKEND
    from django_tasks_db.models import DBTaskResult

    for _ in range(3):
        noop.enqueue()
    DBTaskResult.objects.filter(pk=DBTaskResult.objects.order_by("enqueued_at")[0].pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(seconds=120)
    )
    # A finished task is not waiting.
    DBTaskResult.objects.create(
        task_path="tests.core.test_healthz.noop",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
        status="SUCCESSFUL",
    )
    response = client.get("/healthz")
    assert response.status_code == 200
    queue = response.json()["checks"]["queue"]
    assert queue["backend"] == "django_tasks_db.backend.DatabaseBackend"
    assert queue["depth"] == 3
    assert 119 <= queue["oldest_age_s"] < 600


@pytest.mark.django_db
def test_a_task_waiting_too_long_fails_the_queue(client, settings):
    settings.TASKS = DB_BACKEND
    settings.HEALTHZ_QUEUE_MAX_AGE = 60
    from django_tasks_db.models import DBTaskResult

    noop.enqueue()
    assert client.get("/healthz").status_code == 200
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=5))
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["queue"]
    assert body["checks"]["queue"]["depth"] == 1


@pytest.mark.django_db
def test_queue_depth_and_oldest_task_age_from_rq(client, settings, redis_url):
    """TASKS_BACKEND=rq: the jobs waiting in Debian's redis-server, no worker running."""
    from rq.job import Job

    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    settings.RQ_QUEUES = {"default": {"URL": f"{redis_url}/1"}}
    settings.HEALTHZ_QUEUE_MAX_AGE = 600
    queue = client.get("/healthz").json()["checks"]["queue"]
    assert queue == {
        "ok": True,
        "backend": "django_tasks_rq.backend.RQBackend",
        "depth": 0,
        "oldest_age_s": None,
        "max_age_s": 600,
    }
    first = noop.enqueue()
    noop.enqueue()
    response = client.get("/healthz")
    assert response.status_code == 200
    queue = response.json()["checks"]["queue"]
    assert queue["depth"] == 2
    assert 0 <= queue["oldest_age_s"] < 600
    import django_rq

    job = Job.fetch(first.id, connection=django_rq.get_connection("default"))
    job.enqueued_at = job.enqueued_at - datetime.timedelta(minutes=20)
    job.save()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["queue"]
    assert response.json()["checks"]["queue"]["oldest_age_s"] >= 1200


@pytest.fixture
def owed(settings, django_capture_on_commit_callbacks):
    """Three membership requests whose mails are owed in the outbox, queued but not yet run."""
    from bouwplaats.accounts import services
    from bouwplaats.core.models import OwedTask
    from tests.factories import OrganisationFactory, UserFactory

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    UserFactory(email="beheer@bouwplaats.nl", is_staff=True)
    for name in ("Gemeente Ede", "Gemeente Deventer", "Provincie Utrecht"):
        with django_capture_on_commit_callbacks(execute=True):
            services.membership_request(
                user=UserFactory(), organisation=OrganisationFactory(name=name)
            )
    return list(OwedTask.objects.order_by("pk"))


def _ago(**delta) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**delta)


@pytest.mark.django_db
def test_the_outbox_reports_its_rows_due_and_the_oldest_dues_age(client, owed, settings):
    from bouwplaats.core.models import OwedTask

    outbox = client.get("/healthz").json()["checks"]["outbox"]
    # Queued rows are not due: their jobs have OWED_TASK_REQUEUE_AFTER to run.
    assert outbox == {
        "ok": True, "rows": 3, "due": 0, "given_up": 0, "oldest_due_age_s": None, "max_age_s": 600,
    }  # fmt: skip
    OwedTask.objects.filter(pk=owed[0].pk).update(due_at=_ago(seconds=200))
    OwedTask.objects.filter(pk=owed[1].pk).update(due_at=_ago(seconds=30))
    response = client.get("/healthz")
    assert response.status_code == 200
    outbox = response.json()["checks"]["outbox"]
    assert (outbox["rows"], outbox["due"], outbox["given_up"]) == (3, 2, 0)
    assert 199 <= outbox["oldest_due_age_s"] < 600


@pytest.mark.django_db
def test_an_owed_row_due_too_long_fails_the_outbox(client, owed, settings):
    from bouwplaats.core.models import OwedTask

    OwedTask.objects.filter(pk=owed[0].pk).update(due_at=_ago(seconds=601))
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["outbox"]
    assert body["checks"]["outbox"]["oldest_due_age_s"] >= 601
    assert body["checks"]["outbox"]["error"] == "owed tasks wait too long"
    settings.HEALTHZ_OWED_MAX_AGE = 900
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_rows_given_up_are_reported_not_failing(client, owed, settings):
    from bouwplaats.core.models import OwedTask

    settings.OWED_TASK_MAX_ATTEMPTS = 3
    OwedTask.objects.filter(pk=owed[0].pk).update(attempts=3, due_at=_ago(hours=5))
    # Running its last try (leased): not given up yet.
    running = _ago(seconds=-60)
    OwedTask.objects.filter(pk=owed[1].pk).update(attempts=3, leased_until=running, due_at=running)
    response = client.get("/healthz")
    assert response.status_code == 200
    outbox = response.json()["checks"]["outbox"]
    assert (outbox["rows"], outbox["due"], outbox["given_up"]) == (3, 0, 1)
    assert outbox["oldest_due_age_s"] is None


@pytest.mark.django_db
def test_unreachable_cache_answers_503_naming_the_cache(client, settings):
    port = closed_port()
    # The production setting for CACHE_URL=redis://…, at a port where nothing listens.
    settings.CACHES = {"default": cache_settings(f"redis://:cachesecret@127.0.0.1:{port}/0")}
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    assert body["failing"] == ["cache"]
    assert body["checks"]["database"]["ok"] is True
    # Pages treat Redis errors as misses (IGNORE_EXCEPTIONS); the check still sees nothing back.
    assert body["checks"]["cache"]["ok"] is False
    text = response.content.decode()
    assert "cachesecret" not in text and str(port) not in text


PROBE = """
import django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
import json
client = Client()
health = client.get("/healthz")
home = client.get("/")
print(json.dumps({"status": health.status_code, "body": health.content.decode(),
                  "home": home.status_code}))
"""


def test_unreachable_database_answers_503_naming_it_without_secrets():
    """A separate process whose DATABASE_URL points at a loopback port nothing listens on."""
    port = closed_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bouwplaats.settings_test",
        "DATABASE_URL": f"postgres://bouwplaats:dbsecret@127.0.0.1:{port}/gone",
        "CACHE_URL": "db://",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        # As in production behind a proxy: every other page redirects to HTTPS.
        "HTTPS": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["home"] == 301
    assert result["status"] == 503
    body = json.loads(result["body"])
    # The database cache, the task queue and the outbox live in the same database: each is
    # named.
    assert body["failing"] == ["database", "cache", "queue", "outbox"]
    assert body["checks"]["outbox"] == {"ok": False, "error": "OperationalError"}
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    assert "dbsecret" not in result["body"] and str(port) not in result["body"]
