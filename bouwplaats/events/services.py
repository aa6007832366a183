"""Writes on sessions and registrations: locks, capacity, waiting list, changes, mail."""

import csv
import datetime
import io
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bouwplaats.core.audit import log_action
from bouwplaats.core.db import fetch_one, insert_one
from bouwplaats.core.errors import DomainError, NotAllowed
from bouwplaats.programmes.models import Programme, Theme

from . import tasks
from .calendar import AMSTERDAM
from .models import Highlight, Registration, Session, SessionChange, SessionPart
from .permissions import can_create_session, can_publish

# Test-only switch: the concurrency tests turn the session's row lock off (in registering
# and in claiming the registration mails) to show that the races are real.
USE_ROW_LOCK = True

# A due mail older than this is not trusted to have a task on its way (the process may have
# stopped between the commit and the queue): the next registration queues one again.
MAIL_TASK_PATIENCE = datetime.timedelta(minutes=10)

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


def _locked(session: Session) -> Session:
    """Return ``session`` re-read under a row lock (SQLite: the IMMEDIATE transaction)."""
    qs = Session.objects.select_related("programme", "host")
    if USE_ROW_LOCK:
        qs = qs.select_for_update(of=("self",))
    return qs.get(pk=session.pk)


# What a registration reads of its session; see _locked_for_registration.
_REGISTRATION_FIELDS = (
    "id",
    "programme",
    "host",
    "status",
    "end",
    "capacity",
    "registration_deadline",
    "requires_approval",
    "questions",
)


def _locked_for_registration(session_pk: int) -> Session:
    """Return the session's registration fields, read under its row lock.

    Registering is the busiest write on the platform (a popular session fills in minutes), so
    this read and the seat count in _seat_state are written in SQL: compiling them through the
    ORM costs several times the round trip to the database.
    """
    qn = connection.ops.quote_name
    columns = ", ".join(qn(Session._meta.get_field(f).column) for f in _REGISTRATION_FIELDS)
    sql = f"SELECT {columns} FROM {qn(Session._meta.db_table)} WHERE id = %s"
    if USE_ROW_LOCK and connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    session = fetch_one(Session, sql, [session_pk])
    if session is None:
        raise Session.DoesNotExist
    return session


def _seat_state(session: Session, member) -> tuple[int, int | None, bool]:
    """Return (confirmed seats, the member's earlier registration id, mail task queued)."""
    # "Mail task queued": another recent mail is due, so a task is on its way (see
    # _send_due_mails).
    # Runs after the row lock is taken: in READ COMMITTED this statement's snapshot then
    # includes every registration committed by the transactions that held the lock before.
    # Index lookups only (at most `capacity` confirmed rows, the member's row, the first due
    # mail), so the cost does not grow with the waiting list.
    table = connection.ops.quote_name(Registration._meta.db_table)
    recent = connection.ops.adapt_datetimefield_value(timezone.now() - MAIL_TASK_PATIENCE)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {table} WHERE session_id = %s AND status = %s),"
            f" (SELECT id FROM {table} WHERE session_id = %s AND member_id = %s),"
            f" EXISTS (SELECT 1 FROM {table} WHERE session_id = %s AND mail_due <> ''"
            f" AND mail_due_at > %s)",
            [session.pk, Registration.Status.CONFIRMED, session.pk, member.pk, session.pk, recent],
        )
        confirmed, mine, queued = cursor.fetchone()
    return confirmed, mine, bool(queued)


def _after_commit(func, *args) -> None:
    transaction.on_commit(lambda: func.enqueue(*args))


def _owe_mail(registration: Registration, kind: str) -> list[str]:
    """Record that the member is owed the ``kind`` mail; return the fields to save."""
    # A later change overwrites an unsent mail: the member hears the newest state only.
    registration.mail_due, registration.mail_due_at = kind, timezone.now()
    return ["mail_due", "mail_due_at"]


def _send_due_mails(session: Session, *, queued: bool = False) -> None:
    """Have the session's due registration mails sent after commit.

    ``queued``: a registration, under the session lock, saw another recent due mail, so a
    task is on its way and will send this one too (it stops only when, under the same
    lock, it finds none due).
    """
    if not queued:
        _after_commit(tasks.send_registration_mails, session.pk)


