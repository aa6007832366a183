"""A visitor registers for a session with the keyboard alone (WCAG 2.1.1, 2.4.3, 2.4.7).

No mouse and no Playwright clicks: Tab moves the focus, Enter follows a link or presses a
button, and every focused element must show where the focus is (WCAG 2.4.7). Axe runs on each
page, at desktop and at phone width.
"""

from urllib.parse import urlsplit

from bouwplaats.events.models import Registration
from tests.factories import PASSWORD, ProgrammeFactory, SessionFactory, UserFactory

from .conftest import assert_accessible

MAX_TABS = 120

# The focused element's accessible text, and whether a focus indicator is drawn around it.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.innerText || el.value || el.getAttribute('aria-label') || label || '').trim(),
    label: label.trim(),
    visible: outline || shadow,
  };
}"""


def tab_to(page, wanted: str, *, by: str = "text") -> dict:
    """Press Tab until the focused element's text (or label) starts with ``wanted``."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused and focused[by].startswith(wanted):
            assert focused["visible"], f"no visible focus on {focused}"
            return focused
    raise AssertionError(f"{wanted!r} not reached with {MAX_TABS} presses of Tab on {page.url}")


def check_both_widths(page, base_url: str) -> None:
    page.wait_for_load_state("domcontentloaded")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, base_url)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_visitor_registers_for_a_session_with_the_keyboard_alone(page, live_server):
    page.set_default_timeout(15_000)
    base = live_server.url
    programme = ProgrammeFactory(name="Leerplatform MIRT", slug="leerplatform-mirt")
    session = SessionFactory(
        programme=programme, title="Bouwsessie Zuidas", capacity=20, host=UserFactory()
    )
    esther = UserFactory(full_name="Esther de Lange", email="esther@example.nl")

    page.goto(base + "/sessies/")
    check_both_widths(page, base)
    tab_to(page, "Bouwsessie Zuidas")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == session.get_absolute_url())
    check_both_widths(page, base)

    tab_to(page, "Ja, ik praat mee")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == "/account/login/")
    check_both_widths(page, base)

    tab_to(page, "E-mailadres", by="label")
    page.keyboard.type(esther.email)
    tab_to(page, "Wachtwoord", by="label")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == session.get_absolute_url())
    check_both_widths(page, base)

    focused = tab_to(page, "Ja, ik praat mee")
    assert focused["tag"] == "button"
    page.keyboard.press("Enter")
    page.get_by_text("U bent aangemeld").first.wait_for()
    page.wait_for_load_state("load")
    check_both_widths(page, base)
    assert Registration.objects.get(session=session, member=esther).status == "confirmed"
