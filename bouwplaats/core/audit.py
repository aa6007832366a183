"""The audit log: every service that changes something of consequence records it here."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry


def log_action(
    action: str,
    *,
    actor=None,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record that ``actor`` performed ``action`` (e.g. "events.registration.cancelled")."""
    entry = audit_entry(action, actor=actor, obj=obj, data=data)
    entry.save()
    return entry


def audit_entry(
    action: str,
    *,
    actor=None,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Return the unsaved entry ``log_action`` records, for ``log_actions`` (bulk writes)."""
    return AuditEntry(
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=data or {},
    )


# AuditEntry's concrete fields, as ``audit_entries`` fills them.
_ENTRY_FIELDS = ("id", "action", "actor_id", "object_type", "object_id", "data", "created_at")


def audit_entries(rows, *, actor=None) -> list[AuditEntry]:
    """Return ``audit_entry(action, actor=actor, obj=obj, data=data)`` per ``(action, obj,
    data)`` of ``rows``: the same unsaved entries, built positionally in field order
    (``Model.__init__``'s fast path), for ``log_actions`` after a bulk write of thousands.
    """
    names = [f.attname for f in AuditEntry._meta.concrete_fields]
    if sorted(names) != sorted(_ENTRY_FIELDS):  # a field added: the keyword path knows it
        return [audit_entry(a, actor=actor, obj=obj, data=data) for a, obj, data in rows]
    at = {name: names.index(name) for name in _ENTRY_FIELDS}
    blank: list = [None] * len(names)
    blank[at["actor_id"]] = actor.pk if getattr(actor, "is_authenticated", False) else None
    entries = []
    for action, obj, data in rows:
        row = blank.copy()
        row[at["action"]] = action
        row[at["object_type"]] = obj._meta.label_lower if obj is not None else ""
        row[at["object_id"]] = str(obj.pk) if obj is not None else ""
        row[at["data"]] = data or {}
        entries.append(AuditEntry(*row))
    return entries


def log_actions(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Record many ``audit_entry`` results at once (an import of thousands of rows)."""
    return AuditEntry.objects.bulk_create(entries, batch_size=1000)


# The words of an action code ("events.registration.cancelled"), so the log reads as Dutch:
# "Aanmelding geannuleerd (Sessies)". A code with an unknown word is shown as it is.
_APPS = {
    "accounts": _("Accounts"),
    "events": _("Sessies"),
    "newsletters": _("Nieuwsflits"),
    "planning": _("Werk-met-werk"),
    "spaces": _("Sessieruimte"),
    "projects": _("Oproepen"),
    "programmes": _("Programma's"),
    "knowledge": _("Kennis"),
    "anchoring": _("Verankering"),
    "core": _("Kern"),
}
_OBJECTS = {
    "calendar_token": _("agendalink"),
    "domain": _("domein"),
    "host_notices": _("meldingen voor hosts"),
    "member": _("lid"),
    "membership": _("lidmaatschap"),
    "organisation": _("organisatie"),
    "token": _("API-sleutel"),
    "cohost": _("mede-organisator"),
    "participants": _("deelnemerslijst"),
    "registration": _("aanmelding"),
    "session": _("sessie"),
    "issue": _("uitgave"),
    "subscription": _("abonnement"),
    "initiative": _("bewonersinitiatief"),
    "request": _("combinatieverzoek"),
    "work": _("werk"),
    "zone": _("interessegebied"),
    "comment": _("reactie"),
    "digest": _("dagelijkse mail"),
    "document": _("document"),
    "photo": _("foto"),
    "submission": _("aanmelding voor een oproep"),
    "pilot": _("pilot"),
    "review": _("beoordeling"),
    "milestone": _("mijlpaal"),
    "partner": _("partner"),
    "body": _("orgaan"),
    "meeting": _("vergaderdatum"),
    "report": _("voortgangsrapportage"),
    "programme": _("programma"),
    "question": _("vraag"),
    "answer": _("antwoord"),
    "street": _("gevolgde straat"),
    "joint": _("gezamenlijk werk"),
    "koffertje_item": _("onderdeel van een koffertje"),
    "item": _("kennisitem"),
    "policy": _("instellingen van de sessieruimte"),
    "subscriptions": _("abonnementen"),
    "subscribers": _("abonnees"),
    "stakeholder_person": _("persoon in het stakeholderveld"),
    "call": _("oproep"),
    "attachment": _("bijlage"),
    "support_request": _("hulpvraag"),
    "region": _("regio"),
    "stakeholders": _("stakeholderregister"),
}
_VERBS = {
    "accepted": _("geaccepteerd"),
    "added": _("toegevoegd"),
    "approved": _("goedgekeurd"),
    "cancelled": _("geannuleerd"),
    "conflict_declared": _("belangenconflict gemeld"),
    "confirmed": _("bevestigd"),
    "created": _("aangemaakt"),
    "declined": _("afgewezen"),
    "deleted": _("verwijderd"),
    "exported": _("geëxporteerd"),
    "facilitation_requested": _("publicatie en facilitering gevraagd"),
    "publication_requested": _("publicatie gevraagd"),
    "forgotten": _("vergeten (AVG)"),
    "hidden": _("verborgen"),
    "invited": _("uitgenodigd"),
    "joined": _("samengevoegd"),
    "left": _("verlaten"),
    "mail_failed": _("mail niet afgeleverd"),
    "mailed": _("gemaild"),
    "promoted": _("van de wachtlijst gehaald"),
    "promoted_by_hand": _("met de hand van de wachtlijst gehaald"),
    "proposed": _("voorgesteld"),
    "published": _("gepubliceerd"),
    "removed": _("verwijderd"),
    "request_sent": _("combinatieverzoek verstuurd"),
    "requested": _("aangevraagd"),
    "reset": _("vernieuwd"),
    "resumed": _("hervat"),
    "revoked": _("ingetrokken"),
    "sending": _("verzending gestart"),
    "sent": _("verstuurd"),
    "sent_back": _("teruggestuurd"),
    "set": _("ingesteld"),
    "shown": _("weer getoond"),
    "started": _("gestart"),
    "subscribed": _("aangemeld"),
    "test_sent": _("test verstuurd"),
    "undone": _("ongedaan gemaakt"),
    "unsubscribed": _("afgemeld"),
    "updated": _("gewijzigd"),
    "uploaded": _("geüpload"),
    "withdrawn": _("ingetrokken"),
    "agreed": _("afgesproken"),
    "admitted": _("toegelaten"),
    "archived": _("gearchiveerd"),
    "check_dated": _("controledatum gezet"),
    "drafted": _("teruggezet naar concept"),
    "facilitation_accepted": _("facilitering toegezegd"),
    "featured": _("uitgelicht"),
    "imported": _("geïmporteerd"),
    "in_review": _("in behandeling genomen"),
    "incomplete": _("onvolledig verklaard"),
    "refused": _("geweigerd"),
    "scheduled": _("ingepland"),
    "submitted": _("ingediend"),
    "unfeatured": _("niet meer uitgelicht"),
    "completed": _("aangevuld"),
    "replanned": _("herpland"),
    "answered": _("beantwoord"),
    "reopened": _("heropend"),
}


def action_label(action: str) -> str:
    """Return the Dutch reading of an action code, e.g. "Aanmelding geannuleerd (Sessies)".

    A code of another shape, or with a word not listed here, comes back unchanged.
    """
    parts = action.split(".")
    if len(parts) != 3:
        return action
    app, obj, verb = parts
    if app not in _APPS or obj not in _OBJECTS or verb not in _VERBS:
        return action
    text = f"{_OBJECTS[obj]} {_VERBS[verb]}"
    return f"{text[:1].upper()}{text[1:]} ({_APPS[app]})"
