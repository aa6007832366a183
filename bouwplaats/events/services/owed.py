"""Owed work of the sessions for `manage.py requeue_owed_work`: registration mails due."""

from .. import outbox, tasks


def owed_work_requeue() -> int:
    """Queue the mail task of every session with registration mails owed; return how many.

    The task claims what is due under the session's lock, so a second one finds nothing.
    """
    sessions = outbox.sessions_with_due_mails()
    for session_id in sessions:
        tasks.send_registration_mails.enqueue(session_id)
    return len(sessions)
