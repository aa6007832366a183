"""Writes on sessions and registrations, a module per concern; callers import from here."""

from . import common
from .exports import participants_export
from .hosting import promotion_raises_capacity, registration_approve_many, registration_promote
from .registrations import (
    MAIL_TASK_PATIENCE,
    registration_approve,
    registration_cancel,
    registration_create,
    registration_decline,
    registration_delete,
    registration_forget,
)
from .sessions import (
    EDITABLE_FIELDS,
    TRACKED_FIELDS,
    cohost_invitation_accept,
    cohost_invitation_decline,
    cohost_invitation_withdraw,
    cohost_invite,
    cohost_remove,
    session_cancel,
    session_create,
    session_facilitation_accept,
    session_message_participants,
    session_publish,
    session_request_facilitation,
    session_send_back,
    session_update,
)

__all__ = [
    "EDITABLE_FIELDS",
    "MAIL_TASK_PATIENCE",
    "TRACKED_FIELDS",
    "cohost_invitation_accept",
    "cohost_invitation_decline",
    "cohost_invitation_withdraw",
    "cohost_invite",
    "cohost_remove",
    "common",
    "participants_export",
    "promotion_raises_capacity",
    "registration_approve_many",
    "registration_promote",
    "registration_approve",
    "registration_cancel",
    "registration_create",
    "registration_decline",
    "registration_delete",
    "registration_forget",
    "session_cancel",
    "session_create",
    "session_facilitation_accept",
    "session_message_participants",
    "session_publish",
    "session_request_facilitation",
    "session_send_back",
    "session_update",
]
