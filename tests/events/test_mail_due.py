"""Registration mails are owed on the registration row and sent by one task per session."""

import datetime
import io
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.utils import timezone

from bouwplaats.events import outbox, services, tasks
from bouwplaats.events.models import Registration
from tests.factories import RegistrationFactory, UserFactory

S = Registration.Status
pytestmark = pytest.mark.django_db


class RefusingBackend(EmailBackend):
    """The mail server goes away when it is handed a message for weg@example.nl."""

    def send_messages(self, messages):
        if any("weg@example.nl" in m.to for m in messages):
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def due(session):
    return list(
        session.registrations.exclude(mail_due="")
        .order_by("mail_due_at", "id")
        .values_list("member__email", "mail_due")
    )


def test_a_rush_queues_one_task_that_mails_everyone_in_order(
    session, django_capture_on_commit_callbacks
):
    members = UserFactory.create_batch(4)
    with django_capture_on_commit_callbacks() as callbacks:
        for member in members:
            services.registration_create(session=session, member=member)
    # The first registration queued the task; the others saw its mail still due.
    assert len(callbacks) == 1
    assert due(session) == [
        (members[0].email, "confirmed"),
        (members[1].email, "confirmed"),
        (members[2].email, "waitlisted"),
        (members[3].email, "waitlisted"),
    ]
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [[m.email] for m in members]
    assert "wachtlijst" in mail.outbox[2].subject
    assert due(session) == []


def test_a_mail_due_too_long_is_not_trusted_to_have_a_task(
    session, django_capture_on_commit_callbacks
):
    stale = RegistrationFactory(
        session=session,
        mail_due="confirmed",
        mail_due_at=timezone.now() - services.MAIL_TASK_PATIENCE - datetime.timedelta(seconds=1),
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.registration_create(session=session, member=UserFactory())
    assert len(callbacks) == 1
    assert mail.outbox[0].to == [stale.member.email]
    assert due(session) == []


def test_every_other_change_queues_the_task(session, django_capture_on_commit_callbacks):
    registration = RegistrationFactory(
        session=session, mail_due="confirmed", mail_due_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.registration_cancel(registration=registration, actor=registration.member)
    assert len(callbacks) == 1
    # The newer state wins: the member hears of the cancellation, not of the older sign-up.
    # (The host hears of it in a mail of their own, issue 15 §4.)
    to_member = [m for m in mail.outbox if m.to == [registration.member.email]]
    assert len(to_member) == 1
    assert "afgemeld" in to_member[0].subject
    assert len(mail.outbox) == 2


def test_mails_the_server_did_not_take_are_owed_again(
    session, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.events.test_mail_due.RefusingBackend"
    first, gone, last = (
        UserFactory(email="eerst@example.nl"),
        UserFactory(email="weg@example.nl"),
        UserFactory(email="laatst@example.nl"),
    )
    with django_capture_on_commit_callbacks() as callbacks:
        for member in (first, gone, last):
            services.registration_create(session=session, member=member)
    owed_since = session.registrations.get(member=gone).mail_due_at
    callbacks[0]()  # the task fails (the immediate backend records it as failed)
    assert [m.to for m in mail.outbox] == [[first.email]]
    assert due(session) == [(gone.email, "confirmed"), (last.email, "waitlisted")]
    assert session.registrations.get(member=gone).mail_due_at == owed_since

    # The server is back: the sweep sends what is owed, once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_registration_mails", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [[first.email], [gone.email], [last.email]]
    assert due(session) == []
    call_command("send_registration_mails", stdout=io.StringIO())
    assert len(mail.outbox) == 3


def test_claim_takes_a_batch_oldest_first_and_leases_it(session):
    registrations = RegistrationFactory.create_batch(3, session=session)
    for minutes, registration in zip((3, 1, 2), registrations, strict=True):
        registration.mail_due = "confirmed"
        registration.mail_due_at = timezone.now() - datetime.timedelta(minutes=minutes)
        registration.save()
    claimed = outbox.claim_due_mails(session.pk, limit=2)
    assert [(r.pk, kind) for r, kind in claimed] == [
        (registrations[0].pk, "confirmed"),
        (registrations[2].pk, "confirmed"),
    ]
    # The taken mails stay owed until sent, under a lease that keeps the next claim off them.
    assert [(r.pk, kind) for r, kind in outbox.claim_due_mails(session.pk)] == [
        (registrations[1].pk, "confirmed")
    ]
    assert outbox.claim_due_mails(session.pk) == []
    assert len(due(session)) == 3
    assert outbox.claim_due_mails(12345) == []


def test_a_cancellation_that_promotes_queues_one_task_for_both_mails(
    session, django_capture_on_commit_callbacks
):
    leaving, staying = RegistrationFactory.create_batch(2, session=session)
    waiting = RegistrationFactory(session=session, status=S.WAITLISTED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.registration_cancel(registration=leaving, actor=leaving.member)
    assert len(callbacks) == 1
    # The host's notice of the cancellation (issue 15 §4) comes beside the members' mails.
    host_notices = [m for m in mail.outbox if session.host.email in m.to[0]]
    assert len(host_notices) == 1
    mail.outbox[:] = [m for m in mail.outbox if m not in host_notices]
    assert [m.to for m in mail.outbox] == [[leaving.member.email], [waiting.member.email]]
    assert "plaats vrijgekomen" in mail.outbox[1].subject
    assert staying.member.email not in {m.to[0] for m in mail.outbox}


def test_the_mail_task_queues_a_watchdog_for_after_each_lease(
    session, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.MAIL_CLAIM_LEASE = 60
    from django_tasks import default_task_backend

    RegistrationFactory(session=session, mail_due="confirmed", mail_due_at=timezone.now())
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_registration_mails.call(session.pk)
    assert len(mail.outbox) == 1
    (watchdog,) = default_task_backend.results
    assert watchdog.args == [session.pk]
    wait = (watchdog.task.run_after - timezone.now()).total_seconds()
    assert 55 < wait < 62
    # The sweep command has no watchdog: it is the watchdog.
    default_task_backend.clear()
    RegistrationFactory(session=session, mail_due="confirmed", mail_due_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_registration_mails", stdout=io.StringIO())
    assert len(mail.outbox) == 2
    assert default_task_backend.results == []
