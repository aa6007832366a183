"""The production engines on loopback: Debian's redis-server and Exim, moto's S3 server.

Each server starts once per test session in a temporary folder and is stopped (never left
behind as a daemon) when the session ends. The Makefile's `stack-servers` target installs the
Debian packages, so a missing server fails the tests instead of skipping them.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, *, seconds: float = 30) -> None:
    """Wait until ``process`` accepts TCP connections on loopback ``port``."""
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise AssertionError(f"{process.args[0]} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise AssertionError(f"{process.args[0]} does not listen on {port}") from None
            time.sleep(0.05)


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """End ``process`` (and wait for it), killing it if it lingers."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def require(path: str, package: str) -> str:
    if not Path(path).exists():
        pytest.fail(f"{path} is missing: `make stack-servers` installs Debian's {package}")
    return path


def database_url() -> str:
    """Return the URL of the test database, which the other processes must use too."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = quote(db["PASSWORD"] or "")
    return f"postgres://{db['USER']}:{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def process_env(**extra: str) -> dict:
    """Return the environment of a Bouwplaats process on the test database (test settings)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("EMAIL_") and key not in {"CACHE_URL", "TASKS_BACKEND"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bouwplaats.settings_test",
        DATABASE_URL=database_url(),
        SITE_URL="https://bouwplaats.example.nl",
        **extra,
    )
    return env


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """Run Debian's redis-server on a free loopback port; yield its base URL."""
    binary = require("/usr/bin/redis-server", "redis-server")
    folder = tmp_path_factory.mktemp("redis")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
         "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port(port, process)
        yield f"redis://127.0.0.1:{port}"
    finally:
        stop(process)


@pytest.fixture
def redis_url(redis_server):
    """Return the Redis base URL with every database emptied (each test starts clean)."""
    import redis

    client = redis.Redis.from_url(redis_server)
    client.flushall()
    client.close()
    return redis_server


class Peer:
    """A second Bouwplaats process (tests/stack/peer.py), driven by JSON lines."""

    def __init__(self, **env: str):
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("peer.py"))],
            cwd=ROOT, env=process_env(**env), text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )  # fmt: skip

    def __call__(self, op: str, **arguments):
        self.process.stdin.write(json.dumps({"op": op, **arguments}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, f"the peer process died ({self.process.wait()})"
        return json.loads(line)

    def close(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            stop(self.process)


@pytest.fixture(scope="module")
def peer(django_db_setup):
    """Return a factory of peer processes on the test database; each ends with the module."""
    started: list[Peer] = []

    def start(**env: str) -> Peer:
        started.append(Peer(**env))
        return started[-1]

    yield start
    for process in started:
        process.close()


class Sink:
    """An SMTP server on loopback that keeps every accepted message (the mail relay's place)."""

    def __init__(self):
        self.messages: list[tuple[list[str], bytes]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        with self.lock:
            return [rcpt for rcpts, _data in self.messages for rcpt in rcpts]


@pytest.fixture
def smtp_sink():
    """Start an aiosmtpd sink on loopback; yield (port, sink)."""
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, sink
    finally:
        controller.stop()


RQ_WORKER = [
    sys.executable, "manage.py", "rqworker", "--job-class", "django_tasks_rq.Job",
    "--with-scheduler", "default",
]  # fmt: skip


@pytest.fixture
def rq_workers(redis_url, tmp_path):
    """Return a factory that starts RQ workers as documented (`manage.py rqworker …`).

    The workers run on the test database, queue in Redis database 1 and send mail over SMTP
    to EMAIL_URL; their output goes to a log file (``worker.log`` names it); all are stopped
    after the test.
    """
    started: list[subprocess.Popen] = []

    def start(count: int, **env: str) -> list[subprocess.Popen]:
        for _number in range(count):
            name = f"werker-{len(started) + 1}"
            log = (tmp_path / f"{name}.log").open("w")
            worker = subprocess.Popen(
                [*RQ_WORKER, "--name", name], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                env=process_env(TASKS_BACKEND="rq", RQ_URL=f"{redis_url}/1", **env),
            )  # fmt: skip
            worker.log = Path(log.name)
            log.close()
            started.append(worker)
        return started[-count:]

    yield start
    for worker in started:
        stop(worker)


S3_KEYS = {"AWS_ACCESS_KEY_ID": "bouwplaats-test", "AWS_SECRET_ACCESS_KEY": "bouwplaats-test"}


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """Run moto's S3-compatible server (moto[server]) on a free loopback port; yield its URL."""
    port = free_port()
    folder = tmp_path_factory.mktemp("moto")
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, **S3_KEYS},
    )  # fmt: skip
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)
