import pytest
from django.db import connection
from django.utils import timezone

from bouwplaats.core.db import fetch_one, insert_one
from bouwplaats.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_insert_one_writes_the_row_create_would(member):
    before = timezone.now()
    entry = insert_one(
        AuditEntry(
            action="events.registration.created",
            actor=member,
            object_type="events.registration",
            object_id="7",
            data={"status": "confirmed", "answers": {"Rol?": "wethouder"}},
        )
    )
    assert entry.pk is not None and not entry._state.adding
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor == member
    assert stored.data == {"status": "confirmed", "answers": {"Rol?": "wethouder"}}
    assert stored.created_at == entry.created_at and stored.created_at >= before
    assert (stored.action, stored.object_type, stored.object_id) == (
        "events.registration.created",
        "events.registration",
        "7",
    )


def test_insert_one_gives_each_row_its_own_key():
    first = insert_one(AuditEntry(action="a"))
    second = insert_one(AuditEntry(action="b"))
    assert second.pk > first.pk
    assert AuditEntry.objects.get(pk=second.pk).action == "b"
    assert AuditEntry.objects.get(pk=first.pk).actor is None


def test_fetch_one_converts_like_the_orm_and_keeps_extra_columns(member):
    entry = insert_one(AuditEntry(action="a", actor=member, data={"n": [1, 2]}))
    qn = connection.ops.quote_name
    table = qn(AuditEntry._meta.db_table)
    sql = f"SELECT id, actor_id, data, created_at, 41 + 1 AS answer FROM {table} WHERE id = %s"
    found = fetch_one(AuditEntry, sql, [entry.pk])
    assert isinstance(found, AuditEntry) and found.pk == entry.pk
    assert found.data == {"n": [1, 2]}
    assert found.created_at == AuditEntry.objects.get(pk=entry.pk).created_at
    assert found.created_at.tzinfo is not None
    assert found.answer == 42
    assert found.actor == member
    # Columns not selected stay deferred and load on first use, as with raw().
    assert found.get_deferred_fields() == {"action", "object_type", "object_id"}
    assert found.action == "a"
    assert fetch_one(AuditEntry, sql, [entry.pk + 1000]) is None