def _show(value: Any) -> str:
    """Return a field value as text for the change record and the mail."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value, AMSTERDAM).strftime("%d-%m-%Y %H:%M")
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    return "" if value is None else str(value)


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


def _has_seat(session: Session) -> bool:
    if session.capacity is None:
        return True
    confirmed = session.registrations.filter(status=Registration.Status.CONFIRMED).count()
    return confirmed < session.capacity


def _promote_waiting(session: Session, *, actor) -> list[Registration]:
    """Confirm waiting members in order of sign-up while seats are free (under the lock).

    Each is owed a mail; the caller has it sent (_send_due_mails), once for the whole change.
    """
    promoted = []
    waiting = session.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
        "created_at", "id"
    )
    for registration in waiting:
        if not _has_seat(session):
            break
        registration.status = Registration.Status.CONFIRMED
        owed = _owe_mail(registration, "promoted")
        registration.save(update_fields=["status", "updated_at", *owed])
        promoted.append(registration)
        log_action("events.registration.promoted", actor=actor, obj=registration)
    return promoted


def _clean_answers(session: Session, answers: dict[str, str] | None) -> dict[str, str]:
    answers = answers or {}
    unknown = set(answers) - set(session.questions)
    if unknown:
        raise DomainError(_("Beantwoord alleen de vragen van deze sessie."), code="answers")
    return {q: str(answers.get(q, "")).strip() for q in session.questions}


@transaction.atomic
def registration_create(*, session: Session, member, answers: dict[str, str] | None = None):
    """Register ``member``: confirmed, waitlisted or pending; never more than the capacity."""
    if not getattr(member, "is_authenticated", False):
        raise NotAllowed(_("Log in om je aan te melden."), status_code=401)
    # The capacity check and the insert happen under one lock on the session row.
    session = _locked_for_registration(session.pk)
    if session.status == Session.Status.DRAFT and not session.can_manage(member):
        raise DomainError(_("Deze sessie bestaat niet."), code="not_found", status_code=404)
    if session.status != Session.Status.PUBLISHED:
        raise DomainError(_("Voor deze sessie kun je je niet aanmelden."), status_code=409)
    now = timezone.now()
    if session.registration_deadline and now > session.registration_deadline:
        raise DomainError(
            _("Aanmelden kon tot %(d)s.") % {"d": _show(session.registration_deadline)},
            status_code=409,
        )
    if session.end <= now:
        raise DomainError(_("Deze sessie is al voorbij."), status_code=409)
    answers = _clean_answers(session, answers)
    confirmed, mine, queued = _seat_state(session, member)
    existing = Registration.objects.get(pk=mine) if mine else None
    if existing and existing.status == Registration.Status.DECLINED:
        raise DomainError(_("Je aanmelding voor deze sessie is afgewezen."), status_code=409)
    if existing and existing.status != Registration.Status.CANCELLED:
        raise DomainError(_("Je bent al aangemeld voor deze sessie."), status_code=409)

    if session.requires_approval:
        status = Registration.Status.PENDING
    elif session.capacity is None or confirmed < session.capacity:
        status = Registration.Status.CONFIRMED
    else:
        status = Registration.Status.WAITLISTED
    if existing:
        # Signing up again after cancelling puts the member at the back of the queue.
        existing.status, existing.answers, existing.reason = status, answers, ""
        existing.created_at = now
        _owe_mail(existing, status)
        existing.save()
        registration = existing
    else:
        registration = Registration(session=session, member=member, status=status, answers=answers)
        _owe_mail(registration, status)
        # No savepoint: on a unique violation the whole transaction is rolled back anyway.
        try:
            insert_one(registration)
        except IntegrityError as exc:
            raise DomainError(_("Je bent al aangemeld voor deze sessie."), status_code=409) from exc
    _send_due_mails(session, queued=queued)
    log_action(
        "events.registration.created", actor=member, obj=registration, data={"status": status}
    )
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, actor) -> Registration:
    """Cancel a registration (the member, or an organiser); a freed seat goes to the next."""
    session = _locked(registration.session)
    registration = Registration.objects.select_related("member").get(pk=registration.pk)
    if registration.member_id != getattr(actor, "pk", None) and not session.can_manage(actor):
        raise NotAllowed(_("Je kunt alleen je eigen aanmelding annuleren."))
    if registration.status in (Registration.Status.CANCELLED, Registration.Status.DECLINED):
        raise DomainError(_("Deze aanmelding is al beëindigd."), status_code=409)
    freed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    owed = _owe_mail(registration, "cancelled")
    registration.save(update_fields=["status", "updated_at", *owed])
    log_action("events.registration.cancelled", actor=actor, obj=registration)
    if freed:
        _promote_waiting(session, actor=actor)
    _send_due_mails(session)
    return registration


@transaction.atomic
def registration_delete(*, registration: Registration, actor) -> None:
    """Delete a registration (organisers); a freed seat goes to the next on the waiting list."""
    session = _locked(registration.session)
    if not session.can_manage(actor):
        raise NotAllowed(_("Alleen de organisatoren kunnen aanmeldingen verwijderen."))
    freed = registration.status == Registration.Status.CONFIRMED
    log_action("events.registration.deleted", actor=actor, obj=registration)
    registration.delete()
    if freed and _promote_waiting(session, actor=actor):
        _send_due_mails(session)


def _decided(registration: Registration, session: Session, actor) -> Registration:
    if not session.can_manage(actor):
        raise NotAllowed(_("Alleen de organisatoren beoordelen aanmeldingen."))
    return Registration.objects.select_related("member").get(pk=registration.pk)


@transaction.atomic
def registration_approve(*, registration: Registration, actor) -> Registration:
    """Approve a pending registration: confirmed if a seat is free, otherwise waitlisted."""
    session = _locked(registration.session)
    registration = _decided(registration, session, actor)
    if registration.status != Registration.Status.PENDING:
        raise DomainError(_("Deze aanmelding wacht niet op beoordeling."), status_code=409)
    seat = _has_seat(session)
    registration.status = Registration.Status.CONFIRMED if seat else Registration.Status.WAITLISTED
    owed = _owe_mail(registration, "approved" if seat else "waitlisted")
    registration.save(update_fields=["status", "updated_at", *owed])
    _send_due_mails(session)
    log_action(
        "events.registration.approved",
        actor=actor,
        obj=registration,
        data={"status": registration.status},
    )
    return registration


@transaction.atomic
def registration_decline(*, registration: Registration, actor, reason: str) -> Registration:
    """Decline a registration with a reason; a freed seat goes to the next."""
    session = _locked(registration.session)
    registration = _decided(registration, session, actor)
    if not reason.strip():
        raise DomainError(_("Geef een reden waarom je de aanmelding afwijst."), code="reason")
    if registration.status in (Registration.Status.CANCELLED, Registration.Status.DECLINED):
        raise DomainError(_("Deze aanmelding is al beëindigd."), status_code=409)
    freed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.DECLINED
    registration.reason = reason.strip()
    owed = _owe_mail(registration, "declined")
    registration.save(update_fields=["status", "reason", "updated_at", *owed])
    log_action(
        "events.registration.declined",
        actor=actor,
        obj=registration,
        data={"reason": registration.reason},
    )
    if freed:
        _promote_waiting(session, actor=actor)
    _send_due_mails(session)
    return registration


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


def _export_columns() -> list[str]:
    return [_("Naam"), _("Functie"), _("Organisatie"), _("E-mailadres"), _("Status"),
            _("Aangemeld op")]  # fmt: skip


def _export_rows(session: Session) -> list[list[str]]:
    registrations = (
        session.registrations.exclude(status=Registration.Status.CANCELLED)
        .select_related("member", "member__organisation")
        .order_by("created_at", "id")
    )
    return [
        [
            r.member.display_name,
            r.member.function,
            r.member.organisation.name if r.member.organisation else "",
            r.member.email,
            str(r.get_status_display()),
            _show(r.created_at),
            *[r.answers.get(q, "") for q in session.questions],
        ]
        for r in registrations
    ]


def participants_export(*, session: Session, actor, fmt: str) -> tuple[bytes, str, str]:
    """Return (content, content type, file name) of the participant list; log who exported."""
    if not session.can_manage(actor):
        raise NotAllowed(_("Alleen de organisatoren kunnen de deelnemerslijst exporteren."))
    header = [*_export_columns(), *session.questions]
    rows = _export_rows(session)
    name = f"deelnemers-sessie-{session.pk}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
        content = ("\ufeff" + buffer.getvalue()).encode()
        result = (content, "text/csv; charset=utf-8", f"{name}.csv")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Deelnemers")
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        result = (out.getvalue(), xlsx, f"{name}.xlsx")
    else:
        raise DomainError(_("Kies CSV of XLSX."), code="format")
    log_action(
        "events.participants.exported",
        actor=actor,
        obj=session,
        data={"format": fmt, "rows": len(rows)},
    )
    return result


@transaction.atomic
def registration_forget(*, registration: Registration) -> None:
    """Delete a leaving member's registration without mail; a freed seat goes to the next."""
    session = _locked(registration.session)
    freed = registration.status == Registration.Status.CONFIRMED
    log_action("events.registration.forgotten", obj=session)
    registration.delete()
    if freed and _promote_waiting(session, actor=None):
        _send_due_mails(session)
