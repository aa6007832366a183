"""Organisation membership is verified (issue 11 §1): what a member types is a claim.

A membership is requested, then approved by one of the organisation's administrators or by
staff, or approved at once when a verified address is on a verified domain; refused and
revoked memberships give no rights. Mails go to both sides, after commit.
"""

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.core import mail
from django.urls import reverse

from bouwplaats.accounts import permissions, services
from bouwplaats.accounts.models import Organisation, OrganisationDomain, OrganisationMembership
from bouwplaats.core.errors import InvalidInput, NotAllowed
from tests.factories import OrganisationFactory, PlannerFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = OrganisationMembership.Status


@pytest.fixture
def ede(db):
    return OrganisationFactory(name="Gemeente Ede", kind=Organisation.Kind.GEMEENTE)


@pytest.fixture
def liander(db):
    return OrganisationFactory(name="Liander", kind=Organisation.Kind.NETBEHEERDER)


@pytest.fixture
def ede_admin(ede):
    return PlannerFactory(email="beheer@ede.nl", organisation=ede, membership_role="admin")


@pytest.fixture
def staff(db):
    return UserFactory(email="staf@bouwplaats.nl", organisation=None, is_staff=True)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the code queues for after commit (the mails) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def fresh(user):
    return type(user).objects.get(pk=user.pk)


# The profile and sign-up: a typed name is a claim and a request --------------------------------


def test_typing_an_existing_organisation_asks_for_membership_and_gives_no_rights(
    ede, ede_admin, committed
):
    member = UserFactory(organisation=None, email="iemand@gmail.com")
    mail.outbox.clear()
    with committed():
        services.profile_update(
            user=member, full_name="Iemand", function="", organisation_name="gemeente ede"
        )
    member = fresh(member)
    # The claim points at the known organisation (ignoring case): no look-alike is made.
    assert (
        member.organisation == ede
        and Organisation.objects.filter(name__iexact="gemeente ede").count() == 1
    )
    membership = OrganisationMembership.objects.get(user=member)
    assert membership.organisation == ede and membership.status == Status.REQUESTED
    assert not permissions.is_verified_member(member, ede)
    assert not permissions.verified_organisations(member).exists()
    # The organisation's administrator hears about it, and only they.
    [message] = mail.outbox
    assert message.to == ["beheer@ede.nl"] and "Iemand" in message.body
    assert reverse("accounts:membership_queue") in message.body


def test_saving_the_profile_again_makes_no_second_request(ede, ede_admin):
    member = UserFactory(organisation=None)
    for _ in range(2):
        services.profile_update(
            user=member, full_name="Iemand", function="", organisation_name="Gemeente Ede"
        )
    assert OrganisationMembership.objects.filter(user=member).count() == 1


def test_a_new_name_makes_an_unchecked_organisation_and_a_request_for_staff(staff, committed):
    member = UserFactory(organisation=None)
    mail.outbox.clear()
    with committed():
        services.profile_update(
            user=member, full_name="Iemand", function="", organisation_name="Buurtvereniging Oost"
        )
    org = Organisation.objects.get(name="Buurtvereniging Oost")
    assert not org.verified
    membership = OrganisationMembership.objects.get(user=member, organisation=org)
    assert membership.status == Status.REQUESTED
    # No administrators yet: platform staff decide.
    assert [m.to for m in mail.outbox] == [["staf@bouwplaats.nl"]]
    # An unchecked organisation is not listed as a real one.
    assert org not in permissions.organisations_visible_to(member)
    assert org in permissions.organisations_visible_to(staff)


def test_sign_up_with_an_organisation_requests_membership(client, ede, ede_admin):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "nieuw@example.nl",
            "full_name": "Nieuw Lid",
            "function": "",
            "organisation": "Gemeente Ede",
            "password1": "Koffertje-na-2017!",
            "password2": "Koffertje-na-2017!",
        },
    )
    assert response.status_code == 302
    membership = OrganisationMembership.objects.get(user__email="nieuw@example.nl")
    assert membership.organisation == ede and membership.status == Status.REQUESTED


# Verified domains ---------------------------------------------------------------------------


