"""The mails about sessions: texts, recipients and the .ics attachment, and their sending.

The tasks in tasks.py call these with primary keys and read fresh rows here.
"""

import datetime
import logging
import smtplib

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bouwplaats.core.mail import AddressError, Recipient, build_message, sender_as

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
    reply_to: list[Recipient] | None = None,
    from_name: str = "",
) -> EmailMultiAlternatives:
    """Return a mail about ``session`` with its details below ``body``.

    ``from_name`` names the sender (the platform's address under a person's or programme's
    name); ``reply_to`` is where answers go (a person, never noreply@).

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
        from_email=sender_as(from_name) if from_name else None,
        reply_to=reply_to or (),
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
# The mails about a registration that still stands say how to cancel it.
CANCELLABLE_KINDS = {"confirmed", "waitlisted", "pending", "promoted", "approved"}


def registration_texts(kind: str, values: dict) -> tuple[str, str]:
    """Return the subject and body of a registration mail, in the active language."""
    texts = {
        "confirmed": (
            _("U bent aangemeld: %(title)s"),
            _(
                "Beste %(name)s,\n\nU bent aangemeld voor deze %(type)s. De afspraak staat in de "
                "bijlage."
            ),
        ),
        "waitlisted": (
            _("U staat op de wachtlijst: %(title)s"),
            _(
                "Beste %(name)s,\n\nDe sessie is vol; u staat op de wachtlijst. Komt er een "
                "plaats vrij, dan schuift u vanzelf door en krijgt u bericht.\n\nDit is nog geen "
                "afspraak: de agenda-uitnodiging volgt zodra u een plaats heeft."
            ),
        ),
        "pending": (
            _("Uw aanmelding wacht op beoordeling: %(title)s"),
            _(
                "Beste %(name)s,\n\nDe organisator beoordeelt uw aanmelding aan de hand van de "
                "criteria. U krijgt bericht zodra dat gebeurd is.\n\nDit is nog geen afspraak: "
                "de agenda-uitnodiging volgt zodra uw aanmelding is goedgekeurd."
            ),
        ),
        "promoted": (
            _("Er is een plaats vrijgekomen: %(title)s"),
            _(
                "Beste %(name)s,\n\nEr is een plaats vrijgekomen: u bent nu aangemeld voor deze "
                "%(type)s. De afspraak staat in de bijlage."
            ),
        ),
        "approved": (
            _("Uw aanmelding is goedgekeurd: %(title)s"),
            _(
                "Beste %(name)s,\n\nDe organisator heeft uw aanmelding goedgekeurd. De afspraak "
                "staat in de bijlage."
            ),
        ),
        "declined": (
            _("Uw aanmelding is afgewezen: %(title)s"),
            _(
                "Beste %(name)s,\n\nDe organisator heeft uw aanmelding afgewezen.\n\n"
                "Reden: %(reason)s"
            ),
        ),
        "cancelled": (
            _("U bent afgemeld: %(title)s"),
            _(
                "Beste %(name)s,\n\nU bent afgemeld voor deze %(type)s. Met de bijlage verdwijnt "
                "de afspraak uit uw agenda."
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
    values = {
        "title": session.title,
        "name": member.display_name,
        "reason": registration.reason,
        "type": session.get_type_display().lower(),
    }
    subject, body = registration_texts(kind, values)
    if kind in CANCELLABLE_KINDS:
        # The way out in the mail itself: the cancel page asks to confirm before it acts.
        cancel_url = settings.SITE_URL + reverse("events:unregister", kwargs={"pk": session.pk})
        body += "\n\n" + _("Kunt u toch niet? Meld u dan af via deze link: %(url)s") % {
            "url": cancel_url
        }
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


CHANGE_STATUSES = [Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]
"""Who is mailed a change of the session: confirmed and waiting participants."""

MESSAGE_STATUSES = [Registration.Status.CONFIRMED]
"""Who gets the organiser's message: confirmed participants."""


def _registrations(session: Session, statuses, only: int | None = None) -> list[Registration]:
    registrations = Registration.objects.filter(session=session, status__in=statuses)
    if only is not None:
        registrations = registrations.filter(pk=only)
    return list(registrations.select_related("member").order_by("created_at", "id"))


