"""Progress reports by the pilot's team: status with reason, age of the last one, overdue flag."""

import datetime

import pytest
from django.utils import timezone

from bouwplaats.core.errors import InvalidInput, NotAllowed
from bouwplaats.projects import selectors, services
from bouwplaats.projects.models import Pilot, ProgressReport

from .helpers import answers_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot(call, planner, team):
    submission = services.submission_create(
        actor=planner, call=call, organisation=planner.organisation, title="Havenkwartier",
        answers=answers_for(call), milestones=[("Eerste woningen", datetime.date(2027, 6, 1))],
    )  # fmt: skip
    for status in ("in_behandeling", "toegelaten"):
        services.submission_set_status(actor=team, submission=submission, status=status,
                                       reason="Ok")  # fmt: skip
    return Pilot.objects.get()


def _fresh(pilot, user):
    return selectors.pilot_get(user=user, pk=pilot.pk)


def test_the_pilot_team_reports_and_the_last_status_shows_its_age(pilot, planner, colleague):
    assert _fresh(pilot, planner).last_status is None
    services.progress_report_create(actor=planner, pilot=pilot, status="op_koers", reason="Goed")
    report = services.progress_report_create(
        actor=colleague, pilot=pilot, status="risico", reason="Vergunning vertraagd"
    )
    fresh = _fresh(pilot, planner)
    assert fresh.last_status == "risico" and fresh.last_report_at == report.at
    assert not selectors.report_overdue(fresh)


def test_a_report_is_overdue_after_the_rhythm(pilot, planner, team):
    services.progress_report_create(actor=planner, pilot=pilot, status="op_koers", reason="Goed")
    ProgressReport.objects.update(at=timezone.now() - datetime.timedelta(days=92))
    fresh = _fresh(pilot, planner)
    assert selectors.report_overdue(fresh)
    services.pilot_set_rhythm(actor=team, pilot=pilot, report_every_days=120)
    assert not selectors.report_overdue(_fresh(pilot, planner))


def test_without_reports_the_rhythm_counts_from_the_start(pilot, planner):
    Pilot.objects.update(created_at=timezone.now() - datetime.timedelta(days=100))
    assert selectors.report_overdue(_fresh(pilot, planner))


@pytest.mark.parametrize("who", ["team", "outsider", "unverified"])
def test_only_the_pilot_team_reports(pilot, request, who):
    with pytest.raises(NotAllowed):
        services.progress_report_create(actor=request.getfixturevalue(who), pilot=pilot,
                                        status="op_koers", reason="x")  # fmt: skip
    assert not ProgressReport.objects.exists()


def test_only_the_programme_team_sets_the_rhythm(pilot, planner, team):
    with pytest.raises(NotAllowed):
        services.pilot_set_rhythm(actor=planner, pilot=pilot, report_every_days=30)
    with pytest.raises(InvalidInput) as exc:
        services.pilot_set_rhythm(actor=team, pilot=pilot, report_every_days=3)
    assert exc.value.code == "report_every_days"


@pytest.mark.parametrize(
    ("status", "reason", "field"),
    [("groen", "x", "status"), ("achter", "", "reason"), ("achter", "a\nb", "reason"),
     ("achter", "x" * 501, "reason")],
)  # fmt: skip
def test_bad_reports_are_refused_on_page_and_api_alike(client, api, pilot, planner, status,
                                                      reason, field):  # fmt: skip
    with pytest.raises(InvalidInput) as exc:
        services.progress_report_create(actor=planner, pilot=pilot, status=status, reason=reason)
    assert exc.value.code == field
    client.force_login(planner)
    response = client.post(pilot.get_absolute_url() + "rapportage/",
                           {"status": status, "reason": reason})  # fmt: skip
    assert response.status_code == 422
    assert f'id="id_{field}_errors"' in response.content.decode()
    response = api(planner).post(f"/pilots/{pilot.pk}/reports", {"status": status,
                                                                 "reason": reason})  # fmt: skip
    assert response.status_code == 422 and response.json()["code"] == field
    assert not ProgressReport.objects.exists()


def test_page_report_and_overdue_flag(client, pilot, planner, team):
    client.force_login(planner)
    response = client.post(pilot.get_absolute_url() + "rapportage/",
                           {"status": "achter", "reason": "Aannemer failliet",
                            "text": "We zoeken een nieuwe."}, follow=True)  # fmt: skip
    html = response.content.decode()
    assert "Uw voortgangsrapportage is opgeslagen" in html
    assert 'data-last-status="achter"' in html and "Aannemer failliet" in html
    assert "data-overdue" not in html
    ProgressReport.objects.update(at=timezone.now() - datetime.timedelta(days=100))
    html = client.get(pilot.get_absolute_url()).content.decode()
    assert 'data-overdue="1"' in html and "De laatste status is niet actueel" in html
    assert "3\xa0maanden" in html  # the age of the last status, not shown as current
    client.force_login(team)
    html = client.get(pilot.get_absolute_url()).content.decode()
    assert "Voortgang rapporteren" not in html
    assert client.post(pilot.get_absolute_url() + "rapportage/",
                       {"status": "op_koers", "reason": "x"}).status_code == 403  # fmt: skip


def test_api_reports_and_pilot_fields(api, pilot, planner, team, outsider):
    url = f"/pilots/{pilot.pk}/reports"
    response = api(planner).post(url, {"status": "risico", "reason": "Vertraging", "text": "…"})
    assert response.status_code == 201 and response.json()["status"] == "risico"
    body = api(team).get(f"/pilots/{pilot.pk}").json()
    assert body["last_status"] == "risico" and body["report_overdue"] is False
    assert body["last_report_at"] is not None and body["report_every_days"] == 91
    assert api(team).post(url, {"status": "risico", "reason": "x"}).status_code == 403
    assert api(outsider).post(url, {"status": "risico", "reason": "x"}).status_code == 404
    assert api().post(url, {"status": "risico", "reason": "x"}).status_code == 401
    assert ProgressReport.objects.count() == 1
