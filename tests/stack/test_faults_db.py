"""Acceptance (issue 17 §6): the database restarted during a registration rush.

A PostgreSQL cluster of this test's own (initdb/pg_ctl in a temporary folder, never the shared
one) holds a copy of the test database; gunicorn (2 sync workers, the production settings)
serves the registration API on it. Members register at once, from many threads, while the
cluster restarts; afterwards it restarts once more with nothing in flight, and the same
gunicorn processes must answer the next registrations without an error: a connection the
restart broke is dropped, not reused (CONN_HEALTH_CHECKS).

Clients get a success or an error, never a session booked beyond its capacity: the confirmed
registrations stay within the capacity, the session's seat count equals them, nobody is
waitlisted while a seat is free, and every member told 201 is registered.
"""

import http.client
import os
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from bouwplaats.accounts.services import api_token_create
from tests.factories import SessionFactory, UserFactory

from .conftest import ROOT, free_port, process_env, stop

pytestmark = [
    pytest.mark.stack,
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="copies the PostgreSQL test database: run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]

CAPACITY = 30
RUSH = 120  # members registering while the database restarts
AFTER = 40  # members registering after the quiet restart: every one must succeed
THREADS = 16


def pg_program(name: str) -> str:
    """Return the path of a PostgreSQL program (PATH, else Debian's versioned folder)."""
    found = shutil.which(name) or next(
        iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)), None
    )
    if found is None:
        pytest.fail(f"{name} is missing: install Debian's postgresql")
    return str(found)


