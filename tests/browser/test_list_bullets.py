"""Issue 16 §10: no stray list bullets. A list of links, buttons or forms (navigation, cards,
actions, metadata) shows no browser bullet; bullets stay for lists of text and for written
content (Markdown in ``.bp-prose`` and the like).

Each role walks the demo site in Chromium from its own pages, following the links it is
shown and opening every page type (Django's route name) once, at desktop width.
"""

import re

import pytest
from playwright.sync_api import Error as PlaywrightError

from bouwplaats.core.demo import demo_load

from .test_phone_widths import _links, _log_in, _page_type

ROLES = {
    "visitor": (None, ["/", "/sessies/", "/kennis/", "/oproepen/", "/nieuwsflits/"]),
    "host": ("jaco.pieper@demo.bouwplaats.nl", ["/profiel/", "/sessies/", "/mijn-bouwplaats/"]),
    "programme team": ("diana.kool@demo.bouwplaats.nl", ["/", "/nieuwsflits/", "/programmas/"]),
    "planner": (
        "planner.ede@demo.bouwplaats.nl",
        ["/werk-met-werk/", "/werk-met-werk/lijst/", "/werk-met-werk/verzoeken/"],
    ),
}
MAX_PAGES = 60

# The list items in <main> that show a marker while holding nothing but links, buttons or
# form controls (text outside them is at most punctuation), outside written content.
STRAY_BULLETS = """() => {
  const words = s => (s || '').replace(/[\\s,.;:·—–()\\-]+/g, ' ').trim();
  const out = [];
  for (const li of document.querySelectorAll('main li')) {
    const style = getComputedStyle(li);
    if (style.display !== 'list-item' || style.listStyleType === 'none') continue;
    if (li.closest('.bp-prose, .bp-markdown, [data-prose]')) continue;
    const controls = li.querySelectorAll('a, button, input, select, textarea, summary, form');
    if (!controls.length) continue;
    let rest = li.innerText;
    for (const c of controls) rest = rest.replace(c.innerText || '', ' ');
    if (words(rest) === '') {
      const list = li.parentElement;
      const name = list.className ? '.' + list.className.split(' ').join('.') : '';
      out.push(list.tagName.toLowerCase() + name + ' > li: ' + words(li.innerText).slice(0, 60));
    }
  }
  return out;
}"""


@pytest.fixture
def demo(transactional_db):
    demo_load()


def _walk(page, base_url: str, start: list[str]) -> tuple[dict, int]:
    page.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1).*"), lambda r: r.abort())
    queue, seen, found, visited = list(start), set(), {}, 0
    while queue and visited < MAX_PAGES:
        path = queue.pop(0)
        kind = _page_type(path.split("?")[0])
        if kind is None or kind in seen:
            continue
        seen.add(kind)
        try:
            response = page.goto(base_url + path)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # A file to download, not a page.
            raise
        if response is None or response.status != 200:
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        visited += 1
        if stray := page.evaluate(STRAY_BULLETS):
            found[path] = stray
        queue.extend(_links(page, base_url))
    return found, visited


@pytest.mark.parametrize("role", list(ROLES))
def test_no_list_of_links_or_buttons_shows_bullets(role, demo, page, live_server):
    page.set_default_timeout(15_000)
    page.set_viewport_size({"width": 1280, "height": 900})
    email, start = ROLES[role]
    _log_in(page.context, live_server.url, email)
    found, visited = _walk(page, live_server.url, start)
    assert visited > len(start)
    assert found == {}, f"{role}: lists with bullets beside links or buttons: {found}"
