"""Every error at once: a CSV row lists each of its refusals beside its column, not only the
first one it met."""

import json

import pytest
from django.urls import reverse

from bouwplaats.planning.models import Work
from tests.factories import UserFactory

from .test_upload_page import POINT, page, post, rows

pytestmark = pytest.mark.django_db


def _problems(response) -> str:
    return page(response).split('id="upload-problems-title"')[1].split("</section>")[0]


def test_a_row_with_a_bad_date_lists_its_bad_kind_and_hindrance_too(client, ede_planner):
    client.force_login(ede_planner)
    text = _problems(post(client, rows(f"Riool;graafwerk;31-2-2027;2027-05-01;heel veel;{POINT}")))
    assert "Rij 2, kolom start: „31-2-2027”" in text
    assert "Rij 2, kolom soort: " in text and "graafwerk" in text
    assert "Rij 2, kolom hinder: " in text and "heel veel" in text


def test_a_row_without_a_place_lists_its_swapped_dates_too(client, ede_planner):
    client.force_login(ede_planner)
    text = _problems(post(client, rows("Riool;graafwerk;2027-06-01;2027-05-01;;")))
    assert "Rij 2, kolom geometrie: Geef de plaats" in text
    assert "Rij 2, kolom eind: De einddatum ligt voor de begindatum." in text
    assert "Rij 2, kolom soort: " in text


def test_a_row_that_reads_well_lists_every_model_refusal(client, ede_planner):
    client.force_login(ede_planner)
    text = _problems(post(client, rows(f"Riool;graafwerk;2027-06-01;2027-05-01;heel veel;{POINT}")))
    for column in ("soort", "hinder", "eind"):
        assert f"Rij 2, kolom {column}: " in text, column


def _work_form(**overrides):
    data = {
        "title": "Riool Bergstraat",
        "kind": "riolering",
        "status": "gepland",
        "hindrance": "geen",
        "start": "2027-06-01",
        "end": "2027-05-01",
        "geometry": json.dumps({"type": "Point", "coordinates": [2.35, 48.85]}),
    }
    data.update(overrides)
    return data


def test_the_work_form_shows_a_bad_place_and_a_bad_period_together(client, ede_planner):
    client.force_login(ede_planner)
    response = client.post(reverse("planning:create"), _work_form())
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["geometry"] == ["De coördinaten liggen buiten Nederland."]
    assert errors["end"] == ["De einddatum ligt voor de begindatum."]
    html = response.content.decode()
    assert "buiten Nederland" in html and "De einddatum ligt voor de begindatum." in html
    assert not Work.objects.exists()


def test_the_initiative_form_shows_a_bad_place_and_a_bad_period_together(client, ede):
    client.force_login(UserFactory(organisation=None))
    data = _work_form(owner=ede.pk)
    errors = client.post(reverse("planning:initiatives"), data).context["form"].errors
    assert errors["geometry"] and errors["end"]
    assert not Work.objects.exists()
