"""Backup and restore as documented (deploy/backup.sh, deploy/restore.sh; PostgreSQL).

The demo content is dumped with pg_dump, restored with pg_restore into a new database, the
media folder copied with tar; gunicorn then serves the restored database and its pages show
the same content, every table holds the same rows and every stored file comes back whole.
"""

import hashlib
import io
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models
from django.test import Client

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="pg_dump and pg_restore need PostgreSQL: run with DATABASE_URL=postgres://…",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def database_url(name: str) -> str:
    """Return a libpq URL for database ``name`` on the server the tests use."""
    params = connection.settings_dict
    password = f":{quote(params['PASSWORD'], safe='')}" if params.get("PASSWORD") else ""
    user = quote(params.get("USER") or "", safe="")
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgresql://{user}{password}@{host}:{port}/{name}"


class Headings(HTMLParser):
    """Collect the text of h1, h2 and h3 elements, in order."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"h1", "h2", "h3"}:
            self._depth += 1
            self.texts.append("")

    def handle_endtag(self, tag):
        if tag in {"h1", "h2", "h3"} and self._depth:
            self._depth -= 1
            self.texts[-1] = " ".join(self.texts[-1].split())

    def handle_data(self, data):
        if self._depth:
            self.texts[-1] += data


def headings(html: str) -> list[str]:
    parser = Headings()
    parser.feed(html)
    return parser.texts


def table_counts(url: str) -> dict[str, int]:
    """Return the number of rows of every table in the public schema of ``url``."""
    with psycopg.connect(url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables
        }


def stored_files() -> dict[str, str]:
    """Return every file a model row points to, by storage name, with its SHA-256."""
    found = {}
    for model in apps.get_models():
        fields = [f for f in model._meta.get_fields() if isinstance(f, models.FileField)]
        for field in fields:
            for row in model.objects.exclude(**{field.name: ""}).only("pk", field.name):
                stored = getattr(row, field.name)
                with stored.open("rb") as handle:
                    found[stored.name] = hashlib.sha256(handle.read()).hexdigest()
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def serve(database: str, media: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """Start gunicorn on the restored database and media; return it and its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bouwplaats.settings_test",
        "DATABASE_URL": database,
        "MEDIA_ROOT": str(media),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "bouwplaats.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        assert process.poll() is None, log.read_text()
        try:
            if get(f"{base}/healthz")[0] == 200:
                return process, base
        except OSError:
            pass
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.5)


def test_backup_restores_into_a_new_database_with_the_same_pages(
    transactional_db, settings, tmp_path
):
    from bouwplaats.events.models import Session
    from bouwplaats.programmes.models import Programme

    call_command("load_demo", stdout=io.StringIO())
    original_files = stored_files()
    assert original_files, "the demo content stores files (a plan in a session space)"

    sessions = Session.objects.filter(status="published").order_by("pk")[:6]
    paths = [
        "/",
        "/sessies/",
        "/programmas/",
        "/kennis/",
        "/oproepen/",
        *(session.get_absolute_url() for session in sessions),
        *(programme.get_absolute_url() for programme in Programme.objects.order_by("pk")[:3]),
    ]
    client = Client()
    before = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        before[path] = headings(response.content.decode())
    assert any(sessions[0].title in text for text in before[paths[5]])

    source = database_url(connection.settings_dict["NAME"])
    restored_name = f"{connection.settings_dict['NAME']}_restored"
    restored = database_url(restored_name)
    backups = tmp_path / "backups"
    media = tmp_path / "restored-media"
    admin = database_url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{restored_name}"')
        conn.execute(f'CREATE DATABASE "{restored_name}"')
    server = None
    try:
        # The documented backup, then the documented restore into the new database.
        done = subprocess.run(
            [str(DEPLOY / "backup.sh"), str(backups)],
            env={**os.environ, "DATABASE_URL": source, "MEDIA_ROOT": str(settings.MEDIA_ROOT)},
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        dump, media_tar = done.stdout.split()
        assert dump.endswith(".dump") and media_tar.endswith(".tar.gz")
        # The dump holds personal data: readable by its owner only (umask 077 in backup.sh).
        assert {os.stat(path).st_mode & 0o777 for path in (dump, media_tar)} == {0o600}
        assert backups.stat().st_mode & 0o777 == 0o700
        done = subprocess.run(
            [str(DEPLOY / "restore.sh"), dump, media_tar],
            env={**os.environ, "DATABASE_URL": restored, "MEDIA_ROOT": str(media)},
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert done.stdout.startswith(f"restored: {Path(dump).name} into database {restored_name},")

        assert table_counts(restored) == table_counts(source)

        # Every file a row points to is in the restored media folder, byte for byte.
        settings.MEDIA_ROOT = media
        assert stored_files() == original_files

        server, base = serve(restored, media, tmp_path / "gunicorn.log")
        for path in paths:
            status, html = get(base + path)
            assert status == 200, path
            assert headings(html) == before[path], path
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')
