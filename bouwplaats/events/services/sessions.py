"""Writes on sessions: create, change (recorded and mailed), publish, cancel, facilitation.

Every write validates with the models' own rules (``validate_instance``: field validators
and ``Session.clean()``) and raises InvalidInput (422) naming the field; every function is
one transaction, so a refusal stores nothing.
"""

import datetime
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bouwplaats.core.audit import log_action
from bouwplaats.core.errors import DomainError, InvalidInput, NotAllowed
from bouwplaats.core.page_cache import bump_visitor_pages
from bouwplaats.core.validation import validate_instance, validate_single_line, validate_text
from bouwplaats.programmes.models import Programme, Theme
from bouwplaats.programmes.permissions import is_team_member

from .. import tasks
from ..models import (
    CoHostInvitation,
    Highlight,
    Registration,
    Session,
    SessionChange,
    SessionPart,
    part_heading,
)
from ..permissions import (
    can_answer_cohost_invitation,
    can_create_session,
    can_invite_cohosts,
    can_manage_session,
    can_message_participants,
    can_publish_session,
    can_request_facilitation,
)
from .common import _after_commit, _locked, _show
from .registrations import _promote_waiting, _send_due_mails

# Fields whose change on a published session is recorded and mailed; "parts" is the programme.
TRACKED_FIELDS = ("start", "end", "location", "online", "parts")


EDITABLE_FIELDS = (
    "type",
    "title",
    "intro",
    "goal",
    "audience",
    "criteria",
    "start",
    "end",
    "location",
    "online",
    "online_url",
    "capacity",
    "registration_deadline",
    "requires_approval",
    "questions",
    "participant_visibility",
)


def _parts_text(parts: list[dict[str, str]]) -> str:
    lines = []
    for number, part in enumerate(parts, start=1):
        time = f" ({part['time']})" if part.get("time") else ""
        lines.append(part_heading(number, part["title"]) + time)
    return "\n".join(lines)


def _clean_list(values) -> list[str]:
    if isinstance(values, str):
        values = values.splitlines()
    return [str(v).strip() for v in values or [] if str(v).strip()]


def clean_parts(parts) -> list[dict[str, str]]:
    """Return the parts stripped and checked with SessionPart's rules.

    Raises InvalidInput naming "parts" with one message per refused part and field (all of
    them, not only the first), e.g. "Onderdeel 2, tijd: …" for a time such as "25:99".
    """
    parts = list(parts or [])
    if len(parts) > SessionPart.MAX_PER_SESSION:
        raise InvalidInput(
            {"parts": [_("Geef hooguit %(max)s programmaonderdelen.")
                       % {"max": SessionPart.MAX_PER_SESSION}]}
        )  # fmt: skip
    cleaned, refused = [], []
    for number, part in enumerate(parts, start=1):
        title = str(part.get("title", "")).strip()
        if not title:
            refused.append(_("Onderdeel %(n)s: elk programmaonderdeel heeft een titel nodig.")
                           % {"n": number})  # fmt: skip
            continue
        fields = {
            "title": title,
            "time": str(part.get("time") or "").strip(),
            "text": str(part.get("text") or "").strip(),
        }
        try:
            validate_instance(SessionPart(**fields), exclude=["session"])
        except InvalidInput as error:
            for name, messages in error.errors.items():
                label = SessionPart._meta.get_field(name).verbose_name
                refused.extend(
                    _("Onderdeel %(n)s, %(field)s: %(message)s")
                    % {"n": number, "field": label, "message": message}
                    for message in messages
                )
        cleaned.append(fields)
    if refused:
        raise InvalidInput({"parts": refused})
    return cleaned


def _collect(errors: dict[str, list[str]], check, *args):
    """Return ``check(*args)``, or None with its InvalidInput's messages added to ``errors``.

    Lets a service report every refused field in one InvalidInput instead of the first.
    """
    try:
        return check(*args)
    except InvalidInput as error:
        for name, messages in error.errors.items():
            errors.setdefault(name, []).extend(m for m in messages if m not in errors.get(name, []))
        return None


