import datetime

import pytest
from django.utils import timezone

from bouwplaats.events import services
from bouwplaats.events.models import Registration, Session, SessionChange
from tests.factories import RegistrationFactory, SessionFactory, UserFactory

S = Registration.Status

SESSION_FIELDS = {
    "id", "title", "type", "programme", "intro", "goal", "criteria", "host", "start", "end",
    "location", "online", "capacity", "registration_deadline", "requires_approval", "parts",
    "status", "confirmed_count", "waitlist_count", "ical_url",
}  # fmt: skip


def payload(programme, **overrides):
    start = (timezone.now() + datetime.timedelta(days=20)).replace(microsecond=0)
    data = {
        "programme": programme.pk,
        "type": "webinar",
        "title": "MIRT light webinar",
        "start": start.isoformat(),
        "end": (start + datetime.timedelta(hours=1)).isoformat(),
        "online": True,
        "online_url": "https://meet.example/mirt",
        "capacity": 40,
        "criteria": ["Je werkt in het MIRT-werkveld"],
        "parts": [{"title": "Wat is MIRT?", "time": "10:00"}],
    }
    data.update(overrides)
    return data


# GET /sessions


def test_list_sessions_with_fields_and_filters(api, programme, django_assert_max_num_queries):
    session = SessionFactory(programme=programme, capacity=5, type="webinar")
    session.parts.create(title="Deel een", position=0)
    RegistrationFactory.create_batch(2, session=session)
    RegistrationFactory(session=session, status=S.WAITLISTED)
    SessionFactory(type="cursus")
    SessionFactory(status="draft")
    with django_assert_max_num_queries(6):
        response = api().get("/sessions")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    item = next(i for i in body["items"] if i["id"] == session.pk)
    assert set(item) >= SESSION_FIELDS
    assert (item["confirmed_count"], item["waitlist_count"]) == (2, 1)
    assert item["ical_url"].endswith(f"/sessies/{session.pk}/sessie.ics")
    assert item["start"].endswith(("+01:00", "+02:00"))
    assert item["host"]["name"] == session.host.display_name
    assert item["parts"] == [{"title": "Deel een", "time": "", "text": ""}]
    assert [i["id"] for i in api().get("/sessions", {"type": "webinar"}).json()["items"]] == [
        session.pk
    ]
    assert api().get("/sessions", {"programme": programme.slug}).json()["count"] == 1
    later = (timezone.now() + datetime.timedelta(days=30)).isoformat()
    assert api().get("/sessions", {"from": later}).json()["count"] == 0


def test_list_sessions_bad_filter(api):
    response = api().get("/sessions", {"from": "morgen"})
    assert response.status_code == 422 and "detail" in response.json()


# POST /sessions


def test_member_creates_draft(api, member, programme):
    response = api(member).post("/sessions", payload(programme))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["host"]["name"] == member.display_name
    assert body["online_url"] == "https://meet.example/mirt"
    assert Session.objects.get().host == member


def test_team_publishes_at_once_member_may_not(api, member, team_member, programme):
    assert api(member).post("/sessions", payload(programme, status="published")).status_code == 403
    response = api(team_member).post("/sessions", payload(programme, status="published"))
    assert response.status_code == 201 and response.json()["status"] == "published"


def test_visitor_cannot_create(api, programme):
    response = api().post("/sessions", payload(programme))
    assert response.status_code == 401 and "detail" in response.json()
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end": (timezone.now() + datetime.timedelta(days=1)).isoformat()}, "end"),
        ({"capacity": -1}, "capacity"),
        ({"programme": 99999}, "programme"),
        ({"type": "feest"}, "type"),
        ({"start": "gisteren"}, "start"),
    ],
)
def test_create_bad_input(api, member, programme, overrides, field):
    response = api(member).post("/sessions", {**payload(programme), **overrides})
    assert response.status_code == 422
    assert response.json()["detail"]
    assert field in str(response.json())
    assert not Session.objects.exists()


# GET /sessions/{id}


def test_get_session_hides_online_link_and_drafts(api, session, member):
    session.online, session.online_url = True, "https://meet.example/x"
    session.save()
    assert api().get(f"/sessions/{session.pk}").json()["online_url"] is None
    RegistrationFactory(session=session, member=member)
    assert api(member).get(f"/sessions/{session.pk}").json()["online_url"] == session.online_url
    draft = SessionFactory(status="draft")
    assert api(member).get(f"/sessions/{draft.pk}").status_code == 404
    assert api(draft.host).get(f"/sessions/{draft.pk}").status_code == 200
    assert api().get("/sessions/99999").status_code == 404


