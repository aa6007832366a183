"""A search box in the header of every page type; it leads to the results page."""

import pytest
from django.urls import reverse

from tests.factories import ProgrammeFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_every_kind_of_page_has_the_header_search_box(client, member):
    session = SessionFactory(title="Bewonersavond Ede")
    programme = ProgrammeFactory(name="Goedopweg", slug="goedopweg")
    pages = [
        reverse("home"),
        reverse("events:list"),
        session.get_absolute_url(),
        programme.get_absolute_url(),
        reverse("search:results") + "?q=bewoners",
        reverse("account_login"),
        "/bestaat-niet/",
    ]
    responses = [(url, client.get(url)) for url in pages]
    client.force_login(member)
    for url in [reverse("accounts:profile"), reverse("home")]:
        responses.append((url, client.get(url)))
    for url, response in responses:
        assert response.status_code in (200, 404), url
        html = response.content.decode()
        assert 'role="search"' in html, url
        assert f'action="{reverse("search:results")}"' in html, url
        assert 'id="bp-header-q"' in html, url


def test_the_results_page_keeps_the_query_and_finds_from_the_header(client):
    SessionFactory(title="Bewonersavond Ede")
    response = client.get(reverse("search:results"), {"q": '"bewoners" <>&'})
    html = response.content.decode()
    assert 'value="&quot;bewoners&quot; &lt;&gt;&amp;"' in html
    assert "Bewonersavond Ede" in html
    assert "<mark>" not in html.split("<h3>")[1].split("</h3>")[0]


def test_empty_states(client):
    html = client.get(reverse("search:results")).content.decode()
    assert "Typ een of meer woorden" in html
    html = client.get(reverse("search:results"), {"q": "onvindbaarwoord"}).content.decode()
    assert "Niets gevonden." in html


def test_the_header_box_keeps_the_query_on_the_results_page_only(client):
    response = client.get(reverse("search:results"), {"q": 'fiets"<script>'})
    html = response.content.decode()
    header = html[html.index('id="bp-header-q"') : html.index(">", html.index('id="bp-header-q"'))]
    assert 'value="fiets&quot;&lt;script&gt;"' in header
    other = client.get(reverse("events:list"), {"q": "fiets"}).content.decode()
    header = other[
        other.index('id="bp-header-q"') : other.index(">", other.index('id="bp-header-q"'))
    ]
    assert "value=" not in header
