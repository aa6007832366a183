"""Issue 15 §8: one form of address ("u", never "je/jij/jouw") in every template, interface
string and translation the Dutch pages use; "inloggen" for logging in.

Scans the source (templates of every app, every string literal in the apps' Python), the
whole Dutch catalogue as the pages get it (allauth's included), and the account pages as
rendered.
"""

import ast
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[1]
APPS = ROOT / "bouwplaats"

JE = re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie)\b", re.IGNORECASE)

# Texts quoted from the seeds, kept in the seeds' own words: the demo content (demo.py) and
# these. Anything else says "u".
QUOTED = {
    # A real question from seed 002 given as an example of a question's title.
    "Eén zin, bijvoorbeeld: Hoeveel sturing kun je geven?",
}
# Files whose strings are no interface text: the search's Dutch stop words.
NOT_INTERFACE = {APPS / "search" / "analysis.py"}


def _template_files():
    for folder in APPS.glob("*/templates"):
        yield from (p for p in folder.rglob("*") if p.is_file())


def _without_template_comments(text: str) -> str:
    text = re.sub(r"\{#.*?#\}", "", text, flags=re.DOTALL)
    return re.sub(r"\{% comment %\}.*?\{% endcomment %\}", "", text, flags=re.DOTALL)


def test_no_template_says_je():
    files = list(_template_files())
    assert len(files) > 100
    found = [
        f"{path.relative_to(ROOT)}: {line.strip()[:120]}"
        for path in files
        for line in _without_template_comments(path.read_text()).splitlines()
        if JE.search(line) and not any(quote in line for quote in QUOTED)
    ]
    assert found == []


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _strings(path: Path):
    tree = ast.parse(path.read_text())
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.lineno, node.value


def test_no_interface_string_in_python_says_je():
    files = [
        p
        for p in APPS.rglob("*.py")
        if "migrations" not in p.parts and p.name != "demo.py" and p not in NOT_INTERFACE
    ]
    assert len(files) > 100
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text[:120]}"
        for path in files
        for line, text in _strings(path)
        if JE.search(text) and text not in QUOTED
    ]
    assert found == []


def test_the_dutch_catalogue_the_pages_use_says_u_and_inloggen():
    """Every translation active in Dutch (Django's, allauth's, the project's)."""
    catalogue = trans_real.translation("nl")._catalog
    keys = {key for part in catalogue._catalogs for key in part}
    assert len(keys) > 1000
    said = {key: catalogue[key] for key in keys}
    assert [(k, v) for k, v in said.items() if JE.search(v)] == []
    # Logging in is "inloggen"; "aanmelden" is registering for a session.
    assert said["Sign In"] == "Inloggen"
    assert said["Sign Out"] == "Uitloggen"
    with translation.override("nl"):
        assert translation.gettext("Forgot your password?") == "Wachtwoord vergeten?"


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


VISITOR_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_email_verification_sent",
]
MEMBER_PAGES = [
    "account_logout",
    "account_email",
    "account_change_password",
    "mfa_index",
    "account_reauthenticate",
    "accounts:profile",
    "accounts:tokens",
    "accounts:memberships",
    "accounts:delete",
]


@pytest.mark.parametrize("name", VISITOR_PAGES)
def test_the_account_pages_say_u_to_a_visitor(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    text = _visible_text(response.content.decode())
    assert not JE.search(text), JE.search(text)
    assert not re.search(r"\b(Aanmelden|Afmelden|Meld)\b", text), text


@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_the_account_pages_say_u_to_a_member(client, member, name):
    client.force_login(member)
    response = client.get(reverse(name))
    assert response.status_code == 200
    text = _visible_text(response.content.decode())
    assert not JE.search(text), JE.search(text)
    assert not re.search(r"\b(Aanmelden|Afmelden)\b", text), text


def test_a_failed_login_says_u(client, db):
    UserFactory(email="esther@example.nl")
    response = client.post(
        reverse("account_login"), {"login": "esther@example.nl", "password": "niet dit"}
    )
    text = _visible_text(response.content.decode())
    assert "Het e-mailadres of het wachtwoord dat u opgaf klopt niet." in text
    assert not JE.search(text)
