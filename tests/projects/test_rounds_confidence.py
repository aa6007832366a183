"""Review rounds of a rolling call, and the reviewers' confidence and private notes (for the
programme team only)."""

import datetime

import pytest
from django.utils import timezone

from bouwplaats.core.errors import InvalidInput
from bouwplaats.projects import selectors, services
from bouwplaats.projects.models import CallRound, Review, Submission
from tests.factories import MembershipFactory, UserFactory

from .helpers import answers_for, days, make_call, rolling_call_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def rolling(programme):
    return make_call(
        programme, title="Doorlopende oproep", closes_on=None, rolling=True,
        rounds=[("Voorjaarsronde", days(5)), ("Najaarsronde", days(60))],
    )  # fmt: skip


def _submit(call, planner, title, on):
    submission = services.submission_create(
        actor=planner, call=call, organisation=planner.organisation, title=title,
        answers=answers_for(call),
    )  # fmt: skip
    at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(23, 30)))
    Submission.objects.filter(pk=submission.pk).update(submitted_at=at)
    return submission


# Rounds ------------------------------------------------------------------------------------------


def test_rounds_only_on_a_rolling_call_and_not_twice_on_one_day(programme, call, team):
    with pytest.raises(InvalidInput) as exc:
        make_call(programme, rounds=[("Ronde 1", days(5))])
    assert exc.value.code == "rounds"
    with pytest.raises(InvalidInput) as exc:
        make_call(programme, closes_on=None, rolling=True,
                  rounds=[("Ronde 1", days(5)), ("Ronde 2", days(5))])  # fmt: skip
    assert exc.value.code == "rounds"
    with pytest.raises(InvalidInput) as exc:
        make_call(programme, closes_on=None, rolling=True, rounds=[("Ronde\x07", days(5))])
    assert exc.value.code == "rounds" and "Ronde 1" in exc.value.message
    assert not CallRound.objects.exists()


def test_a_submission_falls_in_the_round_of_its_first_submission_date(
    client, rolling, planner, team
):
    early = _submit(rolling, planner, "Vroeg", days(5))
    late = _submit(rolling, planner, "Later", days(6))
    after = _submit(rolling, planner, "Na de laatste ronde", days(61))
    services.call_set_reviewers(call=rolling, reviewers=[team])
    spring, autumn = rolling.rounds.order_by("closes_on")
    url = f"/oproepen/{rolling.pk}/beoordelen/"
    client.force_login(team)
    html = client.get(url, {"round": spring.pk}).content.decode()
    assert f'data-submission="{early.pk}"' in html
    assert f'data-submission="{late.pk}"' not in html
    html = client.get(url, {"round": autumn.pk}).content.decode()
    assert f'data-submission="{late.pk}"' in html and f'data-submission="{early.pk}"' not in html
    assert f'data-submission="{after.pk}"' not in html
    html = client.get(url).content.decode()
    assert "Voorjaarsronde" in html and "Najaarsronde" in html
    page = client.get(early.get_absolute_url()).content.decode()
    assert f'data-round="{spring.pk}"' in page and "Beoordelingsronde: Voorjaarsronde" in page
    client.force_login(planner)
    assert "Beoordelingsronde: Najaarsronde" in client.get(late.get_absolute_url()).content.decode()


@pytest.mark.parametrize("bad", ["999999", "x", "١"])
def test_an_unknown_round_filter_shows_all_or_none_but_no_error(
    client, rolling, planner, team, bad
):
    _submit(rolling, planner, "Vroeg", days(1))
    client.force_login(team)
    response = client.get(f"/oproepen/{rolling.pk}/beoordelen/", {"round": bad})
    assert response.status_code == 200


def test_the_call_page_and_api_show_the_rounds(client, api, rolling):
    html = client.get(rolling.get_absolute_url()).content.decode()
    assert "Beoordelingsrondes" in html and "Voorjaarsronde: aanmeldingen tot en met" in html
    body = api().get(f"/calls/{rolling.pk}").json()
    assert [(r["name"], r["closes_on"]) for r in body["rounds"]] == [
        ("Voorjaarsronde", days(5).isoformat()),
        ("Najaarsronde", days(60).isoformat()),
    ]


def test_team_sets_rounds_on_the_edit_page_and_the_api(client, api, rolling, team):
    client.force_login(team)
    html = client.get(f"/oproepen/{rolling.pk}/wijzigen/").content.decode()
    assert f"Voorjaarsronde | {days(5):%-d-%-m-%Y}" in html
    data = rolling_call_form(rolling, f"Zomerronde | {days(30):%d-%m-%Y}")
    assert client.post(f"/oproepen/{rolling.pk}/wijzigen/", data).status_code == 302
    assert list(rolling.rounds.values_list("name", "closes_on")) == [("Zomerronde", days(30))]
    response = client.post(f"/oproepen/{rolling.pk}/wijzigen/", {**data, "rounds": "Zonder datum"})
    assert response.status_code == 200 and 'id="id_rounds_errors"' in response.content.decode()
    response = api(team).patch(
        f"/calls/{rolling.pk}", {"rounds": [{"name": "Herfst", "closes_on": "0001-01-01"}]}
    )
    assert response.status_code == 422 and "rounds.0.closes_on" in response.json()["errors"]
    response = api(team).patch(
        f"/calls/{rolling.pk}", {"rounds": [{"name": "Herfst", "closes_on": days(90).isoformat()}]}
    )
    assert response.status_code == 200
    assert list(rolling.rounds.values_list("name", flat=True)) == ["Herfst"]


