"""AVG: what Bouwplaats holds about a member, as a page they can read, a PDF and a ZIP.

Composed from the apps (accounts.services.member_export, which asks every app's ``avg``
hook), so it lives beside urls.py, above them all. The ZIP carries the readable page, the
PDF, the machine-readable JSON (AVG art. 20) and the member's own uploads, which apps give
through an optional ``files(user=…)`` in their ``avg`` module, yielding ``(name in the archive,
FieldFile)``; a file gone from storage is listed in ontbrekende-bestanden.txt instead.
"""

import datetime
import io
import json
import posixpath
import re
import zipfile
from functools import cache

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from bouwplaats.accounts.services import member_export
from bouwplaats.core.audit import log_action
from bouwplaats.core.hooks import app_modules
from bouwplaats.core.responses import StoredFileMissing, open_stored

# The export's keys in the member's words; a key not listed is shown as it is.
LABELS = {
    "profile": _("Uw profiel"),
    "organisation_memberships": _("Lidmaatschappen van organisaties"),
    "email_addresses": _("E-mailadressen"),
    "api_tokens": _("API-sleutels"),
    "registrations": _("Uw aanmeldingen voor sessies"),
    "hosted_sessions": _("Sessies die u organiseert"),
    "co_hosted_sessions": _("Sessies die u mede organiseert"),
    "cohost_invitations_received": _("Uitnodigingen als mede-organisator"),
    "cohost_invitations_sent": _("Uitnodigingen die u verstuurde"),
    "session_space": _("Sessieruimtes"),
    "comments": _("Reacties"),
    "photos": _("Foto's"),
    "documents": _("Documenten"),
    "daily_mail_sessions": _("Dagelijkse mail"),
    "nieuwsbrieven": _("Nieuwsflits"),
    "programme_memberships": _("Programmateams"),
    "submissions": _("Aanmeldingen voor oproepen"),
    "submission_steps_taken": _("Stappen in de beoordeling"),
    "reviews": _("Beoordelingen"),
    "progress_reports": _("Voortgangsrapportages"),
    "milestone_replans": _("Verplaatste mijlpalen"),
    "project_attachments": _("Bijlagen bij oproepen en aanmeldingen"),
    "questions": _("Vragen"),
    "answers": _("Antwoorden"),
    "answer_votes": _("Stemmen"),
    "questions_followed": _("Gevolgde vragen"),
    "knowledge_items": _("Kennisitems"),
    "planning_works_entered": _("Werken die u invoerde"),
    "planning_combination_requests": _("Combinatieverzoeken"),
    "planning_interest_zones": _("Interessegebieden"),
    "stakeholder_entries": _("Stakeholders"),
    "stakeholder_ratings_made": _("Inschattingen van stakeholders"),
    "koffertje_writer_of": _("Koffertjes"),
    "koffertje_items_updated": _("Onderdelen van koffertjes"),
    # Fields
    "email": _("e-mailadres"),
    "full_name": _("naam"),
    "function": _("functie"),
    "organisation": _("organisatie"),
    "date_joined": _("lid sinds"),
    "last_login": _("laatst ingelogd"),
    "session": _("sessie"),
    "title": _("titel"),
    "start": _("begin"),
    "end": _("einde"),
    "status": _("status"),
    "answers_given": _("antwoorden"),
    "reason": _("reden"),
    "registered_at": _("aangemeld op"),
    "created_at": _("aangemaakt op"),
    "name": _("naam"),
    "role": _("rol"),
    "verified": _("bevestigd"),
    "primary": _("hoofdadres"),
    "body": _("tekst"),
    "message": _("bericht"),
    "deadline": _("antwoord voor"),
    "kind": _("soort"),
    "requested_at": _("aangevraagd op"),
    "decided_at": _("besloten op"),
    "updated_at": _("gewijzigd op"),
    "answered_at": _("beantwoord op"),
    "expires_at": _("geldig tot"),
    "last_used_at": _("laatst gebruikt"),
    "position": _("plaats"),
    "hindrance": _("hinder"),
    "score": _("score"),
    "url": _("adres"),
}
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(T[\d:.]+([+-]\d{2}:\d{2}|Z)?)?$")
MAX_ROWS = 500


def _label(key) -> str:
    return str(LABELS.get(key, str(key).replace("_", " ")))


# The model whose rows an export section lists. Models share stored choice values with labels
# of their own ("cancelled": a registration is "Afgemeld", a session "Geannuleerd"), so a
# value reads with its own model field's label; a key the model does not hold itself (an
# organisation's kind inside the profile) reads with the label every model agrees on.
SECTION_MODELS = {
    "organisation_memberships": "accounts.OrganisationMembership",
    "api_tokens": "accounts.ApiToken",
    "registrations": "events.Registration",
    "hosted_sessions": "events.Session",
    "co_hosted_sessions": "events.Session",
    "cohost_invitations_received": "events.CoHostInvitation",
    "cohost_invitations_sent": "events.CoHostInvitation",
    "nieuwsbrieven": "newsletters.Subscription",
    "programme_memberships": "programmes.ProgrammeMembership",
    "submissions": "projects.Submission",
    "submission_steps_taken": "projects.SubmissionStep",
    "reviews": "projects.Review",
    "progress_reports": "projects.ProgressReport",
    "support_requests": "projects.SupportRequest",
    "support_answers": "projects.SupportRequest",
    "questions": "knowledge.Question",
    "answers": "knowledge.Answer",
    "knowledge_items": "knowledge.KnowledgeItem",
    "planning_works_entered": "planning.Work",
    "planning_combination_requests": "planning.CombinationRequest",
    "planning_interest_zones": "planning.InterestZone",
    "stakeholder_entries": "anchoring.StakeholderPerson",
    "stakeholder_ratings_made": "anchoring.StakeholderRating",
}