def _check_addresses(emails) -> None:
    """Refuse malformed co-host addresses or too many (InvalidInput naming cohost_emails)."""
    addresses = list(dict.fromkeys(_normal_email(e) for e in emails or [] if str(e).strip()))
    if len(addresses) > COHOST_INVITES_MAX:
        raise InvalidInput(
            {"cohost_emails": [_("Nodig hooguit %(max)s adressen tegelijk uit.")
                               % {"max": COHOST_INVITES_MAX}]}
        )  # fmt: skip
    field = CoHostInvitation._meta.get_field("email")
    refused = []
    for email in addresses:
        try:
            field.clean(email, None)
        except ValidationError as exc:
            refused.extend(f"{email}: {m}" for m in exc.messages)
    if refused:
        raise InvalidInput({"cohost_emails": refused})


def _check_highlights(highlights) -> list[Highlight]:
    checked = []
    for position, fields in enumerate(highlights or []):
        highlight = Highlight(position=position, **fields)
        try:
            validate_instance(highlight, exclude=["session"])
        except InvalidInput as error:
            raise InvalidInput({"highlights": [error.message]}) from error
        checked.append(highlight)
    return checked


def _check_field(session: Session, name: str, value: Any) -> Any:
    """Return ``value`` cleaned by the field ``name``'s rules (InvalidInput naming it)."""
    try:
        return Session._meta.get_field(name).clean(value, session)
    except ValidationError as exc:
        raise InvalidInput({name: exc.messages}) from exc


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("Onbekende velden: %(f)s") % {"f": ", ".join(sorted(unknown))})
    # full_clean() skips an empty value of a blank=True field, so None would reach the column.
    empty = [n for n, v in fields.items() if v is None and not Session._meta.get_field(n).null]
    if empty:
        message = Session._meta.get_field(empty[0]).error_messages["null"]
        raise InvalidInput({name: [message] for name in empty})
    for name in ("criteria", "questions"):
        if name in fields:
            fields[name] = _clean_list(fields[name])


def _set_parts(session: Session, parts: list[dict[str, str]]) -> None:
    session.parts.all().delete()
    SessionPart.objects.bulk_create(
        SessionPart(session=session, position=i, **part) for i, part in enumerate(parts)
    )


def _parts_of(session: Session) -> list[dict[str, str]]:
    return [
        {"title": p.title, "time": p.time, "text": p.text}
        for p in session.parts.order_by("position", "id")
    ]


@transaction.atomic
def session_create(
    *,
    actor,
    programme: Programme,
    publish: bool = False,
    parts: list[dict[str, str]] | None = None,
    highlights: list[dict[str, str]] | None = None,
    themes: list[Theme] | None = None,
    cohost_emails: list[str] | None = None,
    host=None,
    **fields: Any,
) -> Session:
    """Create a session as a draft with the actor as host; the programme team may publish it.

    ``fields`` are EDITABLE_FIELDS; ``parts`` and ``highlights`` are lists of dicts with
    SessionPart's and Highlight's fields; ``cohost_emails`` are invited as co-hosts (see
    cohost_invite). Raises NotAllowed (401 for a visitor, 403 for publishing outside the
    programme team) and InvalidInput (422) naming the refused field.
    """
    if not can_create_session(actor):
        raise NotAllowed(_("Log in om een sessie te organiseren."), status_code=401)
    _check_fields(fields)
    session = Session(programme=programme, host=host or actor, created_by=actor, **fields)
    if publish:
        if not can_publish_session(actor, session):
            raise NotAllowed(_("Alleen het programmateam kan een sessie publiceren."))
        session.status = Session.Status.PUBLISHED
    # Every refused field at once, so that a page shows them all on the first submit.
    errors: dict[str, list[str]] = {}
    _collect(errors, validate_instance, session)
    new_parts = _collect(errors, clean_parts, parts)
    new_highlights = _collect(errors, _check_highlights, highlights)
    _collect(errors, _check_addresses, cohost_emails)
    if errors:
        raise InvalidInput(errors)
    session.save()
    if themes:
        session.themes.set(themes)
    _set_parts(session, new_parts)
    for highlight in new_highlights:
        highlight.session = session
    Highlight.objects.bulk_create(new_highlights)
    log_action("events.session.created", actor=actor, obj=session, data={"status": session.status})
    if not can_publish_session(actor, session):
        # A member organises on their own initiative: the programme team hears of it.
        _after_commit(tasks.send_team_notice, session.pk, "organised")
    if cohost_emails:
        _invite(session, actor, cohost_emails)
    return session


