"""Reviewers score per criterion; median, spread and count; others' scores only after one's own;
a declared conflict of interest closes the submission to that reviewer."""

import pytest

from bouwplaats.core.errors import InvalidInput, NotAllowed
from bouwplaats.projects import selectors, services
from bouwplaats.projects.models import Review, ReviewScore
from bouwplaats.projects.permissions import (
    can_review_submission,
    can_score_submission,
    can_see_reviews,
    can_view_submission,
    submissions_reviewable_by,
    submissions_visible_to,
)
from bouwplaats.projects.services import score_field
from tests.factories import MembershipFactory, UserFactory

from .helpers import answers_for, make_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(programme):
    return MembershipFactory(programme=programme, user=UserFactory(full_name="Tweede")).user


@pytest.fixture
def manager(programme):
    """On the team, not assigned as a reviewer."""
    return MembershipFactory(programme=programme, user=UserFactory(full_name="Manager")).user


@pytest.fixture
def reviewers(call, team, second):
    services.call_set_reviewers(call=call, reviewers=[team, second])
    return team, second


def _fresh(submission, user):
    return selectors.submission_get(user=user, pk=submission.pk)


def _scores(call, *values):
    return dict(
        zip(call.criteria.order_by("position").values_list("pk", flat=True), values, strict=True)
    )


def test_median_spread_and_count_per_criterion_and_weighted_total(submission, reviewers, call):
    team, second = reviewers
    services.review_save(actor=team, submission=submission, scores=_scores(call, 5, 3))
    services.review_save(actor=second, submission=submission, scores=_scores(call, 2, 3))
    summary = selectors.review_summary(_fresh(submission, team))
    (first, s1), (other, s2) = summary.criteria
    assert (first.name, s1.median, s1.spread, s1.count) == ("Versnellen", 3.5, 3, 2)
    assert (other.name, s2.median, s2.spread, s2.count) == ("Leerwaarde", 3, 0, 2)
    # Weights 3 and 2: (5·3 + 3·2)/5 = 4.2 and (2·3 + 3·2)/5 = 2.4.
    assert (summary.total.median, summary.total.spread, summary.total.count) == (3.3, 1.8, 2)


def test_saving_again_replaces_the_scores(submission, reviewers, call):
    team, _ = reviewers
    services.review_save(actor=team, submission=submission, scores=_scores(call, 1, 1))
    services.review_save(actor=team, submission=submission, scores=_scores(call, 4, 5), note="Ok")
    assert sorted(ReviewScore.objects.values_list("score", flat=True)) == [4, 5]
    assert Review.objects.get().note == "Ok"


def test_others_scores_only_after_ones_own(submission, reviewers, call, manager):
    team, second = reviewers
    services.review_save(actor=team, submission=submission, scores=_scores(call, 5, 3))
    assert can_see_reviews(team, _fresh(submission, team))
    assert not can_see_reviews(second, _fresh(submission, second))
    # The team member who decides but does not score sees them.
    assert can_see_reviews(manager, _fresh(submission, manager))
    services.review_save(actor=second, submission=submission, scores=_scores(call, 2, 3))
    assert can_see_reviews(second, _fresh(submission, second))


@pytest.mark.parametrize(("values", "which"), [((None, 3), 0), ((6, 3), 0), ((3, 0), 1)])
def test_every_criterion_scored_in_range(submission, reviewers, call, values, which):
    team, _ = reviewers
    criterion = call.criteria.order_by("position")[which]
    with pytest.raises(InvalidInput) as exc:
        services.review_save(actor=team, submission=submission, scores=_scores(call, *values))
    assert exc.value.code == score_field(criterion.pk)
    assert not Review.objects.exists() and not ReviewScore.objects.exists()


def test_a_criterion_of_another_call_is_refused(submission, reviewers, programme):
    other = make_call(programme, title="Andere oproep")
    team, _ = reviewers
    criterion = other.criteria.first()
    with pytest.raises(InvalidInput) as exc:
        services.review_save(actor=team, submission=submission, scores={criterion.pk: 3})
    assert exc.value.code == "scores" and not Review.objects.exists()


