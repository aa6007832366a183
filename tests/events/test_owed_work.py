"""The sessions' mails to their participants are owed through the outbox (issue 17 §6).

A change, a cancellation and the organiser's message keep no mark in the sessions' rows, so
they are written as an outbox row in the change's transaction: with the queue down at the
commit they are sent once it is back, and a worker killed in the middle of mailing the
participants re-mails at most the one it was mailing (core.background.owe_each).
"""

import datetime
from collections import Counter

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import TestCase
from django.utils import timezone

from bouwplaats.core import background
from bouwplaats.core.models import OwedTask
from bouwplaats.events import services
from bouwplaats.events.models import Registration
from tests.factories import RegistrationFactory
from tests.owed_work import queue_back, requeue

pytestmark = pytest.mark.django_db


class Killed(SystemExit):
    """The worker process killed (a BaseException: no task code catches it)."""


@pytest.fixture
def participants(session):
    """Three registrations of the session: two confirmed, one waiting."""
    statuses = [
        Registration.Status.CONFIRMED,
        Registration.Status.CONFIRMED,
        Registration.Status.WAITLISTED,
    ]
    return [RegistrationFactory(session=session, status=s).member.email for s in statuses]


def _received(people) -> dict[str, int]:
    counts = Counter(to for message in mail.outbox for to in message.to)
    return {email: sum(n for to, n in counts.items() if email in to) for email in people}


def _cancel(session):
    services.session_cancel(session=session, actor=session.host, reason="Zaal vervallen")


def _change(session):
    services.session_update(
        session=session, actor=session.host, location="Stadhuis Ede, zaal 3 — één trap op"
    )


def _message(session):
    services.session_message_participants(
        session=session, actor=session.host, subject="Koffie", body="Neem uw koffertje mee."
    )


@pytest.mark.parametrize(
    ("act", "mailed"),
    [(_cancel, [0, 1, 2]), (_change, [0, 1, 2]), (_message, [0, 1])],
    ids=["cancellation", "change", "message"],
)
def test_a_mail_owed_while_the_queue_was_down_is_sent_once_it_is_back(
    session, participants, act, mailed, queue_down, settings, caplog,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(session)
    assert "not queued" in caplog.text
    assert mail.outbox == []
    assert OwedTask.objects.count() == 1

    queue_back(settings)
    assert "Opnieuw in de wachtrij: 1 taak" in requeue()
    expected = {email: int(n in mailed) for n, email in enumerate(participants)}
    assert _received(participants) == expected
    assert "Opnieuw in de wachtrij: 0 taken" in requeue()
    assert _received(participants) == expected, "nobody mailed twice"
    assert not OwedTask.objects.exists()


def test_a_worker_killed_while_mailing_the_second_participant_re_mails_nobody(
    session, participants, settings, monkeypatch
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    _cancel(session)
    [owed] = OwedTask.objects.all()
    queue_back(settings)
    mail.outbox.clear()

    send, calls = EmailBackend.send_messages, []

    def dying(self, messages):
        calls.append(1)
        if len(calls) == 2:
            raise Killed
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", dying)
    with TestCase.captureOnCommitCallbacks(execute=True):
        background.run_owed(owed.pk)  # the fan-out, then its three single sends
    assert sorted(_received(participants).values()) == [0, 1, 1]
    [left] = OwedTask.objects.all()
    assert left.task == "bouwplaats.events.tasks.mail_cancellation_to"

    monkeypatch.undo()
    past = timezone.now() - datetime.timedelta(seconds=1)
    OwedTask.objects.update(leased_until=past, due_at=past)  # the killed runner's lease ran out
    assert "Opnieuw in de wachtrij: 1 taak" in requeue()
    assert _received(participants) == dict.fromkeys(participants, 1)
    assert not OwedTask.objects.exists()