class Cluster:
    """A throwaway PostgreSQL cluster on a free loopback port, run as its own user.

    initdb refuses to run as root, so as root the cluster belongs to ``postgres``.
    """

    def __init__(self):
        self.root = os.geteuid() == 0
        self.folder = Path(tempfile.mkdtemp(prefix="bouwplaats-faults-pg-"))
        if self.root:
            shutil.chown(self.folder, "postgres")
        self.port = free_port()
        self.data = self.folder / "data"
        self.url = f"postgres://bouwplaats@127.0.0.1:{self.port}/bouwplaats"

    def run(self, *command: str) -> None:
        argv = list(command)
        if self.root:
            argv = ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(argv)]
        result = subprocess.run(argv, capture_output=True, text=True, cwd=self.folder)
        assert result.returncode == 0, f"{command[0]}: {result.stderr}"

    def pg_ctl(self, *arguments: str) -> None:
        # Always with -l: a server started without a log file would hold pg_ctl's output open.
        self.run(pg_program("pg_ctl"), "-D", str(self.data), "-w", "-t", "60", *arguments)

    def start(self) -> None:
        self.run(pg_program("initdb"), "--no-sync", "-D", str(self.data), "-A", "trust",
                 "-U", "bouwplaats")  # fmt: skip
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.pg_ctl("-l", str(self.folder / "log"), "-o", options, "start")
        self.run(pg_program("createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                 "-U", "bouwplaats", "bouwplaats")  # fmt: skip

    def restart(self) -> None:
        """Restart the server (fast: open transactions end, every connection is cut)."""
        self.pg_ctl("-l", str(self.folder / "log"), "-m", "fast", "restart")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.pg_ctl("-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def cluster():
    """Start a cluster of this test's own; yield it; remove it afterwards."""
    own = Cluster()
    try:
        own.start()
        yield own
    finally:
        own.remove()


def copy_test_database(target: Cluster) -> None:
    """Copy the (migrated, committed) test database into ``target``: quicker than migrating."""
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    dump = subprocess.run(
        [pg_program("pg_dump"), "--no-owner", "--no-privileges", "-h", db["HOST"] or "127.0.0.1",
         "-p", str(db["PORT"] or 5432), "-U", db["USER"], db["NAME"]],
        capture_output=True, env=env, check=True,
    ).stdout  # fmt: skip
    restore = subprocess.run(
        [pg_program("psql"), "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
         "-p", str(target.port), "-U", "bouwplaats", "bouwplaats"],
        input=dump, capture_output=True,
    )  # fmt: skip
    assert restore.returncode == 0, restore.stderr.decode()


class Gunicorn:
    """gunicorn with 2 sync workers on the production settings, as `bin/serve` runs it."""

    def __init__(self, database_url: str, log: Path):
        self.port = free_port()
        env = process_env()
        env.pop("BOUWPLAATS_TESTING", None)
        env.update(
            DJANGO_SETTINGS_MODULE="bouwplaats.settings",
            DATABASE_URL=database_url,
            SECRET_KEY=secrets.token_urlsafe(50),
            DEBUG="0",
            HTTPS="0",
            TASKS_BACKEND="django_tasks_db.DatabaseBackend",
            SITE_URL=f"http://127.0.0.1:{self.port}",
        )
        with log.open("w") as output:
            self.process = subprocess.Popen(
                [str(Path(sys.executable).with_name("gunicorn")), "bouwplaats.wsgi:application",
                 "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--timeout", "60"],
                cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.log = log

    def request(self, method: str, path: str, headers: dict | None = None) -> int:
        """Send one request on a new connection; return its status (0: no answer)."""
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            conn.request(method, path, body=b"" if method == "POST" else None,
                         headers=headers or {})  # fmt: skip
            response = conn.getresponse()
            response.read()
            conn.close()
        except OSError:
            return 0
        return response.status

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 60
        while self.request("GET", "/healthz") != 200:
            assert self.process.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, self.log.read_text()
            time.sleep(0.1)

    def workers(self) -> set[int]:
        """Return the pids of the gunicorn worker processes (the master's children)."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return {int(child) for child in children}


def register_all(server: Gunicorn, session_id: int, keys: list[str], *, started=None) -> dict:
    """Register each key's member over THREADS threads; return {key: status}.

    ``started`` (an Event) is set once the first registration has been answered with 201.
    """
    pending = list(keys)
    lock = threading.Lock()
    statuses: dict[str, int] = {}
    path = f"/api/v1/sessions/{session_id}/registrations"

    def client():
        while True:
            with lock:
                if not pending:
                    return
                key = pending.pop()
            status = server.request("POST", path, {"Authorization": f"Bearer {key}"})
            with lock:
                statuses[key] = status
            if status == 201 and started is not None:
                started.set()

    threads = [threading.Thread(target=client) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def registrations(url: str, session_id: int) -> tuple[Counter, int, set[int]]:
    """Read (count per status, the session's seat count, registered member ids) from ``url``."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT member_id, status FROM events_registration WHERE session_id = %s",
            [session_id],
        ).fetchall()
        seats = conn.execute(
            "SELECT seats_confirmed FROM events_session WHERE id = %s", [session_id]
        ).fetchone()[0]
    return Counter(status for _member, status in rows), seats, {member for member, _s in rows}


def test_a_database_restart_during_a_registration_rush_never_overbooks(cluster, tmp_path):
    session = SessionFactory(capacity=CAPACITY, title="Bouwsessie Slim Reizen")
    members = UserFactory.create_batch(RUSH + AFTER)
    key_of = {}
    for member in members:
        _token, key_of[member.pk] = api_token_create(user=member, name="rush")
    member_of = {key: pk for pk, key in key_of.items()}
    keys = list(key_of.values())
    copy_test_database(cluster)

    server = Gunicorn(cluster.url, tmp_path / "gunicorn.log")
    try:
        server.wait_until_up()
        workers = server.workers()

        # The rush: the database restarts once registrations are going through; the threads
        # go on registering meanwhile and after it.
        going = threading.Event()
        restarted = threading.Event()

        def restart_when_going():
            going.wait(60)
            cluster.restart()
            restarted.set()

        restarter = threading.Thread(target=restart_when_going)
        restarter.start()
        statuses = register_all(server, session.pk, keys[:RUSH], started=going)
        restarter.join()
        assert restarted.is_set(), "the registrations never went through"
        assert set(statuses.values()) <= {0, 201, 500, 502, 503}, Counter(statuses.values())

        # A restart with nothing in flight: the workers' kept connections are all broken now.
        assert server.request("GET", f"/api/v1/sessions/{session.pk}") == 200
        cluster.restart()
        later = register_all(server, session.pk, keys[RUSH:])
        assert Counter(later.values()) == {201: AFTER}, "the same processes recover at once"
        assert server.workers() == workers, "no gunicorn worker had to be replaced"
        assert server.process.poll() is None
    finally:
        stop(server.process)

    counts, seats, registered = registrations(cluster.url, session.pk)
    assert counts["confirmed"] <= CAPACITY, "never overbooked"
    assert seats == counts["confirmed"], "the seat count matches the confirmed registrations"
    total = sum(counts.values())
    assert counts["confirmed"] == min(CAPACITY, total), "nobody waits while a seat is free"
    told_yes = {member_of[key] for key, status in {**statuses, **later}.items() if status == 201}
    assert told_yes <= registered, "every member told 201 is registered"
    assert counts["waitlisted"] > 0, "the rush went beyond the capacity"
