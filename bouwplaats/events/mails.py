"""The mails about sessions: texts, recipients and the .ics attachment, and their sending.

The tasks in tasks.py call these with primary keys and read fresh rows here.
"""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .calendar import AMSTERDAM, session_ics, session_url
from .models import Registration, Session, SessionChange

ACTIVE_STATUSES = [
    Registration.Status.CONFIRMED,
    Registration.Status.WAITLISTED,
    Registration.Status.PENDING,
]


def when(session: Session) -> str:
    """Return the session's date and time as people read it (Europe/Amsterdam)."""
    start = timezone.localtime(session.start, AMSTERDAM)
    end = timezone.localtime(session.end, AMSTERDAM)
    return f"{date_format(start, 'l j F Y')}, {start:%H:%M}–{end:%H:%M}"


def session_message(
    session: Session, *, to: list[str], subject: str, body: str, cancel: bool = False
) -> EmailMessage:
    """Return a mail about ``session`` with its details below ``body`` and its .ics attached.

    ``cancel`` (or a cancelled session) sends the appointment with METHOD:CANCEL, so that
    calendars remove it.
    """
    footer = "\n\n" + _("Sessie: %(title)s\nWanneer: %(when)s\nWaar: %(where)s\nMeer: %(url)s") % {
        "title": session.title,
        "when": when(session),
        "where": session.location or (_("online") if session.online else "—"),
        "url": session_url(session),
    }
    message = EmailMessage(
        subject=f"[Bouwplaats] {subject}",
        body=body + footer,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    method = "CANCEL" if cancel or session.status == Session.Status.CANCELLED else "PUBLISH"
    message.attach(
        "sessie.ics", session_ics(session, cancel=cancel), f"text/calendar; method={method}"
    )
    return message


def registration_texts(kind: str, values: dict) -> tuple[str, str]:
    """Return the subject and body of a registration mail, in the active language."""
    texts = {
        "confirmed": (
            _("Je bent aangemeld: %(title)s"),
            _(
                "Beste %(name)s,\n\nJe bent aangemeld voor deze sessie. De afspraak staat in de "
                "bijlage."
            ),
        ),
        "waitlisted": (
            _("Je staat op de wachtlijst: %(title)s"),
            _(
                "Beste %(name)s,\n\nDe sessie is vol; je staat op de wachtlijst. Komt er een "
                "plaats vrij, dan schuif je vanzelf door en krijg je bericht."
            ),
        ),
        "pending": (
            _("Je aanmelding wacht op beoordeling: %(title)s"),
            _(
                "Beste %(name)s,\n\nDe organisator beoordeelt je aanmelding aan de hand van de "
                "criteria. Je krijgt bericht zodra dat gebeurd is."
            ),
        ),
        "promoted": (
            _("Er is een plaats vrijgekomen: %(title)s"),
            _(
                "Beste %(name)s,\n\nEr is een plaats vrijgekomen: je bent nu aangemeld voor deze "
                "sessie. De afspraak staat in de bijlage."
            ),
        ),
        "approved": (
            _("Je aanmelding is goedgekeurd: %(title)s"),
            _("Beste %(name)s,\n\nDe organisator heeft je aanmelding goedgekeurd."),
        ),
        "declined": (
            _("Je aanmelding is afgewezen: %(title)s"),
            _(
                "Beste %(name)s,\n\nDe organisator heeft je aanmelding afgewezen.\n\n"
                "Reden: %(reason)s"
            ),
        ),
        "cancelled": (
            _("Je bent afgemeld: %(title)s"),
            _(
                "Beste %(name)s,\n\nJe bent afgemeld voor deze sessie. Met de bijlage verdwijnt "
                "de afspraak uit je agenda."
            ),
        ),
    }
    subject, body = texts[kind]
    return subject % values, body % values


def registration_message(registration: Registration, kind: str) -> EmailMessage:
    """Return the ``kind`` mail about the member's registration ("confirmed", "promoted", …)."""
    session, member = registration.session, registration.member
    values = {"title": session.title, "name": member.display_name, "reason": registration.reason}
    subject, body = registration_texts(kind, values)
    return session_message(
        session,
        to=[member.email],
        subject=subject,
        body=body,
        cancel=kind in {"declined", "cancelled"},
    )


def field_labels() -> dict[str, str]:
    """Return the Dutch names of the fields whose changes are recorded."""
    return {
        "start": _("Begint"),
        "end": _("Eindigt"),
        "location": _("Locatie"),
        "online": _("Online"),
        "parts": _("Programma"),
    }


def _recipients(session: Session, statuses) -> list[str]:
    return list(
        Registration.objects.filter(session=session, status__in=statuses)
        .order_by("created_at", "id")
        .values_list("member__email", flat=True)
    )


def _send_each(session, recipients, subject, body, *, cancel=False) -> None:
    # One message per person: participants never see each other's addresses.
    if not recipients:
        return
    with get_connection() as connection:
        connection.send_messages(
            [
                session_message(session, to=[email], subject=subject, body=body, cancel=cancel)
                for email in recipients
            ]
        )


def send_change_mail(session_id: int, change_ids: list[int]) -> None:
    """Mail confirmed and waiting participants one message listing the changes ``change_ids``."""
    session = Session.objects.get(pk=session_id)
    changes = SessionChange.objects.filter(pk__in=change_ids).order_by("id")
    recipients = _recipients(
        session, [Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]
    )
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            f"- {field_labels().get(c.field, c.field)}: {c.old or '—'} → {c.new or '—'}"
            for c in changes
        ]
        body = _("Beste deelnemer,\n\nDe sessie is gewijzigd:\n\n%(changes)s") % {
            "changes": "\n".join(lines)
        }
        subject = _("Gewijzigd: %(title)s") % {"title": session.title}
        _send_each(session, recipients, subject, body)


def send_cancellation_mail(session_id: int) -> None:
    """Mail everyone registered that the session is cancelled, with METHOD:CANCEL."""
    session = Session.objects.get(pk=session_id)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Geannuleerd: %(title)s") % {"title": session.title}
        body = _(
            "Beste deelnemer,\n\nDeze sessie gaat niet door. Met de bijlage verdwijnt de "
            "afspraak uit je agenda."
        )
        _send_each(session, _recipients(session, ACTIVE_STATUSES), subject, body, cancel=True)


def send_participants_message(session_id: int, subject: str, body: str) -> None:
    """Mail the organiser's message to every confirmed participant."""
    session = Session.objects.get(pk=session_id)
    recipients = _recipients(session, [Registration.Status.CONFIRMED])
    with translation.override(settings.LANGUAGE_CODE):
        _send_each(session, recipients, subject, body)


def send_sent_back_mail(session_id: int) -> None:
    """Tell the host that the programme team sent the session back, with the comment."""
    session = Session.objects.select_related("host").get(pk=session_id)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Je sessie is teruggestuurd: %(title)s") % {"title": session.title}
        body = _(
            "Beste %(name)s,\n\nHet programmateam heeft je sessie teruggestuurd.\n\n"
            "Toelichting: %(note)s"
        ) % {
            "name": session.host.display_name,
            "note": session.facilitation_note,
        }
        session_message(session, to=[session.host.email], subject=subject, body=body).send()
