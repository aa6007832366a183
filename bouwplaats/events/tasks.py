"""Background work for sessions: each task takes primary keys and calls mails or outbox.

The services enqueue these after their transaction commits; the work itself (texts,
recipients, claiming what is owed) lives in mails.py and outbox.py.
"""

import datetime

from django_tasks import task

from bouwplaats.core.background import enqueue_on_commit, owe_each

from . import mails, outbox


@task()
def send_registration_mails(session_id: int) -> None:
    """Send the mails owed to the session's registrants until none are due."""
    outbox.send_due_mails(session_id, watch=lambda lease: _watch(session_id, lease))


def _watch(session_id: int, lease: datetime.datetime) -> None:
    """Queue this task again, after commit, to run once ``lease`` has expired.

    The watchdog: any worker then sends what a killed one had claimed. Backends that cannot
    wait (the immediate one in tests) get none.
    """
    if send_registration_mails.get_backend().supports_defer:
        after = lease + datetime.timedelta(seconds=1)
        enqueue_on_commit(send_registration_mails.using(run_after=after), session_id)


@task()
def send_change_mail(session_id: int, change_ids: list[int]) -> None:
    """Owe one mail per confirmed or waiting participant listing what changed (SessionChange
    ids; core.background.owe_each: a crash re-mails nobody but the one being mailed)."""
    owe_each(
        (mail_change_to, (session_id, change_ids, pk))
        for pk in mails.recipient_ids(session_id, mails.CHANGE_STATUSES)
    )


@task()
def mail_change_to(session_id: int, change_ids: list[int], registration_id: int) -> None:
    """Mail the participant of ``registration_id`` what changed (SessionChange ids)."""
    mails.send_change_mail(session_id, change_ids, only=registration_id)


@task()
def send_cancellation_mail(session_id: int) -> None:
    """Owe one cancellation mail per registrant (core.background.owe_each)."""
    owe_each(
        (mail_cancellation_to, (session_id, pk))
        for pk in mails.recipient_ids(session_id, mails.ACTIVE_STATUSES)
    )


@task()
def mail_cancellation_to(session_id: int, registration_id: int) -> None:
    """Mail the registrant of ``registration_id`` that the session is cancelled."""
    mails.send_cancellation_mail(session_id, only=registration_id)


@task()
def send_participants_message(
    session_id: int, subject: str, body: str, author_id: int | None = None
) -> None:
    """Owe the organiser's message once per confirmed participant (core.background.owe_each)."""
    owe_each(
        (mail_participants_message_to, (session_id, subject, body, author_id, pk))
        for pk in mails.recipient_ids(session_id, mails.MESSAGE_STATUSES)
    )


@task()
def mail_participants_message_to(
    session_id: int, subject: str, body: str, author_id: int | None, registration_id: int
) -> None:
    """Mail the organiser's message to the participant of ``registration_id``."""
    mails.send_participants_message(session_id, subject, body, author_id, only=registration_id)


@task()
def send_team_notice(session_id: int, kind: str) -> None:
    """Tell the programme team of a facilitation request or a member-organised session."""
    mails.send_team_notice(session_id, kind)


@task()
def send_organiser_notice(session_id: int, kind: str) -> None:
    """Tell the host that the session was published or that facilitation was answered."""
    mails.send_organiser_notice(session_id, kind)


@task()
def send_sent_back_mail(session_id: int) -> None:
    """Tell the host that the programme team sent the session back."""
    mails.send_sent_back_mail(session_id)


@task()
def send_cohost_invitation(invitation_id: int) -> None:
    """Mail a co-host invitation to its address."""
    mails.send_cohost_invitation(invitation_id)
