"""Writes on sessions: create, change (recorded and mailed), publish, cancel, facilitation."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from bouwplaats.core.audit import log_action
from bouwplaats.core.errors import DomainError, NotAllowed
from bouwplaats.programmes.models import Programme, Theme

from .. import tasks
from ..models import Highlight, Registration, Session, SessionChange, SessionPart
from ..permissions import can_create_session, can_publish
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
        lines.append(_("Deel %(n)s: %(title)s") % {"n": number, "title": part["title"]} + time)
    return "\n".join(lines)


def _clean_list(values) -> list[str]:
    if isinstance(values, str):
        values = values.splitlines()
    return [str(v).strip() for v in values or [] if str(v).strip()]


def _clean_parts(parts) -> list[dict[str, str]]:
    cleaned = []
    for part in parts or []:
        title = str(part.get("title", "")).strip()
        if not title:
            raise DomainError(_("Elk programmaonderdeel heeft een titel nodig."), code="parts")
        cleaned.append(
            {
                "title": title,
                "time": str(part.get("time") or "").strip(),
                "text": str(part.get("text") or "").strip(),
            }
        )
    return cleaned


def _validate(session: Session) -> None:
    """Raise one DomainError if the session's fields do not make sense together."""
    if not session.title.strip():
        raise DomainError(_("Geef de sessie een titel."), code="title")
    if session.type not in Session.Type.values:
        raise DomainError(_("Kies een bestaande soort sessie."), code="type")
    if session.start is None or session.end is None:
        raise DomainError(_("Vul het begin en het einde in."), code="start")
    if session.end <= session.start:
        raise DomainError(_("Het einde moet na het begin liggen."), code="end")
    if session.capacity is not None and session.capacity < 0:
        raise DomainError(
            _("Het maximum aantal deelnemers kan niet negatief zijn."), code="capacity"
        )
    if session.registration_deadline and session.registration_deadline > session.end:
        raise DomainError(
            _("Aanmelden moet sluiten voordat de sessie afloopt."), code="registration_deadline"
        )
    if session.participant_visibility not in Session.Visibility.values:
        raise DomainError(_("Kies wie de deelnemerslijst ziet."), code="participant_visibility")
    if not session.location.strip() and not session.online:
        raise DomainError(_("Geef een locatie op of kies online (of allebei)."), code="location")


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
    co_hosts: list | None = None,
    host=None,
    **fields: Any,
) -> Session:
    """Create a session as a draft with the actor as host; the programme team may publish it."""
    if not can_create_session(actor):
        raise NotAllowed(_("Log in om een sessie te organiseren."), status_code=401)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("Onbekende velden: %(f)s") % {"f": ", ".join(sorted(unknown))})
    fields["criteria"] = _clean_list(fields.get("criteria"))
    fields["questions"] = _clean_list(fields.get("questions"))
    session = Session(programme=programme, host=host or actor, created_by=actor, **fields)
    if publish:
        if not programme.is_team_member(actor):
            raise NotAllowed(_("Alleen het programmateam kan een sessie publiceren."))
        session.status = Session.Status.PUBLISHED
    _validate(session)
    session.save()
    if themes:
        session.themes.set(themes)
    if co_hosts:
        session.co_hosts.set([u for u in co_hosts if u.pk != session.host_id])
    _set_parts(session, _clean_parts(parts))
    for i, highlight in enumerate(highlights or []):
        Highlight.objects.create(session=session, position=i, **highlight)
    log_action("events.session.created", actor=actor, obj=session, data={"status": session.status})
    return session