@transaction.atomic
def session_update(
    *,
    session: Session,
    actor,
    status: str | None = None,
    parts: list[dict[str, str]] | None = None,
    themes: list[Theme] | None = None,
    cohost_emails: list[str] | None = None,
    cancellation_reason: str = "",
    **fields: Any,
) -> Session:
    """Change a session and, with ``status``, publish or cancel it: all or nothing.

    ``cohost_emails`` are invited as co-hosts (see cohost_invite); nobody becomes co-host here.
    Cancelling a published session needs ``cancellation_reason`` (see session_cancel).

    On a published session each changed date, time, place or part is recorded and mailed.
    ``status`` (``"published"`` or ``"cancelled"``; the current status is no change) is
    checked before anything is written: publishing needs the programme team. Raises
    NotAllowed (403), DomainError (409 for a status the session cannot go to) and
    InvalidInput (422) naming the refused field.
    """
    bump_visitor_pages("events")
    session = _locked(session)
    if not can_manage_session(actor, session):
        raise NotAllowed(_("Alleen de organisatoren en het programmateam kunnen dit wijzigen."))
    if status == session.status:
        status = None
    if status is not None:
        _check_transition(session, actor, status)
    _check_fields(fields)
    before = {name: getattr(session, name) for name in TRACKED_FIELDS if name != "parts"}
    old_capacity = session.capacity
    for name, value in fields.items():
        setattr(session, name, value)
    # Every refused field at once, so that a page shows them all on the first submit.
    errors: dict[str, list[str]] = {}
    _collect(errors, validate_instance, session)
    new_parts = _collect(errors, clean_parts, parts) if parts is not None else None
    _collect(errors, _check_addresses, cohost_emails)
    if errors:
        raise InvalidInput(errors)
    if status == Session.Status.CANCELLED:
        try:
            reason = _cancellation_reason(session, cancellation_reason)
        except InvalidInput as error:
            raise InvalidInput({"cancellation_reason": error.errors["reason"]}) from error

    records: list[tuple[str, str, str]] = []
    for name, old in before.items():
        new = getattr(session, name)
        if old != new:
            records.append((name, _show(old), _show(new)))
    if new_parts is not None:
        old_parts = _parts_of(session)
        if new_parts != old_parts:
            records.append(("parts", _parts_text(old_parts), _parts_text(new_parts)))
            _set_parts(session, new_parts)

    recorded = session.status == Session.Status.PUBLISHED and records
    if recorded:
        session.sequence += 1
    session.save()
    if themes is not None:
        session.themes.set(themes)
    if cohost_emails:
        _invite(session, actor, cohost_emails)

    if recorded:
        changes = SessionChange.objects.bulk_create(
            SessionChange(session=session, field=f, old=o, new=n, changed_by=actor)
            for f, o, n in records
        )
        _after_commit(tasks.send_change_mail, session.pk, [c.pk for c in changes])
    raised = session.capacity is None or (
        old_capacity is not None and session.capacity > old_capacity
    )
    if raised and _promote_waiting(session, actor=actor):
        _send_due_mails(session)
    log_action(
        "events.session.updated",
        actor=actor,
        obj=session,
        data={"fields": sorted(fields), "changes": [r[0] for r in records] if recorded else []},
    )
    if status == Session.Status.PUBLISHED:
        _publish(session, actor)
    elif status == Session.Status.CANCELLED:
        _cancel(session, actor, reason)
    return session


def _check_transition(session: Session, actor, status: str) -> None:
    """Refuse a status change ``actor`` may not make or ``session`` cannot take."""
    if status == Session.Status.PUBLISHED:
        if not can_publish_session(actor, session):
            raise NotAllowed(_("Alleen het programmateam kan een sessie publiceren."))
        if session.status != Session.Status.DRAFT:
            raise DomainError(
                _("Alleen een concept kan gepubliceerd worden."), code="status", status_code=409
            )
    elif status == Session.Status.CANCELLED:
        if not can_manage_session(actor, session):
            raise NotAllowed(
                _("Alleen de organisatoren en het programmateam kunnen dit annuleren.")
            )
        if session.status == Session.Status.CANCELLED:
            raise DomainError(_("Deze sessie is al geannuleerd."), code="status", status_code=409)
    elif status == Session.Status.DRAFT:
        raise DomainError(
            _("Een sessie kan niet terug naar concept."), code="status", status_code=409
        )
    else:
        raise InvalidInput({"status": [_("Kies een bestaande status.")]})


