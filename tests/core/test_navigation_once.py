"""The main menu shows twice on every page (phone and desktop) but is rendered once."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

MENU = re.compile(r'<nav class="bp-nav".*?</nav>', re.S)


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_menu_is_rendered_once_and_shown_in_both_places(member, signed_in):
    client = Client()
    if signed_in:
        client.force_login(member)
    response = client.get("/sessies/")
    names = [template.name for template in response.templates]
    assert names.count("includes/_nav.html") == 1
    html = response.content.decode()
    folded, wide = MENU.findall(html)
    assert folded == wide
    assert 'aria-current="page">Sessies<' in wide
    assert ("Uitloggen" in wide) is signed_in and ("Inloggen" in wide) is not signed_in
