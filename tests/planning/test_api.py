import pytest

from bouwplaats.planning import services
from bouwplaats.planning.geo import to_rd
from bouwplaats.planning.models import Work

from .conftest import LAT, LON, feature, line, square

pytestmark = pytest.mark.django_db


def test_visitor_reads_public_works_only_as_geojson(api, ede_work, ede_planner):
    services.work_create(actor=ede_planner, feature=feature(public=False, title="Intern"))
    response = api().get("/works")
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection" and body["count"] == 1
    [item] = body["features"]
    assert item["geometry"]["type"] == "LineString"
    assert item["properties"]["owner"] == "Gemeente Ede"
    assert "contact" not in item["properties"] and "external_id" not in item["properties"]
    member = api(ede_planner).get("/works").json()
    assert member["count"] == 2


def test_works_are_paginated_and_filtered(api, ede_planner, liander_work):
    for n in range(3):
        services.work_create(actor=ede_planner, feature=feature(external_id=f"P-{n}"))
    page = api(ede_planner).get("/works", {"limit": 2, "offset": 0}).json()
    assert page["count"] == 4 and len(page["features"]) == 2
    only = api(ede_planner).get("/works", {"owner": liander_work.owner_id}).json()
    assert [f["id"] for f in only["features"]] == [liander_work.pk]
    by_name = api(ede_planner).get("/works", {"owner_name": "liander"}).json()
    assert [f["id"] for f in by_name["features"]] == [liander_work.pk]
    assert api(ede_planner).get("/works", {"owner_name": "Onbekend"}).json()["count"] == 0
    # The contract of API.md: `owner` also takes the organisation's name.
    by_owner_name = api(ede_planner).get("/works", {"owner": "LIANDER"}).json()
    assert [f["id"] for f in by_owner_name["features"]] == [liander_work.pk]
    assert api(ede_planner).get("/works", {"kind": "groen"}).json()["count"] == 0


def test_visitor_may_not_post(api):
    response = api().post("/works", feature())
    assert response.status_code == 403
    assert "detail" in response.json()
    assert not Work.objects.exists()


def test_post_collection_creates_and_reposting_updates(api, ede_planner, liander_work):
    collection = {
        "type": "FeatureCollection",
        "features": [feature(external_id="KIP-1"), feature(line(dx_m=500), external_id="KIP-2")],
    }
    response = api(ede_planner).post("/works", collection)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["count"] == 2 and all(r["created"] for r in body["results"])
    # The first one lies 8 m from Liander's cable: suggested at once, in the same answer.
    first = body["results"][0]
    assert [c["work_b"] for c in first["combinations"]] == [liander_work.pk]
    assert first["conflicts"][0]["severity"] == "licht"
    collection["features"][0]["properties"]["status"] = "in uitvoering"
    again = api(ede_planner).post("/works", collection)
    # Nothing new was created: 200, not 201 (201 only when at least one work is new).
    assert again.status_code == 200
    assert not any(r["created"] for r in again.json()["results"])
    assert Work.objects.filter(owner=ede_planner.organisation).count() == 2
    assert Work.objects.get(external_id="KIP-1").status == "in uitvoering"


def test_post_accepts_rd_new(api, ede_planner):
    x, y = to_rd().transform(LON, LAT)
    rd = {"type": "Point", "coordinates": [x, y]}
    response = api(ede_planner).post(
        "/works",
        {
            "type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "EPSG:28992"}},
            "features": [feature(rd)],
        },
    )
    assert response.status_code == 201
    lon, lat = response.json()["features"][0]["geometry"]["coordinates"]
    assert lon == pytest.approx(LON, abs=1e-6) and lat == pytest.approx(LAT, abs=1e-6)


BOWTIE = {
    "type": "Polygon",
    "coordinates": [
        [[LON, LAT], [LON + 0.001, LAT + 0.001], [LON + 0.001, LAT], [LON, LAT + 0.001], [LON, LAT]]
    ],  # noqa: E501
}