# PATCH /sessions/{id}


def test_patch_by_host_records_change(api, session):
    response = api(session.host).patch(f"/sessions/{session.pk}", {"location": "Den Haag"})
    assert response.status_code == 200
    assert response.json()["location"] == "Den Haag" and response.json()["sequence"] == 1
    change = SessionChange.objects.get()
    assert (change.field, change.old, change.new) == ("location", "Utrecht", "Den Haag")


def test_patch_refused_for_visitor_and_other_member(api, session, other_member):
    assert api().patch(f"/sessions/{session.pk}", {"location": "X"}).status_code == 401
    assert api(other_member).patch(f"/sessions/{session.pk}", {"location": "X"}).status_code == 403
    session.refresh_from_db()
    assert session.location == "Utrecht"


@pytest.mark.parametrize(
    "data",
    [
        {"capacity": -5},
        {"end": "2000-01-01T10:00:00+01:00"},
        {"title": None},
        {"audience": None},
        {"online": None},
    ],
)
def test_patch_bad_input(api, session, data):
    response = api(session.host).patch(f"/sessions/{session.pk}", data)
    assert 400 <= response.status_code < 500 and response.json()["detail"]
    assert not SessionChange.objects.exists()


def test_patch_status_publish_and_cancel(api, programme, team_member, member):
    draft = SessionFactory(programme=programme, host=member, status="draft")
    assert api(member).patch(f"/sessions/{draft.pk}", {"status": "published"}).status_code == 403
    response = api(team_member).patch(f"/sessions/{draft.pk}", {"status": "published"})
    assert response.json()["status"] == "published"
    # A published session is cancelled with a reason, told to everyone registered.
    response = api(member).patch(f"/sessions/{draft.pk}", {"status": "cancelled"})
    assert response.status_code == 422 and response.json()["code"] == "cancellation_reason"
    response = api(member).patch(
        f"/sessions/{draft.pk}", {"status": "cancelled", "cancellation_reason": "Zaal vervallen"}
    )
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancellation_reason"] == "Zaal vervallen"
    assert api(member).patch(f"/sessions/{draft.pk}", {"status": "draft"}).status_code == 409


@pytest.mark.parametrize("reason", ["", "x" * 2001, "Zaal\x00vervallen"])
def test_patch_cancel_refuses_a_bad_reason_like_the_page(api, session, reason):
    response = api(session.host).patch(
        f"/sessions/{session.pk}", {"status": "cancelled", "cancellation_reason": reason}
    )
    assert response.status_code == 422 and response.json()["code"] == "cancellation_reason"
    session.refresh_from_db()
    assert (session.status, session.cancellation_reason) == ("published", "")


def test_patch_refused_status_changes_nothing(api, programme, member):
    # One request, one transaction: the host may change the title but not publish, so
    # neither happens (the title used to be saved before the publish was refused).
    draft = SessionFactory(programme=programme, host=member, status="draft", title="Oud")
    response = api(member).patch(f"/sessions/{draft.pk}", {"title": "Nieuw", "status": "published"})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Oud", "draft")


def test_patch_title_and_publish_together(api, programme, member, team_member):
    draft = SessionFactory(programme=programme, host=member, status="draft", title="Oud")
    response = api(team_member).patch(
        f"/sessions/{draft.pk}", {"title": "Nieuw", "status": "published"}
    )
    assert response.status_code == 200
    assert (response.json()["title"], response.json()["status"]) == ("Nieuw", "published")


def test_patch_invalid_field_does_not_cancel(api, session):
    response = api(session.host).patch(
        f"/sessions/{session.pk}", {"status": "cancelled", "end": "2000-01-01T10:00:00+01:00"}
    )
    assert response.status_code == 422 and response.json()["code"] == "end"
    session.refresh_from_db()
    assert session.status == "published"


