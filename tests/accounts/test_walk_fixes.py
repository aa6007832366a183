"""Fresh-eyes walk of the memberships: the decision mail greets the member as the other mails
do, and the requests page does not say "Nog geen leden." to the organisation's administrator."""

import pytest
from django.core import mail

from bouwplaats.accounts import services
from bouwplaats.accounts.models import Organisation
from tests.factories import OrganisationFactory, PlannerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ede(db):
    return OrganisationFactory(name="Gemeente Ede", kind=Organisation.Kind.GEMEENTE)


@pytest.fixture
def ede_admin(ede):
    return PlannerFactory(
        full_name="Planner Ede", email="beheer@ede.nl", organisation=ede, membership_role="admin"
    )


def test_the_membership_decision_mail_greets_the_member(
    ede, ede_admin, django_capture_on_commit_callbacks
):
    member = UserFactory(organisation=None, full_name="Piet Jansen", email="piet@example.nl")
    membership = services.membership_request(user=member, organisation=ede)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decide(actor=ede_admin, membership=membership, status="approved")
    assert mail.outbox[-1].body.startswith("Beste Piet Jansen,\n\n")


def test_the_administrator_sees_themself_among_the_members(client, ede, ede_admin):
    client.force_login(ede_admin)
    page = client.get("/profiel/organisaties/verzoeken/").content.decode()
    assert "Nog geen leden." not in page
    assert 'data-own="1"' in page and "Planner Ede (u) — Gemeente Ede" in page
    # No form to revoke their own membership here.
    own = page.split('data-own="1"', 1)[1].split("</li>", 1)[0]
    assert "<form" not in own
