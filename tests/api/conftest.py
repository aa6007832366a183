import io

import pytest
from django.core.management import call_command
from django.db import transaction

from bouwplaats.accounts.models import User
from bouwplaats.accounts.services import api_token_create


@pytest.fixture(scope="package")
def _demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(autouse=True)
def _media_root(settings, _demo_media):
    """Keep the demo's files where the demo content was loaded (the parent's fixture moves
    MEDIA_ROOT per test, which would lose them)."""
    settings.MEDIA_ROOT = _demo_media


@pytest.fixture(scope="package")
def demo_tokens(django_db_setup, django_db_blocker, _demo_media):
    """Load the demo content once for the whole fuzz; return API keys of a member and of staff.

    It stays in an outer transaction that every test's own transaction nests in, and is rolled
    back after the last test of tests/api, so other tests start from an empty database.
    """
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=_demo_media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", stdout=io.StringIO())
            tokens = {
                email: api_token_create(user=User.objects.get(email=email), name="fuzz")[1]
                for email in ("jaco.pieper@demo.bouwplaats.nl", "beheer@demo.bouwplaats.nl")
            }
            yield tokens
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
