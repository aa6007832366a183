"""One refusal shape for the API: `detail`, plus `code` and `errors` naming the field."""

import datetime
from unittest.mock import ANY

from django.utils import timezone

from bouwplaats.events.models import Session


def _session_body(programme, **overrides):
    start = timezone.now() + datetime.timedelta(days=30)
    body = {
        "programme": programme.pk,
        "type": "webinar",
        "title": "Ja, ik praat mee",
        "start": start.isoformat(),
        "end": (start + datetime.timedelta(hours=2)).isoformat(),
        "online": True,
    }
    body.update(overrides)
    return body


def test_schema_refusal_names_the_field_like_a_service_refusal(api, member, programme):
    schema = api(member).post("/sessions", _session_body(programme, title="t" * 314))
    service = api(member).post("/sessions", _session_body(programme, online=False, location=""))
    assert schema.status_code == service.status_code == 422
    for response, field in ((schema, "title"), (service, "location")):
        body = response.json()
        assert body["code"] == field
        assert field in body["errors"] and body["errors"][field][0]
        assert body["detail"]
    assert Session.objects.count() == 0


def test_query_and_path_refusals_name_the_parameter(api, member):
    query = api(member).get("/sessions", {"programme": "99999999999999999999"}).json()
    assert query["code"] == "programme" and "programme" in query["errors"]
    path = api(member).get("/sessions/99999999999999999999").json()
    assert path["code"] == "session_id"


def test_nested_refusal_names_the_full_dotted_path_like_a_service(api, member, programme):
    # The services key a nested field by its dotted path (projects: `milestones.1.planned`);
    # the schema layer keys the same way, so one client reads both.
    body = _session_body(programme, parts=[{"title": "Opening"}, {"title": "p" * 400}])
    answer = api(member).post("/sessions", body).json()
    assert answer["code"] == "parts.1.title"
    # The top-level field is named too, as the page's form and the session service name it.
    assert answer["errors"] == {"parts.1.title": [ANY], "parts": answer["errors"]["parts.1.title"]}
    whole = api(member).post("/sessions", _session_body(programme, parts="geen lijst")).json()
    assert list(whole["errors"]) == ["parts"]
    assert Session.objects.count() == 0


def test_a_services_nested_refusal_also_names_its_top_level_field():
    from bouwplaats.api import with_top_fields

    errors = {"milestones.0.planned": ["In het verleden."], "milestones": ["Te veel."]}
    assert with_top_fields(errors) == {
        "milestones.0.planned": ["In het verleden."],
        "milestones": ["Te veel.", "In het verleden."],
    }
    # The service's own lists are left as they were.
    assert errors["milestones"] == ["Te veel."]
    assert with_top_fields({"title": ["Leeg."]}) == {"title": ["Leeg."]}
