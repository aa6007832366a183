"""Acceptance (issue 17 §6): the task queue under faults, with Debian's redis-server and real
`manage.py rqworker` processes (the documented command) sending over SMTP to a loopback sink.

- Redis stopped: the pages and the API still answer (the changes are stored; the enqueue after
  commit fails and is logged, not raised), and the work owed is queued again once Redis is
  back by `manage.py requeue_owed_work`, the command a timer runs every few minutes.
- A worker killed during a newsletter send: the issue's delivery rows and its watchdog job let
  a fresh worker finish it alone; every subscriber gets the issue, at most one twice.
- A worker killed during thumbnailing: RQ does not run a dead worker's job again; the photo
  without a thumbnail is owed work, queued again by `requeue_owed_work`; every thumbnail made.

A worker "killed" is SIGKILLed, and what is left of it (its work horse, its scheduler) gets
SIGTERM, as systemd does with the rest of a unit whose main process died: the horse dies at
once in the middle of its job, the scheduler hands back its lock for the next worker.
"""

import contextlib
import datetime
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image
from rq import Worker
from rq.registry import StartedJobRegistry

from bouwplaats.events.models import Registration
from bouwplaats.newsletters import services as newsletters
from bouwplaats.newsletters.models import Delivery, Issue, NewsletterList, Subscription
from bouwplaats.spaces import services as spaces
from bouwplaats.spaces.models import Photo
from tests.factories import MembershipFactory, SessionFactory, UserFactory
from tests.newsletters.conftest import RecordingHandler

from .conftest import (
    ROOT,
    RQ_WORKER,
    database_url,
    free_port,
    process_env,
    require,
    stop,
    wait_for_port,
)

pytestmark = [pytest.mark.stack, pytest.mark.django_db(transaction=True)]

LEASE = 2  # seconds a sender's claim lasts without a sign of life; production's is 120
READERS = 300


class Redis:
    """Debian's redis-server on a fixed loopback port, stopped and started by the test."""

    def __init__(self):
        self.binary = require("/usr/bin/redis-server", "redis-server")
        self.folder = tempfile.mkdtemp(prefix="bouwplaats-faults-redis-")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.folder,
             "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port, self.process)

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None


@pytest.fixture
def redis_queue(settings):
    """Start a Redis of this test's own and queue the tasks of this process in it (as
    TASKS_BACKEND=rq does); yield the Redis. Stopped after the test."""
    own = Redis()
    own.start()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    settings.RQ_QUEUES = {"default": {"URL": f"{own.url}/1"}}
    settings.NEWSLETTER_WORKER_LEASE = LEASE
    try:
        yield own
    finally:
        own.stop()
        shutil.rmtree(own.folder, ignore_errors=True)


@pytest.fixture
def sink():
    """An SMTP sink on loopback that takes a few milliseconds per message; yield its handler."""
    from aiosmtpd.controller import Controller

    handler = RecordingHandler(delay=0.004)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def workers(redis_queue, sink, settings, tmp_path):
    """Return a factory that starts one documented RQ worker (`manage.py rqworker …`) on the
    test database, this test's Redis and the sink; every worker is stopped after the test."""
    started: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        name = f"werker-{len(started) + 1}"
        with (tmp_path / f"{name}.log").open("w") as log:
            worker = subprocess.Popen(
                [*RQ_WORKER, "--name", name], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                env=worker_env(redis_queue, sink, settings),
            )  # fmt: skip
        worker.log = tmp_path / f"{name}.log"
        started.append(worker)
        wait_until(lambda: name in {w.name for w in Worker.all(connection=rq())}, worker)
        return worker

    yield start
    for worker in started:
        stop(worker)


def worker_env(redis: Redis, sink, settings) -> dict:
    return process_env(
        TASKS_BACKEND="rq",
        RQ_URL=f"{redis.url}/1",
        EMAIL_URL=f"smtp://127.0.0.1:{sink.port}",
        NEWSLETTER_WORKER_LEASE=str(LEASE),
        MAIL_CLAIM_LEASE=str(LEASE),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )


def rq():
    import django_rq

    return django_rq.get_connection("default")


def wait_until(condition, *alive: subprocess.Popen, seconds: float = 60) -> None:
    """Wait until ``condition()`` holds, failing if a process in ``alive`` stops."""
    deadline = time.monotonic() + seconds
    while not condition():
        for process in alive:
            log = Path(process.log).read_text() if hasattr(process, "log") else ""
            assert process.poll() is None, f"{process.args} stopped: {log}"
        assert time.monotonic() < deadline, "the condition was not met in time"
        time.sleep(0.05)


