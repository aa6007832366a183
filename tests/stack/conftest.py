"""The production engines on loopback: Debian's redis-server and Exim, moto's S3 server.

Each server starts once per test session in a temporary folder and is stopped (never left
behind as a daemon) when the session ends. The Makefile's `stack-servers` target installs the
Debian packages, so a missing server fails the tests instead of skipping them.
"""

import email
import email.policy
import getpass
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
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


EXIM_CONFIG = """\
# Exim on loopback for the tests: every accepted message goes to the maildir of its
# recipient under {root}/mail (made beforehand; an unknown recipient is refused at RCPT).
primary_hostname = mail.bouwplaats.test
exim_user = {user}
exim_group = {group}
never_users = root
keep_environment =
spool_directory = {root}/spool
log_file_path = {root}/log/%slog
pid_file_path = {root}/exim.pid
daemon_smtp_ports = {port}
local_interfaces = <; 127.0.0.1
host_lookup =
rfc1413_hosts =
tls_advertise_hosts =
acl_smtp_rcpt = acl_check_rcpt

begin acl
acl_check_rcpt:
  deny !hosts = 127.0.0.1
  require verify = recipient
  accept

begin routers
maildir:
  driver = accept
  # The lookup's answer is a trusted (untainted) path: Exim refuses paths built from input.
  condition = ${{lookup{{${{lc:$local_part@$domain}}}}dsearch{{{root}/mail}}{{yes}}{{no}}}}
  address_data = ${{lookup{{${{lc:$local_part@$domain}}}}dsearch,ret=full{{{root}/mail}}}}
  transport = maildir_delivery

begin transports
maildir_delivery:
  driver = appendfile
  directory = $address_data
  maildir_format
  create_directory
  delivery_date_add
  envelope_to_add
  return_path_add
  user = {user}
  group = {group}
  mode = 0640

begin retry
*  *  F,1h,1m
"""


class Exim:
    """Debian's Exim as a daemon on a loopback port, with its own configuration and spool."""

    def __init__(self, binary: str, root: Path, port: int, user: str, group: str):
        self.binary, self.root, self.port, self.user, self.group = binary, root, port, user, group
        self.config = root / "exim.conf"

    def mailbox(self, address: str) -> Path:
        """Make the maildir of ``address`` (a local mailbox) and return its folder."""
        folder = self.root / "mail" / address.lower()
        folder.mkdir(exist_ok=True)
        shutil.chown(folder, self.user, self.group)
        return folder

    def queued(self) -> int:
        """Return how many messages wait in Exim's queue (`exim -bpc`)."""
        result = subprocess.run(
            [self.binary, "-C", str(self.config), "-bpc"], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return int(result.stdout.strip())

    def wait_until_delivered(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while self.queued():
            assert time.monotonic() < deadline, (self.root / "log" / "mainlog").read_text()
            time.sleep(0.1)

    def messages(self, address: str) -> list:
        """Return the messages delivered to ``address``'s maildir, parsed."""
        folder = self.root / "mail" / address.lower() / "new"
        return [
            email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(folder.glob("*"))
        ]


@pytest.fixture(scope="session")
def exim():
    """Run Debian's Exim (exim4-daemon-light) on a free loopback port, delivering to maildirs
    in a temporary folder; yield an Exim. The daemon is stopped at the end of the session."""
    binary = require("/usr/sbin/exim4", "exim4-daemon-light")
    # Exim gives up root for a configuration of its own (-C) and delivers as its own user,
    # so that user must reach the folder: not under pytest's private temporary folder.
    user = group = "Debian-exim" if os.geteuid() == 0 else getpass.getuser()
    root = Path(tempfile.mkdtemp(prefix="bouwplaats-exim-"))
    root.chmod(0o755)
    for folder in ("spool", "log", "mail"):
        (root / folder).mkdir()
    port = free_port()
    (root / "exim.conf").write_text(
        EXIM_CONFIG.format(root=root, port=port, user=user, group=group)
    )
    (root / "exim.conf").chmod(0o644)  # Exim refuses a configuration others may change
    for path in [root / "spool", root / "log", root / "mail"]:
        shutil.chown(path, user, group)
    with (root / "log" / "daemon.out").open("w") as output:
        process = subprocess.Popen(
            [binary, "-C", str(root / "exim.conf"), "-bdf", "-oX", str(port)],
            stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        try:
            wait_for_port(port, process)
        except AssertionError as error:
            raise AssertionError((root / "log" / "daemon.out").read_text()) from error
        yield Exim(binary, root, port, user, group)
    finally:
        stop(process)
        shutil.rmtree(root, ignore_errors=True)
