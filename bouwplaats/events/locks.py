"""The session's row lock: registering, every other change of a session and the mail claim
take it, so that seat counts and the mail outbox are decided one transaction at a time."""

from collections.abc import Sequence

from .models import Session


def lock_session(
    session_id: int, *, fields: Sequence[str] = (), related: Sequence[str] = ()
) -> Session:
    """Return the session re-read under its row lock, inside the caller's transaction.

    ``fields`` limits the read to those fields (``only()``); ``related`` adds foreign keys read
    in the same statement (``select_related()``, not locked). On PostgreSQL this is
    ``SELECT … FOR UPDATE OF`` the session's row; SQLite has no row locks and relies on its
    one writer at a time. Raise ``Session.DoesNotExist`` when there is no such session.
    """
    sessions = Session.objects.select_for_update(of=("self",))
    if related:
        sessions = sessions.select_related(*related)
    if fields:
        sessions = sessions.only(*fields)
    return sessions.get(pk=session_id)
