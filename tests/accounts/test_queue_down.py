"""With the task queue (Redis) unreachable, a membership request still stands."""

import pytest

from bouwplaats.accounts import services
from bouwplaats.accounts.models import OrganisationMembership
from tests.factories import OrganisationFactory, UserFactory


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
