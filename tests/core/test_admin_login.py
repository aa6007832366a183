"""The admin has no login of its own: /beheer/login/ is the site's login (MFA, rate limit)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

ADMIN_LOGIN = "/beheer/login/"


@pytest.fixture
def staff(db):
    return UserFactory(email="beheer@example.nl", is_staff=True, is_superuser=True)


def _admin_reachable(client) -> bool:
    return client.get("/beheer/").status_code == 200


def test_admin_login_sends_visitors_to_the_site_login(client, db):
    response = client.get(ADMIN_LOGIN, {"next": "/beheer/accounts/user/"})
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.path == reverse("account_login")
    assert parse_qs(target.query)["next"] == ["/beheer/accounts/user/"]


def test_admin_index_of_a_visitor_ends_at_the_site_login(client, db):
    response = client.get("/beheer/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))


def test_posting_a_password_to_the_admin_login_logs_nobody_in(client, staff):
    response = client.post(ADMIN_LOGIN, {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert not _admin_reachable(client)


def test_two_step_code_is_asked_before_the_admin_opens(client, staff):
    TOTP.activate(staff, generate_totp_secret())
    response = client.post(
        reverse("account_login"), {"login": staff.email, "password": PASSWORD, "next": "/beheer/"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    assert not _admin_reachable(client)


def test_failed_logins_are_limited_for_the_admin_too(client, staff):
    for _ in range(6):
        client.post(reverse("account_login"), {"login": staff.email, "password": "fout"})
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert not _admin_reachable(client)


def test_staff_logged_in_on_the_site_reach_the_admin(client, staff):
    client.force_login(staff)
    assert client.get(ADMIN_LOGIN, {"next": "/beheer/"})["Location"] == "/beheer/"
    assert _admin_reachable(client)


def test_foreign_next_is_not_followed(client, staff):
    client.force_login(staff)
    response = client.get(ADMIN_LOGIN, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("admin:index")


def test_member_without_admin_rights_gets_403_not_a_loop(client, db):
    client.force_login(UserFactory())
    assert client.get(ADMIN_LOGIN, {"next": "/beheer/"}).status_code == 403
    assert client.get("/beheer/", follow=True).status_code == 403