def test_rounds_on_a_call_with_a_close_date_are_refused_on_the_page(client, call, team):
    client.force_login(team)
    data = {
        "title": call.title, "text": call.text, "opens_on": call.opens_on.isoformat(),
        "closes_on": call.closes_on.isoformat(), "organisation_kinds": call.organisation_kinds,
        "repair_days": "14", "rounds": f"Ronde | {days(3):%d-%m-%Y}",
    }  # fmt: skip
    response = client.post(f"/oproepen/{call.pk}/wijzigen/", data)
    assert response.status_code == 200
    assert "Alleen een doorlopende oproep" in response.content.decode()
    assert not CallRound.objects.exists()


# Confidence and private notes -------------------------------------------------------------------


@pytest.fixture
def manager(programme):
    """On the team, not assigned as a reviewer."""
    return MembershipFactory(programme=programme, user=UserFactory(full_name="Manager")).user


@pytest.fixture
def second(programme):
    return MembershipFactory(programme=programme, user=UserFactory(full_name="Karel")).user


@pytest.fixture
def reviewed(call, submission, team, second):
    services.call_set_reviewers(call=call, reviewers=[team, second])
    scores = dict.fromkeys(call.criteria.values_list("pk", flat=True), 4)
    services.review_save(actor=team, submission=submission, scores=scores, confidence=3,
                         note="Ken de wethouder; oordeel los daarvan.")  # fmt: skip
    return submission


def test_confidence_and_note_are_stored_and_shown_to_the_team(client, api, reviewed, manager):
    review = Review.objects.get()
    assert review.confidence == 3
    client.force_login(manager)
    html = client.get(reviewed.get_absolute_url()).content.decode()
    assert 'data-reviews="1"' in html and "Zeer zeker" in html
    assert "Ken de wethouder; oordeel los daarvan." in html
    body = api(manager).get(f"/submissions/{reviewed.pk}/reviews").json()
    assert body["reviews"] == [
        {"reviewer": "Petra Programmateam", "total": 4.0, "confidence": 3,
         "note": "Ken de wethouder; oordeel los daarvan."}
    ]  # fmt: skip
    assert body["confidence"] == {"median": 3, "spread": 0, "count": 1}


def test_the_submitter_never_sees_notes_or_confidence(client, api, reviewed, planner, colleague):
    for member in (planner, colleague):
        client.force_login(member)
        html = client.get(reviewed.get_absolute_url()).content.decode()
        assert "Ken de wethouder" not in html and "Zeer zeker" not in html
        assert api(member).get(f"/submissions/{reviewed.pk}/reviews").status_code == 403
        assert "Ken de wethouder" not in api(member).get(f"/submissions/{reviewed.pk}").text


def test_a_reviewer_sees_others_notes_only_after_their_own(client, reviewed, second, call):
    client.force_login(second)
    html = client.get(reviewed.get_absolute_url()).content.decode()
    assert "Ken de wethouder" not in html
    scores = dict.fromkeys(call.criteria.values_list("pk", flat=True), 2)
    services.review_save(actor=second, submission=reviewed, scores=scores)
    html = client.get(reviewed.get_absolute_url()).content.decode()
    assert "Ken de wethouder" in html


@pytest.mark.parametrize("bad", [0, 4, -1, 10**20])
def test_a_confidence_outside_the_scale_is_refused(client, api, reviewed, second, call, bad):
    scores = dict.fromkeys(call.criteria.values_list("pk", flat=True), 2)
    client.force_login(second)
    form = {f"score_{pk}": 2 for pk in scores} | {"confidence": str(bad)}
    response = client.post(f"/oproepen/aanmeldingen/{reviewed.pk}/beoordeling/", form)
    assert response.status_code == 422
    assert 'id="id_confidence_errors"' in response.content.decode()
    body = {"scores": [{"criterion": pk, "score": 2} for pk in scores], "confidence": bad}
    response = api(second).post(f"/submissions/{reviewed.pk}/reviews", body)
    assert response.status_code == 422 and "confidence" in response.json()["errors"]
    with pytest.raises(InvalidInput):
        services.review_save(actor=second, submission=reviewed, scores=scores, confidence=bad)
    assert not Review.objects.filter(reviewer=second).exists()


def test_the_page_stores_confidence(client, reviewed, second, call):
    client.force_login(second)
    form = {f"score_{pk}": 3 for pk in call.criteria.values_list("pk", flat=True)}
    response = client.post(
        f"/oproepen/aanmeldingen/{reviewed.pk}/beoordeling/", form | {"confidence": "1"}
    )
    assert response.status_code == 302
    assert Review.objects.get(reviewer=second).confidence == 1


def test_a_conflict_clears_confidence_and_note(reviewed, team):
    services.review_declare_conflict(actor=team, submission=reviewed)
    review = Review.objects.get(reviewer=team)
    assert review.conflict and review.confidence is None and review.note == ""
    assert (
        selectors.review_summary(
            selectors.submission_get(user=UserFactory(is_staff=True), pk=reviewed.pk)
        ).reviews
        == []
    )
