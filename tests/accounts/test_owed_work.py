"""A membership mail owed while the queue was down is sent once the queue is back."""

import pytest
from django.core import mail

from bouwplaats.accounts import services
from tests.factories import OrganisationFactory, UserFactory
from tests.owed_work import queue_back, requeue

pytestmark = pytest.mark.django_db


def test_a_membership_request_mail_is_sent_once_after_the_queue_returns(
    queue_down, settings, caplog, django_capture_on_commit_callbacks
):
    staff = UserFactory(email="beheer@bouwplaats.nl", is_staff=True)
    user = UserFactory(email="sanne@voorbeeld.nl", full_name="Sanne de Vries")
    organisation = OrganisationFactory(name="Gemeente Deventer")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_request(user=user, organisation=organisation)
    assert "not queued" in caplog.text
    assert mail.outbox == []

    queue_back(settings)
    assert "Opnieuw in de wachtrij: 1 taak" in requeue()
    [message] = mail.outbox
    assert message.to == [staff.email]
    assert "Gemeente Deventer" in message.subject
    assert "Opnieuw in de wachtrij: 0 taken" in requeue()
    assert len(mail.outbox) == 1
