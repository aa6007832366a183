"""Writes on programmes, validated with the model's rules in one transaction."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from bouwplaats.core.errors import NotAllowed
from bouwplaats.core.validation import validate_instance

from .models import Programme
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
) -> Programme:
    """Change the programme page's texts and period: its own team (or staff), no admin needed.

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
    validate_instance(programme)
    programme.save(update_fields=list(EDITABLE_FIELDS))
    return programme
