"""The mails about sessions: texts, recipients and the .ics attachment, and their sending.

The tasks in tasks.py call these with primary keys and read fresh rows here.
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bouwplaats.core.mail import AddressError, Recipient, build_message

from .calendar import AMSTERDAM, invitation_ics, session_url
from .models import CoHostInvitation, Registration, Session, SessionChange

logger = logging.getLogger(__name__)

ACTIVE_STATUSES = [
    Registration.Status.CONFIRMED,
    Registration.Status.WAITLISTED,
    Registration.Status.PENDING,
]


def _clock(value) -> str:
    # In the hour that repeats when summer time ends, say which of the two is meant.
    text = f"{value:%H:%M}"
    if value.replace(fold=1 - value.fold).utcoffset() != value.utcoffset():
        text += " " + (_("(zomertijd)") if value.dst() else _("(wintertijd)"))
    return text


def when(session: Session) -> str:
    """Return the session's date and time as people read it (Europe/Amsterdam)."""
    start = timezone.localtime(session.start, AMSTERDAM)
    end = timezone.localtime(session.end, AMSTERDAM)
    if start.date() != end.date():
        # A congress or course of several days: both days are said.
        return (
            f"{date_format(start, 'l j F Y')}, {_clock(start)} – "
            f"{date_format(end, 'l j F Y')}, {_clock(end)}"
        )
    return f"{date_format(start, 'l j F Y')}, {_clock(start)}–{_clock(end)}"


def session_message(
    session: Session,
    *,
    to: list[Recipient],
    subject: str,
    body: str,
    registration: Registration | None = None,
    cancel: bool = False,
) -> EmailMultiAlternatives:
    """Return a mail about ``session`` with its details below ``body``.

    With a confirmed ``registration`` (or ``cancel``, for one that was), the mail carries the
    member's calendar invitation (METHOD:REQUEST) or its cancellation (METHOD:CANCEL, also for
    a cancelled session); without one it carries no appointment: a waiting or pending member
    has none to add yet.
    """
    footer = "\n\n" + _("Sessie: %(title)s\nWanneer: %(when)s\nWaar: %(where)s\nMeer: %(url)s") % {
        "title": session.title,
        "when": when(session),
        "where": session.location or (_("online") if session.online else "—"),
        "url": session_url(session),
    }
    alternatives, attachments = [], []
    if registration is not None:
        cancel = cancel or session.status == Session.Status.CANCELLED
        content = invitation_ics(
            session,
            email=registration.member.email,
            name=registration.member.display_name,
            sequence=next_sequence(registration, session),
            cancel=cancel,
        )
        method = "CANCEL" if cancel else "REQUEST"
        # As calendar invitations are sent: the iTIP object as an alternative body part
        # (Outlook and Gmail act on it there) and as a file for every other client.
        alternatives.append((content.decode(), f"text/calendar; method={method}"))
        attachments.append(("sessie.ics", content, "application/ics"))
    message = build_message(
        subject=f"[Bouwplaats] {subject}",
        body=body + footer,
        to=to,
        alternatives=alternatives,
        attachments=attachments,
    )
    return message


def next_sequence(registration: Registration, session: Session) -> int:
    """Return (and record) the SEQUENCE of the next appointment mailed to this registrant.

    Higher than any sent to them before and at least the session's own: a change or
    cancellation of the session (which raises ``session.sequence``) and the member's own
    cancellation and return all move their calendar's copy.
    """
    sequence = max(registration.ical_sequence + 1, session.sequence)
    Registration.objects.filter(pk=registration.pk).update(ical_sequence=sequence)
    registration.ical_sequence = sequence
    return sequence


