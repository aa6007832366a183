"""GET /programmes/{id}/koffertjes per API.md; the demo (seeds 000 and 004); the AVG hook."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from bouwplaats.accounts.services import member_export
from bouwplaats.anchoring import demo, services
from bouwplaats.anchoring.models import (
    Koffertje,
    KoffertjeItem,
    Stakeholder,
    StakeholderPerson,
    StakeholderRating,
)
from bouwplaats.programmes.models import Programme


def test_the_api_lists_each_regions_koffertje(api, programme, brabant, gelderland):
    services.koffertje_item_add(
        actor=brabant[1],
        koffertje=brabant[0],
        element="samenwerking",
        text="Taskforce",
        owner="Taskforce Brabant",
        status="besproken",
    )
    services.koffertje_item_add(
        actor=gelderland[1],
        koffertje=gelderland[0],
        element="vervolgstap",
        text="Bouwsessie",
        status="idee",
    )
    response = api().get(f"/programmes/{programme.pk}/koffertjes")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [k["region"] for k in body["items"]] == ["Arnhem-Nijmegen", "Brabant"]
    assert body["items"][1]["items"] == [
        {
            "element": "samenwerking",
            "text": "Taskforce",
            "owner": "Taskforce Brabant",
            "status": "besproken",
        }
    ]
    filtered = api().get(f"/programmes/{programme.pk}/koffertjes", {"status": "idee"}).json()
    assert [len(k["items"]) for k in filtered["items"]] == [1, 0]


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/programmes/999999/koffertjes", {}, 404),
        ("/programmes/x/koffertjes", {}, 422),
        ("/programmes/{id}/koffertjes", {"status": "vergeten"}, 422),
        ("/programmes/{id}/koffertjes", {"element": "koffie"}, 422),
        ("/programmes/{id}/koffertjes", {"limit": 0}, 422),
    ],
)
def test_the_koffertjes_api_refuses_bad_parameters_with_json(api, programme, path, params, status):
    response = api().get(path.replace("{id}", str(programme.pk)), params)
    assert response.status_code == status
    assert "detail" in response.json()


def test_the_api_paths_are_not_defined_twice(api):
    paths = api().get("/openapi.json").json()["paths"]
    assert "/api/v1/programmes/{programme_id}/koffertjes" in paths
    assert "/api/v1/programmes/{programme_id}/stakeholders" in paths


# Demo ------------------------------------------------------------------------------------------


@pytest.fixture
def demo_loaded(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_has_two_regions_koffertjes_and_the_cooperative_field(demo_loaded, client):
    beter_benutten = Programme.objects.get(slug="beter-benutten")
    regions = sorted(k.region.name for k in Koffertje.objects.filter(programme=beter_benutten))
    assert regions == ["Arnhem-Nijmegen", "Brabant"]
    brabant = Koffertje.objects.get(programme=beter_benutten, region__slug="brabant")
    assert brabant.items.filter(text__contains="Taskforce", owner="Taskforce Brabant").exists()
    field = Stakeholder.objects.filter(programme__slug="cooperatief-programmamanagement")
    assert set(field.values_list("name", flat=True)) == {
        "Bewonerscollectief",
        "Gemeente",
        "Woningcorporatie",
        "Netbeheerder",
    }
    collective = field.get(name="Bewonerscollectief")
    assert list(collective.ratings.values_list("interest", "influence")) == [(4, 2), (5, 3), (5, 4)]
    assert collective.direction == "bottom_up" and collective.level == "meebeslissen"
    assert field.get(name="Netbeheerder").is_stale()  # 200 days ago: the flag shows in the demo
    # The pages show it, and the dashboard has real numbers from the demo.
    html = client.get(reverse("anchoring:koffertjes", kwargs={"slug": "beter-benutten"}))
    assert "Taskforce Brabant" in html.content.decode()
    from bouwplaats.accounts.models import User

    client.force_login(User.objects.get(email="beheer@demo.bouwplaats.nl"))
    html = client.get(reverse("anchoring:dashboard", kwargs={"slug": "beter-benutten"}))
    assert html.status_code == 200 and "data-sessions-held=" in html.content.decode()


def test_the_demo_loads_twice_without_duplicates(demo_loaded):
    counts = (
        Koffertje.objects.count(),
        KoffertjeItem.objects.count(),
        Stakeholder.objects.count(),
        StakeholderRating.objects.count(),
    )
    demo.load()
    assert counts == (
        Koffertje.objects.count(),
        KoffertjeItem.objects.count(),
        Stakeholder.objects.count(),
        StakeholderRating.objects.count(),
    )


# AVG -------------------------------------------------------------------------------------------


def test_a_members_entries_are_exported_and_forgotten(
    programme, team_member, stakeholder, brabant, member
):
    koffertje, region_member = brabant
    services.koffertje_item_add(
        actor=region_member, koffertje=koffertje, element="werkwijze", text="De werkwijze"
    )
    services.koffertje_set_up(
        actor=team_member, programme=programme, region=koffertje.region, writers=[member]
    )
    services.stakeholder_person_add(
        actor=team_member,
        stakeholder=stakeholder,
        name="Esther de Lange",
        role="Trekker",
        member=member,
    )
    data = member_export(user=member)
    assert data["stakeholder_entries"][0]["stakeholder"] == "Bewonerscollectief"
    assert data["koffertje_writer_of"] == [{"programme": "Beter Benutten", "region": "Brabant"}]
    assert member_export(user=team_member)["stakeholder_ratings_made"][0]["reason"] == (
        "Bewoners nemen het initiatief"
    )
    assert member_export(user=region_member)["koffertje_items_updated"][0]["text"] == "De werkwijze"

    from bouwplaats.anchoring.avg import forget

    forget(user=member)
    forget(user=team_member)
    forget(user=region_member)
    assert not StakeholderPerson.objects.exists() and not koffertje.writers.exists()
    assert StakeholderRating.objects.get().by is None  # the field's history stays
    assert KoffertjeItem.objects.get().updated_by is None


# The programme page ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("visitor", ["koffertjes"]),
        ("outsider", ["koffertjes", "stakeholders"]),
        ("team", ["koffertjes", "stakeholders", "dashboard"]),
    ],
)
def test_the_programme_page_links_to_what_the_reader_may_see(
    client, programme, brabant, team_member, outsider, who, expected
):
    user = {"outsider": outsider, "team": team_member}.get(who)
    if user:
        client.force_login(user)
    html = client.get(programme.get_absolute_url()).content.decode()
    found = re.findall(
        r'href="/programmas/beter-benutten/(koffertjes|stakeholders|dashboard)/"', html
    )
    assert found == expected
