"""Read replica routing (issue 17 §1): read-only pages may read from a replica.

Enabled when DATABASE_REPLICA_URL is set (settings: the ``replica`` alias, this router and
:class:`ReplicaReadsMiddleware`). The rules, in order:

- every write goes to the primary (``default``); migrations run on the primary only;
- a read goes to the replica only while replica reads are switched on for the current request
  or block: a GET or HEAD of a view named in settings.REPLICA_READ_VIEWS (read-only lists and
  searches), or code inside :func:`replica_reads`; everything else reads the primary;
- never inside a transaction: the registration and quota path runs in ``transaction.atomic``
  with ``select_for_update`` and so always reads the primary, as does any service;
- never for the models in PRIMARY_ONLY (registrations, members and their login sessions and
  addresses), so that quota and registration reads, and a member's own just-made changes, are
  always current.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

REPLICA = "replica"

# app_label.model_name (lower case) or app_label: always read from the primary.
PRIMARY_ONLY = frozenset(
    {
        "events.registration",
        "accounts",
        "account",
        "auth",
        "sessions",
        "mfa",
        "socialaccount",
    }
)

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


@contextmanager
def replica_reads():
    """Let reads outside a transaction in this block use the replica (when one is configured)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def primary_only(model) -> bool:
    """Return whether ``model`` is always read from the primary (PRIMARY_ONLY)."""
    meta = model._meta
    return meta.app_label in PRIMARY_ONLY or meta.label_lower in PRIMARY_ONLY


class ReplicaRouter:
    """Send reads to the replica by the module's rules; everything else to the primary."""

    def db_for_read(self, model, **hints):
        if not _replica_reads.get() or REPLICA not in connections.databases:
            return "default"
        if primary_only(model) or connections["default"].in_atomic_block:
            return "default"
        return REPLICA

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read there is the same row.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaReadsMiddleware:
    """Switch replica reads on for a GET or HEAD of a view in settings.REPLICA_READ_VIEWS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        token = getattr(request, "_replica_reads_token", None)
        if token is not None:
            _replica_reads.reset(token)
            del request._replica_reads_token
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            request.method in {"GET", "HEAD"}
            and match is not None
            and match.view_name in settings.REPLICA_READ_VIEWS
        ):
            request._replica_reads_token = _replica_reads.set(True)
        return None