def test_a_verified_address_on_a_verified_domain_is_approved_at_once(ede, committed):
    OrganisationDomain.objects.create(organisation=ede, domain="Ede.NL", verified=True)
    member = UserFactory(email="jan@ede.nl", organisation=None)
    mail.outbox.clear()
    with committed():
        membership = services.membership_request(user=member, organisation=ede)
    assert membership.status == Status.APPROVED and membership.via_domain
    assert permissions.is_verified_member(fresh(member), ede)
    [message] = mail.outbox
    assert message.to == ["jan@ede.nl"] and "vanzelf" in message.body


@pytest.mark.parametrize(
    ("email", "domain_verified", "address_verified"),
    [
        ("jan@ede.nl", False, True),  # the domain is not checked by staff
        ("jan@ede.nl", True, False),  # the address is not confirmed
        ("jan@ede.nl.example.com", True, True),  # a look-alike domain
        ("jan@notede.nl", True, True),
        ("jan@sub.ede.nl", True, True),  # only the whole domain counts
    ],
)
def test_no_approval_without_a_verified_address_on_a_verified_domain(
    ede, email, domain_verified, address_verified
):
    OrganisationDomain.objects.create(organisation=ede, domain="ede.nl", verified=domain_verified)
    member = UserFactory(email=email, organisation=None)
    EmailAddress.objects.filter(user=member).update(verified=address_verified)
    assert services.membership_request(user=member, organisation=ede).status == Status.REQUESTED


def test_confirming_an_address_completes_an_open_request(ede):
    OrganisationDomain.objects.create(organisation=ede, domain="ede.nl", verified=True)
    member = UserFactory(email="jan@gmail.com", organisation=None)
    services.membership_request(user=member, organisation=ede)
    address = EmailAddress.objects.create(user=member, email="jan@ede.nl", verified=True)
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    membership = OrganisationMembership.objects.get(user=member)
    assert membership.status == Status.APPROVED and membership.via_domain


def test_a_domain_of_another_organisation_approves_nothing(ede, liander):
    OrganisationDomain.objects.create(organisation=liander, domain="liander.nl", verified=True)
    member = UserFactory(email="jan@liander.nl", organisation=None)
    assert services.membership_request(user=member, organisation=ede).status == Status.REQUESTED


# Decisions ----------------------------------------------------------------------------------


def _requested(ede, **kwargs):
    member = UserFactory(organisation=None, **kwargs)
    return services.membership_request(user=member, organisation=ede)


def test_admin_approves_refuses_and_revokes_with_mails(ede, ede_admin, committed):
    membership = _requested(ede, email="piet@example.nl")
    mail.outbox.clear()
    with committed():
        services.membership_decide(actor=ede_admin, membership=membership, status="approved")
    membership.refresh_from_db()
    assert membership.status == Status.APPROVED and membership.decided_by == ede_admin
    assert permissions.is_verified_member(fresh(membership.user), ede)
    assert mail.outbox[-1].to == ["piet@example.nl"] and "geverifieerd lid" in mail.outbox[-1].body

    with pytest.raises(InvalidInput) as error:
        services.membership_decide(actor=ede_admin, membership=membership, status="revoked")
    assert error.value.code == "reason"
    with committed():
        services.membership_decide(
            actor=ede_admin, membership=membership, status="revoked", reason="Uit dienst."
        )
    membership.refresh_from_db()
    assert membership.status == Status.REVOKED
    assert not permissions.is_verified_member(fresh(membership.user), ede)
    assert "ingetrokken" in mail.outbox[-1].body and "Uit dienst." in mail.outbox[-1].body

    other = _requested(ede, email="klaas@example.nl")
    with committed():
        services.membership_decide(
            actor=ede_admin, membership=other, status="refused", reason="Onbekend bij ons."
        )
    other.refresh_from_db()
    assert other.status == Status.REFUSED
    assert (
        mail.outbox[-1].to == ["klaas@example.nl"] and "Onbekend bij ons." in mail.outbox[-1].body
    )
    # A refused member may ask again; the request reopens, rights stay away.
    again = services.membership_request(user=other.user, organisation=ede)
    assert again.pk == other.pk and again.status == Status.REQUESTED


