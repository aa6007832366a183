"""Acceptance (issue 17 §1): read-only pages may use a replica, quota and registration reads never
do (bouwplaats/core/db_router.py, enabled by DATABASE_REPLICA_URL).

Two layers:
- in this process, a second alias on the test database (a mirror, as settings make it under
  test) shows each routing choice: list pages and API lists read the replica; session pages,
  the registration path, members and anything inside a transaction read the primary; writes
  and migrations go to the primary;
- a real PostgreSQL streaming replica (pg_basebackup -R of a throwaway primary, second port)
  behind gunicorn: with the replica's replay paused, a new session is missing from the list
  (read from the replica) but its page answers and a member registers for it (primary).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest
from django.db import connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bouwplaats.accounts.models import User
from bouwplaats.core import db_router
from bouwplaats.core.db_router import REPLICA, ReplicaRouter, replica_reads
from bouwplaats.events import services
from bouwplaats.events.models import Registration, Session
from tests.factories import SessionFactory, UserFactory

from .conftest import ROOT, free_port, stop, wait_for_port

pytestmark = [pytest.mark.stack]

ROUTER = "bouwplaats.core.db_router.ReplicaRouter"
MIDDLEWARE = "bouwplaats.core.db_router.ReplicaReadsMiddleware"


@pytest.fixture(scope="module")
def replica_alias(django_db_setup, django_db_blocker):
    """Add the ``replica`` alias on the test database (a mirror, as settings make it in tests)."""
    connections.settings[REPLICA] = {
        **connections.settings["default"],
        "TEST": {**connections.settings["default"]["TEST"], "MIRROR": "default"},
    }
    try:
        yield REPLICA
    finally:
        with django_db_blocker.unblock():
            connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


@pytest.fixture
def replica(replica_alias, settings):
    """Switch the router and the middleware on; return the replica's connection."""
    settings.DATABASE_ROUTERS = [ROUTER]
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]
    return connections[REPLICA]


ON_BOTH = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


def tables(captured: CaptureQueriesContext) -> str:
    return " ".join(query["sql"] for query in captured.captured_queries)


@ON_BOTH
def test_routing_rules(replica):
    router = ReplicaRouter()
    assert router.db_for_read(Session) == "default"  # not switched on
    with replica_reads():
        assert router.db_for_read(Session) == REPLICA
        # Registrations and members: always the primary (quota, read-your-writes).
        assert router.db_for_read(Registration) == "default"
        assert router.db_for_read(User) == "default"
        assert router.db_for_write(Session) == "default"
        with transaction.atomic():
            assert router.db_for_read(Session) == "default"
        assert router.db_for_read(Session) == REPLICA
    assert router.db_for_read(Session) == "default"
    assert router.allow_migrate(REPLICA, "events") is False
    assert router.allow_migrate("default", "events") is True


def test_without_a_replica_every_read_is_the_primary(monkeypatch):
    # Only "default" configured, as without DATABASE_REPLICA_URL.
    monkeypatch.setattr(db_router, "connections", SimpleNamespace(databases={"default": {}}))
    with replica_reads():
        assert ReplicaRouter().db_for_read(Session) == "default"


@ON_BOTH
def test_list_pages_read_the_replica_session_pages_and_registration_the_primary(replica):
    session = SessionFactory(title="Netcongestie samen oplossen")
    member = UserFactory()
    client = Client()
    client.force_login(member)
    for path in ["/sessies/", "/api/v1/sessions"]:
        with CaptureQueriesContext(replica) as on_replica:
            response = client.get(path)
        assert response.status_code == 200
        assert "Netcongestie samen oplossen" in response.content.decode()
        assert "events_session" in tables(on_replica), path
    # The session's page shows seats and the member's own registration: the primary.
    with CaptureQueriesContext(replica) as on_replica:
        assert client.get(f"/sessies/{session.pk}/").status_code == 200
        assert client.get(f"/api/v1/sessions/{session.pk}").status_code == 200
    assert on_replica.captured_queries == []
    # Registering (a POST, the quota path) reads and writes the primary only.
    with CaptureQueriesContext(replica) as on_replica:
        response = client.post(f"/sessies/{session.pk}/aanmelden/")
    assert response.status_code == 302
    assert on_replica.captured_queries == []
    assert Registration.objects.get(session=session, member=member).status == "confirmed"


