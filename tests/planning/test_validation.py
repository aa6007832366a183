"""The page and the API refuse the same bad values, name the same field and store nothing.

One table: each row is a bad value given to the work form (create and update pages, as a
logged-in planner) and to POST /api/v1/works (a single Feature and the second feature of a
FeatureCollection). The rules live on the model (planning.models) and run in the service.
"""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from bouwplaats.core.models import AuditEntry
from bouwplaats.planning import services
from bouwplaats.planning.models import CombinationRequest, InterestZone, Work

from .conftest import feature, line, square

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 3, 1)

# (case, field, value as the page sends it, value as the API sends it)
BAD_WORK_VALUES = [
    ("title too long", "title", "x" * 300, "x" * 300),
    ("line break in title", "title", "Riool\nstraat", "Riool\nstraat"),
    ("control character in title", "title", "Riool\x07straat", "Riool\x07straat"),
    ("NUL in description", "description", "Eerst\x00dan", "Eerst\x00dan"),
    ("description too long", "description", "d" * 5001, "d" * 5001),
    ("contact too long", "contact", "c" * 201, "c" * 201),
    ("line break in contact", "contact", "Jan\r\nBcc: x@example.nl", "Jan\r\nBcc: x@example.nl"),
    ("external id too long", "external_id", "E" * 101, "E" * 101),
    ("tab in external id", "external_id", "EDE\t7", "EDE\t7"),
    ("start in year 1", "start", "0001-01-01", "0001-01-01"),
    ("end in year 9999", "end", "9999-12-31", "9999-12-31"),
    ("start in year 9999", "start", "9999-01-01", "9999-01-01"),
    ("unknown kind", "kind", "tunnelbouw", "tunnelbouw"),
    ("unknown status", "status", "klaar", "klaar"),
    ("unknown hindrance", "hindrance", "totaal", "totaal"),
    ("unknown department", "department", "kantine", "kantine"),
    ("unknown owner id", "owner", "99999999", 99999999),
    ("owner id beyond bigint", "owner", "99999999999999999999", 99999999999999999999),
]


def page_data(**overrides):
    data = {
        "title": "Groot onderhoud Bergstraat",
        "department": "wijkbeheer",
        "kind": "asfalt",
        "start": TODAY.isoformat(),
        "end": (TODAY + datetime.timedelta(days=40)).isoformat(),
        "status": "gepland",
        "hindrance": "afsluiting",
        "geometry": json.dumps(line(dy_m=3)),
        "public": "on",
    }
    data.update(overrides)
    return data


def api_feature(**overrides):
    props = {"start": TODAY.isoformat(), "end": (TODAY + datetime.timedelta(days=40)).isoformat()}
    props.update(overrides)
    return feature(**props)


def _stored():
    return Work.objects.count(), AuditEntry.objects.count()


@pytest.mark.parametrize(("case", "field", "page_value", "api_value"), BAD_WORK_VALUES)
def test_create_page_refuses_beside_the_field(
    client, ede_planner, case, field, page_value, api_value
):
    client.force_login(ede_planner)
    before = _stored()
    response = client.post(reverse("planning:create"), page_data(**{field: page_value}))
    assert response.status_code == 200, case
    assert field in response.context["form"].errors, response.context["form"].errors
    assert _stored() == before


# A work keeps its owner: the update form has no owner field.
BAD_UPDATE_VALUES = [case for case in BAD_WORK_VALUES if case[1] != "owner"]


@pytest.mark.parametrize(("case", "field", "page_value", "api_value"), BAD_UPDATE_VALUES)
def test_update_page_refuses_beside_the_field(
    client, ede_planner, ede_work, case, field, page_value, api_value
):
    client.force_login(ede_planner)
    before = _stored()
    url = reverse("planning:update", args=[ede_work.pk])
    response = client.post(url, page_data(**{field: page_value}))
    assert response.status_code == 200, case
    assert field in response.context["form"].errors, response.context["form"].errors
    assert _stored() == before
    ede_work.refresh_from_db()
    assert ede_work.title == "Vervangen riolering Molenstraat"


@pytest.mark.parametrize(("case", "field", "page_value", "api_value"), BAD_WORK_VALUES)
def test_api_refuses_with_the_field_named(api, ede_planner, case, field, page_value, api_value):
    client = api(ede_planner)
    before = _stored()
    response = client.post("/works", api_feature(**{field: api_value}))
    assert response.status_code == 422, (case, response.json())
    body = response.json()
    assert body["field"] == field and body["code"] == field and body["index"] == 0
    assert field in body["errors"] and body["detail"]
    assert _stored() == before


@pytest.mark.parametrize(("case", "field", "page_value", "api_value"), BAD_WORK_VALUES)
def test_api_refuses_one_bad_feature_of_a_collection_and_stores_none(
    api, ede_planner, case, field, page_value, api_value
):
    client = api(ede_planner)
    before = _stored()
    collection = {
        "type": "FeatureCollection",
        "features": [api_feature(external_id="GOED-1"), api_feature(**{field: api_value})],
    }
    response = client.post("/works", collection)
    assert response.status_code == 422, case
    assert response.json()["index"] == 1 and response.json()["field"] == field
    assert _stored() == before