@pytest.mark.parametrize("who", ["planner", "colleague", "outsider", "manager"])
def test_only_assigned_reviewers_score(submission, reviewers, call, request, who):
    user = request.getfixturevalue(who)
    assert not can_score_submission(user, submission)
    with pytest.raises(NotAllowed):
        services.review_save(actor=user, submission=submission, scores=_scores(call, 3, 3))
    with pytest.raises(NotAllowed):
        services.review_declare_conflict(actor=user, submission=submission)
    assert not Review.objects.exists()


def test_only_team_members_are_assigned(call, planner):
    with pytest.raises(InvalidInput) as exc:
        services.call_set_reviewers(call=call, reviewers=[planner])
    assert exc.value.code == "reviewers" and not call.reviewers.exists()


def test_decided_submissions_are_not_scored(submission, reviewers, call):
    team, second = reviewers
    services.submission_set_status(actor=second, submission=submission, status="afgewezen",
                                   reason="Past niet")  # fmt: skip
    with pytest.raises(NotAllowed):
        services.review_save(actor=team, submission=submission, scores=_scores(call, 3, 3))


def test_a_declared_conflict_closes_the_submission_to_the_reviewer(
    client, api, submission, reviewers, call, planner
):
    team, second = reviewers
    other = services.submission_create(
        actor=planner, call=call, organisation=planner.organisation, title="Tweede project",
        answers=answers_for(call),
    )  # fmt: skip
    services.review_save(actor=team, submission=submission, scores=_scores(call, 4, 4))
    services.review_declare_conflict(actor=team, submission=submission)
    assert not ReviewScore.objects.exists()  # the scores made before go
    fresh = submission.__class__.objects.get(pk=submission.pk)
    assert not can_view_submission(team, fresh) and not can_review_submission(team, fresh)
    assert not can_score_submission(team, fresh)
    assert set(submissions_visible_to(team)) == {other}
    assert set(submissions_reviewable_by(team)) == {other}
    client.force_login(team)
    assert client.get(submission.get_absolute_url()).status_code == 404
    assert client.get(other.get_absolute_url()).status_code == 200
    assert client.get(call.get_absolute_url()).content.decode().count("Tweede project") == 1
    assert "Transformatie Havenkwartier" not in client.get(call.get_absolute_url()).content.decode()
    assert api(team).get(f"/submissions/{submission.pk}").status_code == 404
    body = {"status": "onvolledig", "reason": "x"}
    assert api(team).patch(f"/submissions/{submission.pk}", body).status_code == 404
    with pytest.raises(NotAllowed):
        services.submission_set_status(actor=team, submission=submission, status="onvolledig",
                                       reason="x")  # fmt: skip
    # The other reviewers see that one reviewer stood aside.
    services.review_save(actor=second, submission=submission, scores=_scores(call, 2, 2))
    summary = selectors.review_summary(_fresh(submission, second))
    assert summary.conflicts == 1 and summary.total.count == 1


# Pages ---------------------------------------------------------------------------------------


def test_reviewer_scores_on_the_page_and_then_sees_the_table(client, submission, reviewers, call):
    team, second = reviewers
    services.review_save(actor=second, submission=submission, scores=_scores(call, 2, 3))
    client.force_login(team)
    url = submission.get_absolute_url()
    html = client.get(url).content.decode()
    assert "ziet u nadat u zelf heeft gescoord" in html and "Mediaan" not in html
    first, other = call.criteria.order_by("position")
    response = client.post(url + "beoordeling/", {score_field(first.pk): "5",
                                                 score_field(other.pk): ""})  # fmt: skip
    assert response.status_code == 422
    assert f'id="id_{score_field(other.pk)}_errors"' in response.content.decode()
    assert "Geef een score voor ‘Leerwaarde’" in response.content.decode()
    assert not Review.objects.filter(reviewer=team).exists()
    data = {score_field(first.pk): "5", score_field(other.pk): "3"}
    response = client.post(url + "beoordeling/", data, follow=True)
    html = response.content.decode()
    assert "Uw beoordeling is opgeslagen" in html and "Mediaan" in html
    assert "Spreiding" in html and "Gewogen totaal" in html


