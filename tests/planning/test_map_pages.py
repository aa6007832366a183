"""Map pages at volume: tuples instead of model objects, at most MAP_LIMIT works, fixed queries."""

import pytest
from django.urls import reverse

from bouwplaats.planning import services, views
from bouwplaats.planning.geojson import map_data
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
    assert features == map_data(works, internal=False)["works"]["features"]


def test_residents_map_says_when_it_shows_only_the_first_works(client, ede_planner, monkeypatch):
    monkeypatch.setattr(views, "MAP_LIMIT", 2)
    make_works(ede_planner, 3)
    response = client.get(reverse("planning:public"))
    assert len(drawn(response)) == 2
    page = response.content.decode()
    assert "De kaart toont de eerste 2 werken" in page
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


def test_filtered_pairs_read_the_second_work_per_pair(ede_planner):
    """Both works by EXISTS per pair in rank order, not IN lists: with two IN lists SQLite
    probes the (work_a, work_b) index for every pair of two listed works (minutes at 10,000)."""
    from bouwplaats.planning import selectors

    combos, conflicts = selectors.stored_pairs(
        user=ede_planner, filters=selectors.Filters(kind="riolering")
    )
    for pairs in (combos, conflicts):
        sql = str(pairs._qs.query).upper()
        assert sql.count("EXISTS") == 2 and " IN (SELECT" not in sql


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
