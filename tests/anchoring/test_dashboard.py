"""The programme dashboard: for the programme team only; every figure beside its baseline and
linked to its record; a fixed number of queries."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from bouwplaats.anchoring import services
from bouwplaats.projects import services as projects
from bouwplaats.projects.models import ProgressReport
from tests.factories import RegistrationFactory, SessionFactory

from .helpers import make_pilot

ORIGINAL = datetime.date(2027, 6, 1)
MOVED = datetime.date(2027, 11, 1)


def dashboard_url(programme):
    return reverse("anchoring:dashboard", kwargs={"slug": programme.slug})


@pytest.fixture
def filled(programme, team_member, brabant):
    """Beter Benutten with a held and a planned session, a pilot whose milestone was re-planned
    and which reports 'op koers', and a koffertje item."""
    past = timezone.now() - datetime.timedelta(days=30)
    held = SessionFactory(
        programme=programme,
        title="Programmamanagers: door ná 2017",
        start=past,
        end=past + datetime.timedelta(hours=3),
    )
    planned = SessionFactory(programme=programme, title="Congres verankering")
    for session, n in ((held, 3), (planned, 2)):
        for _ in range(n):
            RegistrationFactory(session=session)
    RegistrationFactory(session=planned, status="cancelled")
    pilot = make_pilot(
        programme,
        team_member,
        title="Spitsmijden Brabant",
        milestones=[("Eerste deelnemers", ORIGINAL)],
    )
    milestone = pilot.milestones.get()
    projects.milestone_update(
        actor=team_member, milestone=milestone, current=MOVED, reason="Aanbesteding later"
    )
    projects.progress_report_create(
        actor=pilot.planner, pilot=pilot, status="op_koers", reason="Alles volgens planning"
    )
    services.koffertje_item_add(
        actor=brabant[1],
        koffertje=brabant[0],
        element="werkwijze",
        text="De werkwijze",
        status="besproken",
    )
    return {"held": held, "planned": planned, "pilot": pilot, "milestone": milestone}


@pytest.mark.parametrize(
    ("who", "status"),
    [("visitor", 302), ("outsider", 403), ("region", 403), ("team", 200), ("staff", 200)],
)
def test_the_dashboard_is_for_the_programme_team_only(
    client, programme, team_member, outsider, brabant, admin_user, who, status
):
    user = {
        "outsider": outsider,
        "region": brabant[1],
        "team": team_member,
        "staff": admin_user,
    }.get(who)
    if user:
        client.force_login(user)
    response = client.get(dashboard_url(programme))
    assert response.status_code == status
    if status == 302:
        assert "/account/login/" in response["Location"]


def test_a_replanned_milestone_shows_its_original_date_and_the_pilot_is_not_simply_op_koers(
    client, programme, team_member, filled
):
    client.force_login(team_member)
    html = client.get(dashboard_url(programme)).content.decode()
    milestone = filled["milestone"]
    row = re.search(
        rf'<tr data-milestone="{milestone.pk}" data-replans="1">(.*?)</tr>', html, re.S
    ).group(1)
    assert "1 juni 2027" in row and "1 november 2027" in row and "herpland" in row
    assert "Aanbesteding later" in row
    pilot = re.search(
        rf'<tr data-pilot="{filled["pilot"].pk}" data-status="([^"]+)">(.*?)</tr>', html, re.S
    )
    assert pilot.group(1) == "op_koers_herpland"
    assert "volgens de herplanning, niet volgens het oorspronkelijke plan" in pilot.group(2)
    assert "1 mijlpaal herpland, tot 153 dagen later dan oorspronkelijk gepland" in pilot.group(2)
    # The slip chart draws the original (open) and current (filled) date, linked to the pilot.
    svg = html[html.index('<title id="mijlpalen-title">') :]
    svg = svg[: svg.index("</svg>")]
    assert "oorspronkelijk dinsdag 1 juni 2027, nu maandag 1 november 2027, 1× herpland" in svg
    assert 'class="bp-chart__slip"' in svg
    assert f'href="{filled["pilot"].get_absolute_url()}"' in svg


def test_a_pilot_on_its_original_plan_is_op_koers(client, programme, team_member):
    pilot = make_pilot(programme, team_member, milestones=[("Start", ORIGINAL)])
    projects.progress_report_create(
        actor=pilot.planner, pilot=pilot, status="op_koers", reason="Loopt"
    )
    client.force_login(team_member)
    html = client.get(dashboard_url(programme)).content.decode()
    assert f'<tr data-pilot="{pilot.pk}" data-status="op_koers">' in html
    assert "Niet herpland" in html


def test_an_overdue_report_is_never_shown_as_current(client, programme, team_member):
    pilot = make_pilot(programme, team_member)
    report = projects.progress_report_create(
        actor=pilot.planner, pilot=pilot, status="op_koers", reason="Loopt"
    )
    ProgressReport.objects.filter(pk=report.pk).update(
        at=timezone.now() - datetime.timedelta(days=pilot.report_every_days + 10)
    )
    client.force_login(team_member)
    html = client.get(dashboard_url(programme)).content.decode()
    assert "Niet actueel: rapportage achterstallig" in html
    assert f"{pilot.report_every_days + 10} dagen geleden" in html
    # The age chart draws the rhythm as a baseline and says the status is not current.
    chart = html[html.index('<title id="rapportages-title">') :]
    chart = chart[: chart.index("</svg>")]
    assert 'class="bp-chart__baseline"' in chart and "niet actueel" in chart


def test_sessions_registrations_submissions_and_koffertjes_are_counted_and_linked(
    client, programme, team_member, filled
):
    client.force_login(team_member)
    html = client.get(dashboard_url(programme)).content.decode()
    assert 'data-sessions-held="1" data-sessions-planned="1"' in html
    assert "5 bevestigde aanmeldingen" in html
    # Each session's bar links to the session, with its confirmed registrations.
    assert f'href="{filled["held"].get_absolute_url()}"' in html
    assert re.search(r"Congres verankering: 2 aanmeldingen — gepland", html)
    assert re.search(r"door ná 2017: 3 aanmeldingen — gehouden", html)
    call = filled["pilot"].submission.call
    queue = reverse("projects:queue", kwargs={"pk": call.pk})
    assert f'href="{queue}?status=toegelaten"' in html
    assert re.search(
        r'<tr data-status="toegelaten"><td><a [^>]+>Toegelaten</a></td><td>1</td>', html
    )
    koffertjes = reverse("anchoring:koffertjes", kwargs={"slug": programme.slug})
    assert f'href="{koffertjes}?status=besproken"' in html
    assert re.search(r'<tr data-status="besproken"><td><a [^>]+>Besproken</a></td><td>1</td>', html)
    # Every chart is named and described for assistive technology.
    for uid in ("sessies", "rapportages", "mijlpalen", "koffertjes", f"oproep-{call.pk}"):
        assert f'aria-labelledby="{uid}-title" aria-describedby="{uid}-desc"' in html


def test_the_dashboard_has_a_fixed_number_of_queries(
    client, programme, team_member, filled, django_assert_num_queries
):
    client.force_login(team_member)
    client.get(dashboard_url(programme))

    def count():
        # session + user, programme, team check, sessions, calls, submissions by status,
        # pilots, their milestones, koffertje items by status
        with django_assert_num_queries(10):
            response = client.get(dashboard_url(programme))
        assert response.status_code == 200

    count()
    # More sessions, pilots and milestones: the same number of queries.
    for n in range(3):
        session = SessionFactory(programme=programme, title=f"Sessie {n}")
        RegistrationFactory(session=session)
        make_pilot(
            programme, team_member, title=f"Pilot {n}", milestones=[("A", ORIGINAL), ("B", MOVED)]
        )
    count()
