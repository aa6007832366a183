"""Every page type on a phone: no sideways scroll at 360 and 390 px, axe clean, footer links.

Axe runs on each page at 390 px and at desktop width (1280 px), for each role.

The pages come from the demo content: each role starts at its own pages and follows the links
it is shown, visiting the first address of every page type (Django's route name) once. A page
another app adds is found through its links; one that nothing links to gets a line in
``START``.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from bouwplaats.core.demo import demo_load

from .conftest import assert_accessible

WIDTHS = (360, 390)
DESKTOP = 1280
# The role, the demo member acting in it (None: a visitor) and where the walk starts.
ROLES = {
    "visitor": (None, ["/", "/werk-in-uw-straat/", "/account/login/", "/account/signup/"]),
    "member": ("bewoner@demo.bouwplaats.nl", ["/", "/profiel/", "/werk-met-werk/initiatieven/"]),
    "host": ("jaco.pieper@demo.bouwplaats.nl", ["/", "/profiel/", "/sessies/"]),
    "programme team": ("diana.kool@demo.bouwplaats.nl", ["/", "/nieuwsflits/", "/programmas/"]),
    "call team": ("programmateam@demo.bouwplaats.nl", ["/", "/oproepen/"]),
    "planner": (
        "planner.ede@demo.bouwplaats.nl",
        ["/", "/werk-met-werk/", "/werk-met-werk/lijst/", "/werk-met-werk/verzoeken/"],
    ),
}
# Page types the walk leaves alone: downloads, the admin, the API, and what acts on a GET.
SKIP_PREFIXES = ("/beheer/", "/api/", "/static/", "/i18n/", "/account/logout/")
SKIP_NAMES = re.compile(
    r"(export|ics|feed|photo$|photo_thumbnail|document$|preview_html|progress|_zip$|_pdf$|pdf)"
)
# Enough to reach every page type of today's site; a walk that needs more is a finding.
MAX_PAGES = 80


def _page_type(path: str) -> str | None:
    if path.startswith(SKIP_PREFIXES):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    name = match.view_name or match.route
    if SKIP_NAMES.search(name or ""):
        return None
    return name


def _log_in(context, base_url: str, email: str | None) -> None:
    if email is None:
        return
    from bouwplaats.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    host = urlsplit(base_url).hostname
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "domain": host,
                "path": "/",
            }
        ]
    )


# The deepest elements that reach past the right edge: what to fix when a page is too wide.
CULPRITS = """width => Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > width + 1
    && !Array.from(e.children).some(c => c.getBoundingClientRect().right > width + 1))
  .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : ''))"""


def _too_wide(page, width: int) -> str | None:
    page.set_viewport_size({"width": width, "height": 800})
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll <= width:
        return None
    return f"{scroll}px: {page.evaluate(CULPRITS, width)}"


def _links(page, base_url: str) -> list[str]:
    # An SVG link's ``href`` is an SVGAnimatedString (a chart's marks link to their records):
    # read the attribute and resolve it as the browser does.
    hrefs = page.eval_on_selector_all(
        "a[href]", "els => els.map(e => new URL(e.getAttribute('href'), document.baseURI).href)"
    )
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if href.startswith(base_url) and parts.path:
            paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def _footer_links(page) -> list[str]:
    return page.eval_on_selector_all(".bp-footer a[href]", "els => els.map(e => e.href)")


@pytest.fixture
def demo(transactional_db):
    demo_load()


def _walk(page, base_url: str, start: list[str]) -> tuple[dict, list, set]:
    """Visit each page type once; return (too wide per page, pages visited, footer links)."""
    page.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1).*"), lambda r: r.abort())
    queue, seen_types, visited, wide, footer = list(start), set(), [], {}, set()
    while queue and len(visited) < MAX_PAGES:
        path = queue.pop(0)
        kind = _page_type(path.split("?")[0])
        if kind is None or kind in seen_types:
            continue
        seen_types.add(kind)
        page.set_viewport_size({"width": 390, "height": 800})
        try:
            response = page.goto(base_url + path)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # A file to download, not a page.
            raise
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        if response.status >= 400:
            # A page this role may not open is not one it is shown; a link to it is a finding.
            wide[path] = f"status {response.status}"
            continue
        visited.append(path)
        assert_accessible(page, base_url)
        # The accessibility gate (issue 17 §8): the same page at desktop width too, where the
        # menu, tables and filters are laid out differently.
        page.set_viewport_size({"width": DESKTOP, "height": 900})
        assert_accessible(page, base_url)
        for width in WIDTHS:
            scroll = _too_wide(page, width)
            if scroll is not None:
                wide[f"{path} @{width}"] = scroll
        footer.update(_footer_links(page))
        queue.extend(_links(page, base_url))
    return wide, visited, footer


@pytest.mark.parametrize("role", list(ROLES))
def test_no_page_scrolls_sideways_on_a_phone(role, demo, page, live_server):
    page.set_default_timeout(15_000)
    email, start = ROLES[role]
    _log_in(page.context, live_server.url, email)
    wide, visited, footer = _walk(page, live_server.url, start)
    assert wide == {}, f"{role}: pages wider than the phone or refused: {wide}"
    # The walk really went round: more than the pages it started from.
    assert len(visited) > len(start), visited
    # The required pages are linked from the footer of every page.
    for name in ("privacyverklaring", "toegankelijkheid", "contact"):
        assert any(name in link for link in footer), (name, footer)
