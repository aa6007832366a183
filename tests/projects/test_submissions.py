"""Submissions: a verified member submits for their organisation; drafts; who sees what."""

import pytest
from django.contrib.auth.models import AnonymousUser

from bouwplaats.core.errors import InvalidInput, NotAllowed
from bouwplaats.projects import services
from bouwplaats.projects.models import Submission, SubmissionAnswer, SubmissionStep
from bouwplaats.projects.permissions import (
    can_view_submission,
    organisations_user_may_submit_for,
    submissions_visible_to,
)
from bouwplaats.projects.services import answer_field

from .helpers import answers_for, days, make_call

pytestmark = pytest.mark.django_db


def _create(call, user, organisation=None, **kwargs):
    data = {"title": "Havenkwartier", "summary": "Woon-werkwijk", "answers": answers_for(call)}
    data.update(kwargs)
    return services.submission_create(
        actor=user, call=call, organisation=organisation or user.organisation, **data
    )


# Service -------------------------------------------------------------------------------------


def test_verified_member_submits_for_the_organisation(
    call, planner, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submission = _create(call, planner)
    assert submission.status == Submission.Status.INGEDIEND
    assert submission.organisation == planner.organisation and submission.submitted_by == planner
    assert submission.submitted_at is not None
    step = submission.steps.get()
    assert step.status == "ingediend" and "Jan Pluim" in step.reason
    assert [m.to for m in mailoutbox] == [[f"Jan Pluim <{planner.email}>"]]
    assert "Ingediend" in mailoutbox[0].subject or "ingediend" in mailoutbox[0].subject


def test_a_draft_is_saved_without_required_answers_and_without_history(call, planner, mailoutbox):
    draft = _create(call, planner, answers={}, submit=False)
    assert draft.status == Submission.Status.CONCEPT and draft.submitted_at is None
    assert not draft.steps.exists() and mailoutbox == []


def test_a_draft_is_submitted_later(call, planner, colleague):
    draft = _create(call, planner, answers={}, submit=False)
    with pytest.raises(InvalidInput) as exc:
        services.submission_update(actor=colleague, submission=draft, title="Havenkwartier",
                                   answers={}, submit=True)  # fmt: skip
    assert exc.value.code.startswith("answer_")
    services.submission_update(actor=colleague, submission=draft, title="Havenkwartier 2",
                               answers=answers_for(call), submit=True)  # fmt: skip
    draft.refresh_from_db()
    assert draft.status == "ingediend" and draft.title == "Havenkwartier 2"


def test_only_the_users_verified_organisations_count(planner, unverified, deventer):
    assert list(organisations_user_may_submit_for(planner)) == [deventer]
    # The profile names Deventer, the membership is only requested: nothing.
    assert unverified.organisation == deventer
    assert not organisations_user_may_submit_for(unverified).exists()
    assert not organisations_user_may_submit_for(AnonymousUser()).exists()


@pytest.mark.parametrize(
    ("who", "organisation"),
    [("unverified", "deventer"), ("outsider", "deventer"), ("planner", "other")],
)
def test_only_a_verified_member_submits_for_an_organisation(call, request, who, organisation):
    from tests.factories import OrganisationFactory

    user = request.getfixturevalue(who)
    org = (
        request.getfixturevalue("deventer")
        if organisation == "deventer"
        else OrganisationFactory(name="Gemeente Zwolle")
    )
    with pytest.raises(NotAllowed) as exc:
        _create(call, user, organisation=org)
    assert exc.value.code == "organisation" and exc.value.status_code == 403
    assert not Submission.objects.exists()


def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(programme, call, planner,
                                                                    market):  # fmt: skip
    closed = make_call(programme, opens_on=days(-20), closes_on=days(-1))
    required = call.questions.get(required=True)
    cases = [
        ({"call": closed}, "call", "gesloten"),
        ({"user": market}, "organisation", "Marktpartij"),
        ({"title": ""}, "title", "niet leeg"),
        ({"title": "   "}, "title", "niet leeg"),
        ({"answers": {}}, answer_field(required.pk), "verplichte vraag"),
        ({"answers": {required.pk: "  "}}, answer_field(required.pk), "verplichte vraag"),
        ({"answers": {required.pk: "x" * 5001}}, answer_field(required.pk), "5000"),
        ({"answers": {99999: "x"}}, "answers", "hoort niet bij"),
        ({"title": "Twee\nregels"}, "title", "regeleinden"),
    ]
    for change, field, words in cases:
        kwargs = {"call": call, "user": planner, **change}
        with pytest.raises(InvalidInput) as exc:
            _create(kwargs.pop("call"), kwargs.pop("user"), **kwargs)
        assert exc.value.code == field, change
        assert words in str(exc.value.message) or words in str(exc.value.errors), change
    assert not Submission.objects.exists() and not SubmissionAnswer.objects.exists()
    assert not SubmissionStep.objects.exists()


# Who sees a submission ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees_submitted", "sees_draft"),
    [
        ("planner", True, True),
        ("colleague", True, True),
        ("team", True, False),
        ("outsider", False, False),
        ("unverified", False, False),
        ("market", False, False),
        ("visitor", False, False),
    ],
)
def test_visibility_policy_and_queryset_agree(call, planner, request, who, sees_submitted,
                                              sees_draft):  # fmt: skip
    submitted = _create(call, planner)
    draft = _create(call, planner, title="Concept", submit=False)
    user = AnonymousUser() if who == "visitor" else request.getfixturevalue(who)
    assert can_view_submission(user, submitted) is sees_submitted
    assert can_view_submission(user, draft) is sees_draft
    visible = set(submissions_visible_to(user))
    assert (submitted in visible) is sees_submitted and (draft in visible) is sees_draft