def _publish(session: Session, actor) -> None:
    bump_visitor_pages("events")
    validate_instance(session)
    session.status = Session.Status.PUBLISHED
    if session.facilitation == Session.Facilitation.REQUESTED:
        # Published without the team taking the request on (session_facilitation_accept).
        session.facilitation = Session.Facilitation.WITHOUT
    session.save(update_fields=["status", "facilitation", "updated_at"])
    log_action("events.session.published", actor=actor, obj=session)
    if session.host_id != getattr(actor, "pk", None):
        _after_commit(tasks.send_organiser_notice, session.pk, "published")


def _cancellation_reason(session: Session, reason: str) -> str:
    """Return ``reason`` checked by the model's rules; a published session needs one.

    Raises InvalidInput naming ``reason``: the participants are told why, so a published
    session is not cancelled without it (a draft told nobody and needs none).
    """
    reason = str(reason or "").strip()
    if not reason and session.status == Session.Status.PUBLISHED:
        raise InvalidInput(
            {"reason": [_("Geef een reden: de deelnemers krijgen die in hun bericht.")]}
        )
    try:
        return _check_field(session, "cancellation_reason", reason)
    except InvalidInput as error:
        raise InvalidInput({"reason": error.errors["cancellation_reason"]}) from error


def _cancel(session: Session, actor, reason: str) -> None:
    bump_visitor_pages("events")
    was_published = session.status == Session.Status.PUBLISHED
    session.status = Session.Status.CANCELLED
    session.cancellation_reason = reason
    session.sequence += 1
    session.save(update_fields=["status", "cancellation_reason", "sequence", "updated_at"])
    if was_published:
        _after_commit(tasks.send_cancellation_mail, session.pk)
    log_action("events.session.cancelled", actor=actor, obj=session, data={"reason": reason})


@transaction.atomic
def session_publish(*, session: Session, actor) -> Session:
    """Publish a draft session (programme team); it must pass the model's rules."""
    session = _locked(session)
    _check_transition(session, actor, Session.Status.PUBLISHED)
    _publish(session, actor)
    return session


@transaction.atomic
def session_cancel(*, session: Session, actor, reason: str = "") -> Session:
    """Cancel a session and tell everyone registered why (METHOD:CANCEL).

    ``reason`` (at most 2,000 characters, no control characters) is stored, mailed to
    everyone registered and shown on the session's page; a published session needs one.
    Raises NotAllowed (403), DomainError (409, already cancelled) and InvalidInput (422)
    naming ``reason``.
    """
    session = _locked(session)
    _check_transition(session, actor, Session.Status.CANCELLED)
    _cancel(session, actor, _cancellation_reason(session, reason))
    return session


@transaction.atomic
def session_request_facilitation(
    *, session: Session, actor, note: str = "", facilitation: bool = True
) -> Session:
    """Ask the programme team to publish the host's draft session, with ``facilitation`` also
    to facilitate it. The team publishes (permissions.can_publish_session): a member's session
    goes out through this request. Raises NotAllowed (not the host), DomainError (not a draft).
    """
    session = _locked(session)
    if not can_request_facilitation(actor, session):
        raise NotAllowed(_("Alleen de organisator kan facilitering aanvragen."))
    if session.status != Session.Status.DRAFT:
        raise DomainError(_("Facilitering vraagt u aan voor een concept."), status_code=409)
    session.facilitation = Session.Facilitation.REQUESTED
    session.facilitation_wanted = facilitation
    session.facilitation_note = _check_field(session, "facilitation_note", note.strip())
    session.save(
        update_fields=["facilitation", "facilitation_wanted", "facilitation_note", "updated_at"]
    )
    action = (
        "events.session.facilitation_requested"
        if facilitation
        else "events.session.publication_requested"
    )
    log_action(action, actor=actor, obj=session)
    _after_commit(tasks.send_team_notice, session.pk, "facilitation")
    return session


