"""A period filter with its end before its start is refused in Dutch, the same everywhere:
the residents' map, the internal map and list, and the API's ``from``/``to``."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SWAPPED = {"period_from": "2027-06-01", "period_to": "2027-01-01"}
MESSAGE = "De einddatum ligt voor de begindatum."


def test_residents_map_says_the_end_is_before_the_start(client, ede_work):
    response = client.get(reverse("planning:public"), SWAPPED)
    assert response.status_code == 200
    html = response.content.decode()
    assert MESSAGE in html
    assert "Er is in deze periode geen werk gepland." not in html


@pytest.mark.parametrize("page", ["planning:map", "planning:list"])
def test_internal_pages_say_the_end_is_before_the_start(client, ede_planner, ede_work, page):
    client.force_login(ede_planner)
    response = client.get(reverse(page), SWAPPED)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert response.context["form"].errors


def test_a_period_in_order_is_no_error(client, ede_planner, ede_work):
    client.force_login(ede_planner)
    response = client.get(reverse("planning:list"), {"period_from": "2027-01-01"})
    assert MESSAGE not in response.content.decode()
    response = client.get(reverse("planning:public"), {"period_to": "2027-01-01"})
    assert MESSAGE not in response.content.decode()


def test_api_answers_422_with_the_field(client, ede_work):
    response = client.get("/api/v1/works", {"from": "2027-06-01", "to": "2027-01-01"})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == MESSAGE
    assert body["errors"] == {"to": [MESSAGE]}
    same_day = {"from": "2027-01-01", "to": "2027-01-01"}
    assert client.get("/api/v1/works", same_day).status_code == 200
