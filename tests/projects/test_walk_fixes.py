"""Stumbles of a second fresh-eyes walk of the calls and pilots (the demo's roles)."""

import pytest

from bouwplaats.core.errors import InvalidInput
from bouwplaats.projects import services
from bouwplaats.projects.models import Call
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

from .test_call_pages import form_data

pytestmark = pytest.mark.django_db


# 1. A new call can be scored without editing it first -----------------------------------------


def test_the_new_call_form_assigns_reviewers(client, programme, team):
    colleague = MembershipFactory(programme=programme, user=UserFactory(full_name="Rik")).user
    client.force_login(team)
    page = client.get("/oproepen/nieuw/").content.decode()
    assert 'name="reviewers"' in page
    response = client.post(
        "/oproepen/nieuw/", form_data(programme, reviewers=[team.pk, colleague.pk])
    )
    assert response.status_code == 302
    call = Call.objects.get()
    assert set(call.reviewers.all()) == {team, colleague}


def test_the_new_call_refuses_a_reviewer_of_another_programme(client, programme, team):
    stranger = MembershipFactory(programme=ProgrammeFactory(name="Ander")).user
    with pytest.raises(InvalidInput) as refused:
        services.call_create(
            actor=team, programme=programme, title="Oproep", text="Tekst",
            opens_on=form_data()["opens_on"], closes_on=None, rolling=True,
            organisation_kinds=["gemeente"], reviewers=[stranger],
        )  # fmt: skip
    assert "reviewers" in refused.value.errors
    assert not Call.objects.exists()


def _in_review(team, submission):
    services.submission_set_status(
        actor=team, submission=submission, status="in_behandeling", reason="Volledig"
    )


def test_a_submission_without_reviewers_says_so_with_a_link(client, team, submission, call):
    _in_review(team, submission)
    client.force_login(team)
    page = client.get(f"/oproepen/aanmeldingen/{submission.pk}/").content.decode()
    assert 'data-no-score="no_reviewers"' in page
    assert f"/oproepen/{call.pk}/wijzigen/#id_reviewers" in page


def test_a_team_member_who_is_no_reviewer_is_told_why(client, team, submission, call, programme):
    reviewer = MembershipFactory(programme=programme).user
    call.reviewers.set([reviewer])
    _in_review(team, submission)
    client.force_login(team)
    page = client.get(f"/oproepen/aanmeldingen/{submission.pk}/").content.decode()
    assert 'data-no-score="not_reviewer"' in page
    client.force_login(reviewer)
    page = client.get(f"/oproepen/aanmeldingen/{submission.pk}/").content.decode()
    assert "data-no-score" not in page
    assert "Uw beoordeling" in page


def test_the_submitter_gets_no_reviewer_notice(client, planner, team, submission):
    _in_review(team, submission)
    client.force_login(planner)
    page = client.get(f"/oproepen/aanmeldingen/{submission.pk}/").content.decode()
    assert "data-no-score" not in page
