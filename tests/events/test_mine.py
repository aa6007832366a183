"""Issue 15 §5: Mijn Bouwplaats and the personal calendar feed at a secret address."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from bouwplaats.accounts.models import OrganisationMembership
from bouwplaats.events.models import CoHostInvitation, Registration
from tests.factories import (
    OrganisationFactory,
    PlannerFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
)

S = Registration.Status


def test_mijn_bouwplaats_needs_a_login(client):
    response = client.get(reverse("mine:index"))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_mijn_bouwplaats_shows_registrations_with_waitlist_position_hosted_and_waiting(
    client, member, programme
):
    full = SessionFactory(programme=programme, title="Volle bouwsessie", capacity=1)
    RegistrationFactory(session=full, status=S.CONFIRMED)
    RegistrationFactory(session=full, status=S.WAITLISTED)
    RegistrationFactory(session=full, status=S.WAITLISTED, member=member)
    going = SessionFactory(programme=programme, title="Ik ga erheen")
    RegistrationFactory(session=going, status=S.CONFIRMED, member=member)
    cancelled_mine = SessionFactory(programme=programme, title="Afgemeld")
    RegistrationFactory(session=cancelled_mine, status=S.CANCELLED, member=member)
    hosted = SessionFactory(
        programme=programme, title="Mijn eigen sessie", host=member, requires_approval=True
    )
    RegistrationFactory(
        session=hosted, status=S.PENDING, member=UserFactory(full_name="Anna Wacht")
    )
    other = UserFactory()
    invited = SessionFactory(programme=programme, title="Organiseer mee", host=other)
    invitation = CoHostInvitation(
        session=invited,
        email=member.email,
        created_by=other,
        expires_at=timezone.now() + datetime.timedelta(days=3),
    )
    token = invitation.set_new_token()
    invitation.save()
    client.force_login(member)
    response = client.get(reverse("mine:index"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Mijn Bouwplaats" in content
    assert "Op de wachtlijst, plaats 2" in content
    assert "Ik ga erheen" in content
    assert "Afgemeld" not in content
    assert "Mijn eigen sessie" in content and "1 te beoordelen" in content
    assert "Beoordeel de aanmelding van Anna Wacht" in content
    assert "Organiseer mee" in content
    assert f'href="/sessies/uitnodiging/{token}/"' in content
    assert "Facilitering gevraagd" not in content  # not on a programme team


def test_the_programme_team_sees_its_facilitation_queue(client, team_member, programme):
    SessionFactory(
        programme=programme, title="Graag hulp", status="draft", facilitation="requested"
    )
    client.force_login(team_member)
    content = client.get(reverse("mine:index")).content.decode()
    assert "Facilitering gevraagd" in content and "Graag hulp" in content


def test_an_organisation_admin_sees_membership_requests(client, db):
    organisation = OrganisationFactory(name="Gemeente Ede")
    admin = PlannerFactory(organisation=organisation, membership_role="admin")
    asking = UserFactory(full_name="Vera Vraag", organisation=organisation)
    OrganisationMembership.objects.create(
        user=asking, organisation=organisation, status=OrganisationMembership.Status.REQUESTED
    )
    client.force_login(admin)
    content = client.get(reverse("mine:index")).content.decode()
    assert "Vera Vraag wil namens Gemeente Ede werken" in content


def test_mijn_bouwplaats_queries_do_not_grow_with_registrations(client, member, programme):
    def page_queries():
        client.force_login(member)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("mine:index")).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        session = SessionFactory(programme=programme, capacity=1, host=member)
        RegistrationFactory(session=session, status=S.PENDING)
        RegistrationFactory(session=SessionFactory(programme=programme), member=member)
    few = page_queries()
    for _ in range(5):
        session = SessionFactory(programme=programme, capacity=1, host=member)
        RegistrationFactory(session=session, status=S.PENDING)
        RegistrationFactory(session=SessionFactory(programme=programme), member=member)
    assert page_queries() == few


def test_calendar_feed_at_a_secret_address_carries_my_seats_and_hosted_sessions(
    client, member, programme
):
    going = SessionFactory(programme=programme, title="Met plaats")
    RegistrationFactory(session=going, member=member, status=S.CONFIRMED)
    waiting = SessionFactory(programme=programme, title="Nog wachten")
    RegistrationFactory(session=waiting, member=member, status=S.WAITLISTED)
    hosting = SessionFactory(programme=programme, title="Zelf georganiseerd", host=member)
    SessionFactory(programme=programme, title="Concept", host=member, status="draft")
    SessionFactory(programme=programme, title="Van een ander")
    client.force_login(member)
    client.post(reverse("mine:calendar_token"))
    member.refresh_from_db()
    assert member.calendar_token and len(member.calendar_token) >= 40
    page = client.get(reverse("mine:index")).content.decode()
    url = reverse("mine:calendar_feed", kwargs={"token": member.calendar_token})
    assert url in page
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    calendar = Calendar.from_ical(response.content)
    summaries = sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))
    assert summaries == ["Met plaats", "Zelf georganiseerd"]
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert uids == {going.ical_uid, hosting.ical_uid}


@pytest.mark.parametrize("token", ["onbekend", "x" * 300, "%00", "ë"])
def test_calendar_feed_with_an_unknown_token_is_not_found(client, member, token):
    member.calendar_token = "geheim" * 8
    member.save()
    # A NUL byte is refused before the view (core.request_guard): 400, not a lookup.
    expected = 400 if token == "%00" else 404
    assert client.get(f"/mijn-bouwplaats/agenda/{token}.ics").status_code == expected


def test_a_new_address_closes_the_old_one(client, member):
    client.force_login(member)
    client.post(reverse("mine:calendar_token"))
    member.refresh_from_db()
    old = member.calendar_token
    client.post(reverse("mine:calendar_token"))
    member.refresh_from_db()
    assert member.calendar_token != old
    assert client.get(reverse("mine:calendar_feed", kwargs={"token": old})).status_code == 404


def test_host_chooses_the_daily_overview(client, member):
    client.force_login(member)
    assert member.host_notices == "mail"
    client.post(reverse("mine:host_notices"), {"host_notices": "digest"})
    member.refresh_from_db()
    assert member.host_notices == "digest"
    client.post(reverse("mine:host_notices"), {"host_notices": "elke minuut"})
    member.refresh_from_db()
    assert member.host_notices == "digest"


def test_mijn_bouwplaats_reads_only_the_ten_newest_past_sessions(client, member, programme):
    now = timezone.now()
    for days in range(1, 13):
        start = now - datetime.timedelta(days=days, hours=2)
        RegistrationFactory(
            member=member,
            session=SessionFactory(
                programme=programme, title=f"Voorbij {days:02d}", start=start,
                end=start + datetime.timedelta(hours=1),
            ),
        )  # fmt: skip
    client.force_login(member)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        content = client.get(reverse("mine:index")).content.decode()
    assert all(f"Voorbij {days:02d}" in content for days in range(1, 11))
    assert "Voorbij 11" not in content and "Voorbij 12" not in content
    # The cut is the query's: a long history is not read to show ten.
    past = [q["sql"] for q in ctx.captured_queries if '"events_registration"' in q["sql"]
            and "< " in q["sql"] and "LIMIT 10" in q["sql"]]  # fmt: skip
    assert len(past) == 1
