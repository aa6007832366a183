"""The programme team writes and edits its calls on pages (and POST/PATCH /calls): the rules
are the model's and the service's, page and API refuse alike and store nothing."""

import re

import pytest

from bouwplaats.core.errors import InvalidInput, NotAllowed
from bouwplaats.projects import services
from bouwplaats.projects.models import Call, CallCriterion, CallQuestion
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

from .helpers import days, make_call

pytestmark = pytest.mark.django_db


def form_data(programme=None, **overrides):
    data = {
        "title": "Meedoen met uw project?",
        "text": "U kunt uw eigen project of cases inbrengen.",
        "opens_on": days(0).isoformat(),
        "closes_on": days(30).isoformat(),
        "organisation_kinds": ["gemeente", "marktpartij"],
        "repair_days": "14",
        "published": "on",
        "questions": "Wat wilt u versnellen?\n(optioneel) Welke begeleiding zoekt u?",
        "criteria": "Versnellen | 3\nLeerwaarde | 2",
    }
    if programme is not None:
        data["programme"] = programme.pk
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def api_body(programme, **overrides):
    body = {
        "programme": programme.pk,
        "title": "Meedoen met uw project?",
        "text": "U kunt uw eigen project of cases inbrengen.",
        "opens_on": days(0).isoformat(),
        "closes_on": days(30).isoformat(),
        "organisation_kinds": ["gemeente", "marktpartij"],
        "published": True,
        "questions": [{"text": "Wat wilt u versnellen?"}],
        "criteria": [{"name": "Versnellen", "weight": 3}],
    }
    body.update(overrides)
    return body


# Access ----------------------------------------------------------------------------------------


@pytest.fixture
def other_team(db):
    return MembershipFactory(programme=ProgrammeFactory(name="Ander programma")).user


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True)


@pytest.mark.parametrize(
    ("who", "create", "edit"),
    [("visitor", 302, 302), ("planner", 403, 403), ("other_team", 200, 403), ("team", 200, 200),
     ("staff", 200, 200)],
)  # fmt: skip
def test_call_pages_access_matrix(client, request, call, who, create, edit):
    if who != "visitor":
        client.force_login(request.getfixturevalue(who))
    assert client.get("/oproepen/nieuw/").status_code == create
    assert client.get(f"/oproepen/{call.pk}/wijzigen/").status_code == edit
    before = Call.objects.get(pk=call.pk).title
    response = client.post(f"/oproepen/{call.pk}/wijzigen/", form_data(title="Gekaapt"))
    assert response.status_code in (edit if edit != 200 else 302, 302)
    assert (Call.objects.get(pk=call.pk).title == "Gekaapt") == (edit == 200)
    Call.objects.filter(pk=call.pk).update(title=before)


@pytest.mark.parametrize(
    ("who", "status"),
    [("visitor", 401), ("planner", 403), ("other_team", 403), ("team", 201), ("staff", 201)],
)
def test_api_create_call_access_matrix(api, request, programme, who, status):
    user = None if who == "visitor" else request.getfixturevalue(who)
    response = api(user).post("/calls", api_body(programme))
    assert response.status_code == status
    assert Call.objects.exists() == (status == 201)


@pytest.mark.parametrize(
    ("who", "status"),
    [("visitor", 401), ("planner", 403), ("other_team", 403), ("team", 200), ("staff", 200)],
)
def test_api_patch_call_access_matrix(api, request, call, who, status):
    user = None if who == "visitor" else request.getfixturevalue(who)
    response = api(user).patch(f"/calls/{call.pk}", {"title": "Nieuwe titel"})
    assert response.status_code == status
    assert (Call.objects.get(pk=call.pk).title == "Nieuwe titel") == (status == 200)


def test_team_of_another_programme_cannot_create_a_call_for_this_one(client, programme, other_team):
    client.force_login(other_team)
    response = client.post("/oproepen/nieuw/", form_data(programme))
    assert response.status_code == 200
    assert 'id="id_programme_errors"' in response.content.decode()
    assert not Call.objects.exists()
    with pytest.raises(NotAllowed):
        make_call(programme, actor=other_team)


# Creating and editing ---------------------------------------------------------------------------


