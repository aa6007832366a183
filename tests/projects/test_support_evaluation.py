"""Support requests from a pilot to the programme team, and the pilot's evaluation in a fixed
form (with the link to record a lesson in the knowledge base)."""

import pytest
from django.core import mail

from bouwplaats.core.errors import InvalidInput, NotAllowed
from bouwplaats.projects import services
from bouwplaats.projects.models import PilotEvaluation, SupportRequest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PEOPLE = ["planner", "colleague", "team", "outsider", "unverified", "staff", "visitor"]


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, full_name="Beheerder")


def _who(request, who):
    return None if who == "visitor" else request.getfixturevalue(who)


@pytest.fixture
def support(pilot, planner):
    return services.support_request_create(
        actor=planner, pilot=pilot, kind="bemiddeling",
        question="Wij zoeken contact met BZK over de regeling voor tijdelijke woningen.",
    )  # fmt: skip


# Support requests ------------------------------------------------------------------------------


def test_pilot_team_asks_and_the_programme_team_is_mailed(
    pilot, planner, team, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.support_request_create(
            actor=planner, pilot=pilot, kind="advies", question="Hoe richten wij het bouwteam in?"
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [team.email]
    assert "Hulpvraag van pilot ‘Havenkwartier’: advies" in message.subject
    assert "Hoe richten wij het bouwteam in?" in message.body
    assert pilot.get_absolute_url() in message.body


def test_answer_is_mailed_to_the_asker_and_shown(
    client, support, planner, team, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.support_request_answer(
            actor=team, support_request=support, status="beantwoord",
            answer="Wij brengen u in contact met de directie Woningbouw.",
        )  # fmt: skip
    assert len(mail.outbox) == 1 and planner.email in mail.outbox[0].to[0]
    assert "directie Woningbouw" in mail.outbox[0].body
    support.refresh_from_db()
    assert support.answered_by == team and support.answered_at is not None
    client.force_login(planner)
    html = client.get(support.pilot.get_absolute_url()).content.decode()
    assert 'data-status="beantwoord"' in html and "directie Woningbouw" in html
    assert "Bemiddeling richting ministeries" in html


def test_in_behandeling_is_not_mailed(support, team, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.support_request_answer(
            actor=team, support_request=support, status="in_behandeling"
        )
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("who", "ask", "answer"),
    [("planner", 302, 403), ("colleague", 302, 403), ("team", 403, 302), ("staff", 403, 302),
     ("outsider", 404, 404), ("unverified", 404, 404), ("visitor", 302, 302)],
)  # fmt: skip
def test_support_pages_access_matrix(client, request, pilot, support, who, ask, answer):
    user = _who(request, who)
    if user:
        client.force_login(user)
    before = SupportRequest.objects.count()
    response = client.post(
        f"/pilots/{pilot.pk}/hulpvraag/",
        {"hulpvraag-kind": "advies", "hulpvraag-question": "Een vraag"},
    )
    assert response.status_code == ask
    asked = ask == 302 and user is not None
    assert SupportRequest.objects.count() == before + asked
    response = client.post(
        f"/pilots/{pilot.pk}/hulpvraag/{support.pk}/",
        {f"hulp{support.pk}-status": "beantwoord", f"hulp{support.pk}-answer": "Antwoord"},
    )
    assert response.status_code == answer
    support.refresh_from_db()
    assert (support.status == "beantwoord") == (answer == 302 and user is not None)


@pytest.mark.parametrize(
    ("who", "ask", "answer"),
    [("planner", 201, 403), ("colleague", 201, 403), ("team", 403, 200), ("staff", 403, 200),
     ("outsider", 404, 404), ("unverified", 404, 404), ("visitor", 401, 401)],
)  # fmt: skip
def test_support_api_access_matrix(api, request, pilot, support, who, ask, answer):
    client = api(_who(request, who))
    response = client.post(
        f"/pilots/{pilot.pk}/support-requests", {"kind": "advies", "question": "Een vraag"}
    )
    assert response.status_code == ask, response.content
    response = client.patch(
        f"/support-requests/{support.pk}", {"status": "beantwoord", "answer": "Antwoord"}
    )
    assert response.status_code == answer, response.content
    support.refresh_from_db()
    assert (support.status == "beantwoord") == (answer == 200)


def test_the_api_shows_support_requests_on_the_pilot(api, pilot, support, planner):
    body = api(planner).get(f"/pilots/{pilot.pk}").json()
    assert body["support_requests"] == [
        {"id": support.pk, "kind": "bemiddeling", "question": support.question, "status": "open",
         "answer": "", "at": body["support_requests"][0]["at"], "answered_at": None}
    ]  # fmt: skip
    assert body["evaluation"] is None


@pytest.mark.parametrize(
    ("form", "body", "field"),
    [({"hulpvraag-kind": "geld", "hulpvraag-question": "x"}, {"kind": "geld", "question": "x"},
      "kind"),
     ({"hulpvraag-kind": "advies", "hulpvraag-question": ""}, {"kind": "advies", "question": ""},
      "question"),
     ({"hulpvraag-kind": "advies", "hulpvraag-question": "é" * 10_000},
      {"kind": "advies", "question": "é" * 10_000}, "question"),
     ({"hulpvraag-kind": "advies", "hulpvraag-question": "nul\x00"},
      {"kind": "advies", "question": "nul\x00"}, "question")],
)  # fmt: skip
def test_bad_support_request_is_refused_and_nothing_stored(
    client, api, pilot, planner, form, body, field
):
    client.force_login(planner)
    response = client.post(f"/pilots/{pilot.pk}/hulpvraag/", form)
    assert response.status_code == 422
    assert f'id="id_hulpvraag-{field}_errors"' in response.content.decode()
    response = api(planner).post(f"/pilots/{pilot.pk}/support-requests", body)
    assert response.status_code == 422 and field in response.json()["errors"]
    assert not SupportRequest.objects.exists()


def test_answered_needs_an_answer(client, api, support, team):
    client.force_login(team)
    response = client.post(
        f"/pilots/{support.pilot.pk}/hulpvraag/{support.pk}/",
        {f"hulp{support.pk}-status": "beantwoord", f"hulp{support.pk}-answer": " "},
    )
    assert response.status_code == 422
    assert f'id="id_hulp{support.pk}-answer_errors"' in response.content.decode()
    response = api(team).patch(f"/support-requests/{support.pk}", {"status": "beantwoord"})
    assert response.status_code == 422 and response.json()["code"] == "answer"
    with pytest.raises(InvalidInput):
        services.support_request_answer(actor=team, support_request=support, status="beantwoord")
    support.refresh_from_db()
    assert support.status == "open" and support.answered_at is None


def test_service_refuses_others(support, pilot, outsider, team, planner):
    with pytest.raises(NotAllowed):
        services.support_request_create(actor=team, pilot=pilot, kind="advies", question="x")
    with pytest.raises(NotAllowed):
        services.support_request_answer(
            actor=planner, support_request=support, status="beantwoord", answer="zelf"
        )
    with pytest.raises(NotAllowed):
        services.support_request_create(actor=outsider, pilot=pilot, kind="advies", question="x")


# The evaluation ---------------------------------------------------------------------------------

EVALUATION = {
    "evaluatie-outcome": "deels",
    "evaluatie-results": "Tweehonderd woningen in een voormalig kantoor.",
    "evaluatie-went_well": "Het bouwteam met de corporatie.",
    "evaluatie-differently": "Eerder met de omgevingsdienst om tafel.",
    "evaluatie-next_steps": "De aanpak wordt herhaald in de Spoorzone.",
}


@pytest.mark.parametrize(
    ("who", "page", "api_status"),
    [("planner", 302, 200), ("team", 302, 200), ("staff", 302, 200), ("outsider", 404, 404),
     ("unverified", 404, 404), ("visitor", 302, 401)],
)  # fmt: skip
def test_evaluation_access_matrix(client, api, request, pilot, who, page, api_status):
    user = _who(request, who)
    if user:
        client.force_login(user)
    response = client.post(f"/pilots/{pilot.pk}/evaluatie/", EVALUATION)
    assert response.status_code == page
    assert PilotEvaluation.objects.exists() == (page == 302 and user is not None)
    PilotEvaluation.objects.all().delete()
    body = {k.removeprefix("evaluatie-"): v for k, v in EVALUATION.items()}
    response = api(user).post(f"/pilots/{pilot.pk}/evaluation", body)
    assert response.status_code == api_status, response.content
    assert PilotEvaluation.objects.exists() == (api_status == 200)


def test_evaluation_is_shown_and_rewritten_in_place(client, pilot, planner, team):
    client.force_login(planner)
    client.post(f"/pilots/{pilot.pk}/evaluatie/", EVALUATION)
    client.force_login(team)
    client.post(f"/pilots/{pilot.pk}/evaluatie/", {**EVALUATION, "evaluatie-outcome": "geslaagd"})
    evaluation = PilotEvaluation.objects.get()
    assert evaluation.outcome == "geslaagd" and evaluation.by == team
    html = client.get(pilot.get_absolute_url()).content.decode()
    assert 'data-outcome="geslaagd"' in html and "Doelen gehaald" in html
    assert "Eerder met de omgevingsdienst om tafel." in html
    # Lessons belong to the knowledge base: the pilot page links to its form for this pilot.
    assert f'href="/kennis/les/nieuw/?pilot={pilot.pk}"' in html


@pytest.mark.parametrize(
    ("field", "value"),
    [("outcome", "prima"), ("results", ""), ("results", "x" * 10_000), ("differently", "esc\x1b")],
)
def test_bad_evaluation_is_refused_and_nothing_stored(client, api, pilot, planner, field, value):
    client.force_login(planner)
    response = client.post(
        f"/pilots/{pilot.pk}/evaluatie/", {**EVALUATION, f"evaluatie-{field}": value}
    )
    assert response.status_code == 422
    assert f'id="id_evaluatie-{field}_errors"' in response.content.decode()
    body = {k.removeprefix("evaluatie-"): v for k, v in EVALUATION.items()} | {field: value}
    response = api(planner).post(f"/pilots/{pilot.pk}/evaluation", body)
    assert response.status_code == 422 and field in response.json()["errors"]
    assert not PilotEvaluation.objects.exists()


def test_pilot_page_queries_do_not_grow_with_support_requests(
    client, pilot, planner, team, django_assert_max_num_queries
):
    for n in range(6):
        services.support_request_create(
            actor=planner, pilot=pilot, kind="advies", question=f"Vraag {n}"
        )
    client.force_login(team)
    client.get(pilot.get_absolute_url())
    with django_assert_max_num_queries(14):
        html = client.get(pilot.get_absolute_url()).content.decode()
    assert html.count("Hulpvraag beantwoorden") == 6