@transaction.atomic
def session_update(
    *,
    session: Session,
    actor,
    parts: list[dict[str, str]] | None = None,
    themes: list[Theme] | None = None,
    co_hosts: list | None = None,
    **fields: Any,
) -> Session:
    """Change a session; on a published one record each changed date, time, place or part."""
    session = _locked(session)
    if not session.can_manage(actor):
        raise NotAllowed(_("Alleen de organisatoren en het programmateam kunnen dit wijzigen."))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("Onbekende velden: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if "criteria" in fields:
        fields["criteria"] = _clean_list(fields["criteria"])
    if "questions" in fields:
        fields["questions"] = _clean_list(fields["questions"])
    before = {name: getattr(session, name) for name in TRACKED_FIELDS if name != "parts"}
    old_capacity = session.capacity
    old_parts = _parts_of(session)
    for name, value in fields.items():
        setattr(session, name, value)
    _validate(session)

    records: list[tuple[str, str, str]] = []
    for name, old in before.items():
        new = getattr(session, name)
        if old != new:
            records.append((name, _show(old), _show(new)))
    new_parts = old_parts
    if parts is not None:
        new_parts = _clean_parts(parts)
        if new_parts != old_parts:
            records.append(("parts", _parts_text(old_parts), _parts_text(new_parts)))
            _set_parts(session, new_parts)

    recorded = session.status == Session.Status.PUBLISHED and records
    if recorded:
        session.sequence += 1
    session.save()
    if themes is not None:
        session.themes.set(themes)
    if co_hosts is not None:
        session.co_hosts.set([u for u in co_hosts if u.pk != session.host_id])

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
    return session


@transaction.atomic
def session_publish(*, session: Session, actor) -> Session:
    """Publish a draft session (programme team)."""
    session = _locked(session)
    if not can_publish(session, actor):
        raise NotAllowed(_("Alleen het programmateam kan een sessie publiceren."))
    if session.status != Session.Status.DRAFT:
        raise DomainError(_("Alleen een concept kan gepubliceerd worden."), status_code=409)
    _validate(session)
    session.status = Session.Status.PUBLISHED
    if session.facilitation == Session.Facilitation.REQUESTED:
        session.facilitation = Session.Facilitation.ACCEPTED
    session.save(update_fields=["status", "facilitation", "updated_at"])
    log_action("events.session.published", actor=actor, obj=session)
    return session


@transaction.atomic
def session_cancel(*, session: Session, actor) -> Session:
    """Cancel a session and tell everyone registered (METHOD:CANCEL)."""
    session = _locked(session)
    if not session.can_manage(actor):
        raise NotAllowed(_("Alleen de organisatoren en het programmateam kunnen dit annuleren."))
    if session.status == Session.Status.CANCELLED:
        raise DomainError(_("Deze sessie is al geannuleerd."), status_code=409)
    was_published = session.status == Session.Status.PUBLISHED
    session.status = Session.Status.CANCELLED
    session.sequence += 1
    session.save(update_fields=["status", "sequence", "updated_at"])
    if was_published:
        _after_commit(tasks.send_cancellation_mail, session.pk)
    log_action("events.session.cancelled", actor=actor, obj=session)
    return session


@transaction.atomic
def session_request_facilitation(*, session: Session, actor, note: str = "") -> Session:
    """Ask the programme team to facilitate (and publish) the host's draft session."""
    session = _locked(session)
    if not session.is_host(actor):
        raise NotAllowed(_("Alleen de organisator kan facilitering aanvragen."))
    if session.status != Session.Status.DRAFT:
        raise DomainError(_("Facilitering vraag je aan voor een concept."), status_code=409)
    session.facilitation = Session.Facilitation.REQUESTED
    session.facilitation_note = note.strip()
    session.save(update_fields=["facilitation", "facilitation_note", "updated_at"])
    log_action("events.session.facilitation_requested", actor=actor, obj=session)
    return session


@transaction.atomic
def session_send_back(*, session: Session, actor, comment: str) -> Session:
    """Send a requested session back to its host with a comment (programme team)."""
    session = _locked(session)
    if not can_publish(session, actor):
        raise NotAllowed(_("Alleen het programmateam kan een sessie terugsturen."))
    if session.facilitation != Session.Facilitation.REQUESTED:
        raise DomainError(_("Voor deze sessie is geen facilitering gevraagd."), status_code=409)
    if not comment.strip():
        raise DomainError(_("Schrijf erbij waarom je de sessie terugstuurt."), code="comment")
    session.facilitation = Session.Facilitation.SENT_BACK
    session.facilitation_note = comment.strip()
    session.save(update_fields=["facilitation", "facilitation_note", "updated_at"])
    _after_commit(tasks.send_sent_back_mail, session.pk)
    log_action("events.session.sent_back", actor=actor, obj=session, data={"comment": comment})
    return session


def session_message_participants(*, session: Session, actor, subject: str, body: str) -> int:
    """Mail every confirmed participant a message from the organisers; return how many."""
    if not session.can_manage(actor):
        raise NotAllowed(_("Alleen de organisatoren kunnen de deelnemers mailen."))
    if not subject.strip() or not body.strip():
        raise DomainError(_("Vul een onderwerp en een bericht in."), code="body")
    count = session.registrations.filter(status=Registration.Status.CONFIRMED).count()
    with transaction.atomic():
        log_action(
            "events.session.mailed",
            actor=actor,
            obj=session,
            data={"subject": subject, "recipients": count},
        )
        _after_commit(tasks.send_participants_message, session.pk, subject.strip(), body.strip())
    return count
