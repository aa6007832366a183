"""Fresh-eyes walk 4: the accepted answer's author hears of it, answering follows the question,
the similar questions sit under the title, and the text fields explain their formatting."""

import pytest
from django.core import mail
from django.urls import reverse

from bouwplaats.knowledge import services
from bouwplaats.knowledge.models import QuestionFollower

pytestmark = pytest.mark.django_db


def _answer(question, answerer, capture):
    with capture(execute=True):
        return services.answer_create(actor=answerer, question=question, body="BZK kent haar.")


def test_the_author_of_an_accepted_answer_gets_a_dutch_mail(
    django_capture_on_commit_callbacks, question, asker, answerer, settings
):
    settings.SITE_URL = "https://bouwplaats.example.nl"
    answer = _answer(question, answerer, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_accept(actor=asker, answer=answer)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [f"Bram Antwoorder <{answerer.email}>"]
    message = mail.outbox[0]
    assert "is geaccepteerd" in message.subject and question.title in message.subject
    assert "Beste Bram Antwoorder," in message.body
    assert f"https://bouwplaats.example.nl/kennis/vragen/{question.pk}/#antwoord-{answer.pk}" in (
        message.body
    )
    # Accepting the same answer again (a second click) mails nobody again.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_accept(actor=asker, answer=answer)
    assert mail.outbox == []


def test_no_accepted_mail_for_an_own_answer_or_a_withdrawn_acceptance(
    django_capture_on_commit_callbacks, question, asker, answerer
):
    own = _answer(question, asker, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_accept(actor=asker, answer=own)
    assert mail.outbox == []
    other = _answer(question, answerer, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.answer_accept(actor=asker, answer=other)
    services.answer_unaccept(actor=asker, question=question)
    for callback in callbacks:
        callback()
    assert mail.outbox == []  # withdrawn before the mail went: nothing to announce


def test_answering_follows_the_question_and_the_toggle_still_stops_it(
    client, django_capture_on_commit_callbacks, question, answerer, voter
):
    assert not QuestionFollower.objects.filter(question=question, user=answerer).exists()
    client.force_login(answerer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("knowledge:answer_create", args=[question.pk]),
            {"body": "Vraag het bij BZK na."},
            follow=True,
        )
    assert "U volgt deze vraag nu" in response.text
    assert QuestionFollower.objects.filter(question=question, user=answerer).exists()
    assert "Niet meer volgen" in response.text
    client.post(reverse("knowledge:question_follow", args=[question.pk]), {"volgen": "0"})
    assert not QuestionFollower.objects.filter(question=question, user=answerer).exists()
    # A later answer by someone else no longer reaches the one who stopped following.
    mail.outbox.clear()
    _answer(question, voter, django_capture_on_commit_callbacks)
    assert all(answerer.email not in " ".join(m.to) for m in mail.outbox)


def test_a_later_answer_reaches_who_answered_before(
    django_capture_on_commit_callbacks, question, answerer, voter
):
    _answer(question, answerer, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    _answer(question, voter, django_capture_on_commit_callbacks)
    assert any(answerer.email in " ".join(m.to) for m in mail.outbox)
