"""Acceptance (issue 17 §1): background work on RQ through django-tasks (django-tasks-rq).

The services enqueue their tasks in `transaction.on_commit` as always; with the RQ backend the
jobs go to Debian's redis-server and two real `manage.py rqworker` processes (the documented
worker command) run them. Every job runs once, on one of the two workers, and every member or
subscriber gets exactly one mail.
"""

import time
from collections import Counter

import pytest
from django.db import transaction
from django_tasks.signals import task_enqueued
from rq import Worker
from rq.job import Job

from bouwplaats.events.services import registrations
from bouwplaats.newsletters import services as newsletters
from bouwplaats.newsletters.models import Issue, NewsletterList, Subscription
from tests.factories import MembershipFactory, SessionFactory, UserFactory

pytestmark = [pytest.mark.stack, pytest.mark.django_db(transaction=True)]

READERS = 12
MEMBERS = 6


@pytest.fixture
def rq_tasks(settings, redis_url):
    """Queue tasks in Redis (database 1) as TASKS_BACKEND=rq does; return the Redis client."""
    import django_rq

    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    settings.RQ_QUEUES = {"default": {"URL": f"{redis_url}/1"}}
    return django_rq.get_connection("default")


@pytest.fixture
def enqueued():
    """Collect the id of every task result enqueued in this process."""
    ids: list[str] = []

    def record(sender, task_result, **kwargs):
        ids.append(task_result.id)

    task_enqueued.connect(record, dispatch_uid="stack-enqueued")
    yield ids
    task_enqueued.disconnect(dispatch_uid="stack-enqueued")


def wait_until(condition, workers, *, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        for worker in workers:
            assert worker.poll() is None, worker.log.read_text()
        assert time.monotonic() < deadline, "the workers did not finish"
        time.sleep(0.1)


def test_settings_choose_rq_by_environment(peer):
    other = peer(TASKS_BACKEND="rq", RQ_URL="redis://queue.internal:6379/2")
    assert other("tasks") == {
        "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend"}},
        "RQ_QUEUES": {"default": {"URL": "redis://queue.internal:6379/2", "DEFAULT_TIMEOUT": 3600}},
    }


def test_two_rq_workers_send_each_mail_once(rq_tasks, enqueued, rq_workers, smtp_sink, programme):
    port, sink = smtp_sink
    workers = rq_workers(2, EMAIL_URL=f"smtp://127.0.0.1:{port}")
    wait_until(lambda: len(Worker.all(connection=rq_tasks)) == 2, workers)

    # Double opt-in: each visitor's confirmation mail is a job of its own, after commit.
    newsletter_list = NewsletterList.objects.create(
        programme=programme, name="Nieuwsflits Beter Benutten", slug="nieuwsflits-bb"
    )
    readers = [f"lezer{n:02}@goedopweg.nl" for n in range(READERS)]
    for email in readers:
        newsletters.subscription_start(
            newsletter_list=newsletter_list, email=email, name="Lezer", source="test"
        )
    # Registrations for a session: the registration mails go out in a job after commit.
    session = SessionFactory(programme=programme, title="Bouwsessie Slim Reizen")
    members = [UserFactory(email=f"lid{n}@regio-utrecht.nl") for n in range(MEMBERS)]
    for member in members:
        with transaction.atomic():
            registrations.registration_create(session=session, member=member)
    assert enqueued, "the services enqueued their jobs in Redis"

    expected = [*readers, *(member.email for member in members)]
    wait_until(lambda: set(sink.recipients()) >= set(expected), workers)
    time.sleep(0.5)  # room for a second, wrong run of any job to show itself
    assert Counter(sink.recipients()) == Counter(expected), "one mail each"

    # The newsletter issue to every confirmed reader: the delivery job.
    sink.messages.clear()
    Subscription.objects.update(status=Subscription.Status.CONFIRMED)
    issue = Issue.objects.create(newsletter_list=newsletter_list, subject="Nieuwsflits december")
    team_member = MembershipFactory(programme=programme).user
    newsletters.issue_send(issue=issue, user=team_member)
    wait_until(
        lambda: Issue.objects.filter(pk=issue.pk, status=Issue.Status.SENT).exists(), workers
    )
    time.sleep(0.5)
    assert Counter(sink.recipients()) == Counter(readers), "one issue each"

    ran_by = Counter()
    for job_id in enqueued:
        job = Job.fetch(job_id, connection=rq_tasks)
        if job.get_status() == "scheduled":  # a watchdog for later: nothing left to take over
            continue
        results = job.results()
        assert [result.type.name for result in results] == ["SUCCESSFUL"], job_id
        ran_by[results[0].worker_name] += 1
    assert set(ran_by) == {"werker-1", "werker-2"}, "both workers took jobs"