def test_team_creates_a_concept_call_that_only_the_team_sees(client, programme, team, planner):
    client.force_login(team)
    response = client.post("/oproepen/nieuw/", form_data(programme, published=None))
    call = Call.objects.get()
    assert response.status_code == 302 and response["Location"] == call.get_absolute_url()
    assert not call.published and call.organisation_kinds == ["gemeente", "marktpartij"]
    assert [(q.text, q.required) for q in call.questions.all()] == [
        ("Wat wilt u versnellen?", True),
        ("Welke begeleiding zoekt u?", False),
    ]
    assert [(c.name, c.weight) for c in call.criteria.all()] == [
        ("Versnellen", 3),
        ("Leerwaarde", 2),
    ]
    html = client.get("/oproepen/").content.decode()
    assert "Concept (niet gepubliceerd)" in html and "Nieuwe oproep" in html
    client.force_login(planner)
    assert client.get(call.get_absolute_url()).status_code == 404
    assert "Nieuwe oproep" not in client.get("/oproepen/").content.decode()


def test_rolling_call_without_close_date(client, programme, team):
    client.force_login(team)
    client.post("/oproepen/nieuw/", form_data(programme, closes_on="", rolling="on"))
    call = Call.objects.get()
    assert call.rolling and call.closes_on is None and call.is_open()


def test_edit_form_shows_the_call_and_saves_changes(client, call, team, second_team_member):
    client.force_login(team)
    html = client.get(f"/oproepen/{call.pk}/wijzigen/").content.decode()
    assert "Versnellen | 3" in html and "(optioneel) Welke begeleiding zoekt u?" in html
    assert re.search(r'value="gemeente"[^>]*checked', html)
    assert not re.search(r'value="marktpartij"[^>]*checked', html)
    data = form_data(
        title="Meedoen met uw project? (tweede ronde)",
        questions="Wat wilt u versnellen, opschalen of verbeteren?\n(optioneel) Welke begeleiding?",
        criteria="Versnellen | 4\nLeerwaarde | 2\nOpschaalbaarheid | 1",
        reviewers=[team.pk, second_team_member.pk],
    )
    response = client.post(f"/oproepen/{call.pk}/wijzigen/", data)
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.title.endswith("(tweede ronde)")
    assert [c.weight for c in call.criteria.all()] == [4, 2, 1]
    assert set(call.reviewers.all()) == {team, second_team_member}
    assert "De oproep is bijgewerkt." in client.get(call.get_absolute_url()).content.decode()


@pytest.fixture
def second_team_member(programme):
    return MembershipFactory(programme=programme, user=UserFactory(full_name="Karel")).user


