"""A NUL byte anywhere in a request is refused, never a 5xx, and stores nothing.

PostgreSQL cannot hold U+0000 in text, so one that reached a lookup was a 500 there (a
calendar token, a theme slug, a search filter each were). These tests cover the kind, not one
view: every URL pattern with a text parameter is refused at the edge (``core.request_guard``); page
filters, form posts and API query parameters are refused by their forms and schemas.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from bouwplaats.newsletters.models import Subscription
from tests.factories import ProgrammeFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

DUTCH = "ongeldig teken"


def _text_patterns(resolver=None, prefix=""):
    """Yield every route (as a string) that takes a str or slug parameter."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith(("beheer/", "api/")):
                continue
            yield from _text_patterns(entry, route)
        elif isinstance(entry, URLPattern) and ("<str:" in route or "<slug:" in route):
            yield route


def _fill(route: str) -> str:
    """Fill a route's parameters: text ones with a NUL byte, numbers with 1."""
    out, rest = "/", route
    while "<" in rest:
        head, _, tail = rest.partition("<")
        kind_name, _, rest = tail.partition(">")
        kind = kind_name.split(":")[0] if ":" in kind_name else "str"
        out += head + ("1" if kind == "int" else "ab%00cd")
    return out + rest


TEXT_ROUTES = sorted(set(_text_patterns()))


def test_the_crawl_finds_the_routes_that_take_text():
    # The tokens of mails and calendar feeds and the programme slugs are among them.
    assert len(TEXT_ROUTES) >= 10
    assert any("uitnodiging" in route for route in TEXT_ROUTES)
    assert any("bevestigen" in route for route in TEXT_ROUTES)


@pytest.mark.parametrize("route", TEXT_ROUTES)
def test_a_nul_byte_in_any_text_route_is_a_dutch_400(client, route):
    response = client.get(_fill(route))
    assert response.status_code == 400, (route, response.status_code)
    assert DUTCH in response.content.decode().lower()


@pytest.mark.parametrize(
    "url",
    [
        "/sessies/?programma=mi%00rt",
        "/sessies/?q=%00",
        "/sessies/?soort=bouw%00sessie&thema=%00",
        "/oproepen/?status=op%00en",
        "/kennis/?thema=a%00",
        "/werk-met-werk/lijst/?eigenaar=1%00",
        "/werk-met-werk/in-uw-straat/?q=Stations%00straat",
        "/zoeken/?q=a&page=1%00",
        "/nieuwsflits/?page=%00",
        "/account/login/?next=/sessies/%00",
    ],
)
def test_a_nul_byte_in_a_page_query_is_refused_by_its_form_never_a_5xx(client, url):
    # Page filters are forms: they refuse (or drop) the value and say so beside the field.
    ProgrammeFactory(slug="mirt")
    response = client.get(url)
    assert response.status_code < 500, url


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/api/v1/sessions", "programme"),
        ("/api/v1/sessions", "q"),
        ("/api/v1/sessions", "from"),
        ("/api/v1/works", "status"),
        ("/api/v1/works", "owner"),
        ("/api/v1/calls", "status"),
        ("/api/v1/questions", "q"),
        ("/api/v1/knowledge", "kind"),
    ],
)
def test_a_nul_byte_in_an_api_query_is_refused_by_its_schema_never_a_5xx(client, path, param):
    response = client.get(path, {param: "a\x00b"})
    assert response.status_code < 500
    assert response["Content-Type"].startswith("application/json")


def test_a_nul_byte_in_a_search_query_gives_results_not_an_error(client):
    # Issue 14: a query string gives a page, never an error (4xx only when over-long).
    response = client.get("/api/v1/search", {"q": "bew\x00oners"})
    assert response.status_code == 200
    assert client.get("/zoeken/", {"q": "bew\x00oners"}).status_code == 200


def test_a_form_post_with_a_nul_byte_is_refused_beside_the_field(client):
    from bouwplaats.newsletters.models import NewsletterList

    programme = ProgrammeFactory()
    newsletter_list = NewsletterList.objects.create(
        programme=programme, name="Nieuwsflits MIRT", slug="nieuwsflits-mirt"
    )
    prefix = f"list{newsletter_list.pk}"
    response = client.post(
        f"/nieuwsflits/{newsletter_list.slug}/aanmelden/",
        {f"{prefix}-email": "lezer@example.nl", f"{prefix}-name": "Le\x00zer"},
    )
    assert response.status_code == 400
    assert "bp-error-summary" in response.content.decode()
    assert not Subscription.objects.exists()


def test_a_clean_request_passes(client):
    SessionFactory()
    UserFactory()
    assert client.get("/sessies/?q=bewoners").status_code == 200
    assert client.get("/api/v1/sessions", {"q": "bewoners"}).status_code == 200
