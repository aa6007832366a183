"""Map windows: GET /api/v1/works?bbox= and the maps' feeds show the works in a window.

A bbox is GeoJSON's (RFC 7946 §5): min_lon,min_lat,max_lon,max_lat in WGS84. The works whose
extent meets the window are kept (edges included), the filters still hold, and a malformed,
inverted, out-of-range or huge box is a Dutch 422 in the API's shape.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bouwplaats.planning import selectors, services, views
from bouwplaats.planning.geo import bbox_bounds

from .conftest import LAT, feature, line

pytestmark = pytest.mark.django_db

# About 100 m each side of the base point east-west, 55 m north-south; 7 decimals at most,
# as stored coordinates are, so a work can lie exactly on the edge.
BOX = (5.6635, 52.0400, 5.6665, 52.0410)
BBOX = ",".join(str(v) for v in BOX)


def point(lon, lat=LAT):
    return {"type": "Point", "coordinates": [lon, lat]}


@pytest.fixture
def placed(ede_planner):
    """Works around the box: inside, on its east edge, just outside, crossing, far away."""
    make = lambda geometry, title, **props: services.work_create(  # noqa: E731
        actor=ede_planner, feature=feature(geometry, title=title, **props)
    )
    return {
        "inside": make(line(length_m=30), "Binnen"),
        "edge": make(point(BOX[2]), "Op de rand"),
        # About 7 m east of the edge.
        "outside": make(point(5.6666), "Net buiten"),
        # From 500 m west to 500 m east: no vertex in the box, its extent meets it.
        "crossing": make(line(dx_m=-500, length_m=1000), "Kruisend"),
        "far": make(line(dx_m=2000), "Ver weg"),
        "green": make(line(dy_m=20, length_m=20), "Groen binnen", kind="groen"),
        "idea": make(line(dy_m=-20, length_m=20), "Idee binnen", status="idee"),
        "hidden": make(line(dy_m=-10, length_m=20), "Intern binnen", public=False),
    }


def titles(body) -> set[str]:
    return {f["properties"]["title"] for f in body["features"]}


def test_works_in_the_window_are_listed_edges_included(api, ede_planner, placed):
    body = api(ede_planner).get("/works", {"bbox": BBOX, "limit": 500}).json()
    assert titles(body) == {
        "Binnen",
        "Op de rand",
        "Kruisend",
        "Groen binnen",
        "Idee binnen",
        "Intern binnen",
    }
    assert body["count"] == 6
    # Without a box: every work, as before.
    assert api(ede_planner).get("/works", {"limit": 500}).json()["count"] == len(placed)


def test_a_window_keeps_the_filters_and_what_visitors_may_see(api, ede_planner, placed):
    member = api(ede_planner).get("/works", {"bbox": BBOX, "kind": "groen"}).json()
    assert titles(member) == {"Groen binnen"} and member["count"] == 1
    period = api(ede_planner).get(
        "/works", {"bbox": BBOX, "from": "2000-01-01", "to": "2000-12-31"}
    )
    assert period.json()["count"] == 0
    visitor = api().get("/works", {"bbox": BBOX, "limit": 500}).json()
    # permissions.works_visible_to: no ideas, no internal works.
    assert titles(visitor) == {"Binnen", "Op de rand", "Kruisend", "Groen binnen"}


def test_the_window_pages_as_the_list_does(api, ede_planner, placed):
    first = api(ede_planner).get("/works", {"bbox": BBOX, "limit": 4}).json()
    rest = api(ede_planner).get("/works", {"bbox": BBOX, "limit": 4, "offset": 4}).json()
    assert first["count"] == rest["count"] == 6
    assert len(first["features"]) == 4 and len(rest["features"]) == 2
    assert not titles(first) & titles(rest)


def test_a_box_reaching_over_the_border_is_cut_off_at_it(api, ede_planner, placed):
    # From the North Sea to Germany: cut at the border, still wider than the largest box.
    too_wide = api(ede_planner).get("/works", {"bbox": "0,51.9,10,52.1"})
    assert too_wide.status_code == 422
    # Over the eastern border (Germany): the Dutch part is kept.
    east = api(ede_planner).get("/works", {"bbox": "7.0,52.2,9.0,52.3"})
    assert east.status_code == 200 and east.json()["count"] == 0


BAD_BOXES = [
    "",
    "1,2,3",
    "5.6635,52.04,5.6665,52.041,1",
    "a,b,c,d",
    "5.6635;52.04;5.6665;52.041",
    "5.6635 52.04 5.6665 52.041",
    "nan,52.04,5.6665,52.041",
    "5.6635,NaN,5.6665,52.041",
    "5.6635,52.04,inf,52.041",
    "5.6635,52.04,Infinity,52.041",
    "-Infinity,52.04,5.6665,52.041",
    "5_6635,52.04,5.6665,52.041",
    "5.6635e0,52.04,5.6665,52.041",
    "٥.٦,52.04,5.6665,52.041",
    "５.6635,52.04,5.6665,52.041",
    "5.6635\x00,52.04,5.6665,52.041",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "1" * 10_000,
    ",".join(["5.6"] * 2_500),
    # Inverted.
    "5.6665,52.04,5.6635,52.041",
    "5.6635,52.041,5.6665,52.04",
    # Out of range.
    "5.6635,52.04,200,52.041",
    "-181,52.04,5.6665,52.041",
    "5.6635,-95,5.6665,52.041",
    "5.6635,52.04,5.6665,91",
    # Nowhere near the Netherlands (Paris).
    "2.0,48.0,2.1,48.1",
    # Huge: the whole country.
    "3.3,50.8,7.2,53.6",
]


@pytest.mark.parametrize("bbox", BAD_BOXES)
def test_a_bad_box_is_a_dutch_422(api, ede_planner, bbox):
    response = api(ede_planner).get("/works", {"bbox": bbox})
    assert response.status_code == 422, bbox
    body = response.json()
    assert body["code"] == "bbox"
    assert isinstance(body["detail"], str) and body["errors"]["bbox"] == [body["detail"]]
    assert "kaartvenster" in body["detail"]
    # Nothing of the input is repeated back.
    assert "<script>" not in body["detail"] and len(body["detail"]) < 200


@pytest.mark.parametrize(
    ("bbox", "words"),
    [
        ("a,b,c,d", "min_lon,min_lat,max_lon,max_lat"),
        ("5.6665,52.04,5.6635,52.041", "omgedraaid"),
        ("5.6635,52.04,200,52.041", "-180 tot 180"),
        ("5.6635,52.04,5.6665,91", "-90 tot 90"),
        ("2.0,48.0,2.1,48.1", "buiten Nederland"),
        ("3.3,50.8,7.2,53.6", "te groot"),
    ],
)
def test_each_refusal_says_what_is_wrong(api, bbox, words):
    assert words in api().get("/works", {"bbox": bbox}).json()["detail"]


def test_the_window_is_an_indexed_read(ede_planner, placed):
    bounds = bbox_bounds(BBOX)
    qs = selectors.in_bbox(selectors.work_list(user=ede_planner), bounds)
    sql, params = qs.values_list("pk", flat=True)[:1001].query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row) for row in cursor.fetchall())
            # Filtered and counted inside the extent index: no work row read.
            assert "COVERING INDEX planning_work_rd_box" in plan
        else:
            # A handful of rows: without a sequential scan on the table, the extent index.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "planning_work_rd_box" in plan


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)


def test_the_api_window_takes_the_same_queries_for_more_works(api, ede_planner, placed):
    client = api(ede_planner)
    client.get("/works", {"bbox": BBOX})
    few = _queries(lambda: client.get("/works", {"bbox": BBOX}))
    for n in range(6):
        services.work_create(actor=ede_planner, feature=feature(line(dx_m=-50 + n, length_m=10)))
    assert _queries(lambda: client.get("/works", {"bbox": BBOX})) == few


# The maps' feeds ---------------------------------------------------------------------------


def feed_titles(response) -> set[str]:
    return {f["properties"]["title"] for f in response.json()["works"]["features"]}


def test_the_map_feed_answers_the_window_with_its_filters(client, ede_planner, placed):
    client.force_login(ede_planner)
    response = client.get(reverse("planning:map_feed"), {"bbox": BBOX})
    assert response.status_code == 200
    assert feed_titles(response) == {
        "Binnen",
        "Op de rand",
        "Kruisend",
        "Groen binnen",
        "Idee binnen",
        "Intern binnen",
    }
    body = response.json()
    assert body["truncated"] is False and body["count"] == 6
    assert "6 werken op de kaart" in body["summary"]
    assert "Slimme combinaties" in body["pairs"]
    assert body["notice"].strip() == ""
    kind = client.get(reverse("planning:map_feed"), {"bbox": BBOX, "kind": "groen"})
    assert feed_titles(kind) == {"Groen binnen"}
    # The list link keeps the filters, not the window (the list is the whole filter).
    assert "bbox" not in kind.json()["summary"] and "kind=groen" in kind.json()["summary"]


def test_the_pairs_on_the_map_follow_the_window(client, ede_planner, liander_planner):
    near = services.work_create(actor=ede_planner, feature=feature(line(), title="A"))
    services.work_create(actor=liander_planner, feature=feature(line(dy_m=8), title="B"))
    far = line(dx_m=3000)
    services.work_create(actor=ede_planner, feature=feature(far, title="C"))
    services.work_create(actor=liander_planner, feature=feature(line(dx_m=3000, dy_m=8), title="D"))
    client.force_login(ede_planner)
    everything = client.get(reverse("planning:map_feed")).json()
    assert len(everything["combinations"]) == 2 and len(everything["conflicts"]) == 2
    window = client.get(reverse("planning:map_feed"), {"bbox": BBOX}).json()
    assert [(c["a"], c["b"]) for c in window["combinations"]] != []
    ids = {f["id"] for f in window["works"]["features"]}
    assert near.pk in ids and len(ids) == 2
    for pair in window["combinations"] + window["conflicts"]:
        assert {pair["a"], pair["b"]} <= ids
    assert len(window["combinations"]) == 1 and len(window["conflicts"]) == 1


def test_a_full_window_says_zoom_in(client, ede_planner, placed, monkeypatch):
    monkeypatch.setattr(views, "MAP_LIMIT", 3)
    client.force_login(ede_planner)
    body = client.get(reverse("planning:map_feed"), {"bbox": BBOX}).json()
    assert body["truncated"] is True and len(body["works"]["features"]) == 3
    assert "Zoom in om alle werken te zien" in body["notice"]


@pytest.mark.parametrize("bbox", ["a,b,c,d", "nan,1,2,3", "1" * 10_000, "3.3,50.8,7.2,53.6"])
@pytest.mark.parametrize("name", ["planning:map_feed", "planning:public_feed"])
def test_the_feeds_refuse_a_bad_box_as_the_api_does(client, ede_planner, bbox, name):
    client.force_login(ede_planner)
    response = client.get(reverse(name), {"bbox": bbox})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "bbox" and body["errors"]["bbox"] == [body["detail"]]


def test_the_internal_feed_is_for_members(client, placed):
    response = client.get(reverse("planning:map_feed"), {"bbox": BBOX})
    assert response.status_code == 403 and "detail" in response.json()


def test_the_residents_feed_shows_what_visitors_may_see(client, placed, monkeypatch):
    response = client.get(reverse("planning:public_feed"), {"bbox": BBOX})
    assert response.status_code == 200
    # selectors.resident_works: public, neither an idea nor finished.
    assert feed_titles(response) == {"Binnen", "Op de rand", "Kruisend", "Groen binnen"}
    body = response.json()
    assert body["combinations"] == [] and body["conflicts"] == []
    assert all("url" not in f["properties"] for f in body["works"]["features"])
    monkeypatch.setattr(views, "MAP_LIMIT", 2)
    full = client.get(reverse("planning:public_feed"), {"bbox": BBOX}).json()
    assert full["truncated"] and "Zoom in" in full["notice"]


def test_the_map_page_draws_the_window_without_javascript(client, ede_planner, placed):
    client.force_login(ede_planner)
    response = client.get(reverse("planning:map"), {"bbox": BBOX, "kind": "groen"})
    assert {
        f["properties"]["title"] for f in response.context["map_data"]["works"]["features"]
    } == {"Groen binnen"}
    page = response.content.decode()
    # The filter form keeps the window; the map knows its feed and window.
    assert f'name="bbox" value="{BBOX}"' in page
    assert f'data-feed="{reverse("planning:map_feed")}"' in page and f'data-bbox="{BBOX}"' in page


def test_a_bad_box_on_the_pages_shows_the_whole_area_with_the_reason(client, ede_planner, placed):
    client.force_login(ede_planner)
    for name in ("planning:map", "planning:public"):
        response = client.get(reverse(name), {"bbox": "<b>1</b>" * 2000})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Geef het kaartvenster" in page and "<b>1</b>" not in page
        assert len(response.context["map_data"]["works"]["features"]) >= 4


def test_the_residents_page_draws_the_window(client, placed):
    response = client.get(reverse("planning:public"), {"bbox": BBOX})
    drawn = {f["properties"]["title"] for f in response.context["map_data"]["works"]["features"]}
    assert drawn == {"Binnen", "Op de rand", "Kruisend", "Groen binnen"}
    # The list under the map still names every work residents see.
    assert response.context["page"].paginator.count == 6


@pytest.mark.parametrize("n", [2, 8])
def test_the_feeds_take_the_same_queries_for_more_works(
    client, ede_planner, n, django_assert_num_queries
):
    for i in range(n):
        services.work_create(actor=ede_planner, feature=feature(line(dx_m=-90 + i, length_m=10)))
    client.force_login(ede_planner)
    # Session and user, the widest work, the drawn rows, the pairs (two), the pairs' works
    # and the filter's owner choices.
    with django_assert_num_queries(8):
        response = client.get(reverse("planning:map_feed"), {"bbox": BBOX})
    assert len(response.json()["works"]["features"]) == n
    client.logout()
    with django_assert_num_queries(2):
        response = client.get(reverse("planning:public_feed"), {"bbox": BBOX})
    assert len(response.json()["works"]["features"]) == n
