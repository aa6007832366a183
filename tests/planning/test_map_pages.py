"""Map pages at volume: tuples instead of model objects, at most MAP_LIMIT works, fixed queries."""

import pytest
from django.urls import reverse

from bouwplaats.planning import services, views
from bouwplaats.planning.geojson import map_data, plain
from bouwplaats.planning.models import Work

from .conftest import feature, line

pytestmark = pytest.mark.django_db


def drawn(response) -> list[dict]:
    return response.context["map_data"]["works"]["features"]


def make_works(planner, n: int, **props) -> None:
    for i in range(n):
        services.work_create(actor=planner, feature=feature(line(dx_m=i * 100), **props))


@pytest.mark.parametrize("n", [3, 12])
def test_map_page_queries_do_not_grow_with_the_works(
    client, ede_planner, n, django_assert_num_queries
):
    make_works(ede_planner, n)
    client.force_login(ede_planner)
    with django_assert_num_queries(7):
        response = client.get(reverse("planning:map"))
    assert len(drawn(response)) == n


@pytest.mark.parametrize("n", [3, 12])
def test_residents_map_queries_do_not_grow_with_the_works(
    client, ede_planner, n, django_assert_num_queries
):
    make_works(ede_planner, n)
    with django_assert_num_queries(3):
        response = client.get(reverse("planning:public"))
    assert len(drawn(response)) == n


@pytest.mark.parametrize("name", ["planning:create", "planning:zones", "planning:initiatives"])
def test_drawing_maps_queries_do_not_grow_with_the_works(
    client, ede_planner, name, django_assert_max_num_queries
):
    make_works(ede_planner, 2)
    client.force_login(ede_planner)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse(name))
    make_works(ede_planner, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(name))
    assert len(drawn(response)) == 12


def test_residents_map_draws_the_same_features_as_the_work_objects(client, ede_planner):
    make_works(ede_planner, 3)
    features = drawn(client.get(reverse("planning:public")))
    works = Work.objects.select_related("owner").order_by("start", "id")
    assert plain(features) == map_data(works, internal=False)["works"]["features"]


def test_residents_map_says_when_it_shows_only_the_first_works(client, ede_planner, monkeypatch):
    monkeypatch.setattr(views, "MAP_LIMIT", 2)
    make_works(ede_planner, 3)
    response = client.get(reverse("planning:public"))
    assert len(drawn(response)) == 2
    page = response.content.decode()
    assert "de kaart toont er 2" in page and "Zoom in" in page
    # The list under the map still names every work.
    assert response.context["page"].paginator.count == 3


def test_residents_map_draws_no_hidden_work(client, ede_planner):
    make_works(ede_planner, 1, title="Openbaar werk")
    make_works(ede_planner, 1, title="Geheim plan", public=False)
    make_works(ede_planner, 1, title="Een idee", status="idee")
    titles = {f["properties"]["title"] for f in drawn(client.get(reverse("planning:public")))}
    assert titles == {"Openbaar werk"}


def test_drawing_maps_of_a_resident_show_public_fields_only(client, ede_planner, db):
    from tests.factories import UserFactory

    make_works(ede_planner, 1, title="Openbaar werk")
    make_works(ede_planner, 1, title="Geheim plan", public=False)
    client.force_login(UserFactory())
    features = drawn(client.get(reverse("planning:initiatives")))
    assert [f["properties"]["title"] for f in features] == ["Openbaar werk"]
    assert "url" not in features[0]["properties"] and "status" not in features[0]["properties"]


def test_map_features_carry_only_what_the_map_reads(client, ede_planner):
    make_works(ede_planner, 1)
    client.force_login(ede_planner)
    (only,) = drawn(client.get(reverse("planning:map")))
    assert set(only["properties"]) == {
        "title",
        "owner",
        "colour",
        "kind",
        "period",
        "start",
        "end",
        "hindrance",
        "status",
        "url",
    }


def test_filtered_lists_count_only_pairs_whose_two_works_match(
    client, ede_planner, liander_planner, django_assert_num_queries
):
    """The list's pairs under a filter: both works match it (one side matching is not enough)."""
    services.work_create(actor=ede_planner, feature=feature(line(), kind="riolering"))
    services.work_create(actor=liander_planner, feature=feature(line(dy_m=8), kind="riolering"))
    services.work_create(actor=liander_planner, feature=feature(line(dy_m=16), kind="asfalt"))
    client.force_login(ede_planner)
    url = reverse("planning:list")
    everything = client.get(url).context
    assert everything["combination_count"] + everything["conflict_count"] >= 3
    with django_assert_num_queries(12):
        narrowed = client.get(url, {"kind": "riolering"}).context
    pairs = list(narrowed["combinations"]) + list(narrowed["conflicts"])
    assert pairs and all(p["a"].kind == p["b"].kind == "riolering" for p in pairs)
    assert narrowed["combination_count"] + narrowed["conflict_count"] == len(pairs)
    assert client.get(url, {"kind": "asfalt"}).context["combination_count"] == 0


