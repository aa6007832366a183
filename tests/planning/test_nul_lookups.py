"""POST /works never reaches a lookup with a NUL byte: a 422 naming the property (PostgreSQL).

``owner`` (a name) and ``external_id`` are looked up before the model is validated; a NUL in
either was a 500 on PostgreSQL. Every text property is refused the same way, nothing stored.
"""

import pytest

from bouwplaats.planning.models import Work

from .conftest import feature

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "props",
    [
        {"owner": "Gemeente\x00Ede"},
        {"external_id": "RIO\x00-1"},
        {"title": "Riolering\x00Molenstraat"},
        {"description": "Eerst\x00dan"},
    ],
    ids=["owner", "external_id", "title", "description"],
)
def test_a_nul_byte_in_a_text_property_is_a_422(api, ede_planner, props):
    field = next(iter(props))
    for body in (feature(**props), {"type": "FeatureCollection", "features": [feature(**props)]}):
        response = api(ede_planner).post("/works", body)
        assert response.status_code == 422, response.content[:300]
        payload = response.json()
        assert payload["detail"]
        assert field in str(payload), payload
    assert not Work.objects.exists()
