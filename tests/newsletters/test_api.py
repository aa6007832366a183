import pytest
from django.core import mail

from bouwplaats.newsletters import services
from bouwplaats.newsletters.models import Delivery, Issue, Subscription

pytestmark = pytest.mark.django_db


def test_lists_are_public_and_paginated(api, newsletter_list):
    response = api().get("/newsletters/lists")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["name"] == newsletter_list.name
    assert body["items"][0]["programme"] == newsletter_list.programme.name


def test_lists_refuse_a_bad_token(api, newsletter_list):
    response = api().get("/newsletters/lists", headers={"Authorization": "Bearer onzin"})
    assert response.status_code == 401


def test_subscribe_starts_double_opt_in(api, newsletter_list, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api().post(
            f"/newsletters/lists/{newsletter_list.pk}/subscribers",
            {"email": "api@example.nl", "name": "Api Lezer"},
        )
    assert response.status_code == 202
    subscription = Subscription.objects.get()
    assert (subscription.status, subscription.consent_source) == ("pending", "api")
    assert "/nieuwsflits/bevestigen/" in mail.outbox[0].body


def test_subscribe_same_answer_for_known_address(api, newsletter_list, confirmed):
    confirmed("bekend@example.nl")
    known = api().post(
        f"/newsletters/lists/{newsletter_list.pk}/subscribers", {"email": "bekend@example.nl"}
    )
    new = api().post(
        f"/newsletters/lists/{newsletter_list.pk}/subscribers", {"email": "nieuw@example.nl"}
    )
    assert known.status_code == new.status_code == 202
    assert known.json() == new.json()


def test_subscribe_refuses_invalid_address_and_unknown_list(api, newsletter_list):
    response = api().post(
        f"/newsletters/lists/{newsletter_list.pk}/subscribers", {"email": "geen-adres"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "email"
    assert api().post("/newsletters/lists/9999/subscribers", {"email": "a@b.nl"}).status_code == 404
    assert not Subscription.objects.exists()


def test_team_creates_an_issue(api, newsletter_list, team_member):
    response = api(team_member).post(
        f"/newsletters/lists/{newsletter_list.pk}/issues",
        {
            "subject": "Nieuwsflits oktober",
            "intro": "Beste partners en collega's,",
            "signature": "Diana Kool, Trekker Leerplatform MIRT",
            "agenda_days": 60,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["agenda_days"] == 60
    assert (body["signature_name"], body["signature_role"]) == (
        "Diana Kool",
        "Trekker Leerplatform MIRT",
    )


def test_create_issue_refusals(api, newsletter_list, team_member, member):
    path = f"/newsletters/lists/{newsletter_list.pk}/issues"
    assert api().post(path, {"subject": "X"}).status_code == 403
    assert api(member).post(path, {"subject": "X"}).status_code == 403
    empty = api(team_member).post(path, {"subject": "  "})
    assert empty.status_code == 422 and "onderwerp" in empty.json()["detail"]
    assert list(empty.json()["errors"]) == ["subject"]
    assert api(team_member).post(path, {"intro": "zonder onderwerp"}).status_code == 422
    assert not Issue.objects.exists()


@pytest.fixture
def draft(newsletter_list, team_member, confirmed):
    confirmed("een@example.nl")
    confirmed("twee@example.nl")
    return services.issue_create(
        newsletter_list=newsletter_list, user=team_member, subject="Nieuwsflits"
    )


def test_send_answers_at_once_and_progress_shows_the_figures(
    api, draft, team_member, django_capture_on_commit_callbacks
):
    client = api(team_member)
    before = client.get(f"/newsletters/issues/{draft.pk}").json()
    assert (before["status"], before["total"], before["sent"]) == ("draft", 2, 0)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"/newsletters/issues/{draft.pk}/send")
    assert response.status_code == 202
    assert response.json()["status"] == "sending"
    assert response.json()["total"] == 2 and response.json()["sent"] == 0
    assert len(callbacks) == 1
    callbacks[0]()
    after = client.get(f"/newsletters/issues/{draft.pk}").json()
    assert (after["status"], after["total"], after["sent"], after["failed"]) == ("sent", 2, 2, 0)
    assert len(mail.outbox) == 2
    # A sent issue is public.
    assert api().get(f"/newsletters/issues/{draft.pk}").status_code == 200


def test_send_and_progress_refusals(api, draft, member, team_member):
    assert api().post(f"/newsletters/issues/{draft.pk}/send").status_code == 403
    assert api(member).post(f"/newsletters/issues/{draft.pk}/send").status_code == 403
    assert api(member).get(f"/newsletters/issues/{draft.pk}").status_code == 403
    assert api(team_member).get("/newsletters/issues/9999").status_code == 404
    assert not Delivery.objects.exists()
    api(team_member).post(f"/newsletters/issues/{draft.pk}/send")
    again = api(team_member).post(f"/newsletters/issues/{draft.pk}/send")
    assert again.status_code == 400 and "al verzonden" in again.json()["detail"]
