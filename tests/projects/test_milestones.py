"""Re-planning a pilot's milestone: the original date stays, each re-plan is counted with why."""

import datetime

import pytest

from bouwplaats.core.errors import InvalidInput, NotAllowed
from bouwplaats.projects import services
from bouwplaats.projects.models import MilestoneReplan, Pilot

from .helpers import answers_for

pytestmark = pytest.mark.django_db

D1 = datetime.date(2027, 6, 1)


@pytest.fixture
def pilot(call, planner, team):
    submission = services.submission_create(
        actor=planner, call=call, organisation=planner.organisation, title="Havenkwartier",
        answers=answers_for(call), milestones=[("Eerste woningen", D1)],
    )  # fmt: skip
    for status in ("in_behandeling", "toegelaten"):
        services.submission_set_status(actor=team, submission=submission, status=status,
                                       reason="Ok")  # fmt: skip
    return Pilot.objects.get()


def test_replanning_keeps_the_original_and_counts(pilot, planner, team):
    milestone = pilot.milestones.get()
    services.milestone_update(
        actor=planner, milestone=milestone, current=datetime.date(2027, 9, 1),
        reason="Vergunning later",
    )  # fmt: skip
    services.milestone_update(actor=team, milestone=milestone,
                              current=datetime.date(2027, 12, 1), reason="Aannemer")  # fmt: skip
    milestone.refresh_from_db()
    assert (milestone.planned, milestone.current, milestone.replans) == (
        D1, datetime.date(2027, 12, 1), 2,
    )  # fmt: skip
    assert list(MilestoneReplan.objects.values_list("previous", "current", "reason")) == [
        (D1, datetime.date(2027, 9, 1), "Vergunning later"),
        (datetime.date(2027, 9, 1), datetime.date(2027, 12, 1), "Aannemer"),
    ]
    services.milestone_update(actor=planner, milestone=milestone, status="gereed")
    milestone.refresh_from_db()
    assert milestone.status == "gereed" and milestone.replans == 2


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"current": datetime.date(2027, 9, 1), "reason": ""}, "reason"),
        ({"current": datetime.date(2027, 9, 1), "reason": "a\nb"}, "reason"),
        ({"current": datetime.date(1800, 1, 1), "reason": "x"}, "current"),
        ({"status": "klaar"}, "status"),
    ],
)
def test_bad_replans_are_refused_and_nothing_changes(pilot, planner, kwargs, field):
    milestone = pilot.milestones.get()
    with pytest.raises(InvalidInput) as exc:
        services.milestone_update(actor=planner, milestone=milestone, **kwargs)
    assert exc.value.code == field
    milestone.refresh_from_db()
    assert (milestone.current, milestone.replans, milestone.status) == (D1, 0, "gepland")
    assert not MilestoneReplan.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "unverified"])
def test_only_the_pilot_and_programme_teams_plan(pilot, request, who):
    with pytest.raises(NotAllowed):
        services.milestone_update(actor=request.getfixturevalue(who),
                                  milestone=pilot.milestones.get(),
                                  current=datetime.date(2027, 9, 1), reason="x")  # fmt: skip


def test_page_replans_and_shows_both_dates(client, pilot, planner):
    milestone = pilot.milestones.get()
    client.force_login(planner)
    url = pilot.get_absolute_url() + "mijlpaal/"
    data = {"mijlpaal-milestone": milestone.pk, "mijlpaal-current": "2027-09-01",
            "mijlpaal-reason": ""}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 422
    assert 'id="id_mijlpaal-reason_errors"' in response.content.decode()
    response = client.post(url, {"mijlpaal-milestone": milestone.pk,
                                 "mijlpaal-current": "2027-09-01",
                                 "mijlpaal-reason": "Vergunning later"}, follow=True)  # fmt: skip
    html = response.content.decode()
    assert "De mijlpaal is bijgewerkt" in html
    assert "1 juni 2027" in html and "1 september 2027" in html and "Vergunning later" in html
