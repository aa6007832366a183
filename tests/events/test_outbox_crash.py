"""Acceptance: registration mails that a SIGKILLed `db_worker` had claimed but not sent are
sent by a fresh `db_worker` alone: every member gets their mail, at most one duplicate per
crash (issue 11 §3). The claim keeps the obligation on the row until the server took the
mail; a watchdog task queued for after the claim's lease hands it to any running worker.
"""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from bouwplaats.events import outbox, tasks
from bouwplaats.events.models import Registration
from tests.factories import RegistrationFactory, SessionFactory, UserFactory
from tests.newsletters.conftest import RecordingHandler, free_port
from tests.newsletters.test_crash_worker import db_worker, kill_when, stop, wait_for

MEMBERS = 250


@pytest.fixture
def sink():
    from aiosmtpd.controller import Controller

    handler = RecordingHandler(delay=0.003)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


@pytest.mark.django_db(transaction=True)
def test_registration_mails_of_a_killed_db_worker_are_sent_by_a_fresh_one(settings, sink):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    controller, handler = sink
    session = SessionFactory()
    members = [UserFactory(email=f"deelnemer{n:03}@example.nl") for n in range(MEMBERS)]
    now = timezone.now()
    for n, member in enumerate(members):
        RegistrationFactory(
            session=session,
            member=member,
            mail_due="confirmed",
            mail_due_at=now - datetime.timedelta(seconds=MEMBERS - n),
        )
    tasks.send_registration_mails.enqueue(session.pk)

    first = db_worker(controller.port)
    try:
        kill_when(handler, first, 40)  # inside the first claimed batch of 100
    finally:
        stop(first)
    owed = Registration.objects.filter(session=session).exclude(mail_due="")
    # What the dead worker had claimed but not sent is still owed.
    assert owed.count() >= MEMBERS - handler.count() > 0

    fresh = db_worker(controller.port)
    try:
        wait_for(lambda: not owed.exists(), fresh)
    finally:
        stop(fresh)

    received = Counter(rcpt[0] for rcpt, _data in handler.messages)
    assert set(received) == {member.email for member in members}
    assert sum(received.values()) - MEMBERS <= 1, "at most one duplicate per crash"


@pytest.mark.django_db
def test_a_claim_keeps_the_mail_owed_under_a_lease_until_the_server_took_it(settings):
    settings.MAIL_CLAIM_LEASE = 60
    session = SessionFactory()
    registrations = [
        RegistrationFactory(
            session=session,
            mail_due="confirmed",
            mail_due_at=timezone.now() - datetime.timedelta(minutes=1),
        )
        for _n in range(2)
    ]
    first_due = Registration.objects.get(pk=registrations[0].pk).mail_due_at
    claimed = outbox.claim_due_mails(session.pk)
    assert [r.pk for r, _kind in claimed] == [r.pk for r in registrations]
    leased = Registration.objects.get(pk=registrations[0].pk)
    assert leased.mail_due == "confirmed"
    assert 55 < (leased.mail_due_at - timezone.now()).total_seconds() <= 60
    # Leased: no other worker takes them before the lease ends.
    assert outbox.claim_due_mails(session.pk) == []

    registration, kind = claimed[0]
    assert registration.mail_due_at == first_due
    outbox.mark_mail_sent(registration, kind)
    assert Registration.objects.get(pk=registration.pk).mail_due == ""
    # A lease that ran out (its worker died): the mail is taken again.
    Registration.objects.filter(pk=registrations[1].pk).update(
        mail_due_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert [r.pk for r, _kind in outbox.claim_due_mails(session.pk)] == [registrations[1].pk]


@pytest.mark.django_db
def test_a_newer_mail_owed_during_the_send_stays_owed(settings):
    session = SessionFactory()
    registration = RegistrationFactory(
        session=session, mail_due="confirmed", mail_due_at=timezone.now()
    )
    ((claimed, kind),) = outbox.claim_due_mails(session.pk)
    Registration.objects.filter(pk=registration.pk).update(
        mail_due="cancelled", mail_due_at=timezone.now()
    )
    outbox.mark_mail_sent(claimed, kind)
    assert Registration.objects.get(pk=registration.pk).mail_due == "cancelled"


@pytest.mark.django_db
def test_a_member_whose_address_is_refused_for_good_does_not_hold_up_the_others(settings):
    """A 5xx refusal of one member fails only that mail (recorded), the others go out, and it
    does not come back on every run."""
    from aiosmtpd.controller import Controller

    from bouwplaats.core.models import AuditEntry

    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
        session = SessionFactory()
        emails = ["eerst@example.nl", "weiger@example.nl", "laatst@example.nl"]
        for n, address in enumerate(emails):
            RegistrationFactory(
                session=session,
                member=UserFactory(email=address),
                mail_due="confirmed",
                mail_due_at=timezone.now() - datetime.timedelta(seconds=10 - n),
            )
        outbox.send_due_mails(session.pk)
    finally:
        controller.stop()
    assert [rcpt for rcpt, _data in handler.messages] == [
        ["eerst@example.nl"],
        ["laatst@example.nl"],
    ]
    assert not Registration.objects.exclude(mail_due="").exists()
    failure = AuditEntry.objects.get(action="events.registration.mail_failed")
    assert "550" in failure.data["reason"]
