"""The audit log: every service that changes something of consequence records it here."""

from typing import Any

from django.db import models

from .db import insert_one
from .models import AuditEntry


def log_action(
    action: str,
    *,
    actor=None,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record that ``actor`` performed ``action`` (e.g. "events.registration.cancelled")."""
    # One statement built once per model (core.db.insert_one): services call this inside
    # their transaction, often while holding a row lock, so it should cost little more than
    # the round trip.
    return insert_one(
        AuditEntry(
            action=action,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            data=data or {},
        )
    )
