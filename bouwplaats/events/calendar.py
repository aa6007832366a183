"""iCalendar (RFC 5545) files for sessions: one per session, a feed per programme, and the
iTIP (RFC 5546) invitations and cancellations mailed to confirmed participants.

Every instant is written in UTC (``DTSTART:20271031T013000Z``): a local time with a TZID
is ambiguous in the hour that repeats when summer time ends, and its meaning depends on
the VTIMEZONE a client has; UTC every client reads the same. Clients show it in the
reader's own zone (X-WR-TIMEZONE names the zone the programme is held in).
"""

import datetime
from collections.abc import Iterable
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from bouwplaats.programmes.models import Programme

from .models import Session

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PRODID = "-//Bouwplaats//Sessies//NL"


def session_url(session: Session) -> str:
    """Return the absolute address of the session's page."""
    return settings.SITE_URL + session.get_absolute_url()


def _utc(value: datetime.datetime) -> datetime.datetime:
    return value.astimezone(datetime.UTC)


def organizer() -> vCalAddress:
    """Return the platform as ORGANIZER: replies go to the platform, not to a host's inbox."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@bouwplaats.nl"
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["CN"] = "Bouwplaats"
    return organizer


def attendee(email: str, name: str = "", *, cancelled: bool = False) -> vCalAddress:
    """Return ``email`` as ATTENDEE of an invitation: registered, no reply expected."""
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = name
    address.params["ROLE"] = "REQ-PARTICIPANT"
    address.params["PARTSTAT"] = "DECLINED" if cancelled else "ACCEPTED"
    address.params["RSVP"] = "FALSE"
    return address


def _event(session: Session, *, sequence: int | None = None) -> Event:
    event = Event()
    event.add("uid", session.ical_uid)
    event.add("sequence", session.sequence if sequence is None else sequence)
    event.add("dtstamp", _utc(timezone.now()))
    event.add("dtstart", _utc(session.start))
    event.add("dtend", _utc(session.end))
    event.add("summary", session.title)
    description = "\n\n".join(part for part in (session.intro, session.goal) if part)
    if description:
        event.add("description", description)
    location = session.location or ("Online" if session.online else "")
    if location:
        event.add("location", location)
    event.add("url", session_url(session))
    event.add("last-modified", _utc(session.updated_at or timezone.now()))
    cancelled = session.status == Session.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    # RFC 5546 asks an ORGANIZER of every published or invited event.
    event.add("organizer", organizer())
    return event


def _calendar(name: str, *, method: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Amsterdam")
    return cal


def session_ics(session: Session) -> bytes:
    """Return the downloadable .ics of one session (METHOD:PUBLISH, no attendees).

    A cancelled session has STATUS:CANCELLED, so a calendar that imported it shows that.
    """
    cal = _calendar(session.title, method="PUBLISH")
    cal.add_component(_event(session))
    return cal.to_ical()


def invitation_ics(
    session: Session, *, email: str, name: str = "", sequence: int, cancel: bool = False
) -> bytes:
    """Return the iTIP object mailed to one confirmed participant at ``email``.

    ``cancel`` (or a cancelled session) gives METHOD:CANCEL with STATUS:CANCELLED (RFC 5546
    §3.2.5: UID, SEQUENCE, DTSTAMP, ORGANIZER, ATTENDEE, DTSTART), which removes the
    appointment; otherwise METHOD:REQUEST (§3.2.2), which adds it or, with the same UID and a
    higher ``sequence``, moves it. ``sequence`` must be higher than in any earlier object
    sent to this participant about the session.
    """
    cancelled = cancel or session.status == Session.Status.CANCELLED
    cal = _calendar(session.title, method="CANCEL" if cancelled else "REQUEST")
    event = _event(session, sequence=sequence)
    event["status"] = "CANCELLED" if cancelled else "CONFIRMED"
    event.add("attendee", attendee(email, name, cancelled=cancelled))
    cal.add_component(event)
    return cal.to_ical()


def programme_feed(programme: Programme, sessions: Iterable[Session]) -> bytes:
    """Return the subscribable feed of a programme's published and cancelled sessions."""
    cal = _calendar(programme.name, method="PUBLISH")
    for session in sessions:
        cal.add_component(_event(session))
    return cal.to_ical()


def personal_feed(name: str, sessions: Iterable[Session]) -> bytes:
    """Return a member's own calendar feed (Mijn Bouwplaats): the sessions they attend or host.

    The same UID and SEQUENCE per session as every other file, so that a calendar holding
    the session from an invitation moves it instead of showing it twice.
    """
    cal = _calendar(name, method="PUBLISH")
    for session in sessions:
        cal.add_component(_event(session))
    return cal.to_ical()
