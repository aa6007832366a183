"""Every page reachable without arguments, with hostile query strings, as visitor, member and
administrator: the answer is never a 5xx.

The filter names are read from the page's own GET forms (so a new filter is swept without
editing this file), plus the paging and period names every list shares. PostgreSQL refuses NUL
in text and has integer ranges; SQLite does neither, so run this on both.
"""

import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VALUES = {
    "long": "é" * 9_999 + "💥",
    "nul": "a\x00b",
    "control": "\x1b[31m\x7f\x85",
    "bidi": "\u202egnirts\u202c 👩\u200d👩\u200d👧",
    "surrogate": "\ud800",
    "negative": "-1",
    "int_2_63": str(2**63),
    "int_10_40": str(10**40),
    "nan": "NaN",
    "year0": "0000-00-00",
    "year99999": "99999-01-01",
    "formula": "=cmd|' /C calc'!A0",
    "list": "[1,2]",
}
# Query names every list shares (paging, period, search), also where a page has no form.
COMMON = ["page", "offset", "limit", "q", "from", "to", "van", "tot", "sort", "order"]
# Pages that are no list or page of their own (the API, the admin, files, health).
SKIP = re.compile(
    r"^(api/|beheer/|admin/|django-admin/|static/|media/|__|account/|healthz)|\(\?P|\.(zip|pdf)$"
)


class _GetForms(HTMLParser):
    """Collect the names of the fields of the page's GET forms."""

    def __init__(self):
        super().__init__()
        self.names: set[str] = set()
        self._in_get = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_get = (attrs.get("method") or "get").lower() == "get"
        elif tag in {"input", "select", "textarea"} and self._in_get:
            self.names.add(attrs.get("name") or "csrfmiddlewaretoken")
            self.names.discard("csrfmiddlewaretoken")

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_get = False


def _plain_paths(resolver=None, prefix="") -> list[str]:
    """Return the paths of every URL pattern that takes no argument."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += _plain_paths(entry, prefix + route)
        elif isinstance(entry, URLPattern) and "<" not in route and "(?P" not in route:
            path = (prefix + route).lstrip("^").rstrip("$")
            if not SKIP.search(path):
                found.append("/" + path)
    return sorted(set(found))


@pytest.fixture
def clients(client):
    member, staff = UserFactory(), UserFactory(is_staff=True, is_superuser=True)
    by_role = {"visitor": client}
    for role, user in (("member", member), ("staff", staff)):
        by_role[role] = Client()
        by_role[role].force_login(user)
    return by_role


def _query(names, value: str) -> str:
    encoded = quote(value.encode("utf-8", "surrogatepass"), safe="")
    return "&".join(f"{quote(name)}={encoded}" for name in sorted(names))


@pytest.mark.parametrize("role", ["visitor", "member", "staff"])
def test_list_pages_answer_hostile_filters_without_a_5xx(clients, role):
    client = clients[role]
    failures = []
    for path in _plain_paths():
        page = client.get(path)
        if page.status_code != 200:
            continue
        parser = _GetForms()
        if page.get("Content-Type", "").startswith("text/html"):
            parser.feed(page.content.decode())
        names = parser.names | set(COMMON)
        for kind, value in VALUES.items():
            response = client.get(f"{path}?{_query(names, value)}")
            if response.status_code >= 500:
                failures.append(f"GET {path} {sorted(names)}={kind} -> {response.status_code}")
    assert not failures, "\n".join(failures)
