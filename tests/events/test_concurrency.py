"""Registration rush: the row lock on the session keeps confirmed <= capacity (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from bouwplaats.events import services
from bouwplaats.events.models import Registration
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
    assert Registration.objects.filter(session=session, status="waitlisted").count() == (
        THREADS - CAPACITY
    )


def test_rush_without_row_lock_overbooks(transactional_db, monkeypatch):
    """The control: the same rush without the lock shows that the race is real."""
    monkeypatch.setattr(services, "USE_ROW_LOCK", False)
    counts = []
    for _attempt in range(8):
        session = SessionFactory(capacity=CAPACITY)
        rush(session, UserFactory.create_batch(THREADS))
        counts.append(confirmed(session))
        if counts[-1] > CAPACITY:
            break
    assert max(counts) > CAPACITY, counts
