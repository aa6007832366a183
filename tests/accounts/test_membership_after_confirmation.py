"""A membership request reaches the organisation's administrators only once the member's
e-mail address is confirmed: a sign-up with an organisation mails nobody but the new member
until they confirm; a member with a confirmed address is announced at once."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.core import mail
from django.urls import reverse

from bouwplaats.accounts import services
from bouwplaats.accounts.models import Organisation, OrganisationMembership
from tests.factories import PASSWORD, OrganisationFactory, PlannerFactory, UserFactory

pytestmark = pytest.mark.django_db

SUBJECT = "Verzoek om lid te worden van Gemeente Ede"


@pytest.fixture
def ede(db):
    return OrganisationFactory(name="Gemeente Ede", kind=Organisation.Kind.GEMEENTE)


@pytest.fixture
def ede_admin(ede):
    return PlannerFactory(email="beheer@ede.nl", organisation=ede, membership_role="admin")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the code queues for after commit (the mails) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _requests_to_admin():
    return [m for m in mail.outbox if m.to == ["beheer@ede.nl"] and m.subject.endswith(SUBJECT)]


def test_sign_up_mails_the_administrators_only_after_confirmation(
    client, ede, ede_admin, committed
):
    mail.outbox.clear()
    with committed():
        response = client.post(
            reverse("account_signup"),
            {
                "email": "nieuw@example.nl",
                "full_name": "Nieuw Lid",
                "function": "",
                "organisation": "Gemeente Ede",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    assert response.status_code == 302
    membership = OrganisationMembership.objects.get(user__email="nieuw@example.nl")
    assert membership.status == OrganisationMembership.Status.REQUESTED
    # Only the confirmation mail went out, to the new member.
    assert [m.to for m in mail.outbox] == [["nieuw@example.nl"]]
    link = re.search(r"https?://[^/\s]+(/account/confirm-email/[^\s]+)", mail.outbox[0].body)
    with committed():
        assert client.post(link.group(1)).status_code == 302
    [request] = _requests_to_admin()
    assert "Nieuw Lid" in request.body and "nieuw@example.nl" in request.body


def test_a_request_by_an_unconfirmed_member_waits_for_the_confirmation(ede, ede_admin, committed):
    member = UserFactory(email="iemand@gmail.com", organisation=None)
    EmailAddress.objects.filter(user=member).update(verified=False)
    mail.outbox.clear()
    with committed():
        services.membership_request(user=member, organisation=ede)
    assert _requests_to_admin() == []
    address = EmailAddress.objects.get(user=member)
    address.verified = True
    address.save()
    with committed():
        email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    assert len(_requests_to_admin()) == 1
    # A second confirmed address announces nothing again.
    second = EmailAddress.objects.create(user=member, email="iemand@werk.nl", verified=True)
    with committed():
        email_confirmed.send(sender=EmailAddress, request=None, email_address=second)
    assert len(_requests_to_admin()) == 1


def test_a_confirmed_member_is_announced_at_once(ede, ede_admin, committed):
    member = UserFactory(email="iemand@gmail.com", organisation=None)
    mail.outbox.clear()
    with committed():
        services.membership_request(user=member, organisation=ede)
    assert len(_requests_to_admin()) == 1


def test_confirming_announces_nothing_that_was_decided(ede, ede_admin, committed):
    member = UserFactory(email="iemand@gmail.com", organisation=None)
    EmailAddress.objects.filter(user=member).update(verified=False)
    membership = services.membership_request(user=member, organisation=ede)
    services.membership_decide(
        actor=ede_admin, membership=membership, status="refused", reason="Onbekend bij ons."
    )
    address = EmailAddress.objects.get(user=member)
    address.verified = True
    address.save()
    mail.outbox.clear()
    with committed():
        email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    assert _requests_to_admin() == []
