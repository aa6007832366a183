import json

import pytest
from allauth.account.models import EmailAddress

from bouwplaats.accounts.services import api_token_create, member_delete, member_export
from bouwplaats.core.models import AuditEntry
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_export_contains_profile_and_token_metadata(client, member):
    token, key = api_token_create(user=member, name="Planningssysteem")
    client.force_login(member)
    response = client.get("/profiel/gegevens.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == member.email
    assert data["profile"]["full_name"] == "Esther de Lange"
    assert data["profile"]["function"] == "Programmamanager Goedopweg"
    assert data["profile"]["organisation"]["name"] == member.organisation.name
    assert data["api_tokens"] == [
        {
            "name": "Planningssysteem",
            "key_prefix": token.key_prefix,
            "created_at": token.created_at.isoformat(),
            "last_used_at": None,
            "revoked_at": None,
        }
    ]
    assert key not in response.content.decode()
    assert token.key_hash not in response.content.decode()


def test_export_includes_other_apps_data(member, programme):
    MembershipFactory(programme=programme, user=member, role="trekker")
    data = member_export(user=member)
    assert data["programme_memberships"][0]["programme"] == "Beter Benutten"


def test_export_requires_login(client):
    response = client.get("/profiel/gegevens.json")
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_delete_removes_person_and_keeps_content_anonymised(member, programme):
    MembershipFactory(programme=programme, user=member)
    api_token_create(user=member, name="koppeling")
    entry = AuditEntry.objects.get(action="accounts.token.created")
    pk = member.pk

    member_delete(user=member)

    member.refresh_from_db()
    assert member.pk == pk
    assert member.full_name == "" and member.function == "" and member.organisation is None
    assert "esther" not in member.email.lower()
    assert not member.is_active and not member.has_usable_password()
    assert member.api_tokens.count() == 0
    assert EmailAddress.objects.filter(user=member).count() == 0
    assert programme.memberships.count() == 0
    entry.refresh_from_db()
    assert entry.actor == member
    assert str(entry.actor) == "verwijderd lid"


def test_delete_page_needs_typed_confirmation(client, member):
    client.force_login(member)
    response = client.post("/profiel/verwijderen/", {"confirm": "ja"})
    assert response.status_code == 200
    assert "Typ precies VERWIJDEREN" in response.content.decode()
    member.refresh_from_db()
    assert member.is_active

    response = client.post("/profiel/verwijderen/", {"confirm": "VERWIJDEREN"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_removed and not member.is_active
    assert "_auth_user_id" not in client.session


def test_deleted_member_cannot_log_in(client, member, password):
    email = member.email
    member_delete(user=member)
    response = client.post("/account/login/", {"login": email, "password": password})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_delete_touches_only_the_members_own_data_in_every_app(programme):
    """Deleting han@ leaves johan@ (whose address contains hers) exactly as he was."""
    from bouwplaats.events.models import Registration
    from bouwplaats.newsletters.models import NewsletterList, Subscription
    from tests.factories import RegistrationFactory, SessionFactory, UserFactory

    han = UserFactory(email="han@example.nl")
    johan = UserFactory(email="johan@example.nl")
    newsletter = NewsletterList.objects.create(
        programme=programme, name="Nieuwsflits", slug="nieuwsflits-avg"
    )
    for person in (han, johan):
        Subscription.objects.create(
            newsletter_list=newsletter, email=person.email, name="x", status="active"
        )
        MembershipFactory(programme=programme, user=person)
    session = SessionFactory(programme=programme)
    RegistrationFactory(session=session, member=han)
    RegistrationFactory(session=session, member=johan)

    member_delete(user=han)

    assert list(Subscription.objects.values_list("email", flat=True)) == ["johan@example.nl"]
    assert list(programme.memberships.values_list("user", flat=True)) == [johan.pk]
    assert list(Registration.objects.values_list("member", flat=True)) == [johan.pk]
    assert EmailAddress.objects.filter(user=johan).exists()
