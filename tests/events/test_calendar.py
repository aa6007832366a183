import datetime

from icalendar import Calendar

from bouwplaats.events import services
from bouwplaats.events.calendar import programme_feed, session_ics
from tests.factories import SessionFactory


def event_of(data: bytes):
    cal = Calendar.from_ical(data)
    events = cal.walk("VEVENT")
    assert len(events) == 1
    return cal, events[0]


def test_ics_parses_with_uid_url_timezone(session, settings):
    settings.SITE_URL = "https://bouwplaats.example"
    cal, event = event_of(session_ics(session))
    assert cal["METHOD"] == "PUBLISH"
    assert str(event["UID"]) == session.ical_uid
    assert int(event["SEQUENCE"]) == 0
    assert str(event["URL"]) == f"https://bouwplaats.example/sessies/{session.pk}/"
    assert str(event["SUMMARY"]) == session.title
    assert event["DTSTART"].dt == session.start
    assert str(event["DTSTART"].dt.tzinfo) == "Europe/Amsterdam"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Amsterdam"]


def test_change_keeps_uid_and_raises_sequence(session, team_member):
    _cal, before = event_of(session_ics(session))
    later = session.start + datetime.timedelta(days=2)
    services.session_update(
        session=session, actor=team_member, start=later, end=later + datetime.timedelta(hours=2)
    )
    session.refresh_from_db()
    _cal, after = event_of(session_ics(session))
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after["DTSTART"].dt == later


def test_cancelled_session_has_method_cancel(session):
    services.session_cancel(session=session, actor=session.host)
    session.refresh_from_db()
    cal, event = event_of(session_ics(session))
    assert cal["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1


def test_programme_feed_has_published_sessions_only(programme):
    published = SessionFactory(programme=programme)
    SessionFactory(programme=programme, status="draft")
    SessionFactory()
    cal = Calendar.from_ical(programme_feed(programme, programme.sessions.exclude(status="draft")))
    assert [str(e["UID"]) for e in cal.walk("VEVENT")] == [published.ical_uid]
