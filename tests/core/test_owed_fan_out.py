"""A task that mails several people (core.background.owe_each): a worker killed in the middle
costs at most one duplicate mail, never a second round to everyone (issue 17 §6).

The answer to a question with three followers is the example; the fan-out is core's, used by
every multi-recipient owed task (knowledge's followers, planning's zone and street notices and
request mails). A mail backend that dies plays the worker killed mid-send.
"""

import datetime
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import TestCase
from django.utils import timezone

from bouwplaats.core import background
from bouwplaats.core.models import OwedTask
from bouwplaats.knowledge import mails as knowledge_mails
from bouwplaats.knowledge import services
from tests.factories import UserFactory
from tests.owed_work import queue_back, requeue

pytestmark = pytest.mark.django_db

FAN_OUT = "bouwplaats.knowledge.tasks.send_new_answer_mail"
SINGLE = "bouwplaats.knowledge.tasks.mail_new_answer_to"
User = get_user_model()


class Killed(SystemExit):
    """The worker process killed (a BaseException: no task code catches it)."""


@pytest.fixture
def followers(programme, settings):
    """Three followers of a question; an answer whose mail to them is owed, not yet run."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    people = [UserFactory(email=f"volger{n}@voorbeeld.nl") for n in range(3)]
    question = services.question_create(
        actor=people[0], title="Wie kent de regeling tijdelijke woningen?", programme=programme
    )
    for person in people[1:]:
        services.question_follow(actor=person, question=question)
    services.answer_create(actor=UserFactory(), question=question, body="BZK kent haar.")
    assert list(OwedTask.objects.values_list("task", flat=True)) == [FAN_OUT]
    queue_back(settings)
    mail.outbox.clear()
    return [p.email for p in people]


def _run(owed_id: int) -> bool:
    """Run an outbox row as a worker does, with what it queues after its commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return background.run_owed(owed_id)


def _received(people) -> dict[str, int]:
    counts = Counter()
    for message in mail.outbox:
        for email in people:
            if any(email in to for to in message.to):
                counts[email] += 1
    return {email: counts[email] for email in people}


def _die_on(monkeypatch, call: int, *, after_sending: bool) -> None:
    """The worker is killed during the ``call``-th send (1-based), before or after it went."""
    send, calls = EmailBackend.send_messages, []

    def dying(self, messages):
        calls.append(1)
        if len(calls) != call:
            return send(self, messages)
        if after_sending:
            send(self, messages)
        raise Killed

    monkeypatch.setattr(EmailBackend, "send_messages", dying)


def _lease_over() -> None:
    """The time a killed runner's row waits passes (OWED_TASK_LEASE / REQUEUE_AFTER)."""
    past = timezone.now() - datetime.timedelta(seconds=1)
    OwedTask.objects.update(leased_until=past, due_at=past)


def test_the_fan_out_owes_one_single_send_per_follower_in_place_of_its_own_row(followers):
    [owed] = OwedTask.objects.all()
    assert _run(owed.pk) is True
    assert _received(followers) == dict.fromkeys(followers, 1)
    assert not OwedTask.objects.exists()


def test_killed_while_mailing_the_second_of_three_each_gets_exactly_one(followers, monkeypatch):
    _die_on(monkeypatch, 2, after_sending=False)
    _run(OwedTask.objects.get().pk)  # the fan-out, then its three single sends
    assert _received(followers) == {followers[0]: 1, followers[1]: 0, followers[2]: 1}
    [left] = OwedTask.objects.all()
    assert left.task == SINGLE
    assert User.objects.get(pk=left.args[1]).email == followers[1]
    monkeypatch.undo()
    _lease_over()
    assert "Opnieuw in de wachtrij: 1 taak" in requeue()
    assert _received(followers) == dict.fromkeys(followers, 1), "nobody mailed twice"
    assert not OwedTask.objects.exists()


def test_killed_after_the_last_of_three_went_costs_one_duplicate_not_three(followers, monkeypatch):
    _die_on(monkeypatch, 3, after_sending=True)
    _run(OwedTask.objects.get().pk)
    assert _received(followers) == dict.fromkeys(followers, 1)
    monkeypatch.undo()
    _lease_over()
    assert "Opnieuw in de wachtrij: 1 taak" in requeue(), "only the killed single send"
    received = _received(followers)
    assert sorted(received.values()) == [1, 1, 2], "one duplicate for the one crash"
    assert not OwedTask.objects.exists()


def test_killed_while_fanning_out_mails_nobody_and_fans_out_once_more(followers, monkeypatch):
    create = OwedTask.objects.bulk_create

    def killed(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(type(OwedTask.objects), "bulk_create", killed)
    [owed] = OwedTask.objects.all()
    with pytest.raises(Killed):
        background.run_owed(owed.pk)
    monkeypatch.setattr(type(OwedTask.objects), "bulk_create", create)
    assert list(OwedTask.objects.values_list("pk", "task")) == [(owed.pk, FAN_OUT)]
    assert mail.outbox == []
    _lease_over()
    assert "Opnieuw in de wachtrij: 1 taak" in requeue()
    assert _received(followers) == dict.fromkeys(followers, 1)
    assert not OwedTask.objects.exists()


def test_a_runner_whose_lease_ran_out_leaves_the_fan_out_to_the_runner_that_took_it(
    followers, monkeypatch
):
    """The first runner is slow, not dead: its row's lease runs out and a second runner
    takes the row and fans out; the first one then owes nothing more."""
    [owed] = OwedTask.objects.all()
    recipients = knowledge_mails.new_answer_followers

    def slow(answer_id):
        monkeypatch.setattr(knowledge_mails, "new_answer_followers", recipients)
        _lease_over()
        assert background.run_owed(owed.pk) is True  # the timer's job, in another worker
        return recipients(answer_id)

    monkeypatch.setattr(knowledge_mails, "new_answer_followers", slow)
    assert _run(owed.pk) is True
    assert _received(followers) == dict.fromkeys(followers, 1)
    assert not OwedTask.objects.exists()
