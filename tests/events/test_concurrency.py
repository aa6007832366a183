"""Registration rush: the row lock on the session keeps confirmed <= capacity (PostgreSQL)."""

import threading

import pytest
from django.core import mail
from django.db import connection, connections

from bouwplaats.events import locks, services
from bouwplaats.events.models import Registration, Session
from tests.factories import SessionFactory, UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL: run with DATABASE_URL=postgres://…",
    ),
]

CAPACITY = 5
THREADS = 24


def read_without_lock(session_id, *, fields=(), related=()):
    """Stand-in for locks.lock_session that reads the same row without FOR UPDATE."""
    sessions = Session.objects.all()
    if related:
        sessions = sessions.select_related(*related)
    if fields:
        sessions = sessions.only(*fields)
    return sessions.get(pk=session_id)


def rush(session, members) -> list[BaseException]:
    """Register every member at the same moment, each from its own thread and connection."""
    barrier = threading.Barrier(len(members))
    errors: list[BaseException] = []

    def register(member):
        try:
            barrier.wait()
            services.registration_create(session=session, member=member)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(m,)) for m in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def confirmed(session) -> int:
    return Registration.objects.filter(session=session, status="confirmed").count()


def test_rush_never_overbooks_with_row_lock(transactional_db):
    session = SessionFactory(capacity=CAPACITY)
    members = UserFactory.create_batch(THREADS)
    errors = rush(session, members)
    assert errors == []
    assert confirmed(session) == CAPACITY
    session.refresh_from_db()
    assert session.seats_confirmed == CAPACITY
    assert Registration.objects.filter(session=session, status="waitlisted").count() == (
        THREADS - CAPACITY
    )


def test_rush_mails_everyone_exactly_once(transactional_db):
    """Registrations and the mail task race; no owed mail is left behind or sent twice."""
    session = SessionFactory(capacity=CAPACITY)
    members = UserFactory.create_batch(THREADS)
    # The immediate task backend runs the mail task in the registering thread at its commit,
    # so claims run while other registrations still decide whether a task is on its way.
    for _round in range(3):
        assert rush(session, members) == []
        assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members)
        assert not Registration.objects.filter(session=session).exclude(mail_due="").exists()
        Registration.objects.filter(session=session).delete()
        mail.outbox.clear()


def test_rush_without_row_lock_loses_or_repeats_mails(transactional_db, monkeypatch):
    """The control: without the lock a mail task can stop while a mail is still owed."""
    monkeypatch.setattr(locks, "lock_session", read_without_lock)
    session = SessionFactory(capacity=None)
    members = UserFactory.create_batch(THREADS)
    outcomes = []
    for _attempt in range(8):
        rush(session, members)
        sent = sorted(m.to[0] for m in mail.outbox)
        outcomes.append(sent == sorted(m.email for m in members))
        if not outcomes[-1]:
            break
        Registration.objects.filter(session=session).delete()
        mail.outbox.clear()
    assert not all(outcomes), outcomes


def test_rush_without_row_lock_overbooks(transactional_db, monkeypatch):
    """The control: the same rush without the lock shows that the race is real."""
    monkeypatch.setattr(locks, "lock_session", read_without_lock)
    counts = []
    for _attempt in range(8):
        session = SessionFactory(capacity=CAPACITY)
        rush(session, UserFactory.create_batch(THREADS))
        counts.append(confirmed(session))
        if counts[-1] > CAPACITY:
            break
    assert max(counts) > CAPACITY, counts
