"""iCalendar (RFC 5545) files for sessions: one per session and a feed per programme."""

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone

from bouwplaats.programmes.models import Programme

from .models import Session

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PRODID = "-//Bouwplaats//Sessies//NL"


def session_url(session: Session) -> str:
    """Return the absolute address of the session's page."""
    return settings.SITE_URL + session.get_absolute_url()


def _event(session: Session) -> Event:
    event = Event()
    event.add("uid", session.ical_uid)
    event.add("sequence", session.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(session.start, AMSTERDAM))
    event.add("dtend", timezone.localtime(session.end, AMSTERDAM))
    event.add("summary", session.title)
    description = "\n\n".join(part for part in (session.intro, session.goal) if part)
    if description:
        event.add("description", description)
    location = session.location or ("Online" if session.online else "")
    if location:
        event.add("location", location)
    event.add("url", session_url(session))
    event.add("last-modified", session.updated_at or timezone.now())
    cancelled = session.status == Session.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _calendar(name: str, *, method: str | None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Amsterdam")
    cal.add_component(Timezone.from_tzid("Europe/Amsterdam"))
    return cal


def session_ics(session: Session, *, cancel: bool = False) -> bytes:
    """Return the .ics of one session: METHOD:CANCEL when it (or the attendance) is cancelled."""
    cancelled = cancel or session.status == Session.Status.CANCELLED
    cal = _calendar(session.title, method="CANCEL" if cancelled else "PUBLISH")
    event = _event(session)
    if cancel and session.status != Session.Status.CANCELLED:
        event["status"] = "CANCELLED"
    cal.add_component(event)
    return cal.to_ical()


def programme_feed(programme: Programme, sessions: Iterable[Session]) -> bytes:
    """Return the subscribable feed of a programme's published and cancelled sessions."""
    cal = _calendar(programme.name, method="PUBLISH")
    for session in sessions:
        cal.add_component(_event(session))
    return cal.to_ical()
