"""Benchmark a registration rush: 1,000 members sign up at once for one session of 50 seats.

Runs the real stack: a throwaway PostgreSQL cluster (or a throwaway database on the server
that ``DATABASE_URL`` names, if that is PostgreSQL), ``migrate``, gunicorn with 2 workers
(sync workers, as ``bin/serve`` runs them; ``RUSH_THREADS=4`` tries gthread workers with 4
threads each) on a free loopback port, the production settings, and 1,000
concurrent ``POST /api/v1/sessions/{id}/registrations`` by 1,000 distinct members with their
own API tokens, over 50 client connections (threads with ``http.client``, a new connection
per request for the baseline and the rush alike).

The measurement runs in rounds (3; ``RUSH_ROUNDS`` overrides). Each round fires
``GET /bench/ping/`` 1,000 times (a bare Django JSON view, mounted by a bench-only URLconf in
front of the real one, so it passes the same middleware), then the rush on a session of its
own by 1,000 members of its own (every round is a first rush with fresh tokens), then the
1,000 pings again; the baseline is the pings' rate over both.

Prints one JSON line on stdout, with the figures of the round whose ratio is the median:

- ``confirmed`` / ``waitlisted``: counted in the database afterwards (must be 50 and 950);
  ``all_confirmed`` lists every round's;
- ``mails_owed``: registrations whose mail is on record to be sent (no task worker runs
  during the benchmark; must be 1,000); ``all_mails_owed`` lists every round's;
- ``errors``: responses other than 201 and failed requests, summed over all rounds;
- ``registrations_per_s``, ``p50_ms``, ``p99_ms``: of the rush;
- ``baseline_rps``: requests/s of the bare view, same client, before and after the rush;
- ``ratio`` = registrations_per_s / baseline_rps; ``all_ratios`` lists every round's.

Usage: ``.venv/bin/python bench/registration_rush.py``.
"""

import contextlib
import datetime
import http.client
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable
GUNICORN = str(Path(PY).with_name("gunicorn"))

MEMBERS = 1000
CAPACITY = 50
CONNECTIONS = 50
WORKERS = 2
THREADS = int(os.environ.get("RUSH_THREADS", "1"))
ROUNDS = int(os.environ.get("RUSH_ROUNDS", "3"))

BENCH_SETTINGS = """
from bouwplaats.settings import *  # noqa
ROOT_URLCONF = "bench_urls"
"""

