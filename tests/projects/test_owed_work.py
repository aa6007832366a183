"""A support request's mail owed while the queue was down is sent once the queue is back."""

from django.core import mail

from bouwplaats.projects import services
from tests.owed_work import queue_back, requeue


def test_a_support_request_mail_is_sent_once_after_the_queue_returns(
    pilot, planner, team, queue_down, settings, caplog, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.support_request_create(
            actor=planner, pilot=pilot, kind="advies", question="Hoe richten wij het bouwteam in?"
        )
    assert "not queued" in caplog.text
    assert mail.outbox == []

    queue_back(settings)
    assert "Opnieuw in de wachtrij: 1 taak" in requeue()
    [message] = mail.outbox
    assert message.to == [team.email]
    assert "Hoe richten wij het bouwteam in?" in message.body
    assert "Opnieuw in de wachtrij: 0 taken" in requeue()
    assert len(mail.outbox) == 1
