"""With the task queue (Redis) unreachable, a call's steps and support requests still stand."""

import socket

import pytest

from bouwplaats.projects import services
from bouwplaats.projects.models import SupportRequest


@pytest.fixture
def queue_down(settings):
    """Queue tasks on RQ at a loopback port where nothing listens (Redis stopped)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    settings.RQ_QUEUES = {"default": {"URL": f"redis://127.0.0.1:{port}/1"}}


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
