"""Account pages inside the design: allauth's pages keep the profile's tabs, the login's
checkbox sits before its label, and actions are buttons without stray bullets."""

import re

from tests.factories import PASSWORD, UserFactory

from .conftest import login


def test_account_pages_keep_the_profile_tabs_and_the_design(site, db):
    site.goto("/account/login/")
    remember = site.get_by_label("Onthouden")
    box, label = remember.bounding_box(), site.locator("label[for='id_remember']").bounding_box()
    # The checkbox before its label, on one line (design system), not under a bold label.
    assert box["x"] < label["x"] and abs(box["y"] - label["y"]) < box["height"]
    member = UserFactory(email="esther@example.nl")
    login(site, member.email, PASSWORD)
    for path, tab in [
        ("/account/email/", "E-mailadressen"),
        ("/account/2fa/", "Tweestapsverificatie"),
        ("/account/password/change/", "Wachtwoord"),
    ]:
        site.goto(path)
        tabs = site.get_by_role("navigation", name="Mijn account")
        assert tabs.get_by_role("link", name=tab).get_attribute("aria-current") == "page"
        # No list bullets beside buttons.
        bullets = site.page.eval_on_selector_all(
            "main li:has(> a.bp-button, > button, > a[class*='button'])",
            "els => els.filter(e => getComputedStyle(e).listStyleType !== 'none').length",
        )
        assert bullets == 0, path
    site.goto("/profiel/")
    delete = site.get_by_role("link", name=re.compile("account verwijderen", re.I)).last
    assert "bp-button--danger" in delete.get_attribute("class")
