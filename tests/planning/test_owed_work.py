"""A combination request's mails owed while the queue was down are sent once it is back."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from bouwplaats.planning import services
from tests.owed_work import queue_back, requeue

pytestmark = pytest.mark.django_db


def test_a_combination_request_is_mailed_once_after_the_queue_returns(
    ede_planner, liander_planner, ede_work, liander_work, queue_down, settings, caplog,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.combination_request_send(
            actor=ede_planner,
            from_work=ede_work,
            to_work=liander_work,
            deadline=timezone.localdate() + datetime.timedelta(days=14),
        )
    assert "not queued" in caplog.text
    assert mail.outbox == []

    queue_back(settings)
    assert "Opnieuw in de wachtrij: 1 taak" in requeue()
    assert sorted(tuple(m.to) for m in mail.outbox) == sorted(
        [(liander_planner.email,), (ede_planner.email,)]
    )
    assert "Opnieuw in de wachtrij: 0 taken" in requeue()
    assert len(mail.outbox) == 2
