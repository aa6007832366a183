"""A co-host invitation's link token is not stored, only its digest (issue 17).

The mailed link works; the database holds no working token, neither for new invitations nor
for those from before migration 0011 (whose mailed links keep working).
"""

import hashlib
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bouwplaats.core.models import AuditEntry
from bouwplaats.events import services
from bouwplaats.events.models import CoHostInvitation
from tests.factories import SessionFactory, UserFactory

BEFORE = [("events", "0010_part_time")]
AFTER = [("events", "0011_cohost_invitation_token_digest")]


def _rows() -> list[tuple]:
    """Return every stored invitation row as the database has it (all columns)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {CoHostInvitation._meta.db_table}")  # noqa: S608
        return cursor.fetchall()


def _stored_anywhere(token: str) -> bool:
    in_rows = any(token in str(value) for row in _rows() for value in row)
    in_audit = any(token in str(data) for data in AuditEntry.objects.values_list("data", flat=True))
    return in_rows or in_audit


@pytest.mark.django_db
def test_the_mailed_link_works_and_the_database_holds_no_plain_token(
    client, other_member, django_capture_on_commit_callbacks
):
    session = SessionFactory(status="draft")
    with django_capture_on_commit_callbacks(execute=True):
        services.cohost_invite(session=session, actor=session.host, emails=[other_member.email])
    path = urlsplit(re.search(r"https?://\S+/uitnodiging/[\w-]+/", mail.outbox[0].body)[0]).path
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert len(token) == 64

    stored = CoHostInvitation.objects.get()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not _stored_anywhere(token)

    client.force_login(other_member)
    assert client.get(path).status_code == 200
    response = client.post(f"{path}aanvaarden/", follow=True)
    assert "U organiseert nu mee" in response.text
    assert session.can_manage(other_member)


@pytest.mark.django_db
def test_a_token_that_only_resembles_one_is_not_found(client, other_member):
    session = SessionFactory(status="draft")
    [invitation] = services.cohost_invite(
        session=session, actor=session.host, emails=[other_member.email]
    )
    # The token with its last character changed (to "1" when it ends in "0", else to "0").
    last = "1" if invitation.token.endswith("0") else "0"
    near = invitation.token[:-1] + last
    assert near != invitation.token
    for wrong in (invitation.token_hash, invitation.token_seed, near):
        assert client.get(f"/sessies/uitnodiging/{wrong}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_migration_hashes_existing_tokens_and_their_mailed_links_keep_working(client):
    invited = UserFactory(email="mede@example.nl")
    session = SessionFactory(status="draft")
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("events")
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("events", "CoHostInvitation")
    mailed = "Oud_token-uit-een-mail-van-voor-de-migratie-0123456789abcdefghij"
    old.objects.create(
        session_id=session.pk,
        email="mede@example.nl",
        token=mailed,
        created_by_id=session.host_id,
        expires_at=session.start,
    )
    old.objects.create(
        session_id=session.pk,
        email="ander@example.nl",
        token="tweede-token",
        status="declined",
        expires_at=session.start,
    )

    MigrationExecutor(connection).migrate(AFTER)
    assert not _stored_anywhere(mailed)
    MigrationExecutor(connection).migrate(latest)

    invitation = CoHostInvitation.objects.get(email="mede@example.nl")
    assert invitation.token_hash == hashlib.sha256(mailed.encode()).hexdigest()
    assert invitation.token == "" and invitation.get_absolute_url() == ""
    client.force_login(invited)
    assert client.get(f"/sessies/uitnodiging/{mailed}/").status_code == 200
    response = client.post(f"/sessies/uitnodiging/{mailed}/aanvaarden/", follow=True)
    assert "U organiseert nu mee" in response.text
    assert session.can_manage(invited)
