"""The residents' page: street search through the locator's one HTTP edge, no ideas."""

import datetime

import pytest
from django.utils import timezone

from bouwplaats.accounts.models import Organisation
from bouwplaats.planning import locator, services
from tests.factories import OrganisationFactory, PlannerFactory

pytestmark = pytest.mark.django_db
URL = "/werk-met-werk/in-uw-straat/"


def _work(planner, title, *, status="gepland"):
    today = timezone.localdate()
    return services.work_create(
        actor=planner,
        feature={
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [5.663, 52.0445]},
            "properties": {
                "title": title,
                "kind": "groen",
                "status": status,
                "start": (today + datetime.timedelta(days=5)).isoformat(),
                "end": (today + datetime.timedelta(days=50)).isoformat(),
            },
        },
    )


@pytest.fixture
def planner():
    ede = OrganisationFactory(name="Gemeente Ede", kind=Organisation.Kind.GEMEENTE)
    return PlannerFactory(organisation=ede)


def _never(url, params):
    raise AssertionError("the locator must not be asked")


def test_ideas_and_finished_works_never_show(client, planner):
    _work(planner, "Geveltuinen Kerkstraat")
    _work(planner, "Idee: vergroenen Bergstraat", status="idee")
    _work(planner, "Brandkraan vervangen", status="gereed")
    html = client.get(URL).content.decode()
    assert "Geveltuinen Kerkstraat" in html
    assert "vergroenen Bergstraat" not in html
    assert "Brandkraan" not in html


def test_locator_down_says_so_in_dutch(client, planner, monkeypatch):
    def down(url, params):
        raise locator.LocatorError("De adreszoeker van PDOK is nu niet bereikbaar.")

    monkeypatch.setattr(locator, "fetch_json", down)
    response = client.get(URL, {"q": "Molenstraat"})
    assert response.status_code == 200
    assert "niet bereikbaar" in response.content.decode()


@pytest.mark.parametrize(
    "answer",
    [
        [],
        "geen json",
        {"response": {"docs": "x"}},
        {"response": {"docs": [{"weergavenaam": "Ergens", "centroide_ll": "POINT(0 0)"}]}},
        {"response": {"docs": [{"weergavenaam": "Kapot", "centroide_ll": "POINT(("}]}},
        {"response": {"docs": [{"weergavenaam": "", "centroide_ll": "POINT(5.66 52.04)"}]}},
    ],
)
def test_odd_locator_answers_find_nothing(client, planner, monkeypatch, answer):
    monkeypatch.setattr(locator, "fetch_json", lambda url, params: answer)
    response = client.get(URL, {"q": "Molenstraat"})
    assert response.status_code == 200
    assert "Geen straat, postcode of adres gevonden" in response.content.decode()


@pytest.mark.parametrize("query", ["x" * 10_000, "Molen\x00straat"])
def test_bad_queries_are_refused_before_asking(client, planner, monkeypatch, query):
    monkeypatch.setattr(locator, "fetch_json", _never)
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert "bp-error-summary" in response.content.decode()


def test_a_postcode_finds_the_works_around_it(client, planner, monkeypatch):
    _work(planner, "Geveltuinen Kerkstraat")
    monkeypatch.setattr(
        locator,
        "fetch_json",
        lambda url, params: {
            "response": {
                "docs": [
                    {
                        "type": "postcode",
                        "weergavenaam": "6711 AB Ede",
                        "centroide_ll": "POINT(5.6631 52.0446)",
                    },
                ]
            }
        },  # fmt: skip
    )
    html = client.get(URL, {"q": "6711AB"}).content.decode()
    assert "Werk in of bij 6711 AB Ede" in html
    assert "Geveltuinen Kerkstraat" in html


def test_visitor_following_a_link_to_a_work_gets_its_public_view(client, planner):
    work = _work(planner, "Geveltuinen Kerkstraat")
    response = client.get(work.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Geveltuinen Kerkstraat</h1>" in html
    # No history, requests or internal fields for a visitor.
    assert "Geschiedenis" not in html and "Combinatieverzoek" not in html
    idea = _work(planner, "Idee: vergroenen Bergstraat", status="idee")
    assert client.get(idea.get_absolute_url()).status_code == 404
