"""Mijn Bouwplaats shows calls' work (hook ``mine_sections``): the programme team's submissions
to review and held decisions, a submission to complete, and the member's own submissions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bouwplaats.projects import services

from .helpers import answers_for

pytestmark = pytest.mark.django_db

NOTHING = "Er wacht niets op u."


def _page(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("mine:index"))
    assert response.status_code == 200
    return response.content.decode()


def _waiting(client, user) -> str:
    html = _page(client, user)
    return html.split('id="waiting-heading"', 1)[1].split("</section>", 1)[0]


def test_submitted_projects_wait_for_the_programme_team(client, call, team, submission):
    waiting = _waiting(client, team)
    assert NOTHING not in waiting
    assert "Aanmeldingen op oproepen om te beoordelen" in waiting
    assert "1 aanmelding op „Meedoen met uw project?” wacht op uw beoordeling" in waiting
    assert f'href="{reverse("projects:queue", args=[call.pk])}"' in waiting


def test_a_reviewer_who_scored_or_declared_a_conflict_is_not_asked_again(
    client, call, team, submission
):
    call.reviewers.add(team)
    scores = {criterion.pk: 4 for criterion in call.criteria.all()}
    services.review_save(actor=team, submission=submission, scores=scores)
    assert NOTHING in _waiting(client, team)


def test_held_decisions_wait_to_be_sent(client, call, team, submission):
    services.submission_set_status(
        actor=team, submission=submission, status="in_behandeling", reason="Volledig"
    )
    services.decision_hold(
        actor=team, submission=submission, status="toegelaten", reason="Sterk project"
    )
    waiting = _waiting(client, team)
    assert "1 besluit over „Meedoen met uw project?” wordt vastgehouden" in waiting
    assert "wacht op uw beoordeling" not in waiting  # decided, only to be sent


def test_counts_of_more_than_one_read_in_the_plural(client, call, team, planner, submission):
    second = services.submission_create(
        actor=planner, call=call, organisation=planner.organisation, title="Spoorzone",
        answers=answers_for(call),
    )  # fmt: skip
    waiting = _waiting(client, team)
    assert "2 aanmeldingen op „Meedoen met uw project?” wachten op uw beoordeling" in waiting
    for held in (submission, second):
        services.submission_set_status(
            actor=team, submission=held, status="in_behandeling", reason="Volledig"
        )
        services.decision_hold(actor=team, submission=held, status="toegelaten", reason="Sterk")
    waiting = _waiting(client, team)
    assert "2 besluiten over „Meedoen met uw project?” worden vastgehouden" in waiting
    assert waiting.count(f'href="{reverse("projects:queue", args=[call.pk])}"') == 1


def test_the_submitters_organisation_is_asked_to_complete(
    client, call, team, submission, planner, colleague, outsider
):
    services.submission_set_status(
        actor=team, submission=submission, status="onvolledig", reason="Begroting ontbreekt"
    )
    submission.refresh_from_db()
    for member in (planner, colleague):
        waiting = _waiting(client, member)
        assert "Aanmeldingen om aan te vullen" in waiting
        assert "„Transformatie Havenkwartier” aanvullen vóór" in waiting
        assert f'href="{reverse("projects:submission_edit", args=[submission.pk])}"' in waiting
    assert "Havenkwartier" not in _page(client, outsider)


def test_my_submissions_are_listed_with_status_and_link(
    client, call, submission, planner, colleague, outsider, team
):
    services.submission_create(
        actor=planner, call=call, organisation=planner.organisation, title="Concept Spoorzone",
        answers=answers_for(call), submit=False,
    )  # fmt: skip
    html = _page(client, planner)
    block = html.split('data-section="submissions"', 1)[1].split("</section>", 1)[0]
    assert f'href="{submission.get_absolute_url()}"' in block
    assert "Transformatie Havenkwartier" in block and "Ingediend" in block
    assert "Concept Spoorzone" in block and '<span class="bp-badge">Concept</span>' in block
    assert "Gemeente Deventer" in block
    # A colleague sees the organisation's submission; the team and an outsider have no block.
    assert "Transformatie Havenkwartier" in _page(client, colleague)
    assert 'data-section="submissions"' not in _page(client, outsider)
    assert 'data-section="submissions"' not in _page(client, team)


def test_mine_page_queries_do_not_grow_with_submissions(
    client, call, team, planner, django_assert_num_queries
):
    def make(n):
        for i in range(n):
            services.submission_create(
                actor=planner, call=call, organisation=planner.organisation,
                title=f"Project {i}", answers=answers_for(call),
            )  # fmt: skip

    make(1)
    for user in (team, planner):
        client.force_login(user)
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("mine:index"))
        make(3)
        with django_assert_num_queries(len(few.captured_queries)):
            client.get(reverse("mine:index"))
