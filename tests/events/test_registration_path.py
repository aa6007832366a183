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


def test_registration_takes_four_statements_however_long_the_waiting_list():
    short = SessionFactory(capacity=2)
    RegistrationFactory.create_batch(2, session=short)
    long = SessionFactory(capacity=2)
    RegistrationFactory.create_batch(2, session=long)
    RegistrationFactory.create_batch(40, session=long, status=S.WAITLISTED)
    members = UserFactory.create_batch(2)

    found = []
    for session, member in zip((short, long), members, strict=True):
        with CaptureQueriesContext(connection) as capture:
            registration = services.registration_create(
                session=Session(pk=session.pk), member=member
            )
        assert registration.status == S.WAITLISTED
        found.append(statements(capture))

    short_sql, long_sql = found
    # The session under its lock; in one statement the confirmed seats, the member's earlier
    # registration and whether a mail task is on its way; the insert; the audit entry.
    assert len(short_sql) == 4, "\n".join(short_sql)
    lock, state, insert, audit = long_sql
    assert 'FROM "events_session"' in lock
    if connection.vendor == "postgresql":
        assert lock.endswith('FOR UPDATE OF "events_session"')
    assert state.count('FROM "events_registration"') == 3
    assert "COUNT(" in state and '"member_id"' in state and '"mail_due_at" >' in state
    assert insert.startswith('INSERT INTO "events_registration"')
    assert audit.startswith('INSERT INTO "core_auditentry"')
    # Forty waiting members later the statements are the same, parameters aside.
    assert [shape(s) for s in long_sql] == [shape(s) for s in short_sql]


def test_the_seat_state_counts_confirmed_seats_finds_the_member_and_a_queued_mail():
    session = SessionFactory(capacity=5)
    member = UserFactory()
    assert services.registrations._seat_state(session.pk, member).get() == (0, None, False)
    RegistrationFactory.create_batch(2, session=session)
    RegistrationFactory(session=session, status=S.WAITLISTED)
    mine = RegistrationFactory(session=session, member=member, status=S.CANCELLED)
    RegistrationFactory(session=SessionFactory(), member=member)  # another session's
    assert services.registrations._seat_state(session.pk, member).get() == (2, mine.pk, False)
    RegistrationFactory(session=session, mail_due="confirmed", mail_due_at=timezone.now())
    assert services.registrations._seat_state(session.pk, member).get() == (3, mine.pk, True)


def test_a_returning_member_costs_one_statement_more():
    session = SessionFactory(capacity=2)
    cancelled = RegistrationFactory(session=session, status=S.CANCELLED)
    with CaptureQueriesContext(connection) as capture:
        services.registration_create(session=Session(pk=session.pk), member=cancelled.member)
    found = statements(capture)
    assert len(found) == 5, "\n".join(found)
    assert found[3].startswith('UPDATE "events_registration"')


def test_registration_reads_only_what_it_decides_on():
    session = SessionFactory(capacity=2, intro="Lang verhaal " * 500)
    member = UserFactory()
    with CaptureQueriesContext(connection) as capture:
        services.registration_create(session=Session(pk=session.pk), member=member)
    lock = statements(capture)[0]
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
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - datetime.timedelta(seconds=61)
    )
    with CaptureQueriesContext(connection) as capture:
        assert api_token_authenticate(key) == member
    assert len(statements(capture)) == 2
