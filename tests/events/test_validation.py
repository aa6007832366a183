"""The page and the API refuse the same bad session values, name the same field, store nothing.

One table: each row is a bad value as the page's form takes it and as the API's JSON takes it,
with the field each names (the page shows the start's date as ``start_date``, the end's
as ``end_date``, and an end before the start beside ``end_time``). Every row goes through
the organise page (POST as a logged-in member), the edit page (as the host),
``POST /api/v1/sessions`` and ``PATCH /api/v1/sessions/{id}``.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bouwplaats.events.models import Highlight, Session, SessionChange, SessionPart
from tests.factories import SessionFactory
from tests.refusals import api_fields

LONG_TITLE = "x" * 314
LONG_AUDIENCE = "y" * 400
HUGE = 10**20
FAR = "9999-12-31"
EARLY = "0001-01-01"


class Case:
    """A bad value: ``page`` form data and ``api`` JSON (None: that channel has no such input)."""

    def __init__(self, name, *, page, api, page_field, api_field, patch=True):
        self.name, self.page, self.api = name, page, api
        self.page_field, self.api_field, self.patch = page_field, api_field, patch

    def __repr__(self):
        return self.name


CASES = [
    Case("title 314 characters", page={"title": LONG_TITLE}, api={"title": LONG_TITLE},
         page_field="title", api_field="title"),
    Case("audience 400 characters", page={"audience": LONG_AUDIENCE},
         api={"audience": LONG_AUDIENCE}, page_field="audience", api_field="audience"),
    Case("line break in the title", page={"title": "Door\nná 2017"},
         api={"title": "Door\nná 2017"}, page_field="title", api_field="title"),
    Case("NUL in the location", page={"location": "Utre\x00cht"},
         api={"location": "Utre\x00cht"}, page_field="location", api_field="location"),
    Case("bell in the intro", page={"intro": "Welkom\x07"}, api={"intro": "Welkom\x07"},
         page_field="intro", api_field="intro"),
    Case("javascript link", page={"online": "on", "online_url": "javascript:alert(1)"},
         api={"online": True, "online_url": "javascript:alert(1)"},
         page_field="online_url", api_field="online_url"),
    Case("data link", page={"online": "on", "online_url": "data:text/html,hoi"},
         api={"online": True, "online_url": "data:text/html,hoi"},
         page_field="online_url", api_field="online_url"),
    Case("capacity 10**20", page={"capacity": str(HUGE)}, api={"capacity": HUGE},
         page_field="capacity", api_field="capacity"),
    Case("capacity 2**31", page={"capacity": str(2**31)}, api={"capacity": 2**31},
         page_field="capacity", api_field="capacity"),
    Case("negative capacity", page={"capacity": "-1"}, api={"capacity": -1},
         page_field="capacity", api_field="capacity"),
    Case("year 1", page={"start_date": EARLY}, api={"start": f"{EARLY}T10:00:00+00:00"},
         page_field="start_date", api_field="start"),
    Case("year 9999", page={"end_date": FAR}, api={"end": f"{FAR}T23:00:00+00:00"},
         page_field="end_date", api_field="end"),
    Case("deadline in year 1", page={"registration_deadline": f"{EARLY}T10:00"},
         api={"registration_deadline": f"{EARLY}T10:00:00+00:00"},
         page_field="registration_deadline", api_field="registration_deadline"),
    Case("end before start", page={"end_time": "12:00"}, api="end_before_start",
         page_field="end_time", api_field="end"),
    Case("no location and not online", page={"location": ""}, api={"location": ""},
         page_field="location", api_field="location"),
    Case("criterion of 600 characters", page={"criteria": "c" * 600}, api={"criteria": ["c" * 600]},
         page_field="criteria", api_field="criteria.0"),
    Case("31 criteria", page={"criteria": "\n".join(f"c{i}" for i in range(31))},
         api={"criteria": [f"c{i}" for i in range(31)]}, page_field="criteria",
         api_field="criteria"),
    Case("question with a tab", page={"questions": "Wat\tdan?"}, api={"questions": ["Wat\tdan?"]},
         page_field="questions", api_field="questions.0"),
    Case("part title of 400 characters", page={"parts": "p" * 400},
         api={"parts": [{"title": "p" * 400}]}, page_field="parts", api_field="parts.0.title"),
    Case("51 parts", page={"parts": "\n".join(f"Deel {i}" for i in range(51))},
         api={"parts": [{"title": f"Deel {i}"} for i in range(51)]}, page_field="parts",
         api_field="parts"),
    Case("unknown type", page={"type": "feest"}, api={"type": "feest"}, page_field="type",
         api_field="type"),
    Case("programme in superscript digits", page={"programme": "²"}, api={"programme": "²"},
         page_field="programme", api_field="programme", patch=False),
    Case("programme beyond bigint", page={"programme": "99999999999999999999"},
         api={"programme": 99999999999999999999}, page_field="programme",
         api_field="programme", patch=False),
]  # fmt: skip


def form_data(programme, overrides=None):
    date = (timezone.now() + datetime.timedelta(days=14)).date()
    data = {
        "programme": programme.pk, "type": "bouwsessie", "title": "Door ná 2017",
        "start_date": date.isoformat(), "start_time": "13:00",
        "end_date": date.isoformat(), "end_time": "16:00",
        "location": "Utrecht", "participant_visibility": "public",
        "criteria": "Je bent programmamanager", "parts": "Wat willen we verankeren? | 13:00",
    }  # fmt: skip
    data.update(overrides or {})
    return data


def api_data(programme, overrides):
    start = (timezone.now() + datetime.timedelta(days=20)).replace(microsecond=0)
    data = {
        "programme": programme.pk, "type": "webinar", "title": "MIRT light webinar",
        "start": start.isoformat(), "end": (start + datetime.timedelta(hours=1)).isoformat(),
        "location": "Utrecht", "capacity": 40, "parts": [{"title": "Wat is MIRT?"}],
    }  # fmt: skip
    return {**data, **api_overrides(overrides, start)}


def api_overrides(overrides, start):
    if overrides == "end_before_start":
        end = start - datetime.timedelta(hours=1)
        return {"start": start.isoformat(), "end": end.isoformat()}
    return overrides


def stored():
    return (
        Session.objects.count(),
        SessionPart.objects.count(),
        Highlight.objects.count(),
        SessionChange.objects.count(),
    )


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_page_refuses_beside_the_field(client, member, programme, case):
    client.force_login(member)
    before = stored()
    response = client.post(reverse("events:create"), form_data(programme, case.page))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert case.page_field in errors, errors
    assert f'id="id_{case.page_field}_errors"' in response.text
    assert stored() == before


@pytest.mark.parametrize("case", [c for c in CASES if c.patch], ids=repr)
def test_edit_page_refuses_beside_the_field_changes_nothing(client, programme, case):
    session = SessionFactory(programme=programme, capacity=10)
    client.force_login(session.host)
    fields = {f.attname: getattr(session, f.attname) for f in Session._meta.concrete_fields}
    before = stored()
    data = form_data(programme, {"title": session.title, **case.page})
    response = client.post(reverse("events:edit", args=[session.pk]), data)
    assert response.status_code == 200
    assert case.page_field in response.context["form"].errors
    session.refresh_from_db()
    assert {f.attname: getattr(session, f.attname) for f in Session._meta.concrete_fields} == (
        fields
    )
    assert stored() == before


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_api_create_refuses_naming_the_field(api, member, programme, case):
    before = stored()
    response = api(member).post("/sessions", api_data(programme, case.api))
    assert response.status_code == 422, response.json()
    assert case.api_field in api_fields(response), response.json()
    assert stored() == before


@pytest.mark.parametrize("case", [c for c in CASES if c.patch], ids=repr)
def test_api_patch_refuses_naming_the_field_changes_nothing(api, programme, case):
    session = SessionFactory(programme=programme, capacity=10)
    session.parts.create(title="Deel een", position=0)
    fields = {f.attname: getattr(session, f.attname) for f in Session._meta.concrete_fields}
    before = stored()
    data = api_overrides(case.api, session.start)
    response = api(session.host).patch(f"/sessions/{session.pk}", data)
    assert response.status_code == 422, response.json()
    assert case.api_field in api_fields(response), response.json()
    session.refresh_from_db()
    assert {f.attname: getattr(session, f.attname) for f in Session._meta.concrete_fields} == (
        fields
    )
    assert stored() == before


def test_the_same_rows_pass_once_corrected(client, api, member, programme):
    # The table's base data is valid, so each refusal above is the bad value's doing.
    client.force_login(member)
    assert client.post(reverse("events:create"), form_data(programme)).status_code == 302
    assert api(member).post("/sessions", api_data(programme, {})).status_code == 201
    session = SessionFactory(programme=programme)
    assert api(session.host).patch(f"/sessions/{session.pk}", {"title": "Nieuw"}).status_code == 200


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/sessions", {"programme": "²"}, "programme"),
        ("/sessions", {"programme": "99999999999999999999"}, "programme"),
        ("/sessions", {"programme": "a" * 300}, "programme"),
        ("/sessions", {"type": "feest"}, "type"),
        ("/sessions", {"from": "0001-01-01T00:00:00+00:00"}, "from"),
        ("/sessions", {"to": "9999-12-31T00:00:00+00:00"}, "to"),
        ("/sessions/99999999999999999999", None, "session_id"),
        ("/sessions/²", None, "session_id"),
        ("/sessions/0", None, "session_id"),
        ("/sessions/99999999999999999999/changes", None, "session_id"),
        ("/sessions/99999999999999999999/participants", None, "session_id"),
        ("/programmes/99999999999999999999", None, "programme_id"),
        ("/programmes/١٢", None, "programme_id"),
    ],
)
def test_reads_refuse_bad_ids_and_filters(api, path, query, field):
    response = api().get(path, query)
    assert response.status_code == 422, response.content
    assert field in api_fields(response) or field in str(response.json())


def test_programme_filter_by_id_or_slug(api, programme):
    SessionFactory(programme=programme)
    assert api().get("/sessions", {"programme": str(programme.pk)}).json()["count"] == 1
    assert api().get("/sessions", {"programme": programme.slug}).json()["count"] == 1
    assert api().get("/sessions", {"programme": "123456789"}).json()["count"] == 0


def test_patch_path_id_out_of_range(api, member):
    response = api(member).patch("/sessions/99999999999999999999", {"title": "Nieuw"})
    assert response.status_code == 422
