"""Issue 15 §8 and issue 16 §10: one Dutch date format on every page.

Each role walks the demo site with the test client from its own pages, following the links it
is shown and opening every page type (Django's route name) once; no page's visible text holds
a date in another format: "10-06-2027", "2027-06-10", "June", "Jun.", "2 okt" or a day and month
without its weekday ("10 juni 2027" instead of "donderdag 10 juni 2027"). Machine formats stay
where machines read them (``<time datetime>``, inputs, downloads): attributes are not text.
"""

import datetime
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils.formats import date_format

from bouwplaats.accounts.models import User
from bouwplaats.core.demo import demo_load

ROLES = {
    "visitor": (None, ["/", "/sessies/", "/werk-in-uw-straat/", "/kennis/", "/oproepen/"]),
    "member": ("bewoner@demo.bouwplaats.nl", ["/", "/profiel/", "/werk-met-werk/initiatieven/"]),
    "host": ("jaco.pieper@demo.bouwplaats.nl", ["/profiel/", "/sessies/", "/mijn-bouwplaats/"]),
    "programme team": ("diana.kool@demo.bouwplaats.nl", ["/", "/nieuwsflits/", "/programmas/"]),
    "call team": ("programmateam@demo.bouwplaats.nl", ["/", "/oproepen/"]),
    "planner": (
        "planner.ede@demo.bouwplaats.nl",
        ["/", "/werk-met-werk/", "/werk-met-werk/lijst/", "/werk-met-werk/verzoeken/"],
    ),
}
SKIP_PREFIXES = ("/beheer/", "/api/", "/static/", "/media/", "/i18n/", "/account/logout/")
SKIP_NAMES = re.compile(
    r"(export|ics|feed|photo$|photo_thumbnail|document$|preview_html|progress|_zip$|_pdf$|pdf)"
)
MAX_PAGES = 120
# Dates that are no display of a date: quoted in a seed's own words. (How to type a date, in a
# field's help text, is input: the help texts are left out of the text read.)
NOT_DISPLAY = {
    "6 september 2016",  # seed 002's lesson, quoted: "(Utrecht, 6 september 2016)"
}
HELP_TEXT = re.compile(r'<p class="bp-help"[^>]*>.*?</p>', re.DOTALL)
# Pages about the formats a file to upload may use (its columns, an example file).
INPUT_FORMAT_PAGES = {"planning:upload"}

MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
WEEKDAYS = "maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag"
ENGLISH = (
    "January|February|March|April|June|July|August|September|October|November|December|"
    "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
)
WRONG = {
    "numeric": re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b"),
    "ISO": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "English": re.compile(rf"\b({ENGLISH})\b|\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\."),
    "abbreviated": re.compile(
        r"\b\d{1,2} (jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec)\b\.?", re.IGNORECASE
    ),
}
DAY_MONTH_YEAR = re.compile(rf"\b\d{{1,2}} ({MONTHS}) \d{{4}}\b")
WEEKDAY_BEFORE = re.compile(rf"\b({WEEKDAYS}) $")


def visible_text(html: str) -> str:
    """Return what a reader sees of ``html``'s main content (no tags, scripts or attributes)."""
    main = html.split("<main", 1)[-1].split("</main>", 1)[0]
    main = re.sub(r"<(script|style|template)\b.*?</\1>", " ", main, flags=re.DOTALL)
    main = HELP_TEXT.sub(" ", main)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)))


def wrong_dates(text: str) -> list[str]:
    found = [f"{kind}: {m.group(0)!r}" for kind, rx in WRONG.items() for m in rx.finditer(text)]
    return found + [
        f"without weekday: {m.group(0)!r}"
        for m in DAY_MONTH_YEAR.finditer(text)
        if not WEEKDAY_BEFORE.search(text[max(0, m.start() - 12) : m.start()])
    ]


def test_the_patterns_know_right_from_wrong():
    assert wrong_dates("dinsdag 15 december 2026, 09:30–12:00 en 09:30 uur") == []
    for wrong in ("10-06-2027", "2027-06-10", "10 June 2027", "10 Jun. 2027", "2 Okt",
                  "15 december 2026", "10/6/2027"):  # fmt: skip
        assert wrong_dates(f"Op {wrong} begint het"), wrong
    # What the one format says, from the one place that says it.
    day = datetime.datetime(2026, 12, 15, 9, 30)
    assert date_format(day) == "dinsdag 15 december 2026"
    assert date_format(day, "DATETIME_FORMAT") == "dinsdag 15 december 2026, 09:30"


def _page_type(path: str) -> str | None:
    if path.startswith(SKIP_PREFIXES):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    name = match.view_name or match.route
    if name in INPUT_FORMAT_PAGES:
        return None
    return None if SKIP_NAMES.search(name or "") else name


def _links(html: str) -> list[str]:
    paths = []
    for href in re.findall(r'<a\b[^>]*\bhref="([^"#]+)', html):
        parts = urlsplit(unescape(href))
        if not parts.netloc and parts.path.startswith("/"):
            paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def walk(client: Client, start: list[str]) -> dict[str, list[str]]:
    """Open every page type reachable from ``start`` once; return the wrong dates per page."""
    queue, seen, found, visited = list(start), set(), {}, 0
    while queue and visited < MAX_PAGES:
        path = queue.pop(0)
        kind = _page_type(path.split("?")[0])
        if kind is None or kind in seen:
            continue
        seen.add(kind)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        visited += 1
        html = response.content.decode()
        text = visible_text(html)
        for quoted in NOT_DISPLAY:
            text = text.replace(quoted, "")
        if wrong := wrong_dates(text):
            found[path] = wrong
        queue.extend(_links(html))
    assert visited > len(start)
    return found


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_says_dates_one_way(role, db):
    demo_load()
    email, start = ROLES[role]
    client = Client()
    if email is not None:
        client.force_login(User.objects.get(email=email))
    assert walk(client, start) == {}
