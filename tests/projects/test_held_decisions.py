"""Decisions held and then sent together: nothing reaches the submitter until they are sent."""

import pytest

from bouwplaats.core.errors import InvalidInput, NotAllowed
from bouwplaats.projects import services
from bouwplaats.projects.models import HeldDecision, Pilot

from .helpers import answers_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(call, planner, team, submission, django_capture_on_commit_callbacks):
    """Two submissions in review (Havenkwartier and Stationsgebied)."""
    other = services.submission_create(
        actor=planner, call=call, organisation=planner.organisation, title="Stationsgebied",
        answers=answers_for(call),
    )  # fmt: skip
    for item in (submission, other):
        services.submission_set_status(actor=team, submission=item, status="in_behandeling",
                                       reason="Volledig")  # fmt: skip
    return submission, other


def test_held_decisions_reach_nobody_until_sent_together(
    api, two, call, team, planner, mailoutbox, django_capture_on_commit_callbacks
):
    first, second = two
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_hold(actor=team, submission=first, status="toegelaten",
                               reason="Sterk project")  # fmt: skip
        services.decision_hold(actor=team, submission=second, status="afgewezen",
                               reason="Past niet")  # fmt: skip
    first.refresh_from_db()
    assert first.status == "in_behandeling" and mailoutbox == []
    body = api(planner).get(f"/submissions/{first.pk}").json()
    assert body["status"] == "in_behandeling" and body["pilot"] is None
    assert "Sterk project" not in str(body)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.decisions_send(actor=team, call=call) == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("toegelaten", "afgewezen")
    assert first.steps.last().reason == "Sterk project"
    assert Pilot.objects.get().submission == first
    assert sorted(m.subject.rsplit(": ", 1)[-1] for m in mailoutbox) == ["afgewezen", "toegelaten"]
    assert not HeldDecision.objects.exists()
    assert services.decisions_send(actor=team, call=call) == 0


def test_only_decisions_are_held(two, team):
    with pytest.raises(InvalidInput) as exc:
        services.decision_hold(actor=team, submission=two[0], status="onvolledig", reason="x")
    assert exc.value.code == "status" and not HeldDecision.objects.exists()


def test_only_the_team_holds_and_sends(two, call, planner):
    with pytest.raises(NotAllowed):
        services.decision_hold(actor=planner, submission=two[0], status="toegelaten", reason="x")
    with pytest.raises(NotAllowed):
        services.decisions_send(actor=planner, call=call)


def test_a_step_taken_meanwhile_replaces_the_held_decision(two, team):
    services.decision_hold(actor=team, submission=two[0], status="toegelaten", reason="x")
    services.submission_set_status(actor=team, submission=two[0], status="afgewezen",
                                   reason="Toch niet")  # fmt: skip
    assert not HeldDecision.objects.exists()


def test_pages_hold_show_and_send(client, two, call, team, planner):
    first, _ = two
    client.force_login(team)
    response = client.post(first.get_absolute_url() + "status/",
                           {"status": "toegelaten", "reason": "Sterk", "hold": "on"},
                           follow=True)  # fmt: skip
    html = response.content.decode()
    assert "Het besluit is vastgehouden" in html and 'data-held="toegelaten"' in html
    client.force_login(planner)
    html = client.get(first.get_absolute_url()).content.decode()
    assert "data-held" not in html and "Sterk" not in html
    client.force_login(team)
    queue = client.get(f"/oproepen/{call.pk}/beoordelen/").content.decode()
    assert "1 besluit wordt vastgehouden" in queue
    assert client.post(f"/oproepen/{call.pk}/besluiten-versturen/").status_code == 302
    first.refresh_from_db()
    assert first.status == "toegelaten"
    client.force_login(planner)
    assert client.post(f"/oproepen/{call.pk}/besluiten-versturen/").status_code == 403


def test_api_hold_and_send(api, two, call, team, planner):
    first, _ = two
    url = f"/submissions/{first.pk}"
    response = api(team).patch(url, {"status": "afgewezen", "reason": "Nee", "hold": True})
    assert response.status_code == 200 and response.json()["status"] == "in_behandeling"
    response = api(team).patch(url, {"status": "onvolledig", "reason": "x", "hold": True})
    assert response.status_code == 422 and response.json()["code"] == "status"
    assert api(planner).post(f"/calls/{call.pk}/decisions").status_code == 403
    assert api(team).post(f"/calls/{call.pk}/decisions").json() == {"sent": 1}
    assert api(planner).get(url).json()["status"] == "afgewezen"
