"""A work placed by address on its create and edit page: the locator's geometry, no drawing."""

import datetime
import html
import json

import pytest
from django.utils import timezone

from bouwplaats.planning import locator, placing
from bouwplaats.planning.models import Work

from .conftest import line

pytestmark = pytest.mark.django_db
CREATE = "/werk-met-werk/nieuw/"
STREET = {
    "type": "weg",
    "weergavenaam": "Molenstraat, Ede",
    "centroide_ll": "POINT(5.663 52.0445)",
    "geometrie_ll": "MULTILINESTRING((5.6618 52.0442,5.6642 52.0448))",
}
ADDRESS = {
    "type": "adres",
    "weergavenaam": "Molenstraat 12, 6711AB Ede",
    "centroide_ll": "POINT(5.66311 52.04462)",
}


def form(**overrides):
    today = timezone.localdate()
    data = {
        "title": "Vervangen riolering Molenstraat",
        "kind": "riolering",
        "start": (today + datetime.timedelta(days=20)).isoformat(),
        "end": (today + datetime.timedelta(days=60)).isoformat(),
        "status": "gepland",
        "hindrance": "afsluiting",
        "geometry": "",
        "public": "on",
    }
    data.update(overrides)
    return data


def answers(*docs):
    return {"response": {"docs": list(docs)}}


@pytest.fixture
def asked(monkeypatch, settings):
    """Mock the locator's HTTP edge with the Molenstraat; return the questions asked."""
    settings.PDOK_LOCATIESERVER_URL = "https://locator.example/search/v3_1"
    questions = []

    def fetch(url, params):
        questions.append((url, params["q"]))
        query = params["q"].lower()
        if "12" in query:
            return answers(ADDRESS)
        return answers(STREET) if "molenstraat" in query else answers()

    monkeypatch.setattr(locator, "fetch_json", fetch)
    return questions


def _never(url, params):
    raise AssertionError("the locator must not be asked")


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_street_places_the_work_on_the_streets_line(client, ede_planner, asked):
    client.force_login(ede_planner)
    response = client.post(CREATE, form(address="Molenstraat, Ede"), follow=True)
    work = Work.objects.get()
    assert work.geometry == {
        "type": "MultiLineString",
        "coordinates": [[[5.6618, 52.0442], [5.6642, 52.0448]]],
    }
    assert asked == [("https://locator.example/search/v3_1/free", "Molenstraat, Ede")]
    assert "Het werk staat op Molenstraat, Ede, gevonden met de adreszoeker van PDOK." in text(
        response
    )


def test_an_address_places_the_work_on_its_point(client, ede_planner, asked):
    client.force_login(ede_planner)
    assert client.post(CREATE, form(address="Molenstraat 12 Ede")).status_code == 302
    assert Work.objects.get().geometry == {"type": "Point", "coordinates": [5.66311, 52.04462]}


def test_a_drawing_goes_before_the_address(client, ede_planner, monkeypatch):
    monkeypatch.setattr(locator, "fetch_json", _never)
    client.force_login(ede_planner)
    drawn = line(dy_m=3)
    response = client.post(CREATE, form(address="Molenstraat, Ede", geometry=json.dumps(drawn)))
    assert response.status_code == 302
    assert Work.objects.get().geometry["type"] == "LineString"


def test_unknown_address_is_an_error_beside_the_field_and_nothing_is_stored(
    client, ede_planner, asked
):
    client.force_login(ede_planner)
    response = client.post(CREATE, form(address="Nergensweg 99"))
    assert response.status_code == 200
    page = text(response)
    errors = page.split('id="id_address_errors"')[1].split("</ul>")[0]
    assert "Geen straat, postcode of adres gevonden voor „Nergensweg 99”" in errors
    assert 'href="#id_address"' in page  # the error summary links to the field
    assert not Work.objects.exists()


def test_the_locator_unreachable_is_a_clear_error_and_nothing_is_stored(
    client, ede_planner, monkeypatch
):
    def down(url, params):
        raise locator.LocatorError("De adreszoeker van PDOK is nu niet bereikbaar.")

    monkeypatch.setattr(locator, "fetch_json", down)
    client.force_login(ede_planner)
    response = client.post(CREATE, form(address="Molenstraat, Ede"))
    assert response.status_code == 200
    errors = text(response).split('id="id_address_errors"')[1].split("</ul>")[0]
    assert "niet bereikbaar. Teken het werk op de kaart of plak GeoJSON." in errors
    assert not Work.objects.exists()


def test_without_drawing_or_address_the_place_is_asked_for(client, ede_planner, monkeypatch):
    monkeypatch.setattr(locator, "fetch_json", _never)
    client.force_login(ede_planner)
    response = client.post(CREATE, form())
    errors = text(response).split('id="id_geometry_errors"')[1].split("</ul>")[0]
    assert "Teken het werk op de kaart, plak GeoJSON of vul een adres of postcode in." in errors
    assert not Work.objects.exists()