@pytest.mark.parametrize(
    ("who", "status"),
    [("planner", 200), ("colleague", 200), ("team", 200), ("outsider", 404),
     ("unverified", 404), ("visitor", 302)],
)  # fmt: skip
def test_submission_page_access(client, submission, request, who, status):
    if who != "visitor":
        client.force_login(request.getfixturevalue(who))
    response = client.get(f"/oproepen/aanmeldingen/{submission.pk}/")
    assert response.status_code == status
    if status == 200:
        assert "Transformatie Havenkwartier" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("planner", 200), ("colleague", 200), ("team", 200), ("outsider", 404),
     ("unverified", 404), ("visitor", 401)],
)  # fmt: skip
def test_submission_api_access(api, submission, request, who, status):
    user = None if who == "visitor" else request.getfixturevalue(who)
    response = api(user).get(f"/submissions/{submission.pk}")
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body["title"] == "Transformatie Havenkwartier" and body["status"] == "ingediend"
        assert body["organisation"]["name"] == "Gemeente Deventer" and body["pilot"] is None
        assert [s["status"] for s in body["history"]] == ["ingediend"]


# Pages ---------------------------------------------------------------------------------------


def _form(call, **changes):
    required, optional = call.questions.order_by("position")
    data = {
        "organisation": "",
        "title": "Havenkwartier",
        "summary": "Woon-werkwijk",
        answer_field(required.pk): "Sneller bouwen",
        answer_field(optional.pk): "",
        "indienen": "1",
    }
    data.update(changes)
    return data


def test_page_submit_and_see_ingediend(client, call, planner, deventer):
    client.force_login(planner)
    assert "Project aanmelden" in client.get(f"/oproepen/{call.pk}/aanmelden/").content.decode()
    response = client.post(f"/oproepen/{call.pk}/aanmelden/", _form(call, organisation=deventer.pk),
                           follow=True)  # fmt: skip
    html = response.content.decode()
    submission = Submission.objects.get()
    assert response.redirect_chain[-1][0] == f"/oproepen/aanmeldingen/{submission.pk}/"
    assert "Uw aanmelding is ingediend" in html and 'data-status="ingediend"' in html
    assert "Sneller bouwen" in html
    assert "Geschiedenis" in html and "Ingediend door Jan Pluim" in html


