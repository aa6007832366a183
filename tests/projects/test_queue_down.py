"""With the task queue (Redis) unreachable, a call's steps and support requests still stand."""

from bouwplaats.projects import services
from bouwplaats.projects.models import SupportRequest


def test_a_support_request_is_stored_and_the_failed_enqueue_is_logged(
    pilot, planner, queue_down, caplog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        support = services.support_request_create(
            actor=planner, pilot=pilot, kind="advies", question="Hoe richten wij het bouwteam in?"
        )
    assert callbacks, "the mail task is queued after commit"
    assert SupportRequest.objects.filter(pk=support.pk).exists()
    assert "not queued" in caplog.text
