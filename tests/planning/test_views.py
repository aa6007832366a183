import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bouwplaats.planning import services
from bouwplaats.planning.models import CombinationRequest, JointWork, Work

from .conftest import BOWTIE_GEOMETRY, feature, line, square

pytestmark = pytest.mark.django_db


def form_data(geo=None, **overrides):
    today = timezone.localdate()
    data = {
        "title": "Groot onderhoud Bergstraat",
        "department": "wijkbeheer",
        "kind": "asfalt",
        "start": (today + datetime.timedelta(days=20)).isoformat(),
        "end": (today + datetime.timedelta(days=60)).isoformat(),
        "status": "gepland",
        "hindrance": "afsluiting",
        "geometry": json.dumps(geo or line(dy_m=3)),
        "public": "on",
    }
    data.update(overrides)
    return data


def test_map_page_shows_works_links_and_data(client, ede_planner, ede_work, liander_work):
    client.force_login(ede_planner)
    response = client.get(reverse("planning:map"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="planning-data"' in page and "Slimme combinaties" in page
    data = response.context["map_data"]
    assert {f["id"] for f in data["works"]["features"]} == {ede_work.pk, liander_work.pk}
    assert data["combinations"] and data["conflicts"]
    assert "<script>" not in page.replace('<script type="application/json"', "")


def on_map(response) -> list[int]:
    """Return the ids of the works the map page draws, in order."""
    return [f["id"] for f in response.context["map_data"]["works"]["features"]]


def test_map_filters_by_owner_kind_status_and_period(client, ede_planner, ede_work, liander_work):
    client.force_login(ede_planner)
    url = reverse("planning:map")
    assert on_map(client.get(url, {"owner": liander_work.owner_id})) == [liander_work.pk]
    assert on_map(client.get(url, {"kind": "riolering"})) == [ede_work.pk]
    assert on_map(client.get(url, {"status": "idee"})) == []
    far = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    assert on_map(client.get(url, {"period_from": far})) == []


def test_list_page_query_count_does_not_grow(client, ede_planner, django_assert_max_num_queries):
    for n in range(30):
        services.work_create(actor=ede_planner, feature=feature(line(dx_m=n * 100)))
    client.force_login(ede_planner)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("planning:list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 30
    assert "Pagina 1 van 2" in response.content.decode()


def test_visitor_sees_public_works_only(client, ede_planner, ede_work, liander_planner):
    services.work_create(actor=ede_planner, feature=feature(public=False, title="Geheim plan"))
    services.work_create(actor=liander_planner, feature=feature(public=False))
    page = client.get(reverse("planning:public")).content.decode()
    assert "Geheim plan" not in page
    assert ede_work.title in page
    # The internal map is for organisation members: a visitor is shown the residents' map.
    for name in ["planning:map", "planning:list"]:
        page = client.get(reverse(name)).content.decode()
        assert "Geheim plan" not in page and ede_work.title not in page
        assert "is voor medewerkers van de deelnemende organisaties" in page
    assert client.get(reverse("planning:create")).status_code == 302
    assert client.get(reverse("planning:requests")).status_code == 302


def test_public_map_carries_public_fields_only(client, ede_planner):
    services.work_create(
        actor=ede_planner, feature=feature(contact="06-12345678", external_id="INTERN-9")
    )
    response = client.get(reverse("planning:public"))
    props = response.context["map_data"]["works"]["features"][0]["properties"]
    assert set(props) == {
        "title",
        "owner",
        "colour",
        "kind",
        "period",
        "start",
        "end",
        "hindrance",
    }  # noqa: E501
    page = response.content.decode()
    assert "06-12345678" not in page and "INTERN-9" not in page


def test_create_form_saves_and_reports_combinations(client, ede_planner, liander_work):
    client.force_login(ede_planner)
    response = client.post(reverse("planning:create"), form_data(), follow=True)
    work = Work.objects.get(title="Groot onderhoud Bergstraat")
    assert response.redirect_chain[-1][0] == work.get_absolute_url()
    page = response.content.decode()
    assert "1 mogelijke combinatie," in page
    assert liander_work.title in page and "Stuur combinatieverzoek" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"geometry": "{niet json"}, "Geen geldige GeoJSON"),
        ({"geometry": json.dumps(BOWTIE_GEOMETRY)}, "Het vlak snijdt zichzelf."),
        (
            {"geometry": json.dumps({"type": "Point", "coordinates": [4.35, 50.85]})},
            "buiten Nederland",
        ),  # noqa: E501
        ({"start": "2026-06-01", "end": "2026-05-01"}, "De einddatum ligt voor de begindatum."),
    ],
)
def test_create_form_shows_dutch_error_next_to_the_field(client, ede_planner, overrides, message):
    client.force_login(ede_planner)
    response = client.post(reverse("planning:create"), form_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].errors
    assert not Work.objects.exists()


def test_member_without_organisation_may_not_enter_works(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(organisation=None))
    assert client.get(reverse("planning:create")).status_code == 403