def test_page_saves_a_draft_and_completes_it(client, call, planner, deventer):
    client.force_login(planner)
    data = _form(call, organisation=deventer.pk)
    data.pop("indienen")
    data["concept"] = "1"
    required = call.questions.get(required=True)
    data[answer_field(required.pk)] = ""
    response = client.post(f"/oproepen/{call.pk}/aanmelden/", data, follow=True)
    assert "opgeslagen als concept" in response.content.decode()
    draft = Submission.objects.get()
    assert draft.status == "concept"
    edit = f"/oproepen/aanmeldingen/{draft.pk}/wijzigen/"
    response = client.post(edit, _form(call, **{answer_field(required.pk): ""}))
    assert response.status_code == 200
    assert "Beantwoord deze verplichte vraag" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "concept"
    client.post(edit, _form(call))
    draft.refresh_from_db()
    assert draft.status == "ingediend"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"title": ""}, "title", "Dit veld is verplicht"),
        ({"title": "Twee\nregels"}, "title", "Gebruik geen regeleinden"),
        ({"required": ""}, "required", "Beantwoord deze verplichte vraag"),
        ({"summary": "a\x00b"}, "summary", "Null-tekens"),
    ],
)
def test_page_bad_input_shows_dutch_error_beside_the_field(client, call, planner, deventer,
                                                          change, field, words):  # fmt: skip
    required = call.questions.get(required=True)
    key = answer_field(required.pk) if field == "required" else field
    client.force_login(planner)
    data = _form(call, organisation=deventer.pk, **{key: next(iter(change.values()))})
    response = client.post(f"/oproepen/{call.pk}/aanmelden/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_{key}_errors"' in html and words in html
    assert not Submission.objects.exists()


def test_page_refuses_members_who_may_not_submit(client, programme, call, unverified, market):
    for user in (unverified, market):
        client.force_login(user)
        assert client.get(f"/oproepen/{call.pk}/aanmelden/").status_code == 403
    client.logout()
    assert client.get(f"/oproepen/{call.pk}/aanmelden/").status_code == 302


def test_page_closed_call_refused(client, programme, planner):
    closed = make_call(programme, opens_on=days(-20), closes_on=days(-1))
    client.force_login(planner)
    assert client.get(f"/oproepen/{closed.pk}/aanmelden/").status_code == 403


def test_page_organisation_choice_is_limited_to_verified_admitted(client, call, planner, deventer):
    from tests.factories import OrganisationFactory

    other = OrganisationFactory(name="Gemeente Zwolle")
    client.force_login(planner)
    response = client.post(f"/oproepen/{call.pk}/aanmelden/", _form(call, organisation=other.pk))
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Submission.objects.exists()


# API -----------------------------------------------------------------------------------------


def _body(call, **changes):
    required = call.questions.get(required=True)
    body = {
        "title": "Havenkwartier",
        "organisation": changes.pop("organisation"),
        "summary": "Woon-werkwijk",
        "answers": [{"question": required.pk, "text": "Sneller bouwen"}],
    }
    body.update(changes)
    return body


def test_api_submit_and_draft(api, call, planner, deventer):
    response = api(planner).post(
        f"/calls/{call.pk}/submissions", _body(call, organisation=deventer.pk)
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "ingediend" and body["history"][0]["status"] == "ingediend"
    assert body["answers"][0]["text"] == "Sneller bouwen"
    draft = api(planner).post(
        f"/calls/{call.pk}/submissions",
        _body(call, organisation=deventer.pk, answers=[], submit=False),
    )
    assert draft.status_code == 201 and draft.json()["status"] == "concept"
    assert draft.json()["history"] == []


def test_api_refusals_name_the_field_and_store_nothing(api, programme, call, planner, deventer,
                                                      unverified, market, outsider):  # fmt: skip
    closed = make_call(programme, opens_on=days(-20), closes_on=days(-1))
    required = call.questions.get(required=True)
    org = deventer.pk
    cases = [
        (None, call, {"organisation": org}, 401, None),
        (unverified, call, {"organisation": org}, 403, "organisation"),
        (outsider, call, {"organisation": org}, 403, "organisation"),
        (market, call, {"organisation": market.organisation_id}, 422, "organisation"),
        (planner, closed, {"organisation": org}, 422, "call"),
        (planner, call, {"organisation": org, "title": ""}, 422, "title"),
        (planner, call, {"organisation": org, "answers": []}, 422, answer_field(required.pk)),
        (planner, call, {"organisation": 999999}, 422, "organisation"),
        (planner, call, {"organisation": "١"}, 422, "organisation"),
        (planner, call, {"organisation": org, "title": "x" * 201}, 422, "title"),
        (planner, call, {"organisation": org, "title": "a\nb"}, 422, "title"),
        (planner, call, {"organisation": org, "summary": "a\x00b"}, 422, "summary"),
    ]
    for user, target, changes, status, field in cases:
        response = api(user).post(f"/calls/{target.pk}/submissions", _body(call, **changes))
        assert response.status_code == status, (changes, response.content)
        if field:
            assert response.json()["code"] == field, (changes, response.json())
            if status == 422:
                assert field in response.json()["errors"]
    assert not Submission.objects.exists()
