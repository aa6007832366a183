"""Askers are reminded once to accept an answer (Discourse needed a plugin for it)."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from bouwplaats.knowledge import services
from bouwplaats.knowledge.models import Answer, Question

pytestmark = pytest.mark.django_db


def _answer_aged(question, author, days, body="Zo doen wij dat."):
    answer = services.answer_create(actor=author, question=question, body=body)
    Answer.objects.filter(pk=answer.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )
    return answer


@pytest.fixture(autouse=True)
def _days(settings):
    settings.KNOWLEDGE_ACCEPT_REMINDER_DAYS = 5
    settings.SITE_URL = "https://bouwplaats.example.nl"


def test_the_asker_is_reminded_once_with_a_link(question, asker, answerer, voter):
    _answer_aged(question, answerer, 6)
    _answer_aged(question, voter, 1)
    mail.outbox.clear()
    assert services.question_accept_reminders_send() == 1
    [message] = mail.outbox
    assert len(message.to) == 1 and asker.email in message.to[0]
    assert "geholpen" in message.subject and question.title in message.subject
    assert "2 antwoorden" in message.body
    assert f"https://bouwplaats.example.nl/kennis/vragen/{question.pk}/" in message.body
    assert Question.objects.get(pk=question.pk).accept_reminder_sent_at is not None
    mail.outbox.clear()
    assert services.question_accept_reminders_send() == 0  # not again the next day
    call_command("knowledge_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []


def test_not_before_the_days_have_passed(question, answerer):
    _answer_aged(question, answerer, 4)
    mail.outbox.clear()
    assert services.question_accept_reminders_send() == 0


def test_not_to_an_asker_who_accepted(question, asker, answerer):
    answer = _answer_aged(question, answerer, 10)
    services.answer_accept(actor=asker, answer=answer)
    mail.outbox.clear()
    assert services.question_accept_reminders_send() == 0 and mail.outbox == []


def test_not_for_questions_without_answers_or_only_the_askers_own(question, asker):
    Question.objects.filter(pk=question.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    assert services.question_accept_reminders_send() == 0
    _answer_aged(question, asker, 10, body="Ik vond het zelf al.")
    mail.outbox.clear()
    assert services.question_accept_reminders_send() == 0 and mail.outbox == []


def test_the_daily_command_sends_it(question, asker, answerer):
    _answer_aged(question, answerer, 8)
    mail.outbox.clear()
    call_command("knowledge_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [m for m in mail.outbox if asker.email in m.to[0]]
