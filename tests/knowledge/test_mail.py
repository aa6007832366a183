"""Followers are mailed a new answer over real SMTP; the daily digest of unanswered questions."""

import datetime
import email

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from bouwplaats.knowledge import services
from bouwplaats.knowledge.mails import send_unanswered_digest
from bouwplaats.knowledge.models import Question
from tests.newsletters.conftest import RecordingHandler, free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_sink(settings):
    """Send mail over real SMTP to an aiosmtpd sink on loopback; yield its handler."""
    from aiosmtpd.controller import Controller

    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = "https://bouwplaats.example.nl"
    try:
        yield handler
    finally:
        controller.stop()


def _received(handler):
    return [(rcpts, email.message_from_bytes(data)) for rcpts, data in handler.messages]


def test_followers_but_not_the_author_get_a_new_answer(
    smtp_sink, django_capture_on_commit_callbacks, question, asker, voter, answerer
):
    services.question_follow(actor=voter, question=question)
    services.question_follow(actor=answerer, question=question)
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.answer_create(
            actor=answerer, question=question, body="Vertrouwen **winnen**, krijgen en behouden."
        )
    received = _received(smtp_sink)
    assert sorted(r for rcpts, _m in received for r in rcpts) == sorted([asker.email, voter.email])
    assert all(len(rcpts) == 1 for rcpts, _m in received)  # each follower a mail of their own
    message = received[0][1]
    assert "Nieuw antwoord op" in str(email.header.make_header(
        email.header.decode_header(message["Subject"])))  # fmt: skip
    body = message.get_payload(decode=True).decode()
    assert "Vertrouwen **winnen**" in body
    url = f"https://bouwplaats.example.nl/kennis/vragen/{question.pk}/#antwoord-{answer.pk}"
    assert url in body


def test_no_mail_before_the_answer_is_committed(
    django_capture_on_commit_callbacks, question, answerer
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.answer_create(actor=answerer, question=question, body="Nog niet verstuurd")
    assert len(callbacks) == 1 and mail.outbox == []


def test_a_follower_who_stopped_gets_nothing(
    django_capture_on_commit_callbacks, question, asker, answerer
):
    services.question_follow(actor=asker, question=question, follow=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_create(actor=answerer, question=question, body="Antwoord")
    assert mail.outbox == []


def _age(question, days):
    Question.objects.filter(pk=question.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_digest_mails_the_team_unanswered_questions_older_than_the_setting(
    settings, smtp_sink, question, team, other_team, asker, answerer, other_programme, admin_user
):
    settings.KNOWLEDGE_UNANSWERED_DAYS = 5
    _age(question, 6)
    young = services.question_create(actor=asker, title="Jonge vraag", programme=question.programme)
    answered = services.question_create(actor=asker, title="Beantwoorde vraag",
                                        programme=question.programme)  # fmt: skip
    services.answer_create(actor=answerer, question=answered, body="Zo.")
    orphan = services.question_create(actor=asker, title="Vraag zonder programma")
    for q in (answered, orphan):
        _age(q, 10)
    assert young and send_unanswered_digest() == 2  # the team, and staff for the orphan
    received = {rcpts[0]: message for rcpts, message in _received(smtp_sink)}
    assert set(received) == {team.email, admin_user.email}
    team_body = received[team.email].get_payload(decode=True).decode()
    assert question.title in team_body and "Jonge vraag" not in team_body
    assert "Beantwoorde vraag" not in team_body and "zonder programma" not in team_body
    assert "Vraag zonder programma" in received[admin_user.email].get_payload(decode=True).decode()


def test_digest_command_sends_nothing_without_old_questions(question, team):
    call_command("knowledge_digest")
    assert mail.outbox == []
    _age(question, 30)
    call_command("knowledge_digest")
    assert len(mail.outbox) == 1 and team.email in mail.outbox[0].to[0]