def descendants(pid: int) -> list[int]:
    """Return the pids of every process below ``pid`` (children, grandchildren, …)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except FileNotFoundError:
            continue
        for child in map(int, children):
            found += [child, *descendants(child)]
    return found


def gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in {"Z", "X"}


# Seconds what is left of a killed worker has to end after SIGTERM before it gets SIGKILL, as
# systemd's TimeoutStopSec (90 s there): a work horse waiting on a row lock the test holds
# may not get to its signal handler until the lock is released.
TERM_GRACE = 15


def crash(worker: subprocess.Popen, *also: int) -> None:
    """SIGKILL the worker (and ``also``); SIGTERM what is left of it, and SIGKILL what is still
    there after TERM_GRACE, as systemd would."""
    rest = descendants(worker.pid)
    for pid, sig in [(worker.pid, signal.SIGKILL), *((pid, signal.SIGKILL) for pid in also),
                     *((pid, signal.SIGTERM) for pid in rest)]:  # fmt: skip
        with contextlib.suppress(ProcessLookupError):  # gone already
            os.kill(pid, sig)
    worker.wait()
    with contextlib.suppress(AssertionError):
        wait_until(lambda: all(gone(pid) for pid in rest), seconds=TERM_GRACE)
    for pid in rest:
        if not gone(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    wait_until(lambda: all(gone(pid) for pid in rest))


def scheduler_ready() -> bool:
    return bool(rq().exists("rq:scheduler-lock:default"))


def photo_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (900, 600), (40, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def requeue_owed_work(redis: Redis, sink, settings) -> subprocess.CompletedProcess:
    """Run `manage.py requeue_owed_work` as the timer does, in a process of its own."""
    return subprocess.run(
        [sys.executable, "manage.py", "requeue_owed_work"], cwd=ROOT, capture_output=True,
        text=True, env=worker_env(redis, sink, settings), timeout=120,
    )  # fmt: skip


def confirmed_readers(newsletter_list: NewsletterList, count: int) -> list[str]:
    readers = [f"lezer{n:04}@goedopweg.nl" for n in range(count)]
    subscriptions = [
        Subscription(newsletter_list=newsletter_list, email=email, name="Lezer",
                     status=Subscription.Status.CONFIRMED)
        for email in readers
    ]  # fmt: skip
    for subscription in subscriptions:
        subscription.normalise_address()  # what save() does, which bulk_create skips
    Subscription.objects.bulk_create(subscriptions)
    return readers


def test_with_redis_stopped_pages_answer_and_the_owed_work_is_queued_when_it_returns(
    redis_queue, workers, sink, settings, api, programme
):
    session = SessionFactory(programme=programme, title="Bouwsessie Slim Reizen")
    member = UserFactory(email="esther@goedopweg.nl")
    team_member = MembershipFactory(programme=programme).user
    newsletter_list = NewsletterList.objects.create(
        programme=programme, name="Nieuwsflits Beter Benutten", slug="nieuwsflits-bb"
    )
    readers = confirmed_readers(newsletter_list, 5)
    issue = Issue.objects.create(newsletter_list=newsletter_list, subject="Nieuwsflits december")

    redis_queue.stop()
    assert api().get("/sessions").status_code == 200
    registered = api(member).post(f"/sessions/{session.pk}/registrations")
    assert registered.status_code == 201, registered.content
    subscribed = api().post(
        f"/newsletters/lists/{newsletter_list.pk}/subscribers",
        {"email": "nieuw@regio-utrecht.nl", "name": "Diana Kool"},
    )
    assert subscribed.status_code == 202, subscribed.content
    upload = SimpleUploadedFile("zaal.jpg", photo_bytes(), content_type="image/jpeg")
    uploaded = api(session.host).post(
        f"/sessions/{session.pk}/photos", {"file": upload}, format="multipart"
    )
    assert uploaded.status_code == 201, uploaded.content
    sent = api(team_member).post(f"/newsletters/issues/{issue.pk}/send")
    assert sent.status_code == 202, sent.content
    # Nothing ran, everything is on record as owed.
    assert Registration.objects.get(member=member).mail_due
    assert not Photo.objects.get().thumbnail
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.SENDING
    down = requeue_owed_work(redis_queue, sink, settings)
    assert down.returncode != 0, "the timer's run says the queue is unreachable"

    redis_queue.start()  # empty: nothing was queued while it was down
    worker = workers()
    again = requeue_owed_work(redis_queue, sink, settings)
    assert again.returncode == 0, again.stderr
    assert "Opnieuw in de wachtrij: 4 taken" in again.stdout

    expected = {member.email, "nieuw@regio-utrecht.nl", *readers}
    wait_until(lambda: {rcpt[0] for rcpt, _data in sink.messages} >= expected, worker)
    wait_until(lambda: Issue.objects.filter(pk=issue.pk, status=Issue.Status.SENT).exists())
    wait_until(lambda: bool(Photo.objects.get().thumbnail), worker)
    assert not Registration.objects.get(member=member).mail_due
    received = Counter(rcpt[0] for rcpt, _data in sink.messages)
    assert received == Counter(expected), "each owed mail once"


def test_a_worker_killed_during_a_newsletter_send_loses_nothing(
    redis_queue, workers, sink, programme
):
    newsletter_list = NewsletterList.objects.create(
        programme=programme, name="Nieuwsflits Beter Benutten", slug="nieuwsflits-bb"
    )
    readers = confirmed_readers(newsletter_list, READERS)
    issue = Issue.objects.create(newsletter_list=newsletter_list, subject="Nieuwsflits december")
    first = workers()
    wait_until(scheduler_ready, first)  # the worker's scheduler runs the watchdog jobs
    newsletters.issue_send(issue=issue, user=MembershipFactory(programme=programme).user)

    wait_until(lambda: sink.count() >= READERS // 4, first)
    sender = Issue.objects.get(pk=issue.pk).worker  # host:pid:token of the work horse
    crash(first, int(sender.split(":")[1]))
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.SENDING
    assert Delivery.objects.filter(issue=issue, status="pending").exists(), "killed mid-send"

    fresh = workers()  # as systemd restarts it; nobody presses "hervatten"
    wait_until(lambda: Issue.objects.filter(pk=issue.pk, status=Issue.Status.SENT).exists(), fresh)

    received = Counter(rcpt[0] for rcpt, _data in sink.messages)
    assert set(received) == set(readers), "nobody skipped, nobody unknown"
    assert sum(received.values()) - READERS <= 1, "at most one duplicate per crash"
    issue.refresh_from_db()
    assert (issue.sent_count, issue.failed_count) == (READERS, 0)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="holds a photo's row lock (FOR UPDATE): run with DATABASE_URL=postgres://…",
)
def test_a_worker_killed_during_thumbnailing_loses_no_thumbnail(
    redis_queue, workers, sink, settings, programme
):
    session = SessionFactory(programme=programme)
    photos = [
        spaces.photo_upload(
            session=session,
            user=session.host,
            upload=SimpleUploadedFile(f"foto{n}.jpg", photo_bytes(), content_type="image/jpeg"),
        )
        for n in range(4)
    ]  # queued in Redis; no worker runs yet
    queue_key = "rq:queue:default"
    assert rq().llen(queue_key) == len(photos)

    # The first job takes the first photo's row lock: holding it here keeps that job in the
    # middle of its work while the worker is killed.
    with psycopg.connect(database_url()) as holder:
        holder.execute("SELECT id FROM spaces_photo WHERE id = %s FOR UPDATE", [photos[0].pk])
        first = workers()
        started = StartedJobRegistry("default", connection=rq())
        wait_until(lambda: started.count == 1, first)
        crash(first)
        holder.rollback()

    fresh = workers()
    made = Photo.objects.exclude(thumbnail="")
    wait_until(lambda: made.count() == len(photos) - 1, fresh)
    assert not Photo.objects.get(pk=photos[0].pk).thumbnail, "the killed job is not run again"

    timer = requeue_owed_work(redis_queue, sink, settings)  # the timer's next run
    assert timer.returncode == 0, timer.stderr
    assert "Opnieuw in de wachtrij: 1 taak" in timer.stdout
    wait_until(lambda: made.count() == len(photos), fresh)
    thumbnails = list((Path(settings.MEDIA_ROOT) / "spaces" / "thumbnails").rglob("*.*"))
    assert len(thumbnails) == len(photos), "one thumbnail each"
    for photo in Photo.objects.all():
        assert max(Image.open(photo.thumbnail.open("rb")).size) == 480


def test_owed_work_is_queued_only_for_what_is_owed(redis_queue, programme, settings):
    """Sent mails, made thumbnails and issues with a live sender are not queued again."""
    newsletter_list = NewsletterList.objects.create(
        programme=programme, name="Nieuwsflits Beter Benutten", slug="nieuwsflits-bb"
    )
    confirmed_readers(newsletter_list, 2)
    live = Issue.objects.create(
        newsletter_list=newsletter_list, subject="Wordt verzonden", status=Issue.Status.SENDING,
        worker="elders:1:abcd", worker_seen_at=datetime.datetime.now(datetime.UTC),
    )  # fmt: skip
    Subscription.objects.create(
        newsletter_list=newsletter_list, email="al@goedopweg.nl",
        confirmation_sent_at=datetime.datetime.now(datetime.UTC),
    )  # fmt: skip
    from django.core.management import call_command

    output = io.StringIO()
    call_command("requeue_owed_work", stdout=output)
    assert "Opnieuw in de wachtrij: 0 taken" in output.getvalue()
    assert rq().llen("rq:queue:default") == 0
    Issue.objects.filter(pk=live.pk).update(worker_seen_at=None)  # its sender died
    call_command("requeue_owed_work", stdout=output)
    assert "Opnieuw in de wachtrij: 1 taak" in output.getvalue()
    assert rq().llen("rq:queue:default") == 1