def recipient_ids(session_id: int, statuses) -> list[int]:
    """Return the ids of the session's registrations in ``statuses``, oldest first.

    The fan-out of a mail to the participants (core.background.owe_each): one send per id,
    each of which checks again that its registration is still in ``statuses``.
    """
    return list(
        Registration.objects.filter(session_id=session_id, status__in=statuses)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
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


def send_change_mail(session_id: int, change_ids: list[int], only: int | None = None) -> None:
    """Mail confirmed and waiting participants one message listing the changes ``change_ids``.

    ``only``: a registration id; mail that participant alone (if still confirmed or waiting).
    """
    session = Session.objects.get(pk=session_id)
    changes = SessionChange.objects.filter(pk__in=change_ids).order_by("id")
    recipients = _registrations(session, CHANGE_STATUSES, only)
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            f"- {field_labels().get(c.field, c.field)}: {c.old_shown or '—'} → {c.new_shown or '—'}"
            for c in changes
        ]
        body = _("Beste deelnemer,\n\nDe sessie is gewijzigd:\n\n%(changes)s") % {
            "changes": "\n".join(lines)
        }
        subject = _("Gewijzigd: %(title)s") % {"title": session.title}
        _send_each(session, recipients, subject, body)


def send_cancellation_mail(session_id: int, only: int | None = None) -> None:
    """Mail everyone registered that the session is cancelled, with METHOD:CANCEL.

    ``only``: a registration id; mail that registrant alone (if still registered).
    """
    session = Session.objects.get(pk=session_id)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Geannuleerd: %(title)s") % {"title": session.title}
        body = _(
            "Beste deelnemer,\n\nDeze %(type)s gaat niet door. Had u een plaats, dan "
            "verdwijnt de afspraak met de bijlage uit uw agenda."
        ) % {"type": session.get_type_display().lower()}
        if session.cancellation_reason:
            body += "\n\n" + _("Reden: %(reason)s") % {"reason": session.cancellation_reason}
        registrations = _registrations(session, ACTIVE_STATUSES, only)
        _send_each(session, registrations, subject, body, cancel=True)


def send_participants_message(
    session_id: int,
    subject: str,
    body: str,
    author_id: int | None = None,
    only: int | None = None,
) -> None:
    """Mail the organiser's message to every confirmed participant (no appointment).

    From: "<author> via <programme>" at the platform's address; Reply-To: the author, so
    that a participant's answer reaches the person who wrote (never noreply@). ``only``: a
    registration id; mail that participant alone (if still confirmed).
    """
    from django.contrib.auth import get_user_model

    session = Session.objects.select_related("programme", "host").get(pk=session_id)
    registrations = _registrations(session, MESSAGE_STATUSES, only)
    author = get_user_model().objects.filter(pk=author_id).first() if author_id else None
    author = author or session.host
    with translation.override(settings.LANGUAGE_CODE):
        from_name = _("%(name)s via %(programme)s") % {
            "name": author.display_name,
            "programme": session.programme.name,
        }

    def build(member):
        return lambda: session_message(
            session,
            to=[(member.email, member.display_name)],
            subject=subject,
            body=body,
            from_name=from_name,
            reply_to=[(author.email, author.display_name)],
        )

    with translation.override(settings.LANGUAGE_CODE):
        _send_one_by_one(session, [(r.pk, build(r.member)) for r in registrations])


