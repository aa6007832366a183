"""Acceptance (issue 17 §6) for an outbox task that mails several people, with Debian's
redis-server and real `manage.py rqworker` processes sending over SMTP to a loopback sink.

An answer to a question with three followers: the worker is killed while the mail server
takes the second follower's message (the mail went, the worker never heard so, its outbox
row stays). A fresh worker mails the third follower; the timer queues the second follower's
single send again. Each follower has their mail; one duplicate in total for the one crash,
not a second round to everyone (core.background.owe_each).
"""

import asyncio
import datetime
import threading
from collections import Counter

import pytest
from django.utils import timezone

from bouwplaats.core.models import OwedTask
from bouwplaats.knowledge import services as knowledge
from tests.factories import UserFactory
from tests.newsletters.conftest import RecordingHandler

from . import test_faults_queue as faults
from .conftest import free_port

pytestmark = [pytest.mark.stack, pytest.mark.django_db(transaction=True)]

redis_queue = faults.redis_queue
workers = faults.workers
SINGLE = "bouwplaats.knowledge.tasks.mail_new_answer_to"


class StallingSink(RecordingHandler):
    """The SMTP sink, holding its answer to the first message for ``stalled`` until released:
    the message is taken (recorded) while its sender still waits for the 250."""

    def __init__(self, stalled: str):
        super().__init__()
        self.stalled = stalled
        self.reached = threading.Event()
        self.released = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        if self.stalled in envelope.rcpt_tos and not self.reached.is_set():
            self.reached.set()
            while not self.released.is_set():
                await asyncio.sleep(0.02)
        return answer


@pytest.fixture
def sink():
    from aiosmtpd.controller import Controller

    handler = StallingSink("volger1@voorbeeld.nl")
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    try:
        yield handler
    finally:
        handler.released.set()
        controller.stop()


def _received(sink) -> Counter:
    return Counter(rcpt for rcpts, _data in sink.messages for rcpt in rcpts)


def test_a_worker_killed_mid_way_through_an_answers_followers_costs_one_duplicate(
    redis_queue, workers, sink, settings, programme
):
    people = [UserFactory(email=f"volger{n}@voorbeeld.nl") for n in range(3)]
    question = knowledge.question_create(
        actor=people[0], title="Wie kent de regeling tijdelijke woningen?", programme=programme
    )
    for person in people[1:]:
        knowledge.question_follow(actor=person, question=question)
    first = workers()
    knowledge.answer_create(actor=UserFactory(), question=question, body="BZK kent haar.")

    faults.wait_until(sink.reached.is_set, first)  # the fan-out ran; the second mail is sent
    faults.crash(first)  # the server took the message; its sender dies before the 250
    sink.released.set()
    assert sink.count() == 2

    fresh = workers()  # the third follower's job was still queued
    faults.wait_until(lambda: OwedTask.objects.count() == 1 and sink.count() == 3, fresh)
    [left] = OwedTask.objects.all()
    assert (left.task, left.args[1]) == (SINGLE, people[1].pk), "only the killed single send"
    assert _received(sink) == Counter(p.email for p in people)

    # The timer's run once the killed runner's lease is over (OWED_TASK_LEASE, 10 minutes).
    past = timezone.now() - datetime.timedelta(seconds=1)
    OwedTask.objects.update(leased_until=past, due_at=past)
    timer = faults.requeue_owed_work(redis_queue, sink, settings)
    assert timer.returncode == 0, timer.stderr
    assert "Opnieuw in de wachtrij: 1 taak" in timer.stdout
    faults.wait_until(lambda: not OwedTask.objects.exists(), fresh)
    assert _received(sink) == Counter({people[0].email: 1, people[1].email: 2, people[2].email: 1})