@ON_BOTH
def test_the_registration_service_never_reads_the_replica_even_when_switched_on(replica):
    session = SessionFactory(capacity=1)
    first, second = UserFactory(), UserFactory()
    with replica_reads(), CaptureQueriesContext(replica) as on_replica:
        assert Session.objects.filter(pk=session.pk).exists()  # the switch is on
        reads_before = len(on_replica.captured_queries)
        services.registration_create(session=session, member=first, answers={})
        services.registration_create(session=session, member=second, answers={})
    assert reads_before == 1
    assert len(on_replica.captured_queries) == reads_before
    assert sorted(Registration.objects.values_list("status", flat=True)) == [
        "confirmed",
        "waitlisted",
    ]


def test_database_replica_url_configures_the_alias_router_and_middleware():
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'replica': s.DATABASES['replica'], 'routers': s.DATABASE_ROUTERS, "
        "'middleware': s.MIDDLEWARE}, default=str))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bouwplaats.settings_test",
        "DATABASE_URL": "postgres://bouwplaats@db1.example:5432/bouwplaats",
        "DATABASE_REPLICA_URL": "postgres://lezer@db2.example:5432/bouwplaats",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    loaded = json.loads(out)
    assert loaded["replica"]["HOST"] == "db2.example"
    assert loaded["replica"]["USER"] == "lezer"
    assert loaded["replica"]["TEST"]["MIRROR"] == "default"
    assert loaded["routers"] == [ROUTER]
    assert loaded["middleware"][-1] == MIDDLEWARE


# --- a real streaming replica ---------------------------------------------------------------


def pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        pytest.fail(f"PostgreSQL's {name} is missing (Debian: postgresql)")
    return str(found[-1])


def as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.getuid() == 0 else command