def test_openapi_shows_the_models_limits(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    session_in = schemas["SessionIn"]["properties"]
    assert session_in["title"]["maxLength"] == 200
    assert session_in["audience"]["maxLength"] == 300
    assert session_in["criteria"]["maxItems"] == 30
    assert session_in["criteria"]["items"]["maxLength"] == 500
    capacity = session_in["capacity"]["anyOf"][0]
    assert (capacity["minimum"], capacity["maximum"]) == (0, 100_000)
    assert session_in["programme"]["maximum"] == 2**63 - 1
    assert schemas["PartIn"]["properties"]["title"]["maxLength"] == 300
    document = client.get("/api/v1/openapi.json").json()
    path_id = document["paths"]["/api/v1/sessions/{session_id}"]["patch"]["parameters"][0]
    assert (path_id["schema"]["minimum"], path_id["schema"]["maximum"]) == (1, 2**63 - 1)


# GET /sessions/{id}/changes


def test_changes(api, session, team_member):
    later = session.start + datetime.timedelta(days=1)
    services.session_update(
        session=session, actor=team_member, start=later, end=later + datetime.timedelta(hours=2)
    )
    body = api().get(f"/sessions/{session.pk}/changes").json()
    assert body["count"] == 2
    assert {i["field"] for i in body["items"]} == {"start", "end"}
    assert set(body["items"][0]) == {"field", "old", "new", "changed_at"}


def test_changes_of_draft_refused(api, member):
    draft = SessionFactory(status="draft")
    assert api(member).get(f"/sessions/{draft.pk}/changes").status_code == 404


# POST /sessions/{id}/registrations


def test_register_confirmed_then_waitlisted(api, session):
    first, second, third = UserFactory.create_batch(3)
    assert api(first).post(f"/sessions/{session.pk}/registrations").json()["status"] == "confirmed"
    api(second).post(f"/sessions/{session.pk}/registrations")
    response = api(third).post(f"/sessions/{session.pk}/registrations", {"answers": {}})
    assert response.status_code == 201
    assert response.json() == {
        "id": Registration.objects.get(member=third).pk,
        "status": "waitlisted",
    }


def test_register_pending_when_approval_required(api, session, member):
    session.requires_approval = True
    session.save()
    assert api(member).post(f"/sessions/{session.pk}/registrations").json()["status"] == "pending"


def test_register_refused(api, session, member):
    assert api().post(f"/sessions/{session.pk}/registrations").status_code == 401
    api(member).post(f"/sessions/{session.pk}/registrations")
    again = api(member).post(f"/sessions/{session.pk}/registrations")
    assert again.status_code == 409 and "al aangemeld" in again.json()["detail"]
    draft = SessionFactory(status="draft")
    assert api(member).post(f"/sessions/{draft.pk}/registrations").status_code == 404
    assert api(member).post("/sessions/99999/registrations").status_code == 404


def test_register_bad_answers(api, session, member):
    response = api(member).post(f"/sessions/{session.pk}/registrations", {"answers": {"x": "y"}})
    assert response.status_code == 400 and response.json()["detail"]
    response = api(member).post(f"/sessions/{session.pk}/registrations", {"answers": "nee"})
    assert response.status_code == 422
    assert not Registration.objects.exists()


# DELETE /sessions/{id}/registrations/me


def test_unregister_promotes_first_waiting(api, session, member):
    RegistrationFactory(session=session, member=member)
    RegistrationFactory(session=session)
    waiting = RegistrationFactory(session=session, status=S.WAITLISTED)
    response = api(member).delete(f"/sessions/{session.pk}/registrations/me")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED


def test_unregister_refused(api, session, other_member):
    assert api().delete(f"/sessions/{session.pk}/registrations/me").status_code == 401
    assert api(other_member).delete(f"/sessions/{session.pk}/registrations/me").status_code == 404


# GET /sessions/{id}/participants


def test_participants_by_visibility(
    api, session, member, other_member, django_assert_max_num_queries
):
    RegistrationFactory(session=session, member=member)
    RegistrationFactory.create_batch(10, session=session)
    RegistrationFactory(session=session, status=S.WAITLISTED)
    client = api()
    with django_assert_max_num_queries(5):
        body = client.get(f"/sessions/{session.pk}/participants").json()
    assert body["count"] == 11
    assert set(body["items"][0]) == {"name", "function", "organisation", "status"}
    assert api(session.host).get(f"/sessions/{session.pk}/participants").json()["count"] == 12
    session.participant_visibility = Session.Visibility.PARTICIPANTS
    session.save()
    assert api().get(f"/sessions/{session.pk}/participants").status_code == 403
    assert api(other_member).get(f"/sessions/{session.pk}/participants").status_code == 403
    assert api(member).get(f"/sessions/{session.pk}/participants").status_code == 200


def test_participants_bad_paging(api, session):
    response = api().get(f"/sessions/{session.pk}/participants", {"limit": "veel"})
    assert response.status_code == 422


def test_implausible_dates_are_refused_not_a_server_error(api):
    response = api().get("/sessions", {"from": "0001-01-01T00:00:00+00:01"})
    assert response.status_code == 422
    assert "1900" in str(response.json()["detail"])