@pytest.mark.parametrize("address", ["x" * 10_000, "Molenstraat\nEde", "Molen\x1bstraat"])
def test_a_hostile_address_is_refused_before_asking(client, ede_planner, monkeypatch, address):
    monkeypatch.setattr(locator, "fetch_json", _never)
    client.force_login(ede_planner)
    response = client.post(CREATE, form(address=address))
    assert response.status_code == 200
    assert 'id="id_address_errors"' in response.content.decode()
    assert not Work.objects.exists()


def test_a_nul_byte_in_the_address_is_refused_and_nothing_is_asked(
    client, ede_planner, monkeypatch
):
    monkeypatch.setattr(locator, "fetch_json", _never)
    client.force_login(ede_planner)
    response = client.post(CREATE, form(address="Molen\x00straat"))
    # Either the site's request guard refuses it at the edge, or the form beside the field.
    if response.status_code == 400:
        assert "NUL" in response.content.decode()
    else:
        assert response.status_code == 200
        assert 'id="id_address_errors"' in response.content.decode()
    assert not Work.objects.exists()


def test_a_service_refusal_after_the_lookup_stores_nothing(client, ede_planner, asked):
    client.force_login(ede_planner)
    response = client.post(CREATE, form(address="Molenstraat, Ede", end="1850-01-01"))
    assert response.status_code == 200
    assert "Kies een datum tussen 1900 en 2200." in text(response)
    assert not Work.objects.exists()


def test_the_edit_page_moves_a_work_by_address_unless_a_new_drawing_came(
    client, ede_planner, ede_work, asked
):
    client.force_login(ede_planner)
    url = f"/werk-met-werk/{ede_work.pk}/bewerken/"
    page = text(client.get(url))
    assert 'id="id_address"' in page
    # The field holds the stored geometry: unchanged, the address moves the work.
    stored = json.dumps(ede_work.geometry)
    data = form(address="Molenstraat 12 Ede", geometry=stored, title=ede_work.title)
    assert client.post(url, data).status_code == 302
    ede_work.refresh_from_db()
    assert ede_work.geometry["type"] == "Point"
    # A new drawing goes before the address.
    data = form(address="Molenstraat, Ede", geometry=json.dumps(line(dy_m=40)))
    assert client.post(url, data).status_code == 302
    ede_work.refresh_from_db()
    assert ede_work.geometry["type"] == "LineString"
    assert len(asked) == 1


def test_a_place_without_a_work_shape_becomes_its_centre_point(monkeypatch):
    collection = {
        "type": "weg",
        "weergavenaam": "Plein, Ede",
        "geometrie_ll": "GEOMETRYCOLLECTION(POINT(5.66 52.04),POINT(5.67 52.05))",
    }
    monkeypatch.setattr(locator, "fetch_json", lambda url, params: answers(collection))
    place, geometry = placing.locate("Plein Ede")
    assert place.label == "Plein, Ede"
    assert geometry == {"type": "Point", "coordinates": [5.665, 52.045]}


# A resident's initiative is placed by address too: pasting GeoJSON is no keyboard alternative.

INITIATIVES = "/werk-met-werk/initiatieven/"


def initiative(owner, **overrides):
    today = timezone.localdate()
    data = {
        "owner": owner.pk,
        "title": "Geveltuinen Molenstraat",
        "description": "Bewoners willen geveltuinen aanleggen.",
        "start": (today + datetime.timedelta(days=40)).isoformat(),
        "end": (today + datetime.timedelta(days=50)).isoformat(),
        "geometry": "",
    }
    data.update(overrides)
    return data


def test_a_resident_places_an_initiative_by_address(client, member, ede, asked):
    ede.verified = True
    ede.save(update_fields=["verified"])
    client.force_login(member)
    response = client.post(INITIATIVES, initiative(ede, address="Molenstraat 12, Ede"), follow=True)
    assert "Uw initiatief is voorgesteld aan Gemeente Ede" in text(response)
    work = Work.objects.get(title="Geveltuinen Molenstraat")
    assert work.geometry["type"] == "Point"
    assert work.initiative == "proposed"


def test_an_initiative_without_place_or_with_an_unknown_address_is_refused(
    client, member, ede, asked
):
    ede.verified = True
    ede.save(update_fields=["verified"])
    client.force_login(member)
    response = client.post(INITIATIVES, initiative(ede))
    assert "vul een adres of postcode in" in text(response)
    response = client.post(INITIATIVES, initiative(ede, address="Nergensstraat 1"))
    assert "Geen straat, postcode of adres gevonden voor „Nergensstraat 1”" in text(response)
    assert not Work.objects.filter(title="Geveltuinen Molenstraat").exists()
