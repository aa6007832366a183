"""The token rule is written once (accounts.permissions) and its two halves agree."""

import pytest
from django.contrib.auth.models import AnonymousUser

from bouwplaats.accounts import permissions, services
from bouwplaats.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_token_check_and_queryset_agree(client, member, other_member, admin_user):
    mine, _key = services.api_token_create(user=member, name="Mijn koppeling")
    theirs, _key = services.api_token_create(user=other_member, name="Hun koppeling")
    for user in (AnonymousUser(), member, other_member, admin_user):
        visible = set(permissions.tokens_visible_to(user))
        for token in ApiToken.objects.all():
            assert permissions.can_manage_token(user, token) is (token in visible)
    # Not even an administrator sees or revokes someone else's token on the page.
    client.force_login(admin_user)
    assert client.post(f"/profiel/sleutels/{mine.pk}/intrekken/").status_code == 404
    client.force_login(member)
    page = client.get("/profiel/sleutels/").content.decode()
    assert "Mijn koppeling" in page and "Hun koppeling" not in page
    assert client.post(f"/profiel/sleutels/{mine.pk}/intrekken/").status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None
