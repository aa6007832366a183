"""Every .ics the platform produces, read back as a calendar client reads it.

A time with a TZID is resolved through the file's OWN VTIMEZONE (never the system's zone
data), the way a client without our zone database does; a time without one must be UTC.
The instants are compared with the database around both DST changes of 2027 (including
the hour that repeats on 31 October) and far in the future.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar, Event, Timezone

from bouwplaats.events import mails, services
from bouwplaats.events.calendar import programme_feed, session_ics
from bouwplaats.events.models import Registration, Session
from tests.factories import RegistrationFactory, SessionFactory, UserFactory

UTC = datetime.UTC
S = Registration.Status


def at(*args, offset: int) -> datetime.datetime:
    """Return a local time with an explicit UTC offset in hours (+02:00 summer, +01:00 winter)."""
    return datetime.datetime(*args, tzinfo=datetime.timezone(datetime.timedelta(hours=offset)))


# (label, start) pairs: the edges of summer time in 2027 and sessions far in the future.
INSTANTS = [
    ("before spring forward", at(2027, 3, 28, 1, 30, offset=1)),
    ("after spring forward", at(2027, 3, 28, 3, 30, offset=2)),
    ("repeated hour, first (summer)", at(2027, 10, 31, 2, 30, offset=2)),
    ("repeated hour, second (winter)", at(2027, 10, 31, 2, 30, offset=1)),
    ("after fall back", at(2027, 10, 31, 3, 30, offset=1)),
    ("far future, summer", at(2150, 7, 1, 12, 0, offset=2)),
    ("far future, winter", at(2150, 1, 15, 12, 0, offset=1)),
]


def _resolve(prop, zones: dict) -> datetime.datetime:
    """Return the instant a client reads from DTSTART/DTEND ``prop`` of a file with ``zones``."""
    raw = prop.to_ical().decode()
    tzid = prop.params.get("TZID")
    if tzid:
        assert tzid in zones, f"TZID {tzid} has no VTIMEZONE in the file"
        wall = datetime.datetime.strptime(raw, "%Y%m%dT%H%M%S")
        # A client knows only the wall time and the file's rules: an ambiguous wall time is
        # read as its first occurrence (fold=0).
        # (In UTC: Python never finds an ambiguous local time equal to another zone's.)
        return wall.replace(tzinfo=zones[tzid]).astimezone(UTC)
    assert raw.endswith("Z"), f"{raw} is a floating time: no client knows which instant"
    return datetime.datetime.strptime(raw, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def read_ics(data: bytes) -> tuple[Calendar, dict[str, tuple[datetime.datetime, ...]]]:
    """Return the calendar and, per UID, the (start, end) instants a client reads."""
    cal = Calendar.from_ical(data)
    zones = {str(tz["TZID"]): tz.to_tz(lookup_tzid=False) for tz in cal.walk("VTIMEZONE")}
    times = {
        str(event["UID"]): (
            _resolve(event["DTSTART"], zones),
            _resolve(event["DTEND"], zones),
        )
        for event in cal.walk("VEVENT")
    }
    return cal, times


def attachment(message) -> bytes:
    """Return the mail's iTIP object: the same in its text/calendar part and its .ics file."""
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == ("sessie.ics", "application/ics")
    [(alternative, alternative_type)] = message.alternatives
    assert alternative_type.startswith("text/calendar; method=")
    assert alternative.encode() == content
    return content


def the_event(data: bytes):
    events = Calendar.from_ical(data).walk("VEVENT")
    assert len(events) == 1
    return events[0]


def assert_same_instants(data: bytes, *sessions) -> None:
    _cal, times = read_ics(data)
    for session in sessions:
        session.refresh_from_db()
        assert times[session.ical_uid] == (session.start, session.end), session.title


def test_reader_catches_a_local_time_in_the_repeated_hour():
    """The reader is strict: the old TZID form of the second 02:30 reads as the first."""
    second = at(2027, 10, 31, 2, 30, offset=1)
    cal = Calendar()
    cal.add_component(Timezone.from_tzid("Europe/Amsterdam"))
    event = Event()
    event.add("uid", "x")
    event.add("dtstart", second.astimezone(ZoneInfo("Europe/Amsterdam")))
    event.add("dtend", second.astimezone(ZoneInfo("Europe/Amsterdam")))
    cal.add_component(event)
    _cal, times = read_ics(cal.to_ical())
    assert times["x"][0] == second - datetime.timedelta(hours=1)


