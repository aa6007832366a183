"""A member leaves an organisation themselves ("Organisatie verlaten"), after the confirm page:
only their own open or approved membership, recorded in the audit log; the organisation's last
administrator is refused with a Dutch message and nothing is stored."""

import pytest
from django.urls import reverse

from bouwplaats.accounts import permissions, services
from bouwplaats.accounts.models import Organisation, OrganisationMembership
from bouwplaats.core.errors import DomainError, NotAllowed
from bouwplaats.core.models import AuditEntry
from tests.factories import OrganisationFactory, PlannerFactory, UserFactory

pytestmark = pytest.mark.django_db

Status, Role = OrganisationMembership.Status, OrganisationMembership.Role
LAST_ADMIN = "U bent de enige beheerder van Gemeente Ede"


@pytest.fixture
def ede(db):
    return OrganisationFactory(name="Gemeente Ede", kind=Organisation.Kind.GEMEENTE)


@pytest.fixture
def admin(ede):
    return PlannerFactory(full_name="Beheer Ede", email="beheer@ede.nl", organisation=ede,
                          membership_role="admin")  # fmt: skip


@pytest.fixture
def member(ede, admin):
    return PlannerFactory(full_name="Sanne Visser", email="sanne@ede.nl", organisation=ede)


def leave_url(organisation) -> str:
    return reverse("accounts:membership_leave", kwargs={"pk": organisation.pk})


def test_a_member_leaves_after_the_confirm_page(client, ede, member):
    client.force_login(member)
    page = client.get(reverse("accounts:memberships")).content.decode()
    assert f'href="{leave_url(ede)}"' in page and "Organisatie verlaten" in page
    confirm = client.get(leave_url(ede)).content.decode()
    assert "Gemeente Ede verlaten?" in confirm and "Ja, verlaat de organisatie" in confirm
    assert (
        "geen werken invoeren" in confirm
        and "Uw profiel noemt Gemeente Ede dan niet meer." in confirm
    )
    # A POST without the confirmation (a stale page, another site's form) changes nothing.
    client.post(leave_url(ede))
    assert OrganisationMembership.objects.filter(user=member).exists()
    html = client.post(leave_url(ede), {"bevestigd": "1"}, follow=True).content.decode()
    assert "U bent geen lid meer van Gemeente Ede." in html
    assert "U bent nog geen lid van een organisatie." in html
    member.refresh_from_db()
    assert member.organisation is None and not permissions.is_verified_member(member, ede.pk)
    entry = AuditEntry.objects.get(action="accounts.membership.left")
    assert entry.actor == member and entry.data == {"organisation": ede.pk, "status": "approved",
                                                    "role": "member"}  # fmt: skip


def test_the_last_administrator_is_refused_and_nothing_is_stored(client, ede, admin, member):
    client.force_login(admin)
    confirm = client.get(leave_url(ede)).content.decode()
    assert "U beheert de leden van Gemeente Ede dan niet meer." in confirm
    html = client.post(leave_url(ede), {"bevestigd": "1"}, follow=True).content.decode()
    assert LAST_ADMIN in html and "Vraag het platformbeheer" in html
    membership = OrganisationMembership.objects.get(user=admin)
    assert (membership.status, membership.role) == (Status.APPROVED, Role.ADMIN)
    admin.refresh_from_db()
    assert admin.organisation == ede
    assert not AuditEntry.objects.filter(action="accounts.membership.left").exists()
    with pytest.raises(DomainError) as error:
        services.membership_leave(user=admin, organisation=ede)
    assert error.value.status_code == 409 and error.value.code == "organisation"
    assert str(error.value.message).startswith(LAST_ADMIN)


def test_an_administrator_leaves_when_another_remains(ede, admin, member):
    OrganisationMembership.objects.filter(user=member).update(role=Role.ADMIN)
    services.membership_leave(user=admin, organisation=ede)
    assert list(OrganisationMembership.objects.values_list("user", flat=True)) == [member.pk]
    # The one who remains is now the last administrator.
    with pytest.raises(DomainError):
        services.membership_leave(user=member, organisation=ede)


def test_a_request_is_withdrawn_the_same_way(client, ede, admin):
    applicant = UserFactory(full_name="Piet", organisation=None)
    OrganisationMembership.objects.create(user=applicant, organisation=ede)
    client.force_login(applicant)
    assert (
        "U trekt uw verzoek om lid te worden van Gemeente Ede in."
        in client.get(leave_url(ede)).content.decode()
    )
    client.post(leave_url(ede), {"bevestigd": "1"})
    assert not OrganisationMembership.objects.filter(user=applicant).exists()


@pytest.mark.parametrize("status", [Status.REFUSED, Status.REVOKED])
def test_refused_or_revoked_memberships_have_nothing_to_leave(client, ede, admin, status):
    someone = UserFactory(organisation=None)
    OrganisationMembership.objects.create(user=someone, organisation=ede, status=status)
    client.force_login(someone)
    assert (
        "Organisatie verlaten" not in client.get(reverse("accounts:memberships")).content.decode()
    )
    assert client.get(leave_url(ede)).status_code == 404
    assert client.post(leave_url(ede), {"bevestigd": "1"}).status_code == 404
    with pytest.raises(NotAllowed):
        services.membership_leave(user=someone, organisation=ede)
    assert OrganisationMembership.objects.get(user=someone).status == status


def test_access(client, ede, admin, member):
    # A visitor is sent to log in; someone else (even the organisation's administrator) cannot
    # end another's membership: there is no such page for them.
    assert client.get(leave_url(ede)).status_code == 302
    assert client.post(leave_url(ede), {"bevestigd": "1"}).status_code == 302
    outsider = PlannerFactory(organisation=OrganisationFactory(name="Liander"))
    for user in (outsider, UserFactory(is_staff=True, organisation=None)):
        client.force_login(user)
        assert client.get(leave_url(ede)).status_code == 404
        assert client.post(leave_url(ede), {"bevestigd": "1"}).status_code == 404
    assert (
        client.get(reverse("accounts:membership_leave", kwargs={"pk": 999999})).status_code == 404
    )
    with pytest.raises(NotAllowed):
        services.membership_leave(user=outsider, organisation=ede)
    assert OrganisationMembership.objects.filter(organisation=ede).count() == 2
    assert not AuditEntry.objects.filter(action="accounts.membership.left").exists()
