"""The upload's bulk paths: what makes a yearly upload fast must keep its rows exact."""

import pytest
import shapely
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bouwplaats.planning import pairs, services
from bouwplaats.planning.models import Combination, Conflict, Work

from .conftest import feature, line

pytestmark = pytest.mark.django_db


def collection(features):
    return {"type": "FeatureCollection", "features": features}


def test_the_works_of_an_upload_go_in_one_insert_and_read_back_exact(ede_planner):
    features = [feature(line(dx_m=300 * i), external_id=f"S-{i}") for i in range(30)]
    with CaptureQueriesContext(connection) as queries:
        saved = services.works_import(actor=ede_planner, data=collection(features))
    inserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "planning_work"')]
    if connection.vendor == "postgresql":
        # rd_wkb (WkbField) no longer forces one parameter per value: one array per column.
        assert len(inserts) == 1
        assert "UNNEST" in inserts[0]
    stored = {w.pk: w for w in Work.objects.filter(pk__in=[s.work.pk for s in saved])}
    for item in saved:
        assert bytes(stored[item.work.pk].rd_wkb) == item.work.rd_wkb
        assert shapely.from_wkb(bytes(stored[item.work.pk].rd_wkb)).geom_type == "LineString"


def test_stored_pairs_are_the_analysis_with_public_only_when_both_works_are(ede_planner):
    # Overlapping works (conflicts and combinations), every other one not public.
    features = [
        feature(line(dx_m=10 * i), external_id=f"P-{i}", public=i % 2 == 0) for i in range(8)
    ]
    saved = services.works_import(actor=ede_planner, data=collection(features))
    public = {s.work.pk: s.work.public for s in saved}
    combos = list(Combination.objects.values_list("work_a", "work_b", "public", "score"))
    conflicts = list(Conflict.objects.values_list("work_a", "work_b", "public", "heavy"))
    assert combos or conflicts
    for a, b, shown, *_rest in combos + conflicts:
        assert a < b
        assert shown == (public[a] and public[b])
    # The same rows as the full rebuild (the analysis over all works).
    before = (sorted(combos), sorted(conflicts))
    pairs.pairs_rebuild()
    after = (
        sorted(Combination.objects.values_list("work_a", "work_b", "public", "score")),
        sorted(Conflict.objects.values_list("work_a", "work_b", "public", "heavy")),
    )
    assert before == after


@pytest.mark.parametrize(
    ("title", "refused"),
    [
        ("Kabel\x85werk", True),  # NEL: a C1 control character
        ("Kabel\x07werk", True),
        ("Kabel\nwerk", True),  # a line break in a one-line text
        ("Kabel\u00a0werk\u200d", False),  # not printable, yet no control character
        ("Kabelwerk Ærø ʻŌlelo", False),
    ],
)
def test_a_control_character_in_the_middle_of_an_upload_refuses_it_in_dutch(
    api, ede_planner, monkeypatch, title, refused
):
    monkeypatch.setattr(services, "IMPORT_BATCH", 10)
    features = [feature(line(dx_m=300 * i), external_id=f"C-{i}") for i in range(25)]
    features[14]["properties"]["title"] = title
    response = api(ede_planner).post("/works", collection(features))
    if refused:
        assert response.status_code == 422, response.content
        body = response.json()
        assert body["index"] == 14 and body["field"] == "title"
        assert "stuurtekens" in body["detail"]
        assert not Work.objects.exists() and not Combination.objects.exists()
    else:
        assert response.status_code == 201, response.content
        assert response["Content-Type"] == "application/json; charset=utf-8"
        body = response.json()
        assert body["count"] == 25 and len(body["results"]) == 25
        assert body["features"][14]["properties"]["title"] == title
        assert Work.objects.get(pk=body["results"][14]["id"]).title == title