def test_a_question_with_answers_is_changed_in_place_but_never_removed(
    client, call, team, submission
):
    answered = call.questions.get(required=True)
    client.force_login(team)
    response = client.post(
        f"/oproepen/{call.pk}/wijzigen/", form_data(questions="", criteria="Versnellen | 3")
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'id="id_questions_errors"' in html
    assert "kan niet weg" in html
    assert CallQuestion.objects.filter(call=call).count() == 2
    assert submission.answers.filter(question=answered).exists()
    # Rewording keeps the row, and so the answers.
    client.post(
        f"/oproepen/{call.pk}/wijzigen/",
        form_data(questions="Wat wilt u versnellen of verbeteren?", criteria="Versnellen | 3"),
    )
    answered.refresh_from_db()
    assert answered.text == "Wat wilt u versnellen of verbeteren?"
    assert list(call.questions.all()) == [answered]
    assert submission.answers.filter(question=answered).exists()


def test_a_criterion_with_scores_is_never_removed(call, team, submission):
    services.call_set_reviewers(call=call, reviewers=[team])
    criteria = list(call.criteria.all())
    services.review_save(actor=team, submission=submission, scores={c.pk: 4 for c in criteria})
    values = {name: getattr(call, name) for name in services.CALL_FIELDS}
    with pytest.raises(InvalidInput) as exc:
        services.call_update(actor=team, call=call, **values, criteria=[("Versnellen", 3)])
    assert exc.value.code == "criteria"
    assert CallCriterion.objects.filter(call=call).count() == 2


def test_reviewers_must_be_on_the_programme_team(call, team, planner):
    values = {name: getattr(call, name) for name in services.CALL_FIELDS}
    with pytest.raises(InvalidInput) as exc:
        services.call_update(actor=team, call=call, **values, reviewers=[planner])
    assert exc.value.code == "reviewers"
    assert not call.reviewers.exists()


def test_api_creates_and_patches_a_call(api, programme, team):
    response = api(team).post("/calls", api_body(programme, published=False))
    assert response.status_code == 201
    body = response.json()
    assert body["questions"][0]["required"] is True and body["criteria"][0]["weight"] == 3
    response = api(team).patch(f"/calls/{body['id']}", {"published": True, "repair_days": 21})
    assert response.status_code == 200
    call = Call.objects.get()
    assert call.published and call.repair_days == 21
    assert call.title == "Meedoen met uw project?" and call.questions.count() == 1


# Bad input: the page and the API name the same field, nothing is stored ----------------------

# (page fields, API fields, field named, words of the Dutch message)
CALL_CASES = [
    ({"title": "x" * 10_000}, {"title": "x" * 10_000}, "title", "200"),
    ({"title": ""}, {"title": ""}, "title", ""),
    ({"title": "bel\x07"}, {"title": "bel\x07"}, "title", "stuurtekens"),
    ({"text": "esc\x1b"}, {"text": "esc\x1b"}, "text", "stuurtekens"),
    ({"closes_on": days(-1).isoformat()}, {"closes_on": days(-1).isoformat()}, "closes_on",
     "vóór de openingsdatum"),
    ({"closes_on": ""}, {"closes_on": None}, "closes_on", "sluitingsdatum"),
    ({"rolling": "on"}, {"rolling": True}, "closes_on", "doorlopende oproep"),
    ({"organisation_kinds": []}, {"organisation_kinds": []}, "organisation_kinds",
     "ten minste één"),
    ({"repair_days": "0"}, {"repair_days": 0}, "repair_days", "1"),
    ({"repair_days": "91"}, {"repair_days": 91}, "repair_days", "90"),
    # The API keys a nested field by its full dotted path.
    ({"questions": "Wat\tdan?"}, {"questions": [{"text": "Wat\tdan?"}]},
     "questions:questions.0.text", ""),
    ({"questions": "é" * 600}, {"questions": [{"text": "é" * 600}]},
     "questions:questions.0.text", "500"),
    ({"criteria": "Versnellen | 0"}, {"criteria": [{"name": "Versnellen", "weight": 0}]},
     "criteria:criteria.0.weight", "1"),
    ({"criteria": "Versnellen | 101"}, {"criteria": [{"name": "Versnellen", "weight": 101}]},
     "criteria:criteria.0.weight", "100"),
]  # fmt: skip


@pytest.mark.parametrize(("page", "body", "field", "words"), CALL_CASES)
def test_call_page_and_api_refuse_alike(client, api, programme, team, page, body, field, words):
    field, _colon, api_field = field.partition(":")
    api_field = api_field or field
    client.force_login(team)
    response = client.post("/oproepen/nieuw/", form_data(programme, **page))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_{field}_errors"' in html and words in html
    response = api(team).post("/calls", api_body(programme, **body))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert api_field in errors and words in " ".join(errors[api_field])
    assert not Call.objects.exists()
    assert not CallQuestion.objects.exists() and not CallCriterion.objects.exists()


@pytest.mark.parametrize("line", ["Versnellen | drie", "Versnellen | ٣", "Versnellen |"])
def test_a_criterion_line_without_a_plain_weight_is_refused(client, programme, team, line):
    client.force_login(team)
    html = client.post("/oproepen/nieuw/", form_data(programme, criteria=line)).content.decode()
    assert 'id="id_criteria_errors"' in html and "Regel 1" in html
    assert not Call.objects.exists()


def test_unknown_organisation_kind_is_refused(client, api, programme, team):
    client.force_login(team)
    html = client.post(
        "/oproepen/nieuw/", form_data(programme, organisation_kinds=["heksenkring"])
    ).content.decode()
    assert 'id="id_organisation_kinds_errors"' in html
    response = api(team).post("/calls", api_body(programme, organisation_kinds=["heksenkring"]))
    assert response.status_code == 422 and "organisation_kinds" in response.json()["errors"]
    assert not Call.objects.exists()


def test_failed_edit_changes_nothing(client, call, team):
    client.force_login(team)
    response = client.post(
        f"/oproepen/{call.pk}/wijzigen/",
        form_data(title="Nieuwe titel", criteria="Versnellen | 500"),
    )
    assert response.status_code == 200
    call.refresh_from_db()
    assert call.title == "Meedoen met uw project?"
    assert [c.weight for c in call.criteria.all()] == [3, 2]


def test_call_list_for_visitors_keeps_one_query(client, call, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/oproepen/")


def test_call_list_for_the_team_pins_its_queries(
    client, programme, team, django_assert_num_queries
):
    for n in range(5):
        make_call(programme, title=f"Concept {n}", published=False)
    client.force_login(team)
    client.get("/oproepen/")
    # session, user, open calls, on a team?, the team's calls with programmes: not per call.
    with django_assert_num_queries(5):
        html = client.get("/oproepen/").content.decode()
    assert html.count("Concept (niet gepubliceerd)") == 5
