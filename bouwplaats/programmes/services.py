"""Writes on programmes, validated with the model's rules in one transaction."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from bouwplaats.core.audit import log_action
from bouwplaats.core.errors import InvalidInput, NotAllowed
from bouwplaats.core.validation import validate_instance

from .models import (
    GovernanceBody,
    GovernanceMeeting,
    GovernanceMember,
    Programme,
    ProgrammeMilestone,
    ProgrammePartner,
    Region,
    Theme,
)
from .permissions import is_team_member

EDITABLE_FIELDS = ("summary", "description", "period_note", "start_date", "end_date")


@transaction.atomic
def programme_update(
    *,
    actor,
    programme: Programme,
    summary: str,
    description: str,
    period_note: str,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
    themes: Iterable[Theme] | None = None,
    regions: Iterable[Region] | None = None,
) -> Programme:
    """Change the programme page's texts, period, themes and regions: its own team (or staff),
    no admin needed; ``themes``/``regions`` None leaves them as they are.

    Raises NotAllowed unless ``actor`` is on the programme's team; InvalidInput naming the
    refused field (nothing is stored).
    """
    _require_team(actor, programme)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    programme.summary = (summary or "").strip()
    programme.description = (description or "").strip()
    programme.period_note = (period_note or "").strip()
    programme.start_date = start_date
    programme.end_date = end_date
    chosen = {
        "themes": _existing(Theme, themes, "themes"),
        "regions": _existing(Region, regions, "regions"),
    }
    validate_instance(programme)
    programme.save(update_fields=list(EDITABLE_FIELDS))
    for name, found in chosen.items():
        if found is not None:
            getattr(programme, name).set(found)
    log_action("programmes.programme.updated", actor=actor, obj=programme)
    return programme


def _existing(model, chosen, field: str) -> list | None:
    """Return ``chosen`` as stored ``model`` rows (None stays None); InvalidInput keyed by
    ``field`` when one is not a stored row of ``model``."""
    if chosen is None:
        return None
    chosen = list(chosen)
    ids = {getattr(item, "pk", None) for item in chosen}
    if None in ids or not all(isinstance(item, model) for item in chosen):
        raise InvalidInput({field: [_("Kies uit de lijst.")]})
    found = list(model.objects.filter(pk__in=ids))
    if len(found) != len(ids):
        raise InvalidInput({field: [_("Kies uit de lijst.")]})
    return found


def _require_team(actor, programme: Programme) -> None:
    """Raise NotAllowed unless ``actor`` is on ``programme``'s team (or staff)."""
    if not is_team_member(actor, programme):
        raise NotAllowed(_("Alleen het programmateam wijzigt deze pagina."), code="programme")


@dataclass(frozen=True)
class _TeamItem:
    """A kind of row the programme team keeps: its model, the word in the audit code
    (``programmes.<word>.created``), where its programme is, and its rules beyond the model's."""

    model: type[models.Model]
    word: str
    programme: Callable[[models.Model], Programme]
    ordered_by: str | None = None  # the parent field a new row's ``position`` counts within
    rules: Callable[[models.Model], None] | None = None


@transaction.atomic
def _team_write(*, actor, item: _TeamItem, row: models.Model, values: dict[str, Any] | None):
    """Store ``values`` on ``row`` (new when it has no pk) or, with ``values`` None, delete it:
    its programme's team (or staff) only, validated, with an audit entry, in one transaction.

    Text values are stripped. Raises NotAllowed; InvalidInput naming the refused field
    (nothing is stored). Returns the stored row (None after a delete).
    """
    programme = item.programme(row)
    _require_team(actor, programme)
    creating = row.pk is None
    if values is None:
        item.model.objects.filter(pk=row.pk).delete()
        verb = "deleted"
    else:
        if not creating:
            row = item.model.objects.select_for_update().get(pk=row.pk)
        for name, value in values.items():
            setattr(row, name, value.strip() if isinstance(value, str) else value)
        if creating and item.ordered_by:
            parent = {item.ordered_by: getattr(row, item.ordered_by)}
            row.position = item.model.objects.filter(**parent).count()
        if item.rules:
            item.rules(row)
        validate_instance(row)
        row.save(**({} if creating else {"update_fields": list(values)}))
        verb = "created" if creating else "updated"
    log_action(f"programmes.{item.word}.{verb}", actor=actor, obj=row,
               data={"programme": programme.pk})  # fmt: skip
    return None if values is None else row


def _refuse_second_partnership(partner: ProgrammePartner) -> None:
    """Raise InvalidInput (``organisation``) if the organisation already partners the
    programme (the model's ``programmes_one_partnership`` constraint, said beside the field)."""
    others = ProgrammePartner.objects.filter(
        programme_id=partner.programme_id, organisation_id=partner.organisation_id
    ).exclude(pk=partner.pk)
    if partner.organisation_id and others.exists():
        raise InvalidInput(
            {"organisation": [_("Deze organisatie is al partner van dit programma.")]}
        )


def _name_from_kind(body: GovernanceBody) -> None:
    """Give a nameless body its kind's label; "anders" keeps no name (the model refuses it)."""
    kind = body.kind
    if not body.name and kind in GovernanceBody.Kind.values and kind != GovernanceBody.Kind.ANDERS:
        body.name = str(GovernanceBody.Kind(kind).label)