def send_sent_back_mail(session_id: int) -> None:
    """Tell the host that the programme team sent the session back, with the comment."""
    session = Session.objects.select_related("host").get(pk=session_id)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Uw sessie is teruggestuurd: %(title)s") % {"title": session.title}
        body = _(
            "Beste %(name)s,\n\nHet programmateam heeft uw sessie teruggestuurd.\n\n"
            "Toelichting: %(note)s"
        ) % {
            "name": session.host.display_name,
            "note": session.facilitation_note,
        }
        session_message(
            session,
            to=[session.host.email],
            subject=subject,
            body=body,
            reply_to=team_reply_to(session),
        ).send()


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
    # One made before the token's digest (migration 0011) was mailed when it was made.
    if invitation is None or not invitation.token_seed:
        return
    session = invitation.session
    # Only the invitee reads this mail, so their name may be used; an address that no account
    # has verified gets no name (its owner may not be who typed it into a profile).
    owner = (
        EmailAddress.objects.filter(
            email__iexact=invitation.email, verified=True, user__is_active=True
        )
        .select_related("user")
        .first()
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Uitnodiging: organiseer mee aan %(title)s") % {"title": session.title}
        greeting = (
            _("Beste %(name)s,") % {"name": owner.user.full_name}
            if owner and owner.user.full_name and not owner.user.is_removed
            else _("Beste collega,")
        )
        body = _(
            "%(greeting)s\n\n%(inviter)s nodigt u uit om de sessie „%(title)s” mee te organiseren "
            "op Bouwplaats.\n\nAanvaarden of afslaan: %(link)s\n\nDe uitnodiging is geldig tot "
            "%(until)s. Aanvaarden kan met een account op dit e-mailadres (%(email)s); heeft u er "
            "nog geen, dan kunt u er een aanmaken. Verwacht u deze uitnodiging niet, dan kunt "
            "u haar afslaan of negeren."
        ) % {
            "greeting": greeting,
            "inviter": invitation.created_by.display_name
            if invitation.created_by
            else _("Een organisator"),
            "title": session.title,
            "link": settings.SITE_URL + invitation.get_absolute_url(),
            "until": date_format(timezone.localtime(invitation.expires_at, AMSTERDAM)),
            "email": invitation.email,
        }
        session_message(session, to=[invitation.email], subject=subject, body=body).send()


# Mails to the people who must act: hosts (approvals, cancellations), the programme team
# (facilitation requests, sessions organised by members) and organisers (published, sent
# back, facilitation answered).


def manage_url(session: Session) -> str:
    """Return the absolute address of the session's manage page."""
    return settings.SITE_URL + reverse("events:manage", kwargs={"pk": session.pk})


def _member_line(member) -> str:
    parts = [member.display_name]
    if member.function:
        parts.append(member.function)
    if member.organisation_id:
        parts.append(member.organisation.name)
    return ", ".join(parts)


def hosts_wanting(session: Session, notices: str) -> list:
    """Return the session's host and co-hosts who chose ``notices`` ("mail" or "digest")."""
    hosts = [session.host, *session.co_hosts.all()]
    return [h for h in hosts if h.is_active and not h.is_removed and h.host_notices == notices]


# The registration mails (outbox kinds) that the hosts hear of too.
HOST_NOTICE_KINDS = {"pending", "cancelled"}


def host_notice_texts(kind: str, registration: Registration) -> tuple[str, str]:
    """Return the subject and body of the mail telling a host about one registration."""
    session = registration.session
    values = {
        "title": session.title,
        "member": _member_line(registration.member),
        "url": manage_url(session),
    }
    if kind == "pending":
        subject = _("Aanmelding wacht op uw beoordeling: %(title)s")
        body = _(
            "Goedendag,\n\n%(member)s heeft zich aangemeld en wacht op uw beoordeling.\n\n"
            "Beoordeel de aanmelding op: %(url)s"
        )
    else:
        subject = _("Afmelding: %(title)s")
        body = _(
            "Goedendag,\n\n%(member)s heeft zich afgemeld. Stond er iemand op de wachtlijst, "
            "dan is die doorgeschoven.\n\nBekijk de aanmeldingen op: %(url)s"
        )
    return subject % values, body % values


def host_notice_messages(registration: Registration, kind: str) -> list[EmailMultiAlternatives]:
    """Return a mail per host who wants one about this ``kind`` of registration mail.

    Hosts who chose the daily overview get none here (send_host_digests tells them), and
    neither does the host who made the change (they cancelled someone's registration).
    """
    if kind not in HOST_NOTICE_KINDS:
        return []
    session = registration.session
    subject, body = host_notice_texts(kind, registration)
    messages = []
    for host in hosts_wanting(session, "mail"):
        if host.pk in (registration.member_id, registration.changed_by_id):
            continue
        try:
            messages.append(
                session_message(
                    session, to=[(host.email, host.display_name)], subject=subject, body=body
                )  # fmt: skip
            )
        except AddressError as error:
            logger.warning("Host notice for session %s not built: %s", session.pk, error)
    return messages


def digest_for(host, *, since, now) -> str:
    """Return the text of ``host``'s daily overview, or "" when nothing waits for them.

    Lists the registrations that await their approval now and the cancellations since
    ``since`` (None: the last day), per session they organise and that is not over; not the
    cancellations they made themselves.
    """
    from .permissions import sessions_hosted_by

    since = since or now - datetime.timedelta(days=1)
    sessions = sessions_hosted_by(host, Session.objects.filter(end__gt=now)).order_by("start")
    sections = []
    for session in sessions.select_related("programme"):
        pending = session.registrations.filter(status=Registration.Status.PENDING)
        cancelled = session.registrations.filter(
            status=Registration.Status.CANCELLED, updated_at__gt=since
        ).exclude(changed_by=host)
        lines = [
            "- " + _("wacht op uw beoordeling: %(member)s") % {"member": _member_line(r.member)}
            for r in pending.select_related("member", "member__organisation")
        ] + [
            "- " + _("afgemeld: %(member)s") % {"member": _member_line(r.member)}
            for r in cancelled.select_related("member", "member__organisation")
        ]
        if lines:
            sections.append(
                f"{session.title} ({when(session)})\n"
                + "\n".join(lines)
                + f"\n{manage_url(session)}"
            )
    return "\n\n".join(sections)


def send_host_digests(*, now=None) -> int:
    """Send each host who chose the daily overview theirs; return how many were sent.

    A host with nothing waiting gets no mail. Each host's ``host_digest_sent_at`` is moved on
    only once their mail was accepted.
    """
    from django.contrib.auth import get_user_model

    now = now or timezone.now()
    sent = 0
    hosts = get_user_model().objects.filter(host_notices="digest", is_active=True, is_removed=False)
    with translation.override(settings.LANGUAGE_CODE):
        for host in hosts:
            text = digest_for(host, since=host.host_digest_sent_at, now=now)
            if not text:
                continue
            body = _("Goedendag %(name)s,\n\nDit wacht op u bij uw sessies:\n\n%(text)s") % {
                "name": host.display_name,
                "text": text,
            }
            try:
                build_message(
                    subject="[Bouwplaats] " + _("Dagoverzicht van uw sessies"),
                    body=body,
                    to=[(host.email, host.display_name)],
                ).send()
            except _ONE_RECIPIENT as error:
                logger.warning("Digest not sent to host %s: %s", host.pk, error)
                continue
            type(host).objects.filter(pk=host.pk).update(host_digest_sent_at=now)
            sent += 1
    return sent


def team_addresses(session: Session) -> list[tuple[str, str]]:
    """Return the programme team of the session's programme as (email, name) pairs."""
    from bouwplaats.programmes.models import ProgrammeMembership

    memberships = ProgrammeMembership.objects.filter(
        programme_id=session.programme_id, user__is_active=True
    ).select_related("user")
    people = {m.user.pk: m.user for m in memberships}
    return [(u.email, u.display_name) for u in people.values()]


def send_team_notice(session_id: int, kind: str) -> None:
    """Tell the programme team that a member organised a session or asks for facilitation.

    ``kind``: ``"organised"`` or ``"facilitation"``.
    """
    session = Session.objects.select_related("host", "programme").get(pk=session_id)
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "title": session.title,
            "type": session.get_type_display().lower(),
            "host": _member_line(session.host),
            "note": session.facilitation_note or "—",
            "queue": settings.SITE_URL + reverse("events:queue"),
            "url": manage_url(session),
        }
        if kind == "facilitation" and not session.facilitation_wanted:
            subject = _("Publicatie gevraagd: %(title)s") % values
            body = (
                _(
                    "Goedendag,\n\n%(host)s vraagt het programmateam om de %(type)s „%(title)s” "
                    "te publiceren, zonder facilitering.\n\nToelichting: %(note)s\n\nPubliceer "
                    "haar of stuur haar terug: %(queue)s"
                )
                % values
            )
        elif kind == "facilitation":
            subject = _("Facilitering gevraagd: %(title)s") % values
            body = (
                _(
                    "Goedendag,\n\n%(host)s vraagt het programmateam om de %(type)s „%(title)s” te "
                    "faciliteren.\n\nVraag: %(note)s\n\nWijs een facilitator toe en geef antwoord, "
                    "of publiceer zonder facilitering: %(queue)s"
                )
                % values
            )
        else:
            subject = _("Nieuwe sessie op eigen initiatief: %(title)s") % values
            body = (
                _(
                    "Goedendag,\n\n%(host)s organiseert op eigen initiatief de %(type)s "
                    "„%(title)s”. De sessie is nog een concept.\n\nBekijk haar op: %(url)s"
                )
                % values
            )
        _send_one_by_one(
            session,
            [
                (
                    email,
                    lambda e=email, n=name: session_message(
                        session, to=[(e, n)], subject=subject, body=body
                    ),
                )  # fmt: skip
                for email, name in team_addresses(session)
            ],
        )