def test_conflict_button_on_the_page(client, submission, reviewers):
    team, _ = reviewers
    client.force_login(team)
    response = client.post(submission.get_absolute_url() + "belangenverstrengeling/", follow=True)
    assert "Belangenverstrengeling gemeld" in response.content.decode()
    assert client.get(submission.get_absolute_url()).status_code == 404
    assert Review.objects.get().conflict


def test_non_reviewers_cannot_post_scores_or_conflicts(client, submission, reviewers, planner,
                                                      manager):  # fmt: skip
    for user, status in ((planner, 403), (manager, 403)):
        client.force_login(user)
        assert client.post(submission.get_absolute_url() + "beoordeling/", {}).status_code == status
        url = submission.get_absolute_url() + "belangenverstrengeling/"
        assert client.post(url).status_code == status
    assert not Review.objects.exists()


# API -----------------------------------------------------------------------------------------


def _api_scores(call, *values):
    ids = call.criteria.order_by("position").values_list("pk", flat=True)
    return [{"criterion": c, "score": v} for c, v in zip(ids, values, strict=True)]


def test_api_scores_then_sees_median_spread_count(api, submission, reviewers, call):
    team, second = reviewers
    url = f"/submissions/{submission.pk}/reviews"
    assert api(second).get(url).status_code == 403  # not before one's own
    response = api(team).post(url, {"scores": _api_scores(call, 5, 3), "note": "Sterk"})
    assert response.status_code == 201
    response = api(second).post(url, {"scores": _api_scores(call, 2, 3)})
    body = response.json()
    assert body["total"] == {"median": 3.3, "spread": 1.8, "count": 2}
    assert body["criteria"][0] == {
        "criterion": call.criteria.order_by("position")[0].pk, "name": "Versnellen",
        "weight": 3, "median": 3.5, "spread": 3.0, "count": 2,
    }  # fmt: skip
    assert api(second).get(url).json() == body


@pytest.mark.parametrize(
    ("who", "status"),
    [("planner", 403), ("manager", 403), ("outsider", 404), ("visitor", 401)],
)
def test_api_review_refusals(api, submission, reviewers, call, request, who, status):
    user = None if who == "visitor" else request.getfixturevalue(who)
    url = f"/submissions/{submission.pk}/reviews"
    assert api(user).post(url, {"scores": _api_scores(call, 3, 3)}).status_code == status
    assert api(user).post(f"/submissions/{submission.pk}/conflict").status_code == status
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("scores", "field"),
    [
        ("missing", "score_"),
        ("six", "scores"),
        ("twice", "scores"),
        ("bad-id", "scores"),
    ],
)
def test_api_review_bad_input_names_the_field(api, submission, reviewers, call, scores, field):
    team, _ = reviewers
    first, other = call.criteria.order_by("position")
    body = {
        "missing": [{"criterion": first.pk, "score": 3}],
        "six": [{"criterion": first.pk, "score": 6}, {"criterion": other.pk, "score": 3}],
        "twice": [{"criterion": first.pk, "score": 3}, {"criterion": first.pk, "score": 4}],
        "bad-id": [{"criterion": "١", "score": 3}],
    }[scores]
    response = api(team).post(f"/submissions/{submission.pk}/reviews", {"scores": body})
    assert response.status_code == 422 and response.json()["code"].startswith(field)
    assert not Review.objects.exists()


def test_api_conflict_closes_the_submission(api, submission, reviewers):
    team, _ = reviewers
    response = api(team).post(f"/submissions/{submission.pk}/conflict")
    assert response.status_code == 201 and response.json() == {"conflict": True}
    assert api(team).get(f"/submissions/{submission.pk}").status_code == 404
    assert api(team).get(f"/submissions/{submission.pk}/reviews").status_code == 404
