"""POST /works reads its body like the rest of the API (core.jsonbody): never a 500."""

import pytest

from bouwplaats.planning.models import Work

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [NaN, 52]},'
        ' "properties": {"kind": "riolering", "start": "2027-03-01", "end": "2027-04-01"}}',
        '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [5.6, 52]},'
        ' "properties": {"kind": "riolering", "title": "\\ud800",'
        ' "start": "2027-03-01", "end": "2027-04-01"}}',
    ],
    ids=["deep_nesting", "nan", "lone_surrogate"],
)
def test_a_body_that_is_no_json_is_a_400(api, ede_planner, body):
    response = api(ede_planner).post("/works", body, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert response.json()["detail"]
    assert not Work.objects.exists()
