"""Browser journeys: Debian's chromium driven by Playwright against pytest-django's live server."""

import os
import re

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls in tests are still
# synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Loaded from the site's own static files: the Content-Security-Policy forbids inline script.
AXE_URL = "/static/vendor/axe.min.js"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}


@pytest.fixture(autouse=True)
def _browser_marker(request):
    request.node.add_marker(pytest.mark.browser)


def assert_accessible(page, base_url: str) -> None:
    """Run axe-core on the page and fail on any WCAG 2.1 A/AA violation."""
    page.add_script_tag(url=base_url + AXE_URL)
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == [], f"{page.url}: {violations}"


class AccessiblePage:
    """Wrap a Playwright page: every ``goto`` and ``check`` runs axe-core on what is shown."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.visited: list[str] = []

    def goto(self, path: str):
        response = self.page.goto(self.base_url + path)
        self.check()
        return response

    def check(self):
        self.page.wait_for_load_state("domcontentloaded")
        assert_accessible(self.page, self.base_url)
        self.visited.append(self.page.url)

    def __getattr__(self, name):
        return getattr(self.page, name)


@pytest.fixture
def site(page, live_server):
    """Return an AccessiblePage on the live server."""
    page.set_default_timeout(15_000)
    return AccessiblePage(page, live_server.url)


def login(site, email: str, password: str) -> None:
    """Log in through the real form."""
    site.goto("/account/login/")
    site.get_by_label(re.compile("E-mailadres")).fill(email)
    site.get_by_label(re.compile("^Wachtwoord")).fill(password)
    site.get_by_role("button", name=re.compile("Aanmelden|Inloggen")).click()
    site.page.wait_for_load_state("domcontentloaded")
