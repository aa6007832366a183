"""With the task queue (Redis) unreachable, a membership request still stands."""

import socket

import pytest

from bouwplaats.accounts import services
from bouwplaats.accounts.models import OrganisationMembership
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def queue_down(settings):
    """Queue tasks on RQ at a loopback port where nothing listens (Redis stopped)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    settings.RQ_QUEUES = {"default": {"URL": f"redis://127.0.0.1:{port}/1"}}


@pytest.mark.django_db
def test_a_membership_request_is_stored_and_the_failed_enqueue_is_logged(
    queue_down, caplog, django_capture_on_commit_callbacks
):
    user = UserFactory(email="sanne@voorbeeld.nl")
    organisation = OrganisationFactory(name="Gemeente Deventer")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        membership = services.membership_request(user=user, organisation=organisation)
    assert callbacks, "the mail task is queued after commit"
    assert OrganisationMembership.objects.filter(pk=membership.pk).exists()
    assert "not queued" in caplog.text