@pytest.mark.parametrize(("label", "start"), INSTANTS, ids=[i[0] for i in INSTANTS])
def test_download_feed_and_mails_give_the_database_instants(
    label, start, programme, client, settings, django_capture_on_commit_callbacks, team_member
):
    settings.LANGUAGE_CODE = "nl"
    session = SessionFactory(
        programme=programme, start=start, end=start + datetime.timedelta(hours=1), title=label
    )
    # The download and the programme feed.
    response = client.get(reverse("events:ics", kwargs={"pk": session.pk}))
    assert response.status_code == 200
    assert_same_instants(response.content, session)
    response = client.get(reverse("events:programme_feed", kwargs={"slug": programme.slug}))
    assert_same_instants(response.content, session)

    # The confirmation mail, the update after a change, the cancellation.
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(session=session, member=UserFactory())
    assert registration.status == S.CONFIRMED
    confirmation = attachment(mail.outbox[-1])
    assert Calendar.from_ical(confirmation)["METHOD"] == "REQUEST"
    assert_same_instants(confirmation, session)

    later = start + datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(
            session=session, actor=team_member, start=later, end=later + datetime.timedelta(hours=1)
        )
    update = attachment(mail.outbox[-1])
    assert Calendar.from_ical(update)["METHOD"] == "REQUEST"
    assert_same_instants(update, session)

    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session, actor=team_member, reason="Zaal vervallen")
    cancel = attachment(mail.outbox[-1])
    assert Calendar.from_ical(cancel)["METHOD"] == "CANCEL"
    assert_same_instants(cancel, session)


def test_the_two_half_past_twos_of_31_october_are_an_hour_apart(programme):
    first = SessionFactory(
        programme=programme,
        start=at(2027, 10, 31, 2, 30, offset=2),
        end=at(2027, 10, 31, 2, 45, offset=2),
    )
    second = SessionFactory(
        programme=programme,
        start=at(2027, 10, 31, 2, 30, offset=1),
        end=at(2027, 10, 31, 2, 45, offset=1),
    )
    data = programme_feed(programme, [first, second])
    _cal, times = read_ics(data)
    assert times[second.ical_uid][0] - times[first.ical_uid][0] == datetime.timedelta(hours=1)
    assert b"DTSTART:20271031T003000Z" in data and b"DTSTART:20271031T013000Z" in data
    assert_same_instants(data, first, second)


def test_a_vtimezone_if_any_covers_every_date_in_the_file(programme):
    """Whatever zone a file defines must be right for all its dates (here: none is needed)."""
    sessions = [
        SessionFactory(programme=programme, start=s, end=s + datetime.timedelta(hours=1))
        for _label, s in INSTANTS
    ]
    data = programme_feed(programme, sessions)
    cal, times = read_ics(data)
    for session in sessions:
        assert times[session.ical_uid][0] == session.start
    # No TZID is used, so a client's (possibly outdated or missing) zone data plays no part.
    assert b"TZID" not in data


def test_ics_parses_with_uid_url(session, settings):
    settings.SITE_URL = "https://bouwplaats.example"
    event = the_event(session_ics(session))
    assert Calendar.from_ical(session_ics(session))["METHOD"] == "PUBLISH"
    assert str(event["UID"]) == session.ical_uid
    assert int(event["SEQUENCE"]) == 0
    assert str(event["URL"]) == f"https://bouwplaats.example/sessies/{session.pk}/"
    assert str(event["SUMMARY"]) == session.title
    assert event["DTSTART"].dt == session.start
    assert event["DTSTART"].to_ical().endswith(b"Z")


def test_change_keeps_uid_and_raises_sequence(session, team_member):
    before = the_event(session_ics(session))
    later = session.start + datetime.timedelta(days=2)
    services.session_update(
        session=session, actor=team_member, start=later, end=later + datetime.timedelta(hours=2)
    )
    session.refresh_from_db()
    after = the_event(session_ics(session))
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after["DTSTART"].dt == later


def test_cancelled_session_download_says_cancelled(session):
    services.session_cancel(session=session, actor=session.host, reason="Zaal vervallen")
    session.refresh_from_db()
    event = the_event(session_ics(session))
    assert event["STATUS"] == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1


def test_programme_feed_has_published_sessions_only(programme):
    published = SessionFactory(programme=programme)
    SessionFactory(programme=programme, status="draft")
    SessionFactory()
    cal = Calendar.from_ical(programme_feed(programme, programme.sessions.exclude(status="draft")))
    assert [str(e["UID"]) for e in cal.walk("VEVENT")] == [published.ical_uid]