@transaction.atomic
def session_send_back(*, session: Session, actor, comment: str) -> Session:
    """Send a requested session back to its host with a comment (programme team)."""
    session = _locked(session)
    if not can_publish_session(actor, session):
        raise NotAllowed(_("Alleen het programmateam kan een sessie terugsturen."))
    if session.facilitation != Session.Facilitation.REQUESTED:
        raise DomainError(_("Voor deze sessie is geen facilitering gevraagd."), status_code=409)
    if not comment.strip():
        raise DomainError(_("Schrijf erbij waarom u de sessie terugstuurt."), code="comment")
    try:
        note = _check_field(session, "facilitation_note", comment.strip())
    except InvalidInput as error:
        raise InvalidInput({"comment": [error.message]}) from error
    session.facilitation = Session.Facilitation.SENT_BACK
    session.facilitation_note = note
    session.save(update_fields=["facilitation", "facilitation_note", "updated_at"])
    _after_commit(tasks.send_sent_back_mail, session.pk)
    log_action("events.session.sent_back", actor=actor, obj=session, data={"comment": comment})
    return session


@transaction.atomic
def session_facilitation_accept(*, session: Session, actor, facilitator, answer: str) -> Session:
    """Take on a requested session (programme team): name its facilitator and answer the host.

    ``facilitator`` must be on the session's programme team; ``answer`` (at most 2,000
    characters) is mailed to the host with the facilitator's name. The session stays a draft
    until it is published. Raises NotAllowed (403, not the programme team), DomainError (409,
    no open request) and InvalidInput (422) naming ``facilitator`` or ``answer``.
    """
    session = _locked(session)
    if not can_publish_session(actor, session):
        raise NotAllowed(_("Alleen het programmateam beantwoordt een vraag om facilitering."))
    if session.facilitation != Session.Facilitation.REQUESTED:
        raise DomainError(_("Voor deze sessie is geen facilitering gevraagd."), status_code=409)
    errors = {}
    if facilitator is None or not is_team_member(facilitator, session.programme):
        errors["facilitator"] = [_("Kies een facilitator uit het programmateam.")]
    answer = str(answer or "").strip()
    if not answer:
        errors["answer"] = [_("Schrijf de organisator een antwoord.")]
    else:
        try:
            answer = _check_field(session, "facilitation_answer", answer)
        except InvalidInput as error:
            errors["answer"] = error.errors["facilitation_answer"]
    if errors:
        raise InvalidInput(errors)
    session.facilitation = Session.Facilitation.ACCEPTED
    session.facilitator = facilitator
    session.facilitation_answer = answer
    session.save(update_fields=["facilitation", "facilitator", "facilitation_answer", "updated_at"])
    _after_commit(tasks.send_organiser_notice, session.pk, "facilitation_accepted")
    log_action(
        "events.session.facilitation_accepted",
        actor=actor,
        obj=session,
        data={"facilitator": facilitator.pk},
    )
    return session


# The longest subject of a message to the participants (it becomes a mail header).
MESSAGE_SUBJECT_MAX = 200


def _check_message(subject: str, body: str) -> None:
    errors = {}
    for name, value, check in (("subject", subject, validate_single_line),
                               ("body", body, validate_text)):  # fmt: skip
        try:
            check(value)
        except ValidationError as exc:
            errors[name] = exc.messages
    if len(subject) > MESSAGE_SUBJECT_MAX:
        errors.setdefault("subject", [_("Het onderwerp is hooguit %(max)s tekens.")
                                      % {"max": MESSAGE_SUBJECT_MAX}])  # fmt: skip
    if errors:
        raise InvalidInput(errors)