@cache
def _choice_labels() -> dict[tuple[str, str], dict[str, str]]:
    """Return the Dutch labels of every stored choice: {(field name, stored value): {model
    label ("events.Registration"): its field's label}}.

    The export keeps the stored values (``requested``, ``member``, ``gemeente``) for machines
    (AVG art. 20); the page shows each model field's own label for them.
    """
    labels: dict[tuple[str, str], dict[str, str]] = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and value:
                    labels.setdefault((field.name, value), {})[model._meta.label] = label
    return labels


def _choice_label(key: str, value: str, section: str | None) -> str | None:
    """Return the Dutch label of the stored ``value`` of field ``key`` in the export section
    ``section`` (SECTION_MODELS), or None if ``value`` is not a stored choice of ``key``."""
    by_model = _choice_labels().get((key, value))
    if not by_model:
        return None
    own = by_model.get(SECTION_MODELS.get(section or ""))
    if own is not None:
        return str(own)
    # Not held by the section's model: one label if all agree, else each of them.
    return " / ".join(dict.fromkeys(str(label) for label in by_model.values()))


def _value(value, key: str | None = None, section: str | None = None) -> str:
    """Return one value as the member reads it: Dutch dates and choices, ja/nee, lists joined;
    ``key`` and ``section`` name the field and export section a stored choice comes from."""
    if value is None or value == "":
        return "—"
    if key is not None and isinstance(value, str):
        label = _choice_label(key, value, section)
        if label is not None:
            return label
    if isinstance(value, bool):
        return str(_("ja")) if value else str(_("nee"))
    if isinstance(value, str) and _ISO.match(value):
        moment = parse_datetime(value)
        if moment is not None and "T" in value:
            return date_format(timezone.localtime(moment), "l j F Y, H:i")
        try:
            return date_format(datetime.date.fromisoformat(value[:10]), "l j F Y")
        except ValueError:
            return value
    if isinstance(value, dict):
        return "; ".join(f"{_label(k)}: {_value(v, k)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_value(v) for v in value) or "—"
    return str(value)


def _sections(data: dict, level: int = 2) -> list[dict]:
    """Turn the export into sections: a title and either facts, a table or subsections."""
    sections = []
    for key, value in data.items():
        section = {"title": _label(key), "level": min(level, 4), "key": key}
        if isinstance(value, dict) and value and all(isinstance(v, list) for v in value.values()):
            section["sections"] = _sections(value, level + 1)
        elif isinstance(value, dict):
            section["facts"] = [(_label(k), _value(v, k, key)) for k, v in value.items()]
        elif isinstance(value, list):
            rows = [r for r in value[:MAX_ROWS] if isinstance(r, dict)]
            columns = list(dict.fromkeys(k for row in rows for k in row))
            section["columns"] = [_label(c) for c in columns]
            section["rows"] = [[_value(row.get(c), c, key) for c in columns] for row in rows]
            section["more"] = max(0, len(value) - MAX_ROWS)
        else:
            section["facts"] = [(_label(key), _value(value, key))]
        sections.append(section)
    return sections


def _context(user) -> tuple[dict, dict]:
    data = member_export(user=user)
    return data, {"sections": _sections(data), "member": user, "made_at": timezone.now()}


@login_required
def page(request):
    """Show in Dutch what Bouwplaats holds about the member, with the downloads beside it."""
    _data, context = _context(request.user)
    return render(request, "core/avg.html", context)


def _pdf(context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("core/avg_print.html", context)
    return HTML(string=html).write_pdf()


@login_required
def pdf(request):
    """Download the same overview as a PDF (WeasyPrint)."""
    _data, context = _context(request.user)
    response = HttpResponse(_pdf(context), content_type="application/pdf")
    log_action("accounts.member.exported", actor=request.user, data={"format": "pdf"})
    response["Content-Disposition"] = 'attachment; filename="mijn-gegevens-bouwplaats.pdf"'
    return response


def _safe_name(name: str) -> str:
    name = posixpath.normpath("/" + name.replace("\\", "/")).lstrip("/")
    return re.sub(r"[\x00-\x1f\x7f]", "_", name)[:180] or "bestand"


def member_archive(user) -> bytes:
    """Return the ZIP: overzicht.html, overzicht.pdf, gegevens.json and the member's files."""
    data, context = _context(user)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("gegevens.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr("overzicht.html", render_to_string("core/avg_print.html", context))
        archive.writestr("overzicht.pdf", _pdf(context))
        missing: list[str] = []
        for _app, module in app_modules("avg"):
            for name, field_file in getattr(module, "files", lambda **kw: [])(user=user):
                try:
                    handle = open_stored(field_file)
                except StoredFileMissing:
                    # One file gone from storage must not cost the member the rest.
                    missing.append(_safe_name(name))
                    continue
                with handle:
                    archive.writestr(_safe_name(name), handle.read())
        if missing:
            archive.writestr(MISSING_LIST, _missing_text(missing))
    return out.getvalue()


MISSING_LIST = "ontbrekende-bestanden.txt"


def _missing_text(names: list[str]) -> str:
    intro = _(
        "Deze bestanden staan in uw gegevens, maar de inhoud is niet meer opgeslagen bij "
        "Bouwplaats. Daarom zitten ze niet in dit archief:"
    )
    return "\n".join([str(intro), "", *(f"- {name}" for name in names), ""])


@login_required
def archive(request):
    """Download everything in one ZIP (the page, the PDF, the JSON, photos and documents)."""
    response = HttpResponse(member_archive(request.user), content_type="application/zip")
    log_action("accounts.member.exported", actor=request.user, data={"format": "zip"})
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="bouwplaats-gegevens-{stamp}.zip"'
    return response