# Which registration mails carry which appointment: the invitation only once the member has
# a place; a mail about a registration that never had one carries none.
INVITING_KINDS = {"confirmed", "promoted", "approved"}
CANCELLING_KINDS = {"cancelled"}


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
                "plaats vrij, dan schuif je vanzelf door en krijg je bericht.\n\nDit is nog geen "
                "afspraak: de agenda-uitnodiging volgt zodra je een plaats hebt."
            ),
        ),
        "pending": (
            _("Je aanmelding wacht op beoordeling: %(title)s"),
            _(
                "Beste %(name)s,\n\nDe organisator beoordeelt je aanmelding aan de hand van de "
                "criteria. Je krijgt bericht zodra dat gebeurd is.\n\nDit is nog geen afspraak: "
                "de agenda-uitnodiging volgt zodra je aanmelding is goedgekeurd."
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
            _(
                "Beste %(name)s,\n\nDe organisator heeft je aanmelding goedgekeurd. De afspraak "
                "staat in de bijlage."
            ),
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


def registration_message(registration: Registration, kind: str) -> EmailMultiAlternatives:
    """Return the ``kind`` mail about the member's registration ("confirmed", "promoted", …).

    Only a place (confirmed, promoted, approved) comes with a calendar invitation, and the
    member's own cancellation with its CANCEL; waiting, pending and declined come without.
    """
    session, member = registration.session, registration.member
    values = {"title": session.title, "name": member.display_name, "reason": registration.reason}
    subject, body = registration_texts(kind, values)
    with_appointment = kind in INVITING_KINDS | CANCELLING_KINDS
    return session_message(
        session,
        to=[member.email],
        subject=subject,
        body=body,
        registration=registration if with_appointment else None,
        cancel=kind in CANCELLING_KINDS,
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


def _registrations(session: Session, statuses) -> list[Registration]:
    return list(
        Registration.objects.filter(session=session, status__in=statuses)
        .select_related("member")
        .order_by("created_at", "id")
    )


# A refusal that concerns one recipient: their address, or the server refusing it for good.
_ONE_RECIPIENT = (AddressError, smtplib.SMTPRecipientsRefused)


def _send_one_by_one(session: Session, messages) -> None:
    """Send each ``(recipient, build)`` pair's message; one bad recipient never stops the rest.

    ``build`` returns the message (it may raise AddressError); a refusal that concerns that
    recipient alone is logged and the next one is sent. Other errors (the server is down)
    propagate, and the task is retried as a whole.
    """
    with get_connection() as connection:
        for recipient, build in messages:
            try:
                connection.send_messages([build()])
            except _ONE_RECIPIENT as error:
                logger.warning(
                    "Mail about session %s not sent to %s: %s", session.pk, recipient, error
                )


def _send_each(session, registrations, subject, body, *, cancel=False) -> None:
    # One message per person: participants never see each other's addresses. Only a
    # confirmed participant's mail carries (the update or cancellation of) their appointment.
    def build(registration):
        return lambda: session_message(
            session,
            to=[registration.member.email],
            subject=subject,
            body=body,
            registration=registration
            if registration.status == Registration.Status.CONFIRMED
            else None,
            cancel=cancel,
        )

    _send_one_by_one(session, [(r.pk, build(r)) for r in registrations])


def send_change_mail(session_id: int, change_ids: list[int]) -> None:
    """Mail confirmed and waiting participants one message listing the changes ``change_ids``."""
    session = Session.objects.get(pk=session_id)
    changes = SessionChange.objects.filter(pk__in=change_ids).order_by("id")
    recipients = _registrations(
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
            "Beste deelnemer,\n\nDeze sessie gaat niet door. Had u een plaats, dan "
            "verdwijnt de afspraak met de bijlage uit uw agenda."
        )
        if session.cancellation_reason:
            body += "\n\n" + _("Reden: %(reason)s") % {"reason": session.cancellation_reason}
        _send_each(session, _registrations(session, ACTIVE_STATUSES), subject, body, cancel=True)


def send_participants_message(session_id: int, subject: str, body: str) -> None:
    """Mail the organiser's message to every confirmed participant (no appointment)."""
    session = Session.objects.get(pk=session_id)
    registrations = _registrations(session, [Registration.Status.CONFIRMED])

    def build(member):
        return lambda: session_message(session, to=[member.email], subject=subject, body=body)

    with translation.override(settings.LANGUAGE_CODE):
        _send_one_by_one(session, [(r.pk, build(r.member)) for r in registrations])


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


def send_cohost_invitation(invitation_id: int) -> None:
    """Mail the invitation to organise a session along, with its link, to the invited address.

    The same mail goes to every address, of a member or not: whoever has no account yet
    can make one with this address and then accept.
    """
    invitation = (
        CoHostInvitation.objects.select_related("session", "created_by")
        .filter(pk=invitation_id, status=CoHostInvitation.Status.PENDING)
        .first()
    )
    if invitation is None:
        return
    session = invitation.session
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Uitnodiging: organiseer mee aan %(title)s") % {"title": session.title}
        body = _(
            "Beste,\n\n%(inviter)s nodigt je uit om de sessie „%(title)s” mee te organiseren "
            "op Bouwplaats.\n\nAanvaarden of afslaan: %(link)s\n\nDe uitnodiging is geldig tot "
            "%(until)s. Aanvaarden kan met een account op dit e-mailadres (%(email)s); heb je er "
            "nog geen, dan kun je er een aanmaken. Verwacht je deze uitnodiging niet, dan kun "
            "je haar afslaan of negeren."
        ) % {
            "inviter": invitation.created_by.display_name
            if invitation.created_by
            else _("Een organisator"),
            "title": session.title,
            "link": settings.SITE_URL + invitation.get_absolute_url(),
            "until": date_format(timezone.localtime(invitation.expires_at, AMSTERDAM), "j F Y"),
            "email": invitation.email,
        }
        session_message(session, to=[invitation.email], subject=subject, body=body).send()
