"""Operations: the access log carries response times; a 403 is one log line, no traceback."""

import datetime
import io
import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger

ROOT = Path(__file__).resolve().parents[2]


def test_access_log_lines_end_in_the_response_time():
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config = Config()
    config.set("access_log_format", settings["access_log_format"])
    logger = Logger(config)
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    request = SimpleNamespace(headers=[], method="GET", path="/sessies/", query="")
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/sessies/", "SERVER_PROTOCOL": "HTTP/1.1",
               "REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": "test"}  # fmt: skip
    atoms = logger.atoms(response, request, environ, datetime.timedelta(milliseconds=137))
    line = config.access_log_format % atoms
    assert line.endswith(" 137ms"), line
    assert '"GET /sessies/ HTTP/1.1" 200 512' in line


@pytest.mark.django_db
def test_a_403_is_logged_as_one_line(client, member):
    # A member without admin rights at the admin's login: core.views.admin_login refuses.
    client.force_login(member)
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    assert handlers, "the console handler of settings.LOGGING"
    handler = handlers[0]
    stream = io.StringIO()
    old = handler.setStream(stream)
    try:
        assert client.get("/beheer/login/").status_code == 403
    finally:
        handler.setStream(old)
    lines = stream.getvalue().splitlines()
    assert lines == ["Forbidden (Permission denied): /beheer/login/"], lines


@pytest.mark.django_db
def test_calendar_subscription_link_is_webcal(client, settings):
    from tests.factories import SessionFactory

    settings.SITE_URL = "https://bouwplaats.example"
    session = SessionFactory()
    html = client.get(session.get_absolute_url()).content.decode()
    feed = f"webcal://bouwplaats.example/sessies/programma/{session.programme.slug}.ics"
    assert f'href="{feed}"' in html
