import datetime

import pytest
from django.test import Client

from bouwplaats.accounts.models import ApiToken
from bouwplaats.accounts.services import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
)

pytestmark = pytest.mark.django_db


def test_no_token_acts_as_visitor(api, programme):
    assert api().get("/programmes").status_code == 200
    response = api().get("/me")
    assert response.status_code == 401
    assert "bezoeker" in response.json()["detail"]


def test_valid_token_identifies_the_member(api, member):
    response = api(member).get("/me")
    assert response.status_code == 200
    assert response.json()["email"] == member.email
    assert ApiToken.objects.get(user=member).last_used_at is not None


def test_last_use_is_written_at_most_once_a_minute(member, django_assert_num_queries):
    token, key = api_token_create(user=member, name="koppeling")
    assert api_token_authenticate(key) == member
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    # Within the minute: the lookup only, no write.
    with django_assert_num_queries(1):
        assert api_token_authenticate(key) == member
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    # A use more than a minute later is written again.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(seconds=61))
    with django_assert_num_queries(2):
        assert api_token_authenticate(key) == member
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


def test_token_of_an_inactive_member_or_revoked_token_finds_nobody(member):
    token, key = api_token_create(user=member, name="koppeling")
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert api_token_authenticate(key) is None
    member.is_active = True
    member.save(update_fields=["is_active"])
    assert api_token_authenticate(key) == member
    api_token_revoke(token=token, user=member)
    assert api_token_authenticate(key) is None
    assert api_token_authenticate(key + "x") is None


def test_bad_token_is_refused_with_json_401(programme):
    response = Client().get("/api/v1/programmes", headers={"Authorization": "Bearer bp_nope"})
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Ongeldige of ingetrokken API-sleutel."}


def test_malformed_header_is_refused(programme):
    response = Client().get("/api/v1/programmes", headers={"Authorization": "Token abc"})
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_revoked_token_is_refused(member):
    token, key = api_token_create(user=member, name="koppeling")
    headers = {"Authorization": f"Bearer {key}"}
    assert Client().get("/api/v1/me", headers=headers).status_code == 200
    api_token_revoke(token=token, user=member)
    response = Client().get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"] == "Ongeldige of ingetrokken API-sleutel."


def test_token_of_inactive_member_is_refused(member):
    _token, key = api_token_create(user=member, name="koppeling")
    member.is_active = False
    member.save()
    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 401


def test_token_is_stored_hashed(member):
    token, key = api_token_create(user=member, name="koppeling")
    assert key.startswith("bp_") and len(key) > 40
    assert key not in token.key_hash and token.key_prefix == key[:10]
    assert token.key_hash == ApiToken.hash_key(key)


def test_only_the_owner_may_revoke(member, other_member):
    from bouwplaats.core.errors import DomainError

    token, _key = api_token_create(user=member, name="koppeling")
    with pytest.raises(DomainError):
        api_token_revoke(token=token, user=other_member)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_page_refuses_another_members_token(client, member, other_member):
    token, _key = api_token_create(user=member, name="koppeling")
    client.force_login(other_member)
    response = client.post(f"/profiel/sleutels/{token.pk}/intrekken/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_validation_errors_are_json_4xx(api, member):
    response = api(member).get("/programmes", {"limit": "veel"})
    assert response.status_code == 422
    assert "detail" in response.json()


def test_openapi_document_and_docs(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/programmes" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.parametrize("path", ["/programmes", "/sessions", "/works", "/newsletters/lists"])
def test_offset_beyond_any_list_is_refused_not_a_server_error(api, path):
    response = api().get(path, {"offset": 2**63})
    assert response.status_code == 422
    assert "detail" in response.json()
