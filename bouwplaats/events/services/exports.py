"""The participant list as CSV or XLSX for the organisers (every export logged)."""

from django.utils.translation import gettext as _

from bouwplaats.core.audit import log_action
from bouwplaats.core.errors import DomainError, NotAllowed
from bouwplaats.core.exports import FORMATS, export_table

from ..models import Registration, Session
from ..permissions import can_export_participants


def _export_columns() -> list[str]:
    return [_("Naam"), _("Functie"), _("Organisatie"), _("E-mailadres"), _("Status"),
            _("Aangemeld op")]  # fmt: skip


def _export_rows(session: Session) -> list[list]:
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
            r.created_at,
            *[r.answers.get(q, "") for q in session.questions],
        ]
        for r in registrations
    ]


def participants_export(*, session: Session, actor, fmt: str) -> tuple[bytes, str, str]:
    """Return (content, content type, file name) of the participant list; log who exported."""
    if not can_export_participants(actor, session):
        raise NotAllowed(_("Alleen de organisatoren kunnen de deelnemerslijst exporteren."))
    header = [*_export_columns(), *session.questions]
    rows = _export_rows(session)
    if fmt not in FORMATS:
        raise DomainError(_("Kies CSV of XLSX."), code="format")
    result = export_table(
        header=header,
        rows=rows,
        fmt=fmt,
        name=f"deelnemers-sessie-{session.pk}",
        title=_("Deelnemers"),
    )
    log_action(
        "events.participants.exported",
        actor=actor,
        obj=session,
        data={"format": fmt, "rows": len(rows)},
    )
    return result