BENCH_URLS = """
from django.http import JsonResponse
from django.urls import path

from bouwplaats.urls import *  # noqa
from bouwplaats.urls import urlpatterns as site_patterns


def ping(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/ping/", ping), *site_patterns]
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_bin(name: str) -> str:
    """Return the absolute path of a PostgreSQL program (PATH, else Debian's versioned dir)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not candidates:
        raise RuntimeError(f"{name} not found: install PostgreSQL or set DATABASE_URL")
    return str(candidates[-1])


def run(cmd: list[str], *, as_postgres: bool = False, **kwargs) -> None:
    if as_postgres:
        cmd = ["su", "postgres", "-c", " ".join(cmd)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kwargs)


class Database:
    """A throwaway PostgreSQL database: own cluster, or a new database on DATABASE_URL."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.cluster = None
        self.admin_url = None
        self.name = f"bench_rush_{os.getpid()}"

    def start(self) -> str:
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith(("postgres://", "postgresql://")):
            self.admin_url = url
            self._admin(f'CREATE DATABASE "{self.name}"')
            return urllib.parse.urlunparse(urllib.parse.urlparse(url)._replace(path=self.name))
        root = os.geteuid() == 0
        self.cluster = self.workdir / "pg"
        self.cluster.mkdir()
        if root:
            shutil.chown(self.workdir, "postgres")
            shutil.chown(self.cluster, "postgres")
        port = free_port()
        data = self.cluster / "data"
        run(
            [pg_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "bouwplaats"], as_postgres=root
        )
        options = f"-p {port} -k {self.cluster} -c listen_addresses=127.0.0.1 -c fsync=off"
        start = [pg_bin("pg_ctl"), "-D", str(data), "-w", "-l", str(self.cluster / "log"), "start"]
        if root:
            run([*start[:-1], "-o", f"'{options}'", "start"], as_postgres=True)
        else:
            run([*start[:-1], "-o", options, "start"])
        run(
            [
                pg_bin("createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "bouwplaats",
                "bouwplaats",
            ]
        )
        return f"postgres://bouwplaats@127.0.0.1:{port}/bouwplaats"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql)

    def stop(self) -> None:
        if self.admin_url:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        if self.cluster:
            stop = [pg_bin("pg_ctl"), "-D", str(self.cluster / "data"), "-m", "immediate", "stop"]
            run(stop, as_postgres=os.geteuid() == 0)


def prepare(database_url: str) -> list[tuple[int, list[str]]]:
    """Migrate; per round create a session and its own members with tokens.

    Return one (session id, keys) per round: every round is a first rush of fresh members.
    """
    import django

    os.environ["DATABASE_URL"] = database_url
    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from bouwplaats.accounts.models import ApiToken, User
    from bouwplaats.events.models import Session
    from bouwplaats.programmes.models import Programme

    call_command("migrate", verbosity=0)
    host = User.objects.create(email="host@rush.example", full_name="Jaco Pieper")
    programme = Programme.objects.create(name="Beter Benutten", slug="beter-benutten")
    start = timezone.now() + datetime.timedelta(days=7)
    rounds = []
    for number in range(ROUNDS):
        members = User.objects.bulk_create(
            User(
                email=f"lid{number}-{i}@rush.example",
                full_name=f"Lid {i}",
                function="Programmamanager",
            )
            for i in range(MEMBERS)
        )
        keys = [ApiToken.generate_key() for _ in members]
        ApiToken.objects.bulk_create(
            ApiToken(user=m, name="rush", key_prefix=k[:10], key_hash=ApiToken.hash_key(k))
            for m, k in zip(members, keys, strict=True)
        )
        session = Session.objects.create(
            programme=programme,
            type="bouwsessie",
            title=f"Programmamanagers: door ná 2017 ({number + 1})",
            host=host,
            start=start,
            end=start + datetime.timedelta(hours=3),
            location="Utrecht",
            capacity=CAPACITY,
            status="published",
        )
        rounds.append((session.pk, keys))
    connections.close_all()
    return rounds


def fire(port: int, requests: list[tuple[str, str, dict]]) -> tuple[float, list[float], list]:
    """Send the requests over CONNECTIONS threads; return (seconds, latencies, results)."""
    lock = threading.Lock()
    queue = list(enumerate(requests))
    latencies = [0.0] * len(requests)
    results: list = [None] * len(requests)

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                index, (method, path, headers) = queue.pop()
            began = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request(method, path, body=b"" if method == "POST" else None, headers=headers)
                response = conn.getresponse()
                body = response.read()
                conn.close()
                results[index] = (response.status, body)
            except OSError as exc:
                results[index] = (0, str(exc).encode())
            latencies[index] = time.perf_counter() - began

    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, latencies, results


def wait_until_up(port: int, server: subprocess.Popen) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped during start-up")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/ping/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")


def run_round(port: int, session_id: int, keys: list[str]) -> dict:
    """Measure the baseline, then the rush on its own session; return the round's figures."""
    from django.db import connections

    from bouwplaats.events.models import Registration

    pings = [("GET", "/bench/ping/", {})] * MEMBERS
    before, _lat, before_results = fire(port, pings)
    path = f"/api/v1/sessions/{session_id}/registrations"
    rush = [("POST", path, {"Authorization": f"Bearer {key}"}) for key in keys]
    seconds, latencies, results = fire(port, rush)
    # The baseline is measured just before and just after the rush, so that a change in the
    # machine's load during the round weighs on both sides of the ratio.
    after, _lat, after_results = fire(port, pings)
    baseline_errors = sum(1 for s, _b in before_results + after_results if s != 200)
    baseline_rps = 2 * MEMBERS / (before + after)
    errors = sum(1 for status, _body in results if status != 201)
    for status, body in results:
        if status != 201:
            log(f"registration_rush: {status} {body[:200]!r}")
            break
    counts = {
        s: Registration.objects.filter(session_id=session_id, status=s).count()
        for s in ("confirmed", "waitlisted")
    }
    # No task worker runs here: every registration's mail must be on record as owed.
    mails_owed = Registration.objects.filter(session_id=session_id).exclude(mail_due="").count()
    connections.close_all()
    rps = MEMBERS / seconds
    return {
        "confirmed": counts["confirmed"],
        "waitlisted": counts["waitlisted"],
        "mails_owed": mails_owed,
        "errors": errors,
        "registrations_per_s": round(rps, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "baseline_rps": round(baseline_rps, 1),
        "baseline_errors": baseline_errors,
        "ratio": round(rps / baseline_rps, 3),
    }


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-rush-"))
    (workdir / "bench_settings.py").write_text(BENCH_SETTINGS)
    (workdir / "bench_urls.py").write_text(BENCH_URLS)
    sys.path.insert(0, str(workdir))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["DEBUG"] = "0"
    os.environ["HTTPS"] = "0"  # plain HTTP on loopback
    os.environ.pop("BOUWPLAATS_TESTING", None)
    os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    os.environ.pop("EMAIL_URL", None)
    os.environ.pop("EMAIL_HOST", None)
    database = Database(workdir)
    server = None
    try:
        database_url = database.start()
        log(f"registration_rush: database ready, preparing {ROUNDS} × {MEMBERS} members")
        rounds = prepare(database_url)
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "PYTHONPATH": f"{workdir}{os.pathsep}{ROOT}",
            "SITE_URL": f"http://127.0.0.1:{port}",
        }
        server = subprocess.Popen(
            [GUNICORN, "bouwplaats.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(WORKERS), "--threads", str(THREADS),
             "--log-level", "warning", "--backlog", "2048"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=sys.stderr,
        )  # fmt: skip
        wait_until_up(port, server)
        # Warm both paths on both workers before measuring.
        fire(port, [("GET", "/bench/ping/", {})] * 100)

        figures = [run_round(port, session_id, keys) for session_id, keys in rounds]
        # The round with the median ratio is reported: one disturbed round on a shared
        # machine should move the figure neither way.
        median = sorted(figures, key=lambda f: f["ratio"])[len(figures) // 2]
        print(
            json.dumps(
                {
                    "bench": "registration_rush",
                    "members": MEMBERS,
                    "capacity": CAPACITY,
                    "connections": CONNECTIONS,
                    "workers": WORKERS,
                    "threads": THREADS,
                    "rounds": len(figures),
                    **median,
                    "errors": sum(f["errors"] for f in figures),
                    "all_confirmed": [f["confirmed"] for f in figures],
                    "all_mails_owed": [f["mails_owed"] for f in figures],
                    "all_ratios": [f["ratio"] for f in figures],
                    "baseline": "GET /bench/ping/ (bare Django JsonResponse view, same stack)",
                }
            ),
            flush=True,
        )
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        with contextlib.suppress(Exception):  # Django may not have been set up
            from django.db import connections

            connections.close_all()
        database.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
