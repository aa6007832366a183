"""Writes on programmes, validated with the model's rules in one transaction."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

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
    if not is_team_member(actor, programme):
        raise NotAllowed(_("Alleen het programmateam wijzigt deze pagina."), code="programme")
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


@transaction.atomic
def milestone_create(
    *, actor, programme: Programme, date: datetime.date, title: str, text: str = ""
) -> ProgrammeMilestone:
    """Add a milestone to ``programme``'s timeline: its team (or staff) only.

    Raises NotAllowed; InvalidInput naming the refused field (nothing is stored).
    """
    _require_team(actor, programme)
    milestone = ProgrammeMilestone(
        programme=programme, date=date, title=(title or "").strip(), text=(text or "").strip()
    )
    validate_instance(milestone)
    milestone.save()
    return milestone


@transaction.atomic
def milestone_update(
    *, actor, milestone: ProgrammeMilestone, date: datetime.date, title: str, text: str = ""
) -> ProgrammeMilestone:
    """Change a milestone's date, title and text: the programme's team (or staff) only.

    Raises NotAllowed; InvalidInput naming the refused field (nothing is stored).
    """
    _require_team(actor, milestone.programme)
    milestone = ProgrammeMilestone.objects.select_for_update().get(pk=milestone.pk)
    milestone.date = date
    milestone.title = (title or "").strip()
    milestone.text = (text or "").strip()
    validate_instance(milestone)
    milestone.save(update_fields=["date", "title", "text"])
    return milestone


@transaction.atomic
def milestone_delete(*, actor, milestone: ProgrammeMilestone) -> None:
    """Remove a milestone from its programme's timeline: the team (or staff) only.

    Raises NotAllowed.
    """
    _require_team(actor, milestone.programme)
    ProgrammeMilestone.objects.filter(pk=milestone.pk).delete()


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


@transaction.atomic
def partner_create(*, actor, programme: Programme, organisation, role: str) -> ProgrammePartner:
    """Add an organisation with its role as a partner of ``programme``: its team (or staff).

    Raises NotAllowed; InvalidInput naming the refused field (nothing is stored).
    """
    _require_team(actor, programme)
    position = programme.partners.count()
    partner = ProgrammePartner(
        programme=programme, organisation=organisation, role=(role or "").strip(),
        position=position,
    )  # fmt: skip
    _refuse_second_partnership(partner)
    validate_instance(partner)
    partner.save()
    return partner


@transaction.atomic
def partner_update(
    *, actor, partner: ProgrammePartner, organisation, role: str
) -> ProgrammePartner:
    """Change a partner's organisation and role: the programme's team (or staff).

    Raises NotAllowed; InvalidInput naming the refused field (nothing is stored).
    """
    _require_team(actor, partner.programme)
    partner = ProgrammePartner.objects.select_for_update().get(pk=partner.pk)
    partner.organisation = organisation
    partner.role = (role or "").strip()
    _refuse_second_partnership(partner)
    validate_instance(partner)
    partner.save(update_fields=["organisation", "role"])
    return partner


@transaction.atomic
def partner_delete(*, actor, partner: ProgrammePartner) -> None:
    """Remove a partner from its programme: the team (or staff). Raises NotAllowed."""
    _require_team(actor, partner.programme)
    ProgrammePartner.objects.filter(pk=partner.pk).delete()


def _fill_body(body: GovernanceBody, *, kind: str, name: str, cadence: str, description: str):
    """Set a body's fields; an empty name takes the kind's label, except for "anders"."""
    body.kind = kind
    body.name = (name or "").strip()
    if not body.name and kind in GovernanceBody.Kind.values and kind != GovernanceBody.Kind.ANDERS:
        body.name = str(GovernanceBody.Kind(kind).label)
    body.cadence = (cadence or "").strip()
    body.description = (description or "").strip()


@transaction.atomic
def governance_body_create(
    *, actor, programme: Programme, kind: str, name: str, cadence: str, description: str = ""
) -> GovernanceBody:
    """Add a governance body (kind, or "anders" with its own name) to ``programme``: its team.

    Raises NotAllowed; InvalidInput naming the refused field (nothing is stored).
    """
    _require_team(actor, programme)
    body = GovernanceBody(programme=programme, position=programme.governance_bodies.count())
    _fill_body(body, kind=kind, name=name, cadence=cadence, description=description)
    validate_instance(body)
    body.save()
    return body


@transaction.atomic
def governance_body_update(
    *, actor, body: GovernanceBody, kind: str, name: str, cadence: str, description: str = ""
) -> GovernanceBody:
    """Change a governance body's kind, name, cadence and task: the programme's team.

    Raises NotAllowed; InvalidInput naming the refused field (nothing is stored).
    """
    _require_team(actor, body.programme)
    body = GovernanceBody.objects.select_for_update().get(pk=body.pk)
    _fill_body(body, kind=kind, name=name, cadence=cadence, description=description)
    validate_instance(body)
    body.save(update_fields=["kind", "name", "cadence", "description"])
    return body


@transaction.atomic
def governance_body_delete(*, actor, body: GovernanceBody) -> None:
    """Remove a governance body with its members and meetings: the team. Raises NotAllowed."""
    _require_team(actor, body.programme)
    GovernanceBody.objects.filter(pk=body.pk).delete()


@transaction.atomic
def governance_member_create(
    *, actor, body: GovernanceBody, name: str, role: str, organisation=None
) -> GovernanceMember:
    """Add a member (person or delegation, role, optional organisation) to ``body``: the team.

    Raises NotAllowed; InvalidInput naming the refused field (nothing is stored).
    """
    _require_team(actor, body.programme)
    member = GovernanceMember(
        body=body, name=(name or "").strip(), role=(role or "").strip(),
        organisation=organisation, position=body.members.count(),
    )  # fmt: skip
    validate_instance(member)
    member.save()
    return member


@transaction.atomic
def governance_member_delete(*, actor, member: GovernanceMember) -> None:
    """Remove a member from its governance body: the team. Raises NotAllowed."""
    _require_team(actor, member.body.programme)
    GovernanceMember.objects.filter(pk=member.pk).delete()


@transaction.atomic
def governance_meeting_create(
    *, actor, body: GovernanceBody, date: datetime.date, note: str = ""
) -> GovernanceMeeting:
    """Add a meeting date (optional subject) to ``body``: the team.

    Raises NotAllowed; InvalidInput naming the refused field (nothing is stored).
    """
    _require_team(actor, body.programme)
    meeting = GovernanceMeeting(body=body, date=date, note=(note or "").strip())
    validate_instance(meeting)
    meeting.save()
    return meeting


@transaction.atomic
def governance_meeting_delete(*, actor, meeting: GovernanceMeeting) -> None:
    """Remove a meeting date from its governance body: the team. Raises NotAllowed."""
    _require_team(actor, meeting.body.programme)
    GovernanceMeeting.objects.filter(pk=meeting.pk).delete()


@transaction.atomic
def governance_member_update(
    *, actor, member: GovernanceMember, name: str, role: str, organisation=None
) -> GovernanceMember:
    """Change a member's name, role and organisation: the team.

    Raises NotAllowed; InvalidInput naming the refused field (nothing is stored).
    """
    _require_team(actor, member.body.programme)
    member = GovernanceMember.objects.select_for_update().get(pk=member.pk)
    member.name = (name or "").strip()
    member.role = (role or "").strip()
    member.organisation = organisation
    validate_instance(member)
    member.save(update_fields=["name", "role", "organisation"])
    return member


@transaction.atomic
def governance_meeting_update(
    *, actor, meeting: GovernanceMeeting, date: datetime.date, note: str = ""
) -> GovernanceMeeting:
    """Change a meeting's date and subject: the team.

    Raises NotAllowed; InvalidInput naming the refused field (nothing is stored).
    """
    _require_team(actor, meeting.body.programme)
    meeting = GovernanceMeeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.date = date
    meeting.note = (note or "").strip()
    validate_instance(meeting)
    meeting.save(update_fields=["date", "note"])
    return meeting
