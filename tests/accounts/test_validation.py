"""The profile and token pages and the services refuse the same bad values, name the same
field and store nothing.

Accounts have no writing API: the API's only account path is ``/me``. So each row goes through
the page and through the service that every other caller (sign-up, management command) uses.
"""

import re

import pytest

from bouwplaats.accounts import services
from bouwplaats.accounts.models import ApiToken, Organisation, User
from bouwplaats.core.errors import InvalidInput, NotAllowed

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def page_fields(html: str) -> set[str]:
    """Return the form fields the page shows an error beside."""
    return set(re.findall(r'id="id_([\w-]+?)_errors?"', html))


PROFILE = {
    "full_name": "Esther de Lange",
    "function": "Programmamanager",
    "organisation": "Gemeente Utrecht",
    "organisation_kind": "gemeente",
}
# field on the page, bad value
PROFILE_CASES = [
    ("full_name", "x" * 151),
    ("full_name", "Esther\nde Lange"),
    ("full_name", "Esther\r\nBcc: iedereen@example.nl"),
    ("full_name", "Esther\x00"),
    ("full_name", "Esther\x07"),
    ("function", "x" * 151),
    ("function", "Trekker\tDGMo"),
    ("organisation", "x" * 201),
    ("organisation", "Gemeente\nUtrecht"),
    ("organisation_kind", "sekte"),
]


def _service_profile(user, data):
    services.profile_update(
        user=user,
        full_name=data["full_name"],
        function=data["function"],
        organisation_name=data["organisation"],
        organisation_kind=data["organisation_kind"],
    )


@pytest.mark.parametrize(("field", "value"), PROFILE_CASES)
def test_profile_page_and_service_refuse_the_same(client, member, field, value):
    before = (member.full_name, member.function, member.organisation_id)
    organisations = Organisation.objects.count()
    data = {**PROFILE, field: value}
    client.force_login(member)
    page = client.post("/profiel/", data)
    assert page.status_code == 200
    assert page_fields(page.content.decode()) == {field}
    with pytest.raises(InvalidInput) as error:
        _service_profile(member, data)
    assert list(error.value.errors) == [field]
    # Nothing stored, and the member in memory is left as it was.
    assert (member.full_name, member.function, member.organisation_id) == before
    member.refresh_from_db()
    assert (member.full_name, member.function, member.organisation_id) == before
    assert Organisation.objects.count() == organisations


def test_a_line_break_in_a_name_is_refused_at_sign_up(client):
    response = client.post(
        "/account/signup/",
        {
            "email": "nieuw@example.nl",
            "password1": "Een-lang-wachtwoord-2026",
            "password2": "Een-lang-wachtwoord-2026",
            "full_name": "Nieuw\nLid",
        },
    )
    assert response.status_code == 200
    assert "full_name" in page_fields(response.content.decode())
    assert not User.objects.filter(email="nieuw@example.nl").exists()


@pytest.mark.parametrize("value", ["", "   ", "x" * 101, "Koppeling\nplanning", "Koppeling\x00"])
def test_token_page_and_service_refuse_the_same(client, member, value):
    client.force_login(member)
    page = client.post("/profiel/sleutels/", {"name": value})
    assert page_fields(page.content.decode()) == {"name"}
    assert "bp_" not in page.content.decode()
    with pytest.raises(InvalidInput) as error:
        services.api_token_create(user=member, name=value)
    assert list(error.value.errors) == ["name"]
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize("bad_id", ["٣", "²", HUGE])
def test_bad_token_ids_on_pages_are_not_found(client, member, bad_id):
    token, _key = services.api_token_create(user=member, name="Koppeling")
    client.force_login(member)
    assert client.post(f"/profiel/sleutels/{bad_id}/intrekken/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_token_of_someone_else_is_not_found_nor_revoked(client, member, other_member):
    token, _key = services.api_token_create(user=other_member, name="Van een ander")
    client.force_login(member)
    assert client.post(f"/profiel/sleutels/{token.pk}/intrekken/").status_code == 404
    with pytest.raises(NotAllowed) as error:
        services.api_token_revoke(token=token, user=member)
    assert error.value.status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