def send_organiser_notice(session_id: int, kind: str) -> None:
    """Tell the session's host that it was published or that the team answered.

    ``kind``: ``"published"`` or ``"facilitation_accepted"``.
    """
    session = Session.objects.select_related("host", "programme", "facilitator").get(pk=session_id)
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "name": session.host.display_name,
            "title": session.title,
            "type": session.get_type_display().lower(),
            "facilitator": session.facilitator.display_name if session.facilitator else "—",
            "answer": session.facilitation_answer or "—",
        }
        if kind == "published":
            subject = _("Gepubliceerd: %(title)s") % values
            body = (
                _(
                    "Beste %(name)s,\n\nHet programmateam heeft uw %(type)s „%(title)s” "
                    "gepubliceerd. Leden kunnen zich nu aanmelden."
                )
                % values
            )
        else:
            subject = _("Facilitering toegezegd: %(title)s") % values
            body = (
                _(
                    "Beste %(name)s,\n\nHet programmateam faciliteert uw %(type)s „%(title)s”.\n\n"
                    "Facilitator: %(facilitator)s\nAntwoord: %(answer)s"
                )
                % values
            )
        session_message(
            session, to=[(session.host.email, session.host.display_name)], subject=subject,
            body=body, reply_to=team_reply_to(session),
        ).send()  # fmt: skip


def team_reply_to(session: Session) -> list[tuple[str, str]]:
    """Return the programme team as Reply-To: answers reach people, never noreply@."""
    return team_addresses(session)
