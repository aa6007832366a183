"""Production refuses what the examples leave as placeholders, and the demo's published login.

Placeholder secrets (``change-me`` from deploy/bouwplaats.env.example) stop start-up with DEBUG
off; ``load_demo`` runs with DEBUG off only when told this is no production; HSTS promises
nothing about subdomains or preloading unless the domain's owner says so.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from bouwplaats.core.management.commands.load_demo import NOT_PRODUCTION_FLAG
from bouwplaats.settings import SECRET_VARIABLES, refuse_placeholder_secrets

ROOT = Path(__file__).resolve().parents[2]
REAL_KEY = "k" * 20 + "Q7xr9kLm2vP0zW8nT4yH6jD3fS1gA5eC" + "z" * 10


def start(**env: str) -> subprocess.CompletedProcess:
    """Load the production settings (no test flag) and set Django up in a fresh process."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"BOUWPLAATS_TESTING", "DEBUG", *SECRET_VARIABLES}
    }
    clean.update({"DJANGO_SETTINGS_MODULE": "bouwplaats.settings", "SECRET_KEY": REAL_KEY, **env})
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD]))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SECRET_KEY", "change-me-to-50-random-characters-python3-c-import-secrets"),
        ("DATABASE_URL", "postgres://bouwplaats:change-me@127.0.0.1:5432/bouwplaats"),
        ("DATABASE_REPLICA_URL", "postgres://bouwplaats:Change-Me@replica:5432/bouwplaats"),
        ("CACHE_URL", "redis://:change%2Dme@10.0.0.5:6379/0"),
        ("RQ_URL", "rediss://:change-me-please@10.0.0.5:6380/1"),
        ("EMAIL_URL", "smtp://noreply:change-me@smtp.example.nl:587"),
        ("AWS_SECRET_ACCESS_KEY", "change-me-please"),
    ],
)
def test_a_placeholder_secret_is_refused_naming_its_variable(name, value):
    with pytest.raises(ImproperlyConfigured, match=rf"^{name} still holds the placeholder"):
        refuse_placeholder_secrets({"SECRET_KEY": REAL_KEY, name: value})


def test_real_secrets_pass():
    refuse_placeholder_secrets(
        {
            "SECRET_KEY": REAL_KEY,
            "DATABASE_URL": "postgres://bouwplaats:k%2Fq7%40Lm@db.example.nl:5432/bouwplaats",
            "CACHE_URL": "redis://:Zr8vK2mQ@10.0.0.5:6379/0",
            "EMAIL_URL": "smtp://127.0.0.1:25",
        }
    )


def test_start_up_stops_on_the_example_secret_key_unless_debug():
    refused = start(SECRET_KEY="change-me-to-50-random-characters-python3-c-import-secrets")
    assert refused.returncode != 0
    last = refused.stderr.strip().splitlines()[-1]
    assert last.startswith("django.core.exceptions.ImproperlyConfigured: SECRET_KEY still holds")
    assert "deploy/bouwplaats.env.example" in last

    refused = start(DATABASE_URL="postgres://bouwplaats:change-me@127.0.0.1:5432/bouwplaats")
    assert "DATABASE_URL still holds the placeholder" in refused.stderr

    development = start(SECRET_KEY="change-me", DEBUG="1")
    assert development.returncode == 0, development.stderr


def test_hsts_asks_for_subdomains_and_preload_only_when_told():
    defaults = start()
    assert defaults.returncode == 0, defaults.stderr
    assert json.loads(defaults.stdout) == [False, False]
    chosen = start(SECURE_HSTS_INCLUDE_SUBDOMAINS="1", SECURE_HSTS_PRELOAD="1")
    assert json.loads(chosen.stdout) == [True, True]


@pytest.mark.django_db
def test_load_demo_refuses_with_debug_off_unless_told_it_is_no_production(settings):
    from bouwplaats.accounts.models import User

    settings.DEBUG = False
    settings.TESTING = False
    with pytest.raises(CommandError, match=NOT_PRODUCTION_FLAG) as refused:
        call_command("load_demo")
    assert "bouwplaats-demo" in str(refused.value) and "EMAIL_URL" in str(refused.value)
    assert not User.objects.filter(email="beheer@demo.bouwplaats.nl").exists()

    call_command("load_demo", NOT_PRODUCTION_FLAG, stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert User.objects.filter(email="beheer@demo.bouwplaats.nl", is_superuser=True).exists()
