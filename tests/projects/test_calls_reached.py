"""Calls can be reached by everyone: "Oproepen" in the header, a link from the home page and
a block on the programme page when the programme has open calls; "Mijn Bouwplaats" in the
header for signed-in members."""

import re

import pytest

from tests.factories import ProgrammeFactory, UserFactory

from .helpers import days, make_call

pytestmark = pytest.mark.django_db


def _nav_links(html: str) -> list[str]:
    """Return the link texts of the header's wide menu."""
    wide = html.split('class="bp-menu-wide"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', wide)


def test_header_offers_oproepen_to_a_visitor_in_both_menus(client):
    html = client.get("/").content.decode()
    assert ("/oproepen/", "Oproepen") in _nav_links(html)
    # The phone menu (<details>) carries the same item.
    phone = html.split('class="bp-menu"', 1)[1].split("</details>", 1)[0]
    assert 'href="/oproepen/"' in phone
    assert "Mijn Bouwplaats" not in html


def test_header_marks_oproepen_current_on_the_calls_page(client):
    html = client.get("/oproepen/").content.decode()
    assert '<a href="/oproepen/" aria-current="page">Oproepen</a>' in html


def test_header_offers_mijn_bouwplaats_to_a_member(client):
    client.force_login(UserFactory())
    html = client.get("/").content.decode()
    assert ("/mijn-bouwplaats/", "Mijn Bouwplaats") in _nav_links(html)
    mine = client.get("/mijn-bouwplaats/").content.decode()
    assert '<a href="/mijn-bouwplaats/" aria-current="page">Mijn Bouwplaats</a>' in mine


def test_home_page_links_its_mention_of_oproepen(client):
    html = client.get("/").content.decode()
    hero = html.split('class="bp-hero"', 1)[1].split("</section>", 1)[0]
    assert '<a href="/oproepen/">oproepen voor projecten</a>' in hero


def test_programme_page_shows_its_open_calls(client, programme, call):
    make_call(programme, title="Concept-oproep", published=False)
    make_call(programme, title="Gesloten oproep", opens_on=days(-30), closes_on=days(-1))
    make_call(ProgrammeFactory(), title="Oproep van een ander programma")
    html = client.get(f"/programmas/{programme.slug}/").content.decode()
    section = html.split('data-section="calls"', 1)[1].split("</section>", 1)[0]
    assert f'href="{call.get_absolute_url()}"' in section and "Meedoen met uw project?" in section
    assert 'href="/oproepen/"' in section
    assert "Concept-oproep" not in html and "Gesloten oproep" not in html
    assert "Oproep van een ander programma" not in html


def test_programme_page_without_open_calls_has_no_calls_block(client, programme):
    make_call(programme, title="Gesloten oproep", opens_on=days(-30), closes_on=days(-1))
    html = client.get(f"/programmas/{programme.slug}/").content.decode()
    assert 'data-section="calls"' not in html