def test_who_may_decide(ede, liander, ede_admin, staff):
    membership = _requested(ede)
    plain_ede = PlannerFactory(organisation=ede)  # a member, not an administrator
    liander_admin = PlannerFactory(organisation=liander, membership_role="admin")
    for outsider in (plain_ede, liander_admin, membership.user, UserFactory(organisation=ede)):
        assert not permissions.can_decide_membership(outsider, membership)
        assert not permissions.memberships_decidable_by(outsider).filter(pk=membership.pk).exists()
        with pytest.raises(NotAllowed):
            services.membership_decide(actor=outsider, membership=membership, status="approved")
    for decider in (ede_admin, staff):
        assert permissions.can_decide_membership(decider, membership)
        assert permissions.memberships_decidable_by(decider).filter(pk=membership.pk).exists()
    # An administrator does not decide about themselves.
    own = ede_admin.memberships.get()
    assert not permissions.can_decide_membership(ede_admin, own)
    services.membership_decide(actor=staff, membership=membership, status="approved")


@pytest.mark.parametrize(
    ("start", "decision"),
    [
        ("requested", "revoked"),
        ("approved", "approved"),
        ("approved", "refused"),
        ("revoked", "refused"),
        ("requested", "requested"),
    ],
)
def test_impossible_transitions_are_refused(ede, ede_admin, start, decision):
    membership = _requested(ede)
    OrganisationMembership.objects.filter(pk=membership.pk).update(status=start)
    with pytest.raises(InvalidInput) as error:
        services.membership_decide(
            actor=ede_admin, membership=membership, status=decision, reason="Reden."
        )
    assert error.value.code == "status"
    membership.refresh_from_db()
    assert membership.status == start


def test_removed_and_inactive_members_act_for_nobody(ede):
    member = PlannerFactory(organisation=ede)
    assert permissions.is_verified_member(fresh(member), ede)
    inactive = fresh(member)
    inactive.is_active = False
    assert not permissions.is_verified_member(inactive, ede)
    assert not permissions.verified_organisations(inactive).exists()
    removed = fresh(member)
    removed.is_removed = True
    assert not permissions.is_verified_member(removed, ede)


# Pages --------------------------------------------------------------------------------------


def test_membership_page_requests_and_lists(client, ede, ede_admin):
    member = UserFactory(organisation=None)
    client.force_login(member)
    page = client.get(reverse("accounts:memberships"))
    assert page.status_code == 200 and "Gemeente Ede" in page.content.decode()
    empty = client.post(reverse("accounts:memberships"), {"organisation": ""})
    assert "Kies de organisatie waarvoor u wilt werken." in empty.content.decode()
    response = client.post(reverse("accounts:memberships"), {"organisation": ede.pk}, follow=True)
    assert "Uw verzoek is verstuurd" in response.content.decode()
    assert OrganisationMembership.objects.get(user=member).status == Status.REQUESTED
    # An unchecked organisation cannot be picked.
    hidden = OrganisationFactory(name="Nep BV", verified=False)
    refused = client.post(reverse("accounts:memberships"), {"organisation": hidden.pk})
    assert refused.context["form"].errors["organisation"]
    assert not OrganisationMembership.objects.filter(organisation=hidden).exists()


def test_queue_page_is_for_administrators_and_decides(client, ede, ede_admin, committed):
    membership = _requested(ede, email="piet@example.nl")
    client.force_login(UserFactory(organisation=ede))
    assert client.get(reverse("accounts:membership_queue")).status_code == 403
    url = reverse("accounts:membership_decide", args=[membership.pk])
    assert client.post(url, {"status": "approved"}).status_code == 404

    client.force_login(ede_admin)
    queue = client.get(reverse("accounts:membership_queue"))
    assert queue.status_code == 200 and "piet@example.nl" in queue.content.decode()
    refused = client.post(url, {"status": "refused", "reason": ""})
    assert refused.status_code == 422
    assert refused.context["form"].errors["reason"] == ["Geef een reden op; het lid leest die."]
    membership.refresh_from_db()
    assert membership.status == Status.REQUESTED
    mail.outbox.clear()
    with committed():
        assert client.post(url, {"status": "approved"}).status_code == 302
    membership.refresh_from_db()
    assert membership.status == Status.APPROVED
    assert [m.to for m in mail.outbox] == [["piet@example.nl"]]
    assert client.post(url, {"status": "revoked", "reason": "Vertrokken."}).status_code == 302
    membership.refresh_from_db()
    assert membership.status == Status.REVOKED and membership.reason == "Vertrokken."


