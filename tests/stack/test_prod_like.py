"""Acceptance (issue 17 §3): `make prod-like` (bin/prod-like) brings the whole stack up on
loopback with one command, answers, and stops every part on SIGTERM, leaving nothing running.

The check mode runs at volume scale 0.01: PostgreSQL in a temporary folder, redis-server, moto's
S3 server, gunicorn with 4 workers and 2 RQ workers, the demo content and the volume set; it
probes /healthz, pages and the API, the S3 bucket and the RQ queue draining, then stops.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client

from .conftest import ROOT, free_port

pytestmark = [pytest.mark.stack]

SCRIPT = str(ROOT / "bin" / "prod-like")


def stack_env(**extra: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PROD_", "EMAIL_", "AWS_"))
        and key not in {"DATABASE_URL", "CACHE_URL", "TASKS_BACKEND", "RQ_URL", "MEDIA_STORAGE"}
        and key not in {"DJANGO_SETTINGS_MODULE", "BOUWPLAATS_TESTING", "BENCH_BARE_VIEW"}
    }
    env.update(PORT=str(free_port()), **extra)
    return env


def processes_in(*folders: str) -> list[str]:
    """Return the processes whose command line or working folder lies in one of ``folders``."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            cwd = os.readlink(proc / "cwd")
        except OSError:
            continue
        if any(folder in cmdline or cwd.startswith(folder) for folder in folders):
            found.append(f"{proc.name}: {cmdline}")
    return found


def pg_folder(stderr: str) -> str:
    match = re.search(r"PostgreSQL on \d+ \((/[^)]+)/data\)", stderr)
    assert match, stderr
    return match.group(1)


def test_check_mode_brings_the_stack_up_probes_it_and_leaves_nothing_running(tmp_path):
    folder = tmp_path / "stack"
    started = time.monotonic()
    done = subprocess.run(
        [SCRIPT, "--check"], cwd=ROOT, env=stack_env(PROD_DIR=str(folder)), text=True,
        capture_output=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    ready = [line for line in done.stdout.splitlines() if line.startswith("READY ")]
    assert len(ready) == 1
    url = ready[0].split()[1]
    probe = json.loads(done.stdout.strip().splitlines()[-1])
    assert probe["failures"] == []
    assert probe["health"]["status"] == "ok"
    assert probe["health"]["checks"]["queue"]["backend"] == "django_tasks_rq.backend.RQBackend"
    assert probe["s3_objects"] > 0
    for page in ["/sessies/", "/api/v1/sessions", "/zoeken/?q=energie"]:
        assert f"prod-like check: {page} 200" in done.stderr
    # stack.env names every part; all of them are gone, as is the cluster's folder.
    parts = dict(
        line.split("=", 1) for line in (folder / "stack.env").read_text().splitlines() if line
    )
    assert parts["PROD_URL"] == url
    assert parts["TASKS_BACKEND"] == "rq"
    assert parts["PROD_SCALE"] == "0.01"
    pids = [parts["PROD_PID_WEB"], parts["PROD_PID_REDIS"], parts["PROD_PID_S3"]]
    pids += parts["PROD_PID_RQ"].strip('"').split()
    assert len(pids) == 5
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(int(pid), 0)
    assert not Path(parts["PROD_PGDATA"]).exists()
    assert processes_in(str(folder), pg_folder(done.stderr)) == []
    print(f"prod-like --check took {time.monotonic() - started:.0f} s", file=sys.stderr)


def test_sigterm_during_setup_stops_every_part_at_once(tmp_path):
    folder = tmp_path / "stack"
    stack = subprocess.Popen(
        [SCRIPT], cwd=ROOT, env=stack_env(PROD_DIR=str(folder), PROD_SCALE="0"), text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    lines = []
    for line in stack.stderr:
        lines.append(line)
        if "migrate" in line:
            break
    log = "".join(lines)
    pg = pg_folder(log)
    # Redis, S3 and PostgreSQL run, and the migration is under way.
    assert processes_in(str(folder), pg) != []
    stack.send_signal(signal.SIGTERM)
    assert stack.wait(timeout=60) == 0
    rest = stack.stderr.read()
    assert "stopping" in rest
    assert processes_in(str(folder), pg) == []
    assert not Path(pg).exists()


def test_the_bare_view_exists_only_when_asked_for(db):
    assert Client().get("/bench/bare/").status_code == 404
    code = (
        "import django; django.setup(); from django.urls import resolve; "
        "print(resolve('/bench/bare/').func.__module__)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bouwplaats.settings_test"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**env, "BENCH_BARE_VIEW": "1"},
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert out.strip() == "bouwplaats.core.bench_views"
