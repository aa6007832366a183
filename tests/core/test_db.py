import pytest
from django.utils import timezone

from bouwplaats.core.db import insert_one
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
