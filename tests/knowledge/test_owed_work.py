"""An answer's mail to the followers owed while the queue was down is sent once it is back."""

from django.core import mail

from bouwplaats.knowledge import services
from tests.owed_work import queue_back, requeue


def test_a_new_answer_mail_is_sent_once_after_the_queue_returns(
    question, asker, answerer, queue_down, settings, caplog, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_create(actor=answerer, question=question, body="BZK kent de regeling.")
    assert "not queued" in caplog.text
    assert mail.outbox == []

    queue_back(settings)
    assert "Opnieuw in de wachtrij: 1 taak" in requeue()
    [message] = mail.outbox
    assert message.to == [f"{asker.display_name} <{asker.email}>"]
    assert "BZK kent de regeling." in message.body
    assert "Opnieuw in de wachtrij: 0 taken" in requeue()
    assert len(mail.outbox) == 1
