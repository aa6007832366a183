"""create_api_token refuses a bad address or token name with a CommandError and stores nothing.

Without the checks the command stored whatever it was given on SQLite (a NUL, 10,000
characters, "geen adres") and failed with a database traceback on PostgreSQL.
"""

import pytest
from django.core.management import CommandError, call_command

from bouwplaats.accounts.models import ApiToken, User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "email",
    [
        "lid\x00@example.nl",
        "a" * 10_000 + "@example.nl",
        "geen adres",
        "",
        "lid\ud800@example.nl",
        "lid\x1b[31m@example.nl",
    ],
)
def test_a_bad_address_is_a_command_error(email):
    with pytest.raises(CommandError, match="Ongeldig e-mailadres"):
        call_command("create_api_token", email, "--create-user")
    assert not User.objects.exists() and not ApiToken.objects.exists()


@pytest.mark.parametrize("name", ["n" * 10_000, "a\x00b"])
def test_a_bad_token_name_is_a_command_error_and_creates_no_member(name):
    with pytest.raises(CommandError, match="--name"):
        call_command("create_api_token", "lid@example.nl", "--create-user", "--name", name)
    assert not User.objects.exists() and not ApiToken.objects.exists()


def test_a_long_local_part_still_makes_a_member(capsys):
    email = "a" * 200 + "@example.nl"
    call_command("create_api_token", email, "--create-user")
    user = User.objects.get(email=email)
    assert user.full_name == "a" * 150
    assert ApiToken.objects.get(user=user)
