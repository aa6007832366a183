"""The required pages, the footer that links them from every page, and the Dutch admin."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import Resolver404, resolve

from bouwplaats.core.audit import action_label, log_action
from bouwplaats.core.demo import demo_load
from bouwplaats.core.models import AuditEntry, SitePage

pytestmark = pytest.mark.django_db

REQUIRED = ["/privacyverklaring/", "/toegankelijkheid/", "/contact/"]


class _Links(HTMLParser):
    """Collect the links of a page, and separately those inside its <footer>."""

    def __init__(self):
        super().__init__()
        self.links, self.footer, self._in_footer = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag == "footer":
            self._in_footer += 1
        href = dict(attrs).get("href")
        if tag == "a" and href and href.startswith("/"):
            self.links.append(href)
            if self._in_footer:
                self.footer.append(href)

    def handle_endtag(self, tag):
        if tag == "footer":
            self._in_footer -= 1


def _kind(path: str) -> str | None:
    if path.startswith(("/beheer/", "/api/", "/static/", "/i18n/", "/account/logout/")):
        return None
    try:
        return resolve(path.split("?")[0]).view_name
    except Resolver404:
        return None


def test_required_pages_show_their_text(client):
    for path, words in zip(
        REQUIRED,
        ["Autoriteit Persoonsgegevens", "voldoet gedeeltelijk", "Reactietermijn"],
        strict=True,
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert words in response.content.decode(), path


def test_administrators_edit_a_required_page(client):
    page = SitePage.objects.get(slug="contact")
    page.body = "Bel ons: **0318 123 456**"
    page.save()
    html = client.get("/contact/").content.decode()
    assert "<strong>0318 123 456</strong>" in html
    # A removed page shows its first text again instead of a broken footer link.
    page.delete()
    assert "Reactietermijn" in client.get("/contact/").content.decode()


def test_footer_links_resolve_on_every_page(client):
    """Crawl the demo site as a visitor: every page's footer links the required pages, and
    every footer link answers 200."""
    demo_load()
    queue, kinds, checked, pages = ["/"], set(), {}, 0
    while queue and pages < 60:
        path = queue.pop(0)
        kind = _kind(path)
        if kind is None or kind in kinds:
            continue
        kinds.add(kind)
        response = client.get(path)
        if "text/html" not in response.get("Content-Type", "") or response.status_code != 200:
            continue
        pages += 1
        parser = _Links()
        parser.feed(response.content.decode())
        for required in REQUIRED:
            assert required in parser.footer, (path, parser.footer)
        for link in parser.footer:
            if link not in checked:
                checked[link] = client.get(link).status_code
            assert checked[link] == 200, (path, link, checked[link])
        queue.extend(parser.links)
    assert pages > 10, kinds


# English words the libraries bring along; none may show in the Dutch admin index.
ENGLISH = re.compile(
    r"\b(Social|Applications?|Tasks?|Results?|Database|Backend|Authenticators?|Email"
    r"|Groups|Users|Authentication|Authorization|Django administration|Site administration)\b"
)


def test_admin_index_speaks_dutch(client, admin_user):
    client.force_login(admin_user)
    html = client.get("/beheer/").content.decode()
    assert "<title>Beheer | Bouwplaats-beheer</title>" in html
    assert "Bouwplaats-beheer</a>" in html
    names = re.findall(r'<(?:caption|th scope="row")[^>]*>\s*<a[^>]*>([^<]*)</a>', html)
    assert len(names) > 20, names
    assert [n for n in names if ENGLISH.search(n)] == []
    assert "Vaste pagina" in html


def test_audit_log_is_read_only_with_readable_actions(client, admin_user):
    entry = log_action("events.registration.cancelled", actor=admin_user)
    assert action_label(entry.action) == "Aanmelding geannuleerd (Sessies)"
    assert action_label("iets.anders") == "iets.anders"
    client.force_login(admin_user)
    listing = client.get("/beheer/core/auditentry/").content.decode()
    assert "Aanmelding geannuleerd (Sessies)" in listing
    assert "/beheer/core/auditentry/add/" not in listing
    assert client.get("/beheer/core/auditentry/add/").status_code == 403
    assert client.get(f"/beheer/core/auditentry/{entry.pk}/delete/").status_code == 403
    response = client.post(f"/beheer/core/auditentry/{entry.pk}/change/", {"action": "vervalst"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.action == "events.registration.cancelled"
    assert AuditEntry.objects.count() == 1