# iTIP (RFC 5546): what the mails carry.

# RFC 5546 §3.2.1 (PUBLISH), §3.2.2 (REQUEST) and §3.2.5 (CANCEL): each VEVENT's must-haves.
REQUIRED = {
    "PUBLISH": {"DTSTAMP", "DTSTART", "ORGANIZER", "SUMMARY", "UID"},
    "REQUEST": {"ATTENDEE", "DTSTAMP", "DTSTART", "ORGANIZER", "SEQUENCE", "SUMMARY", "UID"},
    "CANCEL": {"ATTENDEE", "DTSTAMP", "ORGANIZER", "SEQUENCE", "UID", "STATUS", "DTSTART"},
}


def itip(message, method: str):
    data = attachment(message)
    cal = Calendar.from_ical(data)
    assert cal["METHOD"] == method
    assert message.alternatives[0][1] == f"text/calendar; method={method}"
    event = the_event(data)
    missing = REQUIRED[method] - set(event)
    assert not missing, missing
    return event


def test_session_cancel_is_a_proper_itip_cancel(session, team_member, run_on_commit):
    registration = RegistrationFactory(session=session)
    mails.registration_message(registration, "confirmed").send()
    invite = itip(mail.outbox[0], "REQUEST")
    services.session_cancel(session=session, actor=team_member, reason="Zaal vervallen")
    cancel = itip(mail.outbox[-1], "CANCEL")
    assert str(cancel["UID"]) == str(invite["UID"]) == session.ical_uid
    assert int(cancel["SEQUENCE"]) > int(invite["SEQUENCE"])
    assert cancel["STATUS"] == "CANCELLED"
    assert str(cancel["ORGANIZER"]) == str(invite["ORGANIZER"]) == "mailto:noreply@bouwplaats.nl"
    assert str(cancel["ATTENDEE"]) == f"mailto:{registration.member.email}"
    assert cancel["DTSTART"].dt == session.start


def test_own_cancellation_then_return_each_raise_sequence(session, run_on_commit):
    registration = services.registration_create(session=session, member=UserFactory())
    sequences = [int(itip(mail.outbox[-1], "REQUEST")["SEQUENCE"])]
    services.registration_cancel(registration=registration, actor=registration.member)
    # The member's own mail (the host is told in a mail without an appointment).
    own = [m for m in mail.outbox if m.to == [registration.member.email]]
    cancel = itip(own[-1], "CANCEL")
    assert cancel["STATUS"] == "CANCELLED"
    sequences.append(int(cancel["SEQUENCE"]))
    services.registration_create(session=session, member=registration.member)
    sequences.append(int(itip(mail.outbox[-1], "REQUEST")["SEQUENCE"]))
    assert sequences == sorted(set(sequences)), sequences


def test_update_moves_the_appointment(session, team_member, run_on_commit):
    registration = RegistrationFactory(session=session)
    mails.registration_message(registration, "confirmed").send()
    invite = itip(mail.outbox[0], "REQUEST")
    later = session.start + datetime.timedelta(days=1)
    services.session_update(
        session=session, actor=team_member, start=later, end=later + datetime.timedelta(hours=1)
    )
    update = itip(mail.outbox[-1], "REQUEST")
    assert str(update["UID"]) == str(invite["UID"])
    assert int(update["SEQUENCE"]) > int(invite["SEQUENCE"])
    assert update["DTSTART"].dt == later


@pytest.mark.parametrize("kind", ["pending", "waitlisted", "declined"])
def test_mail_without_a_place_carries_no_appointment(session, kind):
    registration = RegistrationFactory(session=session, status=kind, reason="Vol")
    message = mails.registration_message(registration, kind)
    assert message.attachments == [] and message.alternatives == []
    if kind != "declined":
        assert "agenda-uitnodiging volgt" in message.body


def test_waiting_and_pending_get_no_appointment_in_change_and_cancel_mails(
    session, team_member, run_on_commit
):
    confirmed = RegistrationFactory(session=session)
    RegistrationFactory(session=session, status=S.WAITLISTED)
    RegistrationFactory(session=session, status=S.PENDING)
    later = session.start + datetime.timedelta(days=1)
    services.session_update(
        session=session, actor=team_member, start=later, end=later + datetime.timedelta(hours=1)
    )
    services.session_cancel(session=session, actor=team_member, reason="Zaal vervallen")
    with_ics = {m.to[0] for m in mail.outbox if m.attachments}
    assert with_ics == {confirmed.member.email}
    assert len(mail.outbox) == 2 + 3