def _of_body(row) -> Programme:
    return row.body.programme


MILESTONE = _TeamItem(ProgrammeMilestone, "milestone", attrgetter("programme"))
PARTNER = _TeamItem(ProgrammePartner, "partner", attrgetter("programme"), "programme",
                    _refuse_second_partnership)  # fmt: skip
BODY = _TeamItem(GovernanceBody, "body", attrgetter("programme"), "programme", _name_from_kind)
MEMBER = _TeamItem(GovernanceMember, "member", _of_body, "body")
MEETING = _TeamItem(GovernanceMeeting, "meeting", _of_body)

# The public services: thin names over _team_write, each refusing anyone off the programme's
# team (NotAllowed) and bad input (InvalidInput naming the field; nothing is stored).


def milestone_create(
    *, actor, programme: Programme, date: datetime.date, title: str, text: str = ""
) -> ProgrammeMilestone:
    """Add a milestone (date, title, optional text) to ``programme``'s timeline."""
    values = {"date": date, "title": title, "text": text}
    return _team_write(actor=actor, item=MILESTONE, row=ProgrammeMilestone(programme=programme),
                       values=values)  # fmt: skip


def milestone_update(
    *, actor, milestone: ProgrammeMilestone, date: datetime.date, title: str, text: str = ""
) -> ProgrammeMilestone:
    """Change a milestone's date, title and text."""
    values = {"date": date, "title": title, "text": text}
    return _team_write(actor=actor, item=MILESTONE, row=milestone, values=values)


def milestone_delete(*, actor, milestone: ProgrammeMilestone) -> None:
    """Remove a milestone from its programme's timeline."""
    _team_write(actor=actor, item=MILESTONE, row=milestone, values=None)


def partner_create(*, actor, programme: Programme, organisation, role: str) -> ProgrammePartner:
    """Add an organisation with its role as a partner of ``programme`` (once per organisation)."""
    row = ProgrammePartner(programme=programme)
    values = {"organisation": organisation, "role": role}
    return _team_write(actor=actor, item=PARTNER, row=row, values=values)


def partner_update(
    *, actor, partner: ProgrammePartner, organisation, role: str
) -> ProgrammePartner:
    """Change a partner's organisation and role."""
    values = {"organisation": organisation, "role": role}
    return _team_write(actor=actor, item=PARTNER, row=partner, values=values)


def partner_delete(*, actor, partner: ProgrammePartner) -> None:
    """Remove a partner from its programme."""
    _team_write(actor=actor, item=PARTNER, row=partner, values=None)


def governance_body_create(
    *, actor, programme: Programme, kind: str, name: str, cadence: str, description: str = ""
) -> GovernanceBody:
    """Add a governance body (a kind, or "anders" with its own name) to ``programme``; an
    empty name takes the kind's label."""
    values = {"kind": kind, "name": name, "cadence": cadence, "description": description}
    return _team_write(actor=actor, item=BODY, row=GovernanceBody(programme=programme),
                       values=values)  # fmt: skip


def governance_body_update(
    *, actor, body: GovernanceBody, kind: str, name: str, cadence: str, description: str = ""
) -> GovernanceBody:
    """Change a governance body's kind, name, cadence and task."""
    values = {"kind": kind, "name": name, "cadence": cadence, "description": description}
    return _team_write(actor=actor, item=BODY, row=body, values=values)


def governance_body_delete(*, actor, body: GovernanceBody) -> None:
    """Remove a governance body with its members and meetings."""
    _team_write(actor=actor, item=BODY, row=body, values=None)


def governance_member_create(
    *, actor, body: GovernanceBody, name: str, role: str, organisation=None
) -> GovernanceMember:
    """Add a member (a person or delegation, role, optional organisation) to ``body``."""
    values = {"name": name, "role": role, "organisation": organisation}
    return _team_write(actor=actor, item=MEMBER, row=GovernanceMember(body=body), values=values)


def governance_member_update(
    *, actor, member: GovernanceMember, name: str, role: str, organisation=None
) -> GovernanceMember:
    """Change a member's name, role and organisation."""
    values = {"name": name, "role": role, "organisation": organisation}
    return _team_write(actor=actor, item=MEMBER, row=member, values=values)


def governance_member_delete(*, actor, member: GovernanceMember) -> None:
    """Remove a member from its governance body."""
    _team_write(actor=actor, item=MEMBER, row=member, values=None)


def governance_meeting_create(
    *, actor, body: GovernanceBody, date: datetime.date, note: str = ""
) -> GovernanceMeeting:
    """Add a meeting date (optional subject) to ``body``."""
    values = {"date": date, "note": note}
    return _team_write(actor=actor, item=MEETING, row=GovernanceMeeting(body=body), values=values)


def governance_meeting_update(
    *, actor, meeting: GovernanceMeeting, date: datetime.date, note: str = ""
) -> GovernanceMeeting:
    """Change a meeting's date and subject."""
    return _team_write(actor=actor, item=MEETING, row=meeting, values={"date": date, "note": note})


def governance_meeting_delete(*, actor, meeting: GovernanceMeeting) -> None:
    """Remove a meeting date from its governance body."""
    _team_write(actor=actor, item=MEETING, row=meeting, values=None)