def test_profile_page_says_the_organisation_is_a_claim(client, ede):
    member = UserFactory(organisation=None)
    client.force_login(member)
    response = client.post(
        reverse("accounts:profile"),
        {
            "full_name": "Iemand",
            "function": "",
            "organisation": "Gemeente Ede",
            "organisation_kind": "gemeente",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Uw profiel is opgeslagen." in page and "Aangevraagd" in page
    assert not permissions.is_verified_member(fresh(member), ede)


# API ----------------------------------------------------------------------------------------


def test_api_lists_checked_organisations(api, ede):
    ede.contact = "14 0318"
    ede.save()
    OrganisationFactory(name="Nep BV", verified=False)
    body = api().get("/organisations").json()
    assert body == [
        {"id": ede.pk, "name": "Gemeente Ede", "kind": "gemeente", "contact": "14 0318"}
    ]
    assert api().get(f"/organisations/{ede.pk}").json()["name"] == "Gemeente Ede"
    hidden = Organisation.objects.get(name="Nep BV")
    assert api().get(f"/organisations/{hidden.pk}").status_code == 404
    assert api().get("/organisations/٣").status_code == 422


def test_api_membership_request(api, ede):
    assert api().post(f"/organisations/{ede.pk}/memberships").status_code == 401
    member = UserFactory(email="jan@gmail.com", organisation=None)
    response = api(member).post(f"/organisations/{ede.pk}/memberships")
    assert response.status_code == 201
    membership = OrganisationMembership.objects.get(user=member)
    assert response.json() == {"id": membership.pk, "status": "requested"}
    assert api(member).post("/organisations/999999/memberships").status_code == 404

    OrganisationDomain.objects.create(organisation=ede, domain="ede.nl", verified=True)
    insider = UserFactory(email="els@ede.nl", organisation=None)
    answer = api(insider).post(f"/organisations/{ede.pk}/memberships").json()
    assert answer["status"] == "approved"


def test_api_membership_list_and_decide(api, ede, ede_admin, staff, liander):
    membership = _requested(ede, email="piet@example.nl")
    member_api = api(membership.user)
    assert member_api.get(f"/organisations/{ede.pk}/memberships").status_code == 403
    assert api().get(f"/organisations/{ede.pk}/memberships").status_code == 401
    liander_admin = PlannerFactory(organisation=liander, membership_role="admin")
    assert api(liander_admin).get(f"/organisations/{ede.pk}/memberships").status_code == 403

    rows = api(ede_admin).get(f"/organisations/{ede.pk}/memberships").json()
    assert {r["email"] for r in rows} == {"beheer@ede.nl", "piet@example.nl"}
    assert api(staff).get(f"/organisations/{ede.pk}/memberships").status_code == 200

    url = f"/memberships/{membership.pk}"
    # The member sees their own membership but may not approve it; strangers get 404.
    assert member_api.patch(url, {"status": "approved"}).status_code == 403
    assert api(liander_admin).patch(url, {"status": "approved"}).status_code == 404
    bad = api(ede_admin).patch(url, {"status": "requested"})
    assert bad.status_code == 422 and bad.json()["code"] == "status"
    no_reason = api(ede_admin).patch(url, {"status": "refused"})
    assert no_reason.status_code == 422 and no_reason.json()["code"] == "reason"
    ok = api(ede_admin).patch(url, {"status": "approved"})
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    revoked = api(staff).patch(url, {"status": "revoked", "reason": "Uit dienst."})
    assert revoked.json()["status"] == "revoked" and revoked.json()["reason"] == "Uit dienst."
    assert api(ede_admin).patch("/memberships/٣", {"status": "approved"}).status_code == 422


# The same bad values refused by page and API, with the field named, nothing stored ----------

BAD_REASONS = [
    ("x" * 2001, "reason"),
    ("Weg\x00ermee", "reason"),
    ("Weg\x1bermee", "reason"),
]


@pytest.mark.parametrize(("reason", "field"), BAD_REASONS)
def test_page_and_api_refuse_the_same_reasons(client, api, ede, ede_admin, reason, field):
    membership = _requested(ede)
    client.force_login(ede_admin)
    page = client.post(
        reverse("accounts:membership_decide", args=[membership.pk]),
        {"status": "refused", "reason": reason},
    )
    assert page.status_code in (200, 422) and page.context["form"].errors[field]
    response = api(ede_admin).patch(
        f"/memberships/{membership.pk}", {"status": "refused", "reason": reason}
    )
    assert response.status_code == 422 and field in response.json()["errors"]
    membership.refresh_from_db()
    assert membership.status == Status.REQUESTED and membership.reason == ""


# AVG ----------------------------------------------------------------------------------------


def test_export_and_delete_cover_memberships(ede):
    member = PlannerFactory(organisation=ede)
    data = services.member_export(user=member)
    assert data["organisation_memberships"][0]["organisation"] == "Gemeente Ede"
    services.member_delete(user=member)
    assert not OrganisationMembership.objects.filter(user=member).exists()


# The pairs agree: object checks and querysets, for every membership state -------------------


@pytest.mark.parametrize(
    ("status", "role", "member", "admin"),
    [
        (None, None, False, False),
        ("requested", "member", False, False),
        ("requested", "admin", False, False),
        ("approved", "member", True, False),
        ("approved", "admin", True, True),
        ("refused", "admin", False, False),
        ("revoked", "admin", False, False),
    ],
)
def test_membership_rules_and_querysets_agree(ede, status, role, member, admin):
    user = UserFactory(organisation=ede)
    if status:
        OrganisationMembership.objects.create(user=user, organisation=ede, status=status, role=role)
    user = fresh(user)
    assert permissions.is_verified_member(user, ede) is member
    assert permissions.verified_organisations(user).filter(pk=ede.pk).exists() is member
    assert (ede.pk in permissions.verified_organisation_ids(user)) is member
    assert permissions.verified_members(ede).filter(pk=user.pk).exists() is member
    assert permissions.is_organisation_admin(user, ede) is admin
    assert permissions.can_manage_members(user, ede) is admin
    assert permissions.managed_organisations(user).filter(pk=ede.pk).exists() is admin
    # The stated organisation alone never counts.
    assert user.organisation == ede


# The organisation's page: public contact and mail domains ------------------------------------


def test_organisation_page_for_administrators(client, ede, ede_admin, staff):
    url = reverse("accounts:organisation", args=[ede.pk])
    client.force_login(PlannerFactory(organisation=ede))  # a member, not an administrator
    assert client.get(url).status_code == 404
    client.force_login(ede_admin)
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "contact", "contact": "14 0318"}).status_code == 302
    ede.refresh_from_db()
    assert ede.contact == "14 0318"
    bad = client.post(url, {"action": "contact", "contact": "twee\nregels"})
    assert bad.status_code == 422 and bad.context["contact_form"].errors["contact"]
    # An administrator proposes a domain; it approves nobody until staff check it.
    assert client.post(url, {"action": "domain", "domain": "@Ede.nl"}).status_code == 302
    domain = OrganisationDomain.objects.get()
    assert (domain.domain, domain.verified) == ("ede.nl", False)
    member = UserFactory(email="kees@ede.nl", organisation=None)
    assert services.membership_request(user=member, organisation=ede).status == Status.REQUESTED
    for wrong in ("gmail", "ede.nl/x", "ede .nl", "ede.nl"):
        refused = client.post(url, {"action": "domain", "domain": wrong})
        assert refused.status_code == 422 and refused.context["domain_form"].errors["domain"]
    assert OrganisationDomain.objects.count() == 1
    # Staff add checked domains.
    added = services.organisation_domain_add(
        actor=staff, organisation=ede, domain="gemeente-ede.nl"
    )
    assert added.verified
    remove = reverse("accounts:organisation_domain_remove", args=[domain.pk])
    client.force_login(UserFactory(organisation=ede))
    assert client.post(remove).status_code == 404
    client.force_login(ede_admin)
    assert client.post(remove).status_code == 302
    assert not OrganisationDomain.objects.filter(pk=domain.pk).exists()