@pytest.mark.parametrize("where", ["page", "api"])
def test_end_before_start_is_named_on_end(client, api, ede_planner, where):
    api_client = api(ede_planner)
    before = _stored()
    start, end = TODAY.isoformat(), (TODAY - datetime.timedelta(days=1)).isoformat()
    if where == "page":
        client.force_login(ede_planner)
        response = client.post(reverse("planning:create"), page_data(start=start, end=end))
        errors = response.context["form"].errors
        assert list(errors) == ["end"]
        assert errors["end"] == ["De einddatum ligt voor de begindatum."]
    else:
        response = api_client.post("/works", api_feature(start=start, end=end))
        assert response.status_code == 422
        assert response.json()["errors"] == {"end": ["De einddatum ligt voor de begindatum."]}
    assert _stored() == before


def test_update_refuses_an_external_id_of_another_work(client, ede_planner, ede_work):
    services.work_create(actor=ede_planner, feature=feature(external_id="EDE-2"))
    client.force_login(ede_planner)
    url = reverse("planning:update", args=[ede_work.pk])
    response = client.post(url, page_data(external_id="EDE-2"))
    assert "external_id" in response.context["form"].errors
    ede_work.refresh_from_db()
    assert ede_work.external_id == "EDE-1"


@pytest.mark.parametrize("owner", ["99999999999999999999", "0", str(2**63)])
def test_works_list_refuses_an_owner_id_out_of_range(api, ede_work, owner):
    response = api().get("/works", {"owner": owner})
    assert response.status_code == 422
    body = response.json()
    assert body.get("code") == "owner" or body["detail"][0]["loc"][-1] == "owner"


@pytest.mark.parametrize("owner", ["²", "-1", "1_0", "+5", "١٢", "Onbekend"])
def test_works_list_reads_an_owner_that_is_no_id_as_a_name(api, ede_work, owner):
    # API.md: `owner` is an id or a name; what is not plain digits is a name nobody has.
    response = api().get("/works", {"owner": owner})
    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize("value", ["²", "99999999999999999999", "0"])
def test_one_work_refuses_an_id_that_is_no_id(api, ede_work, value):
    response = api().get(f"/works/{value}")
    assert response.status_code in {404, 422}
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("param", "value"),
    [("from", "0001-01-01"), ("to", "9999-12-31"), ("kind", "tunnelbouw"), ("status", "x")],
)
def test_works_list_refuses_other_bad_filters(api, ede_work, param, value):
    response = api().get("/works", {param: value})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] in {param, "period_from", "period_to"}


def test_filter_pages_ignore_an_owner_that_is_no_id(client, ede_planner, ede_work):
    client.force_login(ede_planner)
    for name in ["planning:map", "planning:list", "planning:export"]:
        for owner in ["²", "99999999999999999999"]:
            assert client.get(reverse(name), {"owner": owner}).status_code == 200


def test_a_work_stored_before_the_rules_still_has_a_page(client, ede_planner, ede_work):
    # Rows written before the plausible-year rule must not take their page down.
    Work.objects.filter(pk=ede_work.pk).update(
        start=datetime.date(1, 1, 1), end=datetime.date(9999, 12, 31)
    )
    client.force_login(ede_planner)
    assert client.get(ede_work.get_absolute_url()).status_code == 200
    assert client.get(reverse("planning:map")).status_code == 200
    assert client.get(reverse("planning:list")).status_code == 200


# Combination requests and interest zones: the page refuses what the service refuses.


@pytest.mark.parametrize(
    ("field", "value"),
    [("deadline", "9999-12-31"), ("message", "Samen\x00in mei?"), ("message", "m" * 5001)],
)
def test_request_page_refuses_beside_the_field(
    client, ede_planner, ede_work, liander_work, field, value
):
    client.force_login(ede_planner)
    url = reverse("planning:request_send", args=[ede_work.pk, liander_work.pk])
    data = {"deadline": (timezone.localdate() + datetime.timedelta(days=10)).isoformat()}
    response = client.post(url, data | {field: value})
    assert field in response.context["form"].errors
    assert not CombinationRequest.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "n" * 201),
        ("name", "Centrum\nEde"),
        ("geometry", json.dumps(line())),
        ("geometry", json.dumps({"type": "Point", "coordinates": [4.35, 50.85]})),
    ],
)
def test_zone_page_refuses_beside_the_field(client, liander_planner, field, value):
    client.force_login(liander_planner)
    data = {"name": "Centrum", "geometry": json.dumps(square())} | {field: value}
    response = client.post(reverse("planning:zones"), data)
    assert field in response.context["form"].errors
    assert not InterestZone.objects.exists()


def test_decline_reason_with_control_characters_is_refused(
    client, ede_planner, liander_planner, ede_work, liander_work
):
    req = services.combination_request_send(
        actor=ede_planner,
        from_work=ede_work,
        to_work=liander_work,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )
    client.force_login(liander_planner)
    url = reverse("planning:request_decline", args=[req.pk])
    response = client.post(url, {"reason": "Nee\x1b[31m"})
    assert "reason" in response.context["form"].errors
    req.refresh_from_db()
    assert req.status == CombinationRequest.Status.OPEN


def test_joint_title_of_two_long_titles_fits(ede_planner, liander_planner, liander):
    long_a = services.work_create(actor=ede_planner, feature=feature(title="a" * 200))
    long_b = services.work_create(
        actor=liander_planner, feature=feature(line(dy_m=8), title="b" * 200)
    )
    req = services.combination_request_send(
        actor=ede_planner,
        from_work=long_a,
        to_work=long_b,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )
    joint = services.combination_request_accept(actor=liander_planner, request=req)
    assert len(joint.title) == 200