class Cluster:
    """A throwaway PostgreSQL cluster in ``folder`` on ``port``, run as its own user."""

    def __init__(self, folder: Path, port: int):
        self.folder, self.port = folder, port

    def start(self) -> None:
        subprocess.run(
            as_postgres([pg_bin("pg_ctl"), "-D", str(self.folder), "-w", "-l",
                         str(self.folder) + ".log", "-o",
                         f"-p {self.port} -k {self.folder.parent} -c listen_addresses=127.0.0.1"
                         " -c fsync=off", "start"]),
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def stop(self) -> None:
        subprocess.run(
            as_postgres([pg_bin("pg_ctl"), "-D", str(self.folder), "-m", "immediate", "stop"]),
            check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def url(self) -> str:
        return f"postgres://bouwplaats@127.0.0.1:{self.port}/bouwplaats"

    def sql(self, statement: str):
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="bouwplaats", dbname="bouwplaats",
            autocommit=True,
        ) as db:  # fmt: skip
            return db.execute(statement).fetchall()


@pytest.fixture
def streaming_pair():
    """Start a primary and its streaming replica (pg_basebackup -R); yield (primary, replica)."""
    root = Path(tempfile.mkdtemp(prefix="bouwplaats-replica."))
    root.chmod(0o755)
    if os.getuid() == 0:
        shutil.chown(root, "postgres")
    primary = Cluster(root / "primary", free_port())
    standby = Cluster(root / "replica", free_port())
    started = []
    try:
        subprocess.run(
            as_postgres([pg_bin("initdb"), "-D", str(primary.folder), "-A", "trust",
                         "-U", "bouwplaats", "-E", "UTF8", "--locale=C.UTF-8"]),
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        primary.start()
        started.append(primary)
        subprocess.run(
            [pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(primary.port), "-U", "bouwplaats",
             "bouwplaats"], check=True,
        )  # fmt: skip
        subprocess.run(
            as_postgres([pg_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port),
                         "-U", "bouwplaats", "-D", str(standby.folder), "-R", "-X", "stream"]),
            check=True,
        )  # fmt: skip
        standby.start()
        started.append(standby)
        assert standby.sql("SELECT pg_is_in_recovery()") == [(True,)]
        yield primary, standby
    finally:
        for cluster in reversed(started):
            cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


def manage(env: dict, *arguments: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True,
        capture_output=True, text=True,
    ).stdout  # fmt: skip


CREATE_SESSION = """
import datetime, json
from django.utils import timezone
from bouwplaats.events.models import Session
from bouwplaats.programmes.models import Programme
from bouwplaats.accounts.models import ApiToken, User
host, _ = User.objects.get_or_create(email="gastvrouw@replica.example",
                                     defaults={"full_name": "Anna de Gastvrouw"})
programme, _ = Programme.objects.get_or_create(slug="beter-benutten",
                                               defaults={"name": "Beter Benutten"})
start = timezone.now() + datetime.timedelta(days=7)
session = Session.objects.create(programme=programme, type="bouwsessie", title=TITLE, host=host,
    start=start, end=start + datetime.timedelta(hours=2), location="Utrecht", capacity=1,
    status="published", created_by=host)
member = User.objects.create(email=f"lid{session.pk}@replica.example", full_name="Piet Lid")
key = ApiToken.generate_key()
ApiToken.objects.create(user=member, name="t", key_prefix=key[:10], key_hash=ApiToken.hash_key(key))
print(json.dumps({"id": session.pk, "key": key}))
"""


def wait_for(check, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.2)


def test_a_real_streaming_replica_serves_lists_while_registration_uses_the_primary(
    streaming_pair, tmp_path
):
    import urllib.request

    primary, standby = streaming_pair
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CACHE_URL", "TASKS_BACKEND", "DATABASE_REPLICA_URL"}
    }
    env.update(DJANGO_SETTINGS_MODULE="bouwplaats.settings_test", DATABASE_URL=primary.url())
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")

    def create(title: str) -> dict:
        code = CREATE_SESSION.replace("TITLE", repr(title))
        return json.loads(manage(env, "shell", "-c", code).strip().splitlines()[-1])

    first = create("Zichtbaar op de replica")
    wait_for(
        lambda: (
            standby.sql(f"SELECT count(*) FROM events_session WHERE id = {first['id']}") == [(1,)]
        ),
        "the replica to replay the first session",
    )

    port = free_port()
    log = (tmp_path / "web.log").open("w")
    web = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "bouwplaats.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT, env={**env, "DATABASE_REPLICA_URL": standby.url()}, stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for_port(port, web, seconds=60)

        def call(path: str, *, method: str = "GET", key: str | None = None):
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method)
            if key:
                request.add_header("Authorization", f"Bearer {key}")
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    return response.status, response.read().decode()
            except urllib.error.HTTPError as error:
                return error.code, error.read().decode()

        def listed(session_id: int) -> bool:
            status, body = call("/api/v1/sessions?limit=100")
            assert status == 200, body
            return session_id in [item["id"] for item in json.loads(body)["items"]]

        assert listed(first["id"])
        assert "Zichtbaar op de replica" in call("/sessies/")[1]

        # The replica stops replaying: what the primary gets next is not on it.
        standby.sql("SELECT pg_wal_replay_pause()")
        second = create("Alleen op de primaire database")
        assert standby.sql(f"SELECT count(*) FROM events_session WHERE id = {second['id']}") == [
            (0,)
        ]
        # The lists come from the replica: the new session is not there yet ...
        assert not listed(second["id"])
        assert "Alleen op de primaire database" not in call("/sessies/")[1]
        # ... but its page, and registering for it (the quota path), read the primary.
        status, body = call(f"/api/v1/sessions/{second['id']}")
        assert status == 200, body
        status, body = call(
            f"/api/v1/sessions/{second['id']}/registrations", method="POST", key=second["key"]
        )
        assert status == 201, body
        assert json.loads(body)["status"] == "confirmed"
        # The seat is taken on the primary: a second member is waitlisted, not confirmed.
        status, body = call(
            f"/api/v1/sessions/{second['id']}/registrations", method="POST", key=first["key"]
        )
        assert (status, json.loads(body)["status"]) == (201, "waitlisted"), body

        standby.sql("SELECT pg_wal_replay_resume()")
        wait_for(lambda: listed(second["id"]), "the list to show the replayed session")
    finally:
        stop(web)
        log.close()