def test_other_organisation_may_not_edit(client, liander_planner, ede_work):
    client.force_login(liander_planner)
    assert client.get(reverse("planning:update", args=[ede_work.pk])).status_code == 403
    url = reverse("planning:request_send", args=[ede_work.pk, ede_work.pk])
    assert client.get(url).status_code == 403


def test_update_form(client, ede_planner, ede_work):
    client.force_login(ede_planner)
    url = reverse("planning:update", args=[ede_work.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(title="Riolering Molenstraat, fase 2"))
    assert response.status_code == 302
    ede_work.refresh_from_db()
    assert ede_work.title == "Riolering Molenstraat, fase 2"


def test_request_accept_and_decline_pages(
    client, ede_planner, liander_planner, ede_work, liander_work
):
    client.force_login(ede_planner)
    url = reverse("planning:request_send", args=[ede_work.pk, liander_work.pk])
    past = client.post(url, {"deadline": timezone.localdate().isoformat()})
    assert "Kies een antwoorddatum in de toekomst." in past.content.decode()
    deadline = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    assert client.post(url, {"deadline": deadline, "message": "Samen in mei?"}).status_code == 302
    req = CombinationRequest.objects.get()
    # The requester cannot answer their own request.
    assert client.get(reverse("planning:request_decline", args=[req.pk])).status_code == 403
    client.force_login(liander_planner)
    inbox = client.get(reverse("planning:requests")).content.decode()
    assert "Samen in mei?" in inbox and "Accepteren" in inbox
    decline_url = reverse("planning:request_decline", args=[req.pk])
    empty = client.post(decline_url, {"reason": ""})
    assert "Dit veld is verplicht." in empty.content.decode()
    # Accepting cannot be undone: it asks first (issue 15 §3), and a POST without the
    # confirmation changes nothing.
    accept_url = reverse("planning:request_accept", args=[req.pk])
    assert f'href="{accept_url}"' in inbox
    confirm = client.get(accept_url).content.decode()
    assert "Ja, accepteer het verzoek" in confirm and 'name="bevestigd" value="1"' in confirm
    assert client.post(accept_url).status_code == 200
    req.refresh_from_db()
    assert req.status == CombinationRequest.Status.OPEN and not JointWork.objects.exists()
    response = client.post(accept_url, {"bevestigd": "1"}, follow=True)
    page = response.content.decode()
    assert "Gemeente Ede (wijkbeheer)" in page and "Liander" in page
    assert "Gezamenlijk werk" in page


def test_csv_export(client, ede_planner, ede_work):
    client.force_login(ede_planner)
    response = client.get(reverse("planning:export"))
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("id;titel;eigenaar")
    assert "Vervangen riolering Molenstraat" in lines[1] and "EDE-1" in lines[1]
    visitor = client.__class__().get(reverse("planning:export")).content.decode("utf-8-sig")
    assert "EDE-1" not in visitor


def test_csv_export_keeps_formulas_as_text(client, ede_planner, ede_work):
    type(ede_work).objects.filter(pk=ede_work.pk).update(
        title="=cmd|' /C calc'!A0", contact="@SUM(A1)"
    )
    client.force_login(ede_planner)
    response = client.get(reverse("planning:export"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["titel"].startswith("'=cmd")
    assert row["contact"].startswith("'@SUM")
    assert row["begin"] == ede_work.start.isoformat()


def test_zones_page_creates_and_deletes(client, liander_planner):
    client.force_login(liander_planner)
    url = reverse("planning:zones")
    bad = client.post(url, {"name": "Centrum", "geometry": json.dumps(line())})
    assert "Teken een vlak als interessegebied." in bad.content.decode()
    assert (
        client.post(url, {"name": "Centrum", "geometry": json.dumps(square())}).status_code == 302
    )
    zone = liander_planner.planning_interest_zones.get()
    client.post(reverse("planning:zone_delete", args=[zone.pk]))
    assert not liander_planner.planning_interest_zones.exists()


def test_detail_pages(client, ede_planner, ede_work, liander_work):
    client.force_login(ede_planner)
    page = client.get(ede_work.get_absolute_url()).content.decode()
    assert liander_work.title in page and "Geschiedenis" in page
    assert client.get(reverse("planning:detail", args=[99999])).status_code == 404


def test_map_page_query_count_does_not_grow(client, ede_planner, django_assert_max_num_queries):
    for n in range(30):
        services.work_create(actor=ede_planner, feature=feature(line(dx_m=n * 20)))
    client.force_login(ede_planner)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("planning:map"))
    assert len(on_map(response)) == 30
    assert response.context["combination_count"] == 0


def test_detail_shows_history_in_dutch(client, ede_planner, ede_work):
    services.work_update(
        actor=ede_planner,
        work=ede_work,
        feature=feature(status="in uitvoering", department="wijkbeheer", hindrance="rijstrook"),
    )
    client.force_login(ede_planner)
    page = client.get(ede_work.get_absolute_url()).content.decode()
    assert "Gewijzigd: status, hinder" in page and "Ingevoerd" in page


def test_map_says_when_it_shows_only_the_first_works(client, ede_planner, monkeypatch):
    from bouwplaats.planning import views

    monkeypatch.setattr(views, "MAP_LIMIT", 2)
    for n in range(3):
        services.work_create(actor=ede_planner, feature=feature(line(dx_m=n * 100)))
    client.force_login(ede_planner)
    response = client.get(reverse("planning:map"))
    assert len(on_map(response)) == 2
    assert "Zoom in om alle werken te zien" in response.content.decode()


def test_owner_choices_are_the_organisations_the_user_may_act_for(
    client, ede_planner, liander, admin_user
):
    client.force_login(ede_planner)
    owners = client.get(reverse("planning:create")).context["form"].fields["owner"].queryset
    assert list(owners) == [ede_planner.organisation]
    response = client.post(reverse("planning:create"), form_data(owner=liander.pk))
    assert "owner" in response.context["form"].errors
    assert not Work.objects.exists()
    client.force_login(admin_user)
    response = client.post(reverse("planning:create"), form_data(owner=liander.pk))
    assert response.status_code == 302
    assert Work.objects.get().owner == liander


def test_only_the_member_who_drew_a_zone_removes_it(client, liander_planner, ede_planner):
    zone = services.interest_zone_create(actor=liander_planner, name="Centrum", geometry=square())
    client.force_login(ede_planner)
    assert client.post(reverse("planning:zone_delete", args=[zone.pk])).status_code == 404
    assert liander_planner.planning_interest_zones.exists()


def test_a_stranger_does_not_find_a_request(client, ede_planner, liander_work, ede_work):
    from tests.factories import UserFactory

    req = services.combination_request_send(
        actor=ede_planner,
        from_work=ede_work,
        to_work=liander_work,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )
    client.force_login(UserFactory())
    assert client.get(reverse("planning:request_decline", args=[req.pk])).status_code == 404
    assert client.post(reverse("planning:request_accept", args=[req.pk])).status_code == 404
    req.refresh_from_db()
    assert req.status == CombinationRequest.Status.OPEN


def test_requests_page_query_count_does_not_grow(
    client, ede_planner, liander_planner, django_assert_max_num_queries
):
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    for n in range(12):
        mine = services.work_create(actor=ede_planner, feature=feature(line(dx_m=n * 300)))
        theirs = services.work_create(
            actor=liander_planner, feature=feature(line(dx_m=n * 300, dy_m=8))
        )
        services.combination_request_send(
            actor=liander_planner, from_work=theirs, to_work=mine, deadline=deadline
        )
    client.force_login(ede_planner)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("planning:requests"))
    page = response.content.decode()
    assert response.context["incoming"].paginator.count == 12
    assert page.count("Accepteren") == 12


def test_a_public_idea_is_shown_to_no_one_outside_the_organisations(
    client, api, ede_planner, ede_work
):
    # PRODUCT.md §6: ideas never reach residents, whatever the public flag says; each place a
    # visitor reads works asks the one rule (permissions.works_visible_to / can_view_work).
    idea = services.work_create(
        actor=ede_planner,
        feature=feature(line(dx_m=700), status="idee", public=True, title="Vergroenen Bergstraat"),
    )
    call_command("search_rebuild", verbosity=0)
    features = api(None).get("/works").json()["features"]
    assert {f["id"] for f in features} == {ede_work.pk}
    assert api(None).get(f"/works/{idea.pk}").status_code == 404
    assert client.get(reverse("planning:detail", args=[idea.pk])).status_code == 404
    assert "Vergroenen" not in client.get(reverse("planning:public")).content.decode()
    found = client.get("/api/v1/search", {"q": "Vergroenen Bergstraat"}).json()
    assert idea.pk not in [item["id"] for item in found["items"] if item["type"] == "work"]
    # Verified members see it, on the map and in search.
    client.force_login(ede_planner)
    assert idea.pk in on_map(client.get(reverse("planning:map")))
    found = api(ede_planner).get("/search?q=Vergroenen+Bergstraat").json()
    assert idea.pk in [item["id"] for item in found["items"] if item["type"] == "work"]


def test_the_maps_rows_draw_the_same_features_as_the_work_objects(
    client, ede_planner, ede_work, liander_work
):
    from bouwplaats.planning.geojson import map_data, plain

    Work.objects.filter(pk=ede_work.pk).update(department="wijkbeheer")
    client.force_login(ede_planner)
    drawn = client.get(reverse("planning:map")).context["map_data"]["works"]["features"]
    works = Work.objects.select_related("owner").order_by("start", "id")
    assert plain(drawn) == map_data(works, internal=True)["works"]["features"]
    assert "(wijkbeheer)" in {f["id"]: f for f in drawn}[ede_work.pk]["properties"]["owner"]
