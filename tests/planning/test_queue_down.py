"""With the task queue (Redis) unreachable, a combination request still stands."""

import datetime

import pytest
from django.utils import timezone

from bouwplaats.planning import services
from bouwplaats.planning.models import CombinationRequest

pytestmark = pytest.mark.django_db


def test_a_combination_request_is_stored_and_the_failed_enqueue_is_logged(
    ede_planner, ede_work, liander_work, queue_down, caplog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        req = services.combination_request_send(
            actor=ede_planner,
            from_work=ede_work,
            to_work=liander_work,
            deadline=timezone.localdate() + datetime.timedelta(days=14),
        )
    assert callbacks, "the mail and reminder tasks are queued after commit"
    assert CombinationRequest.objects.filter(pk=req.pk).exists()
    assert "not queued" in caplog.text