def test_filtered_list_counts_pairs_up_to_a_bound(
    client, ede_planner, liander_planner, monkeypatch
):
    monkeypatch.setattr(views, "PAIR_COUNT_LIMIT", 1)
    for n in range(4):
        planner = ede_planner if n % 2 else liander_planner
        services.work_create(actor=planner, feature=feature(line(dy_m=8 * n)))
    client.force_login(ede_planner)
    response = client.get(reverse("planning:list"), {"kind": "riolering"})
    assert max(response.context["combination_count"], response.context["conflict_count"]) == 2
    assert "meer dan 1" in response.content.decode()
    # Without a filter the whole table is counted.
    assert "meer dan" not in client.get(reverse("planning:list")).content.decode()


def _script_data(html: str, element_id: str):
    import json

    start = html.index(f'<script id="{element_id}" type="application/json">')
    body = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    return body, json.loads(body)


def test_residents_map_popups_name_the_owners_public_contact(client, ede, ede_planner):
    """PRODUCT.md §6: residents see whom to ask, on the map and in the list; the work's own
    contact (internal) never."""
    from bouwplaats.accounts.models import Organisation

    Organisation.objects.filter(pk=ede.pk).update(contact="Telefoon 14 0318")
    make_works(ede_planner, 1, title="Openbaar werk", contact="intern@ede.nl")
    response = client.get(reverse("planning:public"))
    (only,) = drawn(response)
    assert only["properties"]["contact"] == "Telefoon 14 0318"
    html = response.content.decode()
    assert "intern@ede.nl" not in html
    assert 'data-label-contact="Vragen"' in html
    # The list under the map says it too.
    entries = html[html.index('<ul class="planning-entries">') :]
    assert "Telefoon 14 0318" in entries
    # The work's own page for visitors draws the same popup.
    work = Work.objects.get(title="Openbaar werk")
    (feature_,) = client.get(work.get_absolute_url()).context["map_data"]["works"]["features"]
    assert feature_["properties"]["contact"] == "Telefoon 14 0318"


def test_residents_map_popups_have_no_contact_row_without_one(client, ede_planner):
    make_works(ede_planner, 1, contact="intern@ede.nl")
    (only,) = drawn(client.get(reverse("planning:public")))
    assert "contact" not in only["properties"]


def test_map_data_is_escaped_as_json_script_escapes_it(client, ede_planner):
    """The map's JSON (serialised by orjson) cannot close its <script> element."""
    title = "Riolering </script><script>alert(1)</script> & “Molenstraat”"
    make_works(ede_planner, 1, title=title)
    for signed_in in (False, True):
        if signed_in:
            client.force_login(ede_planner)
        html = client.get(reverse("planning:map" if signed_in else "planning:public"))
        body, data = _script_data(html.content.decode(), "planning-data")
        assert "<" not in body and ">" not in body and "&" not in body
        assert data["works"]["features"][0]["properties"]["title"] == title


def test_map_json_equals_djangos_json_script(ede_planner):
    """geojson.json_script gives the data json_script gives (dates, lazy text included)."""
    import datetime
    import json

    from django.utils.html import json_script
    from django.utils.translation import gettext_lazy

    from bouwplaats.planning.geojson import json_script as map_json_script

    value = {"a": [1, 2.5, None, True], "d": datetime.date(2027, 1, 2), "t": gettext_lazy("Wat")}
    ours, django_s = map_json_script(value, "x"), json_script(value, "x")
    assert json.loads(ours.split(">", 1)[1].rsplit("<", 1)[0]) == json.loads(
        django_s.split(">", 1)[1].rsplit("<", 1)[0]
    )


def test_residents_count_is_kept_as_long_as_visitors_pages(client, ede_planner, settings):
    """Counting every resident work costs more than the page: kept for the visitors' page
    cache's age (VISITOR_PAGE_CACHE_SECONDS), counted every time when that is 0."""
    from django.core.cache import cache

    make_works(ede_planner, 2)
    client.force_login(ede_planner)
    url = reverse("planning:public")
    settings.VISITOR_PAGE_CACHE_SECONDS = 30
    cache.clear()
    assert client.get(url).context["page"].paginator.count == 2
    make_works(ede_planner, 1)
    # Within the cache's age the count may lag (as the visitors' cached page does) ...
    assert client.get(url).context["page"].paginator.count == 2
    # ... and is exact once it expires, or with the cache off.
    settings.VISITOR_PAGE_CACHE_SECONDS = 0
    assert client.get(url).context["page"].paginator.count == 3


def test_lists_read_no_geometry_for_their_tables(client, ede_planner, liander_planner):
    """The list's works and the pairs' works are named, not drawn: their geometry, RD copy
    and description stay in the database."""
    services.work_create(actor=ede_planner, feature=feature(line()))
    services.work_create(actor=liander_planner, feature=feature(line(dy_m=8)))
    client.force_login(ede_planner)
    for name in ("planning:list", "planning:map"):
        context = client.get(reverse(name)).context
        shown = [p[side] for p in context["combinations"] for side in ("a", "b")]
        if name == "planning:list":
            shown += list(context["page"].object_list)
        assert shown
        for work in shown:
            assert {"geometry", "rd_wkb", "description"} <= work.get_deferred_fields()
