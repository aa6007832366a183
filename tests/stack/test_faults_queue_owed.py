"""Acceptance (issue 17 §6) for the outbox of core.background (core.OwedTask): with Debian's
redis-server and real `manage.py rqworker` processes sending over SMTP to a loopback sink.

- Redis stopped: a membership request (accounts) and an answer (knowledge) are stored and
  their mails are owed; once Redis is back `manage.py requeue_owed_work` queues them and each
  is sent exactly once; the timer's next run queues nothing.
- A worker killed while it runs an owed task: RQ does not run its job again; the row stays
  owed and the timer queues it again, so the mail still goes, once.
"""

import datetime
from collections import Counter

import psycopg
import pytest
from django.db import connection
from django.utils import timezone
from rq.registry import StartedJobRegistry

from bouwplaats.accounts import services as accounts
from bouwplaats.core.models import OwedTask
from bouwplaats.knowledge import services as knowledge
from tests.factories import OrganisationFactory, UserFactory

from . import test_faults_queue as faults
from .conftest import database_url

pytestmark = [pytest.mark.stack, pytest.mark.django_db(transaction=True)]

# The fixtures of the queue's fault tests: this test's Redis, the SMTP sink, the workers.
redis_queue = faults.redis_queue
sink = faults.sink
workers = faults.workers


def _recipients(sink) -> Counter:
    return Counter(rcpt for rcpts, _data in sink.messages for rcpt in rcpts)


def test_with_redis_stopped_the_outbox_mails_are_sent_once_when_it_returns(
    redis_queue, workers, sink, settings, programme
):
    staff = UserFactory(email="beheer@bouwplaats.nl", is_staff=True)
    sanne = UserFactory(email="sanne@voorbeeld.nl")
    asker = UserFactory(email="anna@gemeente-ede.nl")
    answerer = UserFactory(email="bert@provincie-utrecht.nl")
    question = knowledge.question_create(
        actor=asker, title="Wie kent de regeling tijdelijke woningen?", programme=programme
    )

    redis_queue.stop()
    accounts.membership_request(user=sanne, organisation=OrganisationFactory(name="Gemeente Ede"))
    knowledge.answer_create(actor=answerer, question=question, body="BZK kent haar.")
    assert OwedTask.objects.count() == 2, "both mails on record"
    down = faults.requeue_owed_work(redis_queue, sink, settings)
    assert down.returncode != 0, "the timer's run says the queue is unreachable"

    redis_queue.start()  # empty: nothing was queued while it was down
    worker = workers()
    again = faults.requeue_owed_work(redis_queue, sink, settings)
    assert again.returncode == 0, again.stderr
    assert "Opnieuw in de wachtrij: 2 taken" in again.stdout
    faults.wait_until(lambda: not OwedTask.objects.exists(), worker)
    assert _recipients(sink) == Counter([staff.email, asker.email]), "each owed mail once"

    later = faults.requeue_owed_work(redis_queue, sink, settings)
    assert "Opnieuw in de wachtrij: 0 taken" in later.stdout
    assert _recipients(sink) == Counter([staff.email, asker.email])


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="holds an outbox row's lock (FOR UPDATE): run with DATABASE_URL=postgres://…",
)
def test_a_worker_killed_during_an_owed_task_loses_no_mail(
    redis_queue, workers, sink, settings, programme
):
    staff = UserFactory(email="beheer@bouwplaats.nl", is_staff=True)
    sanne = UserFactory(email="sanne@voorbeeld.nl")
    accounts.membership_request(user=sanne, organisation=OrganisationFactory(name="Gemeente Ede"))
    owed = OwedTask.objects.get()  # queued in Redis; no worker runs yet

    # The job's first step takes the row (an UPDATE): holding the row's lock here keeps the
    # job in the middle of its work while the worker is killed.
    with psycopg.connect(database_url()) as holder:
        holder.execute("SELECT id FROM core_owedtask WHERE id = %s FOR UPDATE", [owed.pk])
        first = workers()
        started = StartedJobRegistry("default", connection=faults.rq())
        faults.wait_until(lambda: started.count == 1, first)
        faults.crash(first)
        holder.rollback()

    fresh = workers()
    assert OwedTask.objects.filter(pk=owed.pk).exists(), "the killed job is not run again"
    # The timer's run once the job's grace and lease are over (OWED_TASK_REQUEUE_AFTER). If
    # the killed job's claim (one UPDATE) was already sent and waiting for the row, PostgreSQL
    # still runs and commits it once the row is free: the lease then names a dead runner and
    # the row waits for that lease to end, as in test_faults_owed_fan_out.
    past = timezone.now() - datetime.timedelta(seconds=1)
    OwedTask.objects.update(due_at=past, leased_until=past)
    timer = faults.requeue_owed_work(redis_queue, sink, settings)
    assert timer.returncode == 0, timer.stderr
    assert "Opnieuw in de wachtrij: 1 taak" in timer.stdout
    faults.wait_until(lambda: not OwedTask.objects.exists(), fresh)
    assert _recipients(sink) == Counter([staff.email])