def session_message_participants(*, session: Session, actor, subject: str, body: str) -> int:
    """Mail every confirmed participant a message from the organisers; return how many.

    ``subject`` is one line of at most MESSAGE_SUBJECT_MAX characters. Raises NotAllowed,
    DomainError (empty subject or body) and InvalidInput naming ``subject`` or ``body``.
    """
    if not can_message_participants(actor, session):
        raise NotAllowed(_("Alleen de organisatoren kunnen de deelnemers mailen."))
    if not subject.strip() or not body.strip():
        raise DomainError(_("Vul een onderwerp en een bericht in."), code="body")
    _check_message(subject.strip(), body.strip())
    count = session.registrations.filter(status=Registration.Status.CONFIRMED).count()
    with transaction.atomic():
        log_action(
            "events.session.mailed",
            actor=actor,
            obj=session,
            data={"subject": subject, "recipients": count},
        )
        _after_commit(
            tasks.send_participants_message,
            session.pk,
            subject.strip(),
            body.strip(),
            getattr(actor, "pk", None),
        )
    return count


# Co-hosts are invited and accept: nobody organises a session without their consent, and
# the answer to an invitation never tells whether an address belongs to an account.

# The most addresses one invitation round takes.
COHOST_INVITES_MAX = 20
# The most invitations one member sends in 24 hours: the mail goes to any address, so the
# platform must not become a way to mail strangers in bulk.
COHOST_INVITES_PER_DAY = 50


def _normal_email(email: str) -> str:
    return unicodedata.normalize("NFC", str(email)).strip().lower()


def _invite(session: Session, actor, emails: list[str]) -> list[CoHostInvitation]:
    """Invite ``emails`` to co-host ``session`` (the caller holds the session's lock)."""
    addresses = list(dict.fromkeys(_normal_email(e) for e in emails if str(e).strip()))
    if len(addresses) > COHOST_INVITES_MAX:
        raise InvalidInput(
            {"cohost_emails": [_("Nodig hooguit %(max)s adressen tegelijk uit.")
                               % {"max": COHOST_INVITES_MAX}]}
        )  # fmt: skip
    # An address with an open invitation keeps it (no second mail); no account is looked up.
    open_ = set(
        session.cohost_invitations.filter(
            status=CoHostInvitation.Status.PENDING, email__in=addresses
        ).values_list("email", flat=True)
    )
    now = timezone.now()
    new = [email for email in addresses if email not in open_]
    sent_today = CoHostInvitation.objects.filter(
        created_by=actor, created_at__gte=now - datetime.timedelta(days=1)
    ).count()
    if new and sent_today + len(new) > COHOST_INVITES_PER_DAY:
        raise DomainError(
            _("U heeft vandaag al veel uitnodigingen verstuurd. Probeer het morgen opnieuw."),
            code="cohost_emails",
            status_code=429,
        )
    expires_at = now + datetime.timedelta(days=CoHostInvitation.VALID_DAYS)
    invitations = []
    for email in new:
        invitation = CoHostInvitation(
            session=session, email=email, created_by=actor, expires_at=expires_at
        )
        invitation.set_new_token()
        try:
            validate_instance(invitation)
        except InvalidInput as error:
            raise InvalidInput(
                {"cohost_emails": [f"{email}: {m}" for m in error.errors.get("email", [])]
                 or [error.message]}
            ) from error  # fmt: skip
        invitations.append(invitation)
    CoHostInvitation.objects.bulk_create(invitations)
    for invitation in invitations:
        # The address is the invitation's content: the audit names the invitation, not a member.
        log_action(
            "events.cohost.invited",
            actor=actor,
            obj=session,
            data={"invitation": invitation.pk},
        )
        _after_commit(tasks.send_cohost_invitation, invitation.pk)
    return invitations


@transaction.atomic
def cohost_invite(*, session: Session, actor, emails: list[str]) -> list[CoHostInvitation]:
    """Invite the addresses ``emails`` to organise ``session`` along; return the new invitations.

    Every address, of a member or not, gets the same treatment: an invitation mailed after
    commit with a link valid for CoHostInvitation.VALID_DAYS days (an address with an open
    invitation is skipped). Raises NotAllowed (403, not a manager of the session),
    InvalidInput (422 naming ``cohost_emails``: a malformed address or more than
    COHOST_INVITES_MAX) and DomainError (429: over COHOST_INVITES_PER_DAY in 24 hours).
    """
    session = _locked(session)
    if not can_invite_cohosts(actor, session):
        raise NotAllowed(_("Alleen de organisatoren en het programmateam kunnen uitnodigen."))
    return _invite(session, actor, emails)


