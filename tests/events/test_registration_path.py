"""The busiest write on the platform, on the ORM: its statements are pinned (both databases)."""

import datetime

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bouwplaats.accounts.models import ApiToken
from bouwplaats.accounts.services import api_token_authenticate, api_token_create
from bouwplaats.core.models import AuditEntry
from bouwplaats.events import services
from bouwplaats.events.models import Registration, Session
from tests.factories import RegistrationFactory, SessionFactory, UserFactory

S = Registration.Status
pytestmark = pytest.mark.django_db


def statements(capture) -> list[str]:
    """Return the captured SQL without the savepoints of the test's own transaction."""
    return [
        q["sql"]
        for q in capture.captured_queries
        if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def shape(sql: str) -> str:
    """Return the statement without its values (the captured SQL has them filled in)."""
    return sql.split(" WHERE ")[0].split(" VALUES ")[0]


def test_registration_holds_the_lock_for_three_statements_however_long_the_waiting_list():
    short = SessionFactory(capacity=2)
    RegistrationFactory.create_batch(2, session=short)
    long = SessionFactory(capacity=2)
    RegistrationFactory.create_batch(2, session=long)
    RegistrationFactory.create_batch(40, session=long, status=S.WAITLISTED)
    members = UserFactory.create_batch(2)
    # A mail task is on its way for both: a registration in a rush queues no other.
    Session.objects.update(mail_task_queued_at=timezone.now())

    found = []
    for session, member in zip((short, long), members, strict=True):
        with CaptureQueriesContext(connection) as capture:
            registration = services.registration_create(
                session=Session(pk=session.pk), member=member
            )
        assert registration.status == S.WAITLISTED
        found.append(statements(capture))

    short_sql, long_sql = found
    # Before the lock: the member's earlier registration. Under it: the session with its seat
    # count and queued mail task, the insert, the audit entry; no row is counted.
    assert len(short_sql) == 4, "\n".join(short_sql)
    earlier, lock, insert, audit = long_sql
    assert earlier.startswith('SELECT "events_registration"."id"') and "JOIN" not in earlier
    assert '"events_session"."seats_confirmed"' in lock
    assert '"events_session"."mail_task_queued_at"' in lock
    if connection.vendor == "postgresql":
        assert lock.endswith('FOR UPDATE OF "events_session"')
    assert insert.startswith('INSERT INTO "events_registration"')
    assert audit.startswith('INSERT INTO "core_auditentry"')
    assert not any("COUNT(" in sql for sql in long_sql)
    # Forty waiting members later the statements are the same, parameters aside.
    assert [shape(s) for s in long_sql] == [shape(s) for s in short_sql]


def test_a_seat_taken_or_a_task_queued_is_written_on_the_session_row():
    session = SessionFactory(capacity=1)
    first, second, third = UserFactory.create_batch(3)
    with CaptureQueriesContext(connection) as capture:
        services.registration_create(session=Session(pk=session.pk), member=first)
    update = [s for s in statements(capture) if s.startswith('UPDATE "events_session"')]
    assert len(update) == 1 and '"seats_confirmed"' in update[0]
    assert '"mail_task_queued_at"' in update[0]
    session.refresh_from_db()
    assert session.seats_confirmed == 1
    assert session.mail_task_queued_at is not None

    # Full, and the task is on its way: nothing to write on the session.
    with CaptureQueriesContext(connection) as capture:
        services.registration_create(session=Session(pk=session.pk), member=second)
    assert not [s for s in statements(capture) if s.startswith('UPDATE "events_session"')]

    # A task queued longer ago than the patience is not trusted: the next one queues again.
    Session.objects.filter(pk=session.pk).update(
        mail_task_queued_at=timezone.now() - services.MAIL_TASK_PATIENCE
    )
    services.registration_create(session=Session(pk=session.pk), member=third)
    session.refresh_from_db()
    assert timezone.now() - session.mail_task_queued_at < services.MAIL_TASK_PATIENCE
    assert session.seats_confirmed == 1


def test_the_seat_count_stays_exact_through_every_change():
    session = SessionFactory(capacity=2, requires_approval=False)
    host = session.host

    def exact():
        session.refresh_from_db()
        confirmed = session.registrations.filter(status=S.CONFIRMED).count()
        assert session.seats_confirmed == confirmed
        return confirmed

    a, b, c, d, e = (
        services.registration_create(session=Session(pk=session.pk), member=UserFactory())
        for _ in range(5)
    )
    assert exact() == 2
    services.registration_cancel(registration=a, actor=a.member)  # c is promoted
    assert exact() == 2
    services.registration_decline(registration=b, actor=host, reason="Dubbel")  # d promoted
    assert exact() == 2
    services.registration_delete(registration=c, actor=host)  # e promoted
    assert exact() == 2
    # A stale copy (d was waiting when it was read, and has a seat now) frees its seat too.
    services.registration_forget(registration=d)
    assert exact() == 1
    again = services.registration_create(session=Session(pk=session.pk), member=a.member)
    assert again.status == S.CONFIRMED
    assert exact() == 2
    services.registration_cancel(registration=again, actor=host)
    assert exact() == 1

    approval = SessionFactory(capacity=1, requires_approval=True)
    pending = services.registration_create(session=Session(pk=approval.pk), member=UserFactory())
    approval.refresh_from_db()
    assert approval.seats_confirmed == 0
    services.registration_approve(registration=pending, actor=approval.host)
    approval.refresh_from_db()
    assert approval.seats_confirmed == 1


def test_a_count_that_drifted_is_repaired_by_the_next_change():
    session = SessionFactory(capacity=3)
    kept = RegistrationFactory(session=session)
    leaving = RegistrationFactory(session=session)
    # Written outside the services (an import, the admin): the count is off by one.
    Session.objects.filter(pk=session.pk).update(seats_confirmed=3)
    services.registration_cancel(registration=leaving, actor=leaving.member)
    session.refresh_from_db()
    assert session.seats_confirmed == 1
    assert kept.session_id == session.pk


def test_the_mail_task_clears_its_mark_once_none_are_due(django_capture_on_commit_callbacks):
    session = SessionFactory(capacity=5)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.registration_create(session=Session(pk=session.pk), member=UserFactory())
    assert len(callbacks) == 1  # the task ran and sent the mail
    session.refresh_from_db()
    assert session.mail_task_queued_at is None
    # So the next registration queues a task of its own.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.registration_create(session=Session(pk=session.pk), member=UserFactory())
    assert len(callbacks) == 1


def test_a_returning_member_costs_one_statement_more():
    session = SessionFactory(capacity=2)
    cancelled = RegistrationFactory(session=session, status=S.CANCELLED)
    Session.objects.filter(pk=session.pk).update(mail_task_queued_at=timezone.now())
    with CaptureQueriesContext(connection) as capture:
        services.registration_create(session=Session(pk=session.pk), member=cancelled.member)
    found = statements(capture)
    # earlier, lock, re-read of the earlier row, its update, the seat count, the audit entry
    assert len(found) == 6, "\n".join(found)
    assert found[2].startswith('SELECT "events_registration"')
    assert found[3].startswith('UPDATE "events_registration"')
    assert found[4].startswith('UPDATE "events_session"')


def test_an_earlier_registration_deleted_meanwhile_is_not_an_error(monkeypatch):
    session = SessionFactory(capacity=2)
    gone = RegistrationFactory(session=session, status=S.CANCELLED)
    member, pk = gone.member, gone.pk
    found = services.registrations._earlier_registration

    def found_then_deleted(session_pk, member_pk):
        earlier = found(session_pk, member_pk)
        Registration.objects.filter(pk=earlier).delete()  # the host deletes it meanwhile
        return earlier

    monkeypatch.setattr(services.registrations, "_earlier_registration", found_then_deleted)
    registration = services.registration_create(session=Session(pk=session.pk), member=member)
    assert registration.pk != pk and registration.status == S.CONFIRMED


def test_registration_reads_only_what_it_decides_on():
    session = SessionFactory(capacity=2, intro="Lang verhaal " * 500)
    member = UserFactory()
    with CaptureQueriesContext(connection) as capture:
        services.registration_create(session=Session(pk=session.pk), member=member)
    lock = statements(capture)[1]
    assert '"events_session"."capacity"' in lock
    assert '"events_session"."intro"' not in lock


def test_registration_and_its_audit_entry_are_saved_by_the_orm():
    """save() runs: signals fire and the rows come back as the ORM wrote them."""
    saved = []

    def record(sender, instance, created, **kwargs):
        saved.append((sender, created))

    post_save.connect(record, sender=Registration)
    post_save.connect(record, sender=AuditEntry)
    try:
        session = SessionFactory(capacity=2)
        registration = services.registration_create(session=session, member=UserFactory())
    finally:
        post_save.disconnect(record, sender=Registration)
        post_save.disconnect(record, sender=AuditEntry)
    assert saved == [(Registration, True), (AuditEntry, True)]
    stored = Registration.objects.get(pk=registration.pk)
    assert stored.created_at == registration.created_at
    assert stored.mail_due == "confirmed"


def test_re_registering_after_cancelling_reuses_the_row_at_the_back_of_the_queue():
    session = SessionFactory(capacity=1)
    cancelled = RegistrationFactory(session=session, status=S.CANCELLED, reason="weg")
    RegistrationFactory(session=session)
    again = services.registration_create(session=session, member=cancelled.member)
    cancelled.refresh_from_db()
    assert again.pk == cancelled.pk
    assert (cancelled.status, cancelled.reason) == (S.WAITLISTED, "")
    assert cancelled.mail_due == "waitlisted"
    assert cancelled.created_at > session.registrations.exclude(pk=cancelled.pk).get().created_at


def test_token_lookup_is_one_statement_and_writes_last_use_once_a_minute(member):
    token, key = api_token_create(user=member, name="koppeling")
    with CaptureQueriesContext(connection) as capture:
        assert api_token_authenticate(key) == member
    assert len(statements(capture)) == 2  # the lookup, and the first use written
    with CaptureQueriesContext(connection) as capture:
        assert api_token_authenticate(key) == member
    (lookup,) = statements(capture)
    assert 'INNER JOIN "accounts_user"' in lookup
    assert "ORDER BY" not in lookup  # the digest is unique: nothing to sort
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - datetime.timedelta(seconds=61)
    )
    with CaptureQueriesContext(connection) as capture:
        assert api_token_authenticate(key) == member
    assert len(statements(capture)) == 2
