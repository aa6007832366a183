"""Settings read from the environment do what the README says (each loaded in a fresh process)."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from allauth.core import ratelimit
from django.db import connection
from django.test import RequestFactory

ROOT = Path(__file__).resolve().parents[2]
SHOWN = [
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_TIMEOUT",
    "CACHES",
    "PASSWORD_HASHERS",
]


def _run(code: str, module: str = "bouwplaats.settings", **env: str):
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("EMAIL_") and key not in {"CACHE_URL", "BOUWPLAATS_TESTING"}
    }
    clean.update(DJANGO_SETTINGS_MODULE=module, SECRET_KEY="x" * 60, **env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def load_settings(**env: str) -> dict:
    """Return the production settings named in SHOWN as loaded with ``env``."""
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {SHOWN!r}}}))"
    )
    result = _run(code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def settings_error(**env: str) -> str:
    """Return the start-up error that loading the settings with ``env`` raises."""
    result = _run("import django; django.setup()", **env)
    assert result.returncode != 0, result.stdout
    return result.stderr.strip().splitlines()[-1]


SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, {"EMAIL_BACKEND": CONSOLE}),
        ({"EMAIL_URL": "console://"}, {"EMAIL_BACKEND": CONSOLE}),
        (
            {"EMAIL_URL": "smtp://post%40gem.nl:ge%2Fheim@mail.example.nl:587"},
            {
                "EMAIL_BACKEND": SMTP,
                "EMAIL_HOST": "mail.example.nl",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "post@gem.nl",
                "EMAIL_HOST_PASSWORD": "ge/heim",
                "EMAIL_USE_TLS": True,
                "EMAIL_USE_SSL": False,
            },
        ),
        (
            {"EMAIL_URL": "smtps://u:p@mail.example.nl"},
            {"EMAIL_PORT": 465, "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": True},
        ),
        (
            {"EMAIL_URL": "smtp://relay.internal"},
            {"EMAIL_PORT": 25, "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": False},
        ),
        (
            {"EMAIL_URL": "submission://relay.internal"},
            {"EMAIL_PORT": 587, "EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False},
        ),
        (
            {"EMAIL_HOST": "relay.internal", "EMAIL_PORT": "587"},
            {"EMAIL_BACKEND": SMTP, "EMAIL_PORT": 587, "EMAIL_USE_TLS": True},
        ),
    ],
)
def test_email_url_chooses_backend_and_tls(env, expected):
    loaded = load_settings(**env)
    assert {name: loaded[name] for name in expected} == expected
    assert loaded["EMAIL_TIMEOUT"] == 10


def test_email_timeout_can_be_set():
    assert load_settings(EMAIL_TIMEOUT="3")["EMAIL_TIMEOUT"] == 3


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"EMAIL_URL": "smpt://mail.example.nl:587"}, "EMAIL_URL scheme 'smpt' is unknown"),
        ({"EMAIL_URL": "mail.example.nl:587"}, "EMAIL_URL scheme 'mail.example.nl' is unknown"),
        ({"EMAIL_URL": "smtp://:587"}, "needs a host name"),
        ({"CACHE_URL": "memcached://127.0.0.1"}, "CACHE_URL scheme 'memcached' is unknown"),
    ],
)
def test_unknown_or_incomplete_url_stops_start_up(env, message):
    error = settings_error(**env)
    assert error.startswith("django.core.exceptions.ImproperlyConfigured"), error
    assert message in error


def test_cache_is_the_database_table_by_default_and_redis_when_asked():
    assert load_settings()["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "bouwplaats_cache",
    }
    redis = load_settings(CACHE_URL="redis://cache.internal:6379/1")["CACHES"]["default"]
    assert redis["BACKEND"] == "django_redis.cache.RedisCache"
    assert redis["LOCATION"] == "redis://cache.internal:6379/1"


def test_production_hashes_passwords_with_argon2():
    assert load_settings()["PASSWORD_HASHERS"][0].endswith("Argon2PasswordHasher")


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = quote(db["PASSWORD"] or "")
    return f"postgres://{db['USER']}:{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


FAIL_LOGINS = """
import django; django.setup()
from allauth.core import ratelimit
from django.test import RequestFactory
request = RequestFactory().post("/account/login/", REMOTE_ADDR="192.0.2.7")
print(sum(ratelimit.consume(request, action="login_failed", key="iemand@example.nl")
          for _ in range(5)))
"""


@pytest.mark.django_db(transaction=True)
def test_login_rate_limit_counts_across_processes():
    # Another worker process records five failed logins for one address (the limit is 5/5m).
    result = _run(FAIL_LOGINS, module="bouwplaats.settings_test", DATABASE_URL=_database_url())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "5"
    # This process sees them: the sixth attempt is refused, for another address it is not.
    request = RequestFactory().post("/account/login/", REMOTE_ADDR="192.0.2.7")
    assert not ratelimit.consume(request, action="login_failed", key="iemand@example.nl")
    assert ratelimit.consume(request, action="login_failed", key="ander@example.nl")