def _open_invitation(token: str) -> CoHostInvitation:
    """Return the invitation with ``token`` under its row lock, if it can still be answered.

    Raises DomainError: 404 for an unknown token, 410 for an answered or expired one.
    """
    invitation = (
        CoHostInvitation.objects.select_for_update()
        .filter(token_hash=CoHostInvitation.hash_token(token))
        .select_related("session")
        .first()
    )
    if invitation is None:
        raise DomainError(_("Deze uitnodiging bestaat niet."), code="token", status_code=404)
    if invitation.status != CoHostInvitation.Status.PENDING:
        raise DomainError(
            _("Deze uitnodiging is al beantwoord of ingetrokken."), code="token", status_code=410
        )
    if invitation.expires_at <= timezone.now():
        raise DomainError(_("Deze uitnodiging is verlopen."), code="token", status_code=410)
    return invitation


def _answer(invitation: CoHostInvitation, actor, status: str) -> None:
    invitation.status = status
    invitation.answered_at = timezone.now()
    invitation.answered_by = actor if getattr(actor, "is_authenticated", False) else None
    invitation.save(update_fields=["status", "answered_at", "answered_by"])


@transaction.atomic
def cohost_invitation_accept(*, token: str, actor) -> Session:
    """Make ``actor`` co-host of the invitation's session; return the session.

    Only the member with the invited address verified on their account may accept. Raises
    NotAllowed (401 for a visitor, 403 for another member), DomainError (404 unknown token,
    410 answered or expired, 409 for a cancelled session).
    """
    bump_visitor_pages("events")
    if not getattr(actor, "is_authenticated", False):
        raise NotAllowed(_("Log in om de uitnodiging te aanvaarden."), status_code=401)
    invitation = _open_invitation(token)
    if not can_answer_cohost_invitation(actor, invitation):
        raise NotAllowed(
            _(
                "Deze uitnodiging is voor een ander e-mailadres. Log in met dat adres, of voeg "
                "het toe aan uw account en bevestig het."
            )
        )
    session = _locked(invitation.session)
    if session.status == Session.Status.CANCELLED:
        raise DomainError(_("Deze sessie is geannuleerd."), code="status", status_code=409)
    if session.host_id != actor.pk:
        session.co_hosts.add(actor)
    _answer(invitation, actor, CoHostInvitation.Status.ACCEPTED)
    log_action(
        "events.cohost.accepted", actor=actor, obj=session, data={"invitation": invitation.pk}
    )
    return session


@transaction.atomic
def cohost_invitation_decline(*, token: str, actor=None) -> CoHostInvitation:
    """Decline the invitation with ``token``: the link from the mail is enough, no account.

    Raises DomainError (404 unknown token, 410 answered or expired).
    """
    invitation = _open_invitation(token)
    _answer(invitation, actor, CoHostInvitation.Status.DECLINED)
    log_action(
        "events.cohost.declined",
        actor=invitation.answered_by,
        obj=invitation.session,
        data={"invitation": invitation.pk},
    )
    return invitation


@transaction.atomic
def cohost_invitation_withdraw(*, invitation: CoHostInvitation, actor) -> CoHostInvitation:
    """Withdraw an open invitation (a manager of its session); its link stops working."""
    session = _locked(invitation.session)
    if not can_invite_cohosts(actor, session):
        raise NotAllowed(_("Alleen de organisatoren en het programmateam kunnen dit."))
    invitation = CoHostInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != CoHostInvitation.Status.PENDING:
        raise DomainError(_("Deze uitnodiging staat niet meer open."), status_code=409)
    _answer(invitation, actor, CoHostInvitation.Status.WITHDRAWN)
    log_action(
        "events.cohost.withdrawn", actor=actor, obj=session, data={"invitation": invitation.pk}
    )
    return invitation


@transaction.atomic
def cohost_remove(*, session: Session, actor, member) -> Session:
    """Remove ``member`` as co-host (a manager of the session, or the co-host themself)."""
    bump_visitor_pages("events")
    session = _locked(session)
    if actor != member and not can_invite_cohosts(actor, session):
        raise NotAllowed(_("Alleen de organisatoren en het programmateam kunnen dit."))
    session.co_hosts.remove(member)
    log_action("events.cohost.removed", actor=actor, obj=session, data={"member_id": member.pk})
    return session
