"""Mijn Bouwplaats shows a planner what waits (hook ``mine_sections``): open combination
requests to the organisation's works and residents' initiatives to decide on."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bouwplaats.planning import services
from tests.factories import UserFactory

from .conftest import square

pytestmark = pytest.mark.django_db

NOTHING = "Er wacht niets op u."


def _waiting(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("mine:index"))
    assert response.status_code == 200
    html = response.content.decode()
    return html.split('id="waiting-heading"', 1)[1].split("</section>", 1)[0]


def _request(ede_planner, ede_work, liander_work):
    return services.combination_request_send(
        actor=ede_planner,
        from_work=ede_work,
        to_work=liander_work,
        deadline=timezone.localdate() + datetime.timedelta(days=14),
    )


def test_an_open_combination_request_waits_for_the_asked_organisation(
    client, ede_planner, ede_work, liander_work, liander_planner
):
    _request(ede_planner, ede_work, liander_work)
    waiting = _waiting(client, liander_planner)
    assert NOTHING not in waiting
    assert "Combinatieverzoeken aan uw organisatie" in waiting
    assert "Gemeente Ede wil „Vervangen riolering Molenstraat” combineren met uw werk" in waiting
    assert "„Vervangen middenspanningskabel”" in waiting
    assert f'href="{reverse("planning:requests")}"' in waiting
    # The asking side waits for nothing.
    assert NOTHING in _waiting(client, ede_planner)


def test_an_answered_request_no_longer_waits(
    client, ede_planner, ede_work, liander_work, liander_planner
):
    request = _request(ede_planner, ede_work, liander_work)
    services.combination_request_decline(actor=liander_planner, request=request, reason="Te laat")
    assert NOTHING in _waiting(client, liander_planner)


def test_a_residents_initiative_waits_for_the_municipalitys_planner(
    client, ede, ede_planner, liander_planner
):
    resident = UserFactory(full_name="Bea Bewoner")
    services.initiative_propose(
        actor=resident, owner=ede, title="Speeltuin Molenstraat", description="",
        geometry=square(), start=timezone.localdate(), end=timezone.localdate(),
    )  # fmt: skip
    waiting = _waiting(client, ede_planner)
    assert "Initiatieven van bewoners om over te besluiten" in waiting
    assert "„Speeltuin Molenstraat”, voorgesteld door Bea Bewoner" in waiting
    assert f'href="{reverse("planning:initiatives")}#decide-heading"' in waiting
    # Another organisation's planner and the resident are not asked to decide.
    assert "Speeltuin Molenstraat" not in _waiting(client, liander_planner)
    assert NOTHING in _waiting(client, resident)


def test_waiting_requests_cost_the_same_queries_however_many(
    client, ede_planner, ede_work, liander_work, liander_planner, django_assert_num_queries
):
    _request(ede_planner, ede_work, liander_work)
    client.force_login(liander_planner)
    client.get(reverse("mine:index"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("mine:index"))
    for n in range(3):
        other = services.work_create(
            actor=ede_planner,
            feature={
                "type": "Feature",
                "geometry": liander_work.geometry,
                "properties": {
                    "kind": "asfalt",
                    "title": f"Asfalt {n}",
                    "start": ede_work.start.isoformat(),
                    "end": ede_work.end.isoformat(),
                    "hindrance": "afsluiting",
                },
            },
        )
        _request(ede_planner, other, liander_work)
    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get(reverse("mine:index")).content.decode()
    assert html.count("Beantwoord het verzoek") == 4