@pytest.mark.parametrize(
    ("bad", "status", "field"),
    [
        ({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": 7}}, 400, "geometry"),
        (feature(BOWTIE), 400, "geometry"),
        (feature({"type": "Point", "coordinates": [13.4, 52.5]}), 400, "geometry"),
        (feature(start="2026-09-01", end="2026-08-01"), 422, "end"),
        (feature(owner="Onbekend Bedrijf BV"), 422, "owner"),
        (feature(owner="Liander"), 403, "owner"),
        ({"type": "Punt"}, 400, "type"),
    ],
)
def test_bad_feature_gives_4xx_with_index_and_stores_nothing(
    api, ede_planner, liander, bad, status, field
):
    collection = {"type": "FeatureCollection", "features": [feature(square(0.0005)), bad]}
    response = api(ede_planner).post("/works", collection)
    assert response.status_code == status
    body = response.json()
    assert body["index"] == 1 and body["field"] == field and body["detail"]
    assert not Work.objects.exists()


def test_post_refuses_broken_json(api, ede_planner):
    response = api(ede_planner).client.post(
        "/api/v1/works",
        data="{niet json",
        content_type="application/json",
        headers=api(ede_planner).headers,
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Geen geldige JSON."


def test_combinations_and_conflicts(api, ede_work, liander_work, ede_planner):
    combos = api(ede_planner).get("/works/combinations").json()
    assert combos["count"] == 1
    [item] = combos["items"]
    assert {item["work_a"], item["work_b"]} == {ede_work.pk, liander_work.pk}
    assert set(item) == {"work_a", "work_b", "distance_m", "gap_days", "score"}
    assert 0 < item["score"] <= 1
    # Another distance is computed for a map window only.
    window = {"distance_m": 5, "bbox": f"{LON - 0.01},{LAT - 0.01},{LON + 0.01},{LAT + 0.01}"}
    assert api(ede_planner).get("/works/combinations", window).json()["count"] == 0
    window["distance_m"] = 9
    assert api(ede_planner).get("/works/combinations", window).json()["count"] == 1
    conflicts = api(ede_planner).get("/works/conflicts").json()
    assert conflicts["count"] == 1 and conflicts["items"][0]["severity"] == "licht"
    bad = api(ede_planner).get("/works/combinations", {"distance_m": -1})
    assert bad.status_code == 422


def test_visitor_sees_combinations_among_public_works_only(api, ede_work, liander_planner):
    services.work_create(actor=liander_planner, feature=feature(line(dy_m=8), public=False))
    assert api().get("/works/combinations").json()["count"] == 0
    assert api(liander_planner).get("/works/combinations").json()["count"] == 1


def test_a_public_idea_does_not_show_through_its_pairs(api, ede_work, liander_planner):
    """PRODUCT §6: what visitors see holds no ideas, "whatever the public flag"."""
    idea = services.work_create(
        actor=liander_planner, feature=feature(line(dy_m=8), public=True, status="idee")
    )
    assert api(liander_planner).get("/works/combinations").json()["count"] == 1
    for path in ("/works/combinations", "/works/conflicts"):
        body = api().get(path).json()
        assert body["count"] == 0
        shown = {i for item in body["items"] for i in (item["work_a"], item["work_b"])}
        assert idea.pk not in shown
    planned = feature(line(dy_m=8), public=True, status="gepland")
    services.work_update(actor=liander_planner, work=idea, feature=planned)
    assert api().get("/works/combinations").json()["count"] == 1


def test_get_one_work_and_refusal(api, ede_planner, ede_work):
    hidden = services.work_create(actor=ede_planner, feature=feature(public=False))
    assert api().get(f"/works/{ede_work.pk}").json()["id"] == ede_work.pk
    assert api().get(f"/works/{hidden.pk}").status_code == 404
    assert api(ede_planner).get(f"/works/{hidden.pk}").status_code == 200


def test_feature_without_title_is_named_after_its_kind(api, ede_planner):
    bare = feature()
    del bare["properties"]["title"]
    response = api(ede_planner).post("/works", bare)
    assert response.status_code == 201
    assert response.json()["features"][0]["properties"]["title"] == "Riolering"
