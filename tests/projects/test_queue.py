"""The review queue: the programme team's list of a call's submissions, fewest reviews first,
with filters (status, organisation kind, reviewed by me or not) and the next one to score."""

import pytest

from bouwplaats.accounts.models import Organisation
from bouwplaats.projects import selectors, services
from tests.factories import MembershipFactory, OrganisationFactory, PlannerFactory, UserFactory

from .helpers import answers_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(programme):
    return MembershipFactory(programme=programme, user=UserFactory(full_name="Tweede")).user


@pytest.fixture
def queue(call, team, second, planner):
    """Three submissions: A with two reviews, B with one (by second), C with none."""
    services.call_set_reviewers(call=call, reviewers=[team, second])
    province = PlannerFactory(
        organisation=OrganisationFactory(name="Provincie Overijssel", kind="provincie")
    )
    made = {}
    for name, author in (("A", planner), ("B", province), ("C", planner)):
        made[name] = services.submission_create(
            actor=author, call=call, organisation=author.organisation, title=f"Project {name}",
            answers=answers_for(call),
        )  # fmt: skip
    scores = dict.fromkeys(call.criteria.values_list("pk", flat=True), 3)
    services.review_save(actor=team, submission=made["A"], scores=scores)
    services.review_save(actor=second, submission=made["A"], scores=scores)
    services.review_save(actor=second, submission=made["B"], scores=scores)
    services.submission_create(
        actor=planner, call=call, organisation=planner.organisation, title="Concept D",
        submit=False,
    )  # fmt: skip
    return made


def _titles(qs):
    return [s.title for s in qs]


def test_fewest_reviews_first_and_filters(queue, call, team):
    assert _titles(selectors.review_queue(user=team, call=call)) == [
        "Project C", "Project B", "Project A",
    ]  # fmt: skip
    assert _titles(selectors.review_queue(user=team, call=call, reviewed_by_me=True)) == [
        "Project A"
    ]
    assert _titles(selectors.review_queue(user=team, call=call, reviewed_by_me=False)) == [
        "Project C", "Project B",
    ]  # fmt: skip
    assert _titles(
        selectors.review_queue(user=team, call=call, kind=Organisation.Kind.PROVINCIE)
    ) == ["Project B"]
    services.submission_set_status(actor=team, submission=queue["C"], status="afgewezen",
                                   reason="Past niet")  # fmt: skip
    assert _titles(selectors.review_queue(user=team, call=call, status="afgewezen")) == [
        "Project C"
    ]


def test_queue_page_with_filters_and_next_with_pinned_queries(
    client, queue, call, team, django_assert_num_queries
):
    client.force_login(team)
    url = f"/oproepen/{call.pk}/beoordelen/"
    client.get(url)
    # session, user, the call with its questions, criteria and rounds, the team check (twice:
    # call rule and reviewer rule), the list, the reviewers, the next one, the held decisions:
    # none per submission.
    with django_assert_num_queries(12):
        response = client.get(url)
    html = response.content.decode()
    assert html.index("Project C") < html.index("Project B") < html.index("Project A")
    assert "Concept D" not in html
    assert "Volgende om te beoordelen: Project C" in html

    def rows(params):
        html = client.get(url, params).content.decode()
        return [name for name, s in queue.items() if f'data-submission="{s.pk}"' in html], html

    assert rows({"mine": "ja"})[0] == ["A"]
    assert rows({"mine": "nee"})[0] == ["B", "C"]
    assert rows({"kind": "provincie"})[0] == ["B"]
    found, html = rows({"kind": "heksenkring"})
    assert 'id="id_kind_errors"' in html and found == ["A", "B", "C"]


def test_queue_query_count_does_not_grow_with_submissions(
    client, queue, call, team, planner, django_assert_num_queries
):
    for n in range(5):
        services.submission_create(actor=planner, call=call, organisation=planner.organisation,
                                   title=f"Extra {n}", answers=answers_for(call))  # fmt: skip
    client.force_login(team)
    client.get(f"/oproepen/{call.pk}/beoordelen/")
    with django_assert_num_queries(12):
        client.get(f"/oproepen/{call.pk}/beoordelen/")


def test_the_queue_is_for_the_programme_team(client, queue, call, planner):
    url = f"/oproepen/{call.pk}/beoordelen/"
    assert client.get(url).status_code == 302
    client.force_login(planner)
    assert client.get(url).status_code == 403


def test_a_conflict_leaves_the_queue(queue, call, team):
    services.review_declare_conflict(actor=team, submission=queue["C"])
    assert "Project C" not in _titles(selectors.review_queue(user=team, call=call))
