import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import path

from bouwplaats.core.markdown import render_markdown

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_home_is_dutch_with_skip_link_and_navigation(client, programme):
    html = client.get("/").content.decode()
    assert '<html lang="nl">' in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert "Programma&#x27;s" in html or "Programma's" in html
    assert "Inloggen" in html
    assert "Beter Benutten" in html


def test_english_switch(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    assert "Log in" in html


def test_content_security_policy_forbids_inline_script(client):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"


def test_security_headers(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_friendly_404(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Pagina niet gevonden" in html and "Terug naar de voorpagina" in html


def _boom(request):
    raise RuntimeError("kapot")


urlpatterns = [path("boom/", _boom)]


@override_settings(ROOT_URLCONF=__name__)
def test_friendly_500(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()


def test_friendly_403(client, member):
    from bouwplaats.core.views import error_403

    response = error_403(client.get("/").wsgi_request)
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()


def test_markdown_is_sanitised():
    html = render_markdown(
        "**vet** <script>alert(1)</script> [klik](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    assert "<strong>vet</strong>" in html
    assert "<script" not in html and "<img" not in html
    assert 'href="javascript' not in html


def test_markdown_keeps_safe_links():
    html = render_markdown("[Leerplatform](https://www.example.nl/mirt)")
    assert 'href="https://www.example.nl/mirt"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def _run(args, **env):
    dropped = {"DEBUG", "BOUWPLAATS_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "HTTPS"}
    full_env = {k: v for k, v in os.environ.items() if k not in dropped}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("hsts_domain", "silenced"), [("0", "(2 silenced)"), ("1", "(0 silenced)")]
)
def test_check_deploy_is_clean_in_production_settings(hsts_domain, silenced):
    # HSTS for subdomains and preloading are opt-in (SECURE_HSTS_INCLUDE_SUBDOMAINS,
    # SECURE_HSTS_PRELOAD); left off, only their two deploy checks are silenced.
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="bouwplaats.settings",
        DEBUG="0",
        SECRET_KEY="b" * 20 + "Q7x!r9#kLm2$vP0zW8&nT4^yH6*jD3@fS1(gA5)eC" + "z" * 10,
        ALLOWED_HOSTS="bouwplaats.example.nl",
        SECURE_HSTS_INCLUDE_SUBDOMAINS=hsts_domain,
        SECURE_HSTS_PRELOAD=hsts_domain,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert silenced in result.stdout


def test_check_deploy_warns_with_debug_on():
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="bouwplaats.settings",
        DEBUG="1",
        ALLOWED_HOSTS="bouwplaats.example.nl",
    )
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


def test_dutch_by_default_even_for_an_english_browser(client):
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).content.decode()
    assert '<html lang="nl">' in html
    assert "Naar de inhoud" in html


def test_short_address_of_the_residents_map(client):
    response = client.get("/werk-in-uw-straat/?van=2026-12-01")
    assert response.status_code == 302
    assert response["Location"] == "/werk-met-werk/in-uw-straat/?van=2026-12-01"


def test_home_shows_next_sessions_and_newsletters(client, django_assert_max_num_queries):
    from bouwplaats.newsletters.models import NewsletterList
    from tests.factories import SessionFactory

    session = SessionFactory(title="Opgaven verbinden")
    SessionFactory(title="Concept", status="draft", programme=session.programme)
    NewsletterList.objects.create(
        programme=session.programme, name="Nieuwsflits Leerplatform MIRT", slug="mirt"
    )
    with django_assert_max_num_queries(6):
        html = client.get("/").content.decode()
    assert "Komende sessies" in html and "Opgaven verbinden" in html
    assert "Concept" not in html
    assert "Nieuwsflits Leerplatform MIRT" in html


def test_home_empty_state(client):
    assert "Er staan nog geen sessies gepland." in client.get("/").content.decode()


def test_language_switch_names_each_language_in_itself(client):
    assert 'lang="en">English</button>' in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="nl">Nederlands</button>' in client.get("/").content.decode()


def test_plain_http_on_loopback_turns_the_https_settings_off():
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="bouwplaats.settings",
        DEBUG="0",
        HTTPS="0",
        SECRET_KEY="c" * 20 + "Q7x!r9#kLm2$vP0zW8&nT4^yH6*jD3@fS1(gA5)eC" + "z" * 10,
        ALLOWED_HOSTS="127.0.0.1",
    )
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr  # no SSL redirect