# The session form: a wall time in the hour that repeats keeps its occurrence.


def _form_data(session, **overrides):
    from .test_views import form_data

    local = session.start.astimezone(ZoneInfo("Europe/Amsterdam"))
    end = session.end.astimezone(ZoneInfo("Europe/Amsterdam"))
    data = form_data(
        session.programme,
        title=session.title,
        start_date=local.date().isoformat(),
        start_time=f"{local:%H:%M}",
        end_date=end.date().isoformat(),
        end_time=f"{end:%H:%M}",
    )
    data.update(overrides)
    return data


@pytest.mark.parametrize("offset", [2, 1], ids=["first 02:30", "second 02:30"])
def test_saving_the_edit_form_unchanged_keeps_the_instant(client, programme, offset):
    start = at(2027, 10, 31, 2, 30, offset=offset)
    session = SessionFactory(
        programme=programme, start=start, end=start + datetime.timedelta(minutes=20)
    )
    client.force_login(session.host)
    response = client.post(reverse("events:edit", args=[session.pk]), _form_data(session))
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.start, session.end) == (start, start + datetime.timedelta(minutes=20))


def test_an_end_in_the_second_hour_after_a_start_in_it_is_the_second(client, programme):
    start = at(2027, 10, 31, 2, 40, offset=2)
    session = SessionFactory(
        programme=programme, start=start, end=start + datetime.timedelta(hours=1)
    )
    client.force_login(session.host)
    # 02:40 (summer) to 02:10: the end is the second 02:10, half an hour later.
    data = _form_data(session, end_time="02:10")
    assert client.post(reverse("events:edit", args=[session.pk]), data).status_code == 302
    session.refresh_from_db()
    assert session.end - session.start == datetime.timedelta(minutes=30)


def test_a_time_the_clock_skips_is_refused(client, programme, member):
    client.force_login(member)
    from .test_views import form_data

    data = form_data(
        programme,
        start_date="2027-03-28",
        start_time="02:30",
        end_date="2027-03-28",
        end_time="04:00",
    )
    response = client.post(reverse("events:create"), data)
    assert response.status_code == 200
    assert "Dit tijdstip bestaat niet" in response.text


def test_download_and_feed_are_proper_itip_publish(session, client):
    for url in (
        reverse("events:ics", args=[session.pk]),
        reverse("events:programme_feed", kwargs={"slug": session.programme.slug}),
    ):
        cal = Calendar.from_ical(client.get(url).content)
        assert cal["METHOD"] == "PUBLISH"
        for event in cal.walk("VEVENT"):
            assert not REQUIRED["PUBLISH"] - set(event)
            assert "ATTENDEE" not in event


def test_mail_text_says_which_of_the_two_half_past_twos(programme):
    first = SessionFactory(
        programme=programme,
        start=at(2027, 10, 31, 2, 30, offset=2),
        end=at(2027, 10, 31, 2, 45, offset=1),
    )
    assert mails.when(first).endswith("02:30 (zomertijd)–02:45 (wintertijd)")
    ordinary = SessionFactory(
        programme=programme,
        start=at(2027, 10, 31, 13, 0, offset=1),
        end=at(2027, 10, 31, 14, 0, offset=1),
    )
    assert mails.when(ordinary).endswith(", 13:00–14:00")


@pytest.mark.parametrize(
    ("start", "end", "status", "expected"),
    [
        ("2027-10-31T02:30:00", "2027-10-31T04:00:00", 422, None),  # twice on the clock
        ("2027-03-28T02:30:00", "2027-03-28T04:00:00", 422, None),  # never on the clock
        ("2027-10-31T02:30:00+01:00", "2027-10-31T04:00:00", 201, "2027-10-31T01:30:00+00:00"),
        ("2027-10-31T01:30:00Z", "2027-10-31T04:00:00", 201, "2027-10-31T01:30:00+00:00"),
        ("2027-10-31T12:00:00", "2027-10-31T13:00:00", 201, "2027-10-31T11:00:00+00:00"),
    ],
)
def test_api_takes_only_times_that_name_one_instant(
    api, member, programme, start, end, status, expected
):
    from .test_api import payload

    response = api(member).post("/sessions", payload(programme, start=start, end=end))
    assert response.status_code == status, response.json()
    if status == 422:
        assert response.json()["code"] == "start"
        return
    session = Session.objects.get(pk=response.json()["id"])
    assert session.start == datetime.datetime.fromisoformat(expected)
