"""LOG_FORMAT=json: one JSON object a line, with the request id and the request's timing."""

import datetime
import io
import json
import logging
import logging.config
import os
import runpy
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from gunicorn.config import Config
from gunicorn.glogging import Logger

from bouwplaats.settings import logging_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def json_log():
    """Switch logging to LOG_FORMAT=json into a buffer; return a reader of its parsed lines."""
    logging.config.dictConfig(logging_settings("json", "WARNING"))
    stream = io.StringIO()
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler))
    handler.setStream(stream)

    def lines() -> list[dict]:
        # Every line must be a JSON object on its own: json.loads fails the test otherwise.
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    logging.config.dictConfig(django_settings.LOGGING)


def request_lines(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "bouwplaats.request"]


@pytest.mark.django_db
def test_one_json_line_per_request_with_the_given_request_id(client, json_log):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.42"})
    assert response["X-Request-ID"] == "lb-7f3a.42"
    [line] = request_lines(json_log())
    assert line["level"] == "INFO"
    assert line["request_id"] == "lb-7f3a.42"
    assert line["method"] == "GET"
    assert line["path"] == "/healthz"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["message"].startswith("GET /healthz 200 ")
    assert line["time"].endswith("+00:00")


@pytest.mark.django_db
def test_the_query_string_stays_out_of_the_log(client, json_log):
    client.get("/healthz?token=geheim-123")
    [line] = request_lines(json_log())
    assert line["path"] == "/healthz"
    assert "geheim-123" not in json.dumps(json_log())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "given",
    ["", "met spaties", "x" * 129, "regel\r\nX-Evil: 1", "ïd-ñ", "-begint-met-streep", "a;b"],
)
def test_an_insane_request_id_is_replaced_by_a_new_one(client, json_log, given):
    response = client.get("/healthz", headers={"X-Request-ID": given})
    generated = response["X-Request-ID"]
    assert generated != given
    assert len(generated) == 32 and int(generated, 16) >= 0
    [line] = request_lines(json_log())
    assert line["request_id"] == generated


@pytest.mark.django_db
def test_each_request_without_an_id_gets_its_own(client, json_log):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first != second
    assert [line["request_id"] for line in request_lines(json_log())] == [first, second]


@pytest.mark.django_db
def test_djangos_own_lines_carry_the_request_id_and_no_traceback(client, member, json_log):
    client.force_login(member)
    response = client.get("/beheer/login/", headers={"X-Request-ID": "req-403"})
    assert response.status_code == 403
    lines = json_log()
    refusal = next(line for line in lines if line["logger"] == "django.request")
    assert refusal["level"] == "WARNING"
    assert refusal["message"] == "Forbidden (Permission denied): /beheer/login/"
    assert refusal["request_id"] == "req-403"
    assert "exc_info" not in refusal
    [line] = request_lines(lines)
    assert (line["status"], line["request_id"]) == (403, "req-403")


@pytest.mark.django_db
def test_the_not_found_line_django_logs_after_the_middleware_carries_the_id(client, json_log):
    response = client.get("/bestaat-niet/?token=geheim-456", headers={"X-Request-ID": "r404"})
    assert response.status_code == 404
    lines = json_log()
    not_found = next(line for line in lines if line["logger"] == "django.request")
    assert not_found["message"] == "Not Found: /bestaat-niet/"
    assert not_found["request_id"] == "r404"
    # Django's request object (whose text holds the query string) is left out.
    assert "request" not in not_found
    assert "geheim-456" not in json.dumps(lines)


def test_a_traceback_stays_inside_its_one_line(json_log):
    try:
        raise ValueError("kapot")
    except ValueError:
        logging.getLogger("bouwplaats.test").exception("Mislukt")
    [line] = json_log()
    assert line["level"] == "ERROR"
    assert line["message"] == "Mislukt"
    assert line["request_id"] is None
    assert "ValueError: kapot" in line["exc_info"]


@pytest.mark.django_db
def test_text_format_keeps_the_request_id_header_and_logs_no_request_line(client):
    """Text mode (the default): gunicorn's access log is the request line, not the app."""
    assert django_settings.LOGGING["loggers"]["bouwplaats.request"]["level"] == "WARNING"
    assert "formatter" not in django_settings.LOGGING["handlers"]["console"]
    response = client.get("/healthz", headers={"X-Request-ID": "tekst-1"})
    assert response["X-Request-ID"] == "tekst-1"
    assert not logging.getLogger("bouwplaats.request").isEnabledFor(logging.INFO)


def test_gunicorns_own_lines_are_json_and_its_access_lines_left_to_the_application(
    monkeypatch,
):
    monkeypatch.setenv("LOG_FORMAT", "json")
    monkeypatch.setenv("LOG_LEVEL", "INFO")  # gunicorn's INFO lines are shown at INFO only
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config = Config()
    config.set("logconfig_dict", conf["logconfig_dict"])
    config.set("accesslog", "-")  # as bin/serve asks
    stream = io.StringIO()
    try:
        logger = Logger(config)
        for name in ("gunicorn.error", "gunicorn.access"):
            for handler in logging.getLogger(name).handlers:
                handler.setStream(stream)
        logger.error("Worker timeout (pid:%s)", 4242)
        logger.info("Booting worker with pid: %s", 4243)
        logger.access(
            SimpleNamespace(status="200 OK", sent=5, headers=[]),
            SimpleNamespace(headers=[], method="GET", path="/", query=""),
            {"REQUEST_METHOD": "GET", "RAW_URI": "/", "SERVER_PROTOCOL": "HTTP/1.1"},
            datetime.timedelta(milliseconds=3),
        )
    finally:
        logging.config.dictConfig(django_settings.LOGGING)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(line["level"], line["logger"], line["message"]) for line in lines] == [
        ("ERROR", "gunicorn.error", "Worker timeout (pid:4242)"),
        ("INFO", "gunicorn.error", "Booting worker with pid: 4243"),
    ]
    assert all(line["time"].endswith("+00:00") for line in lines)


def test_gunicorn_keeps_its_text_log_without_json(monkeypatch):
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    assert "logconfig_dict" not in runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_an_unknown_log_format_stops_start_up():
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT"):
        logging_settings("xml", "INFO")


PROBE = """
import django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
Client().get("/healthz", headers={"X-Request-ID": "proces-1"})
"""


def test_the_environment_variable_switches_the_format(tmp_path):
    """LOG_FORMAT=json in the environment: every line on stderr is a JSON object."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bouwplaats.settings_test",
        "LOG_FORMAT": "json",
        # A database without tables: the health check fails, which logs all the same.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'leeg.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = [json.loads(line) for line in done.stderr.splitlines()]
    [line] = request_lines(lines)
    assert (line["path"], line["status"], line["request_id"]) == ("/healthz", 503, "proces-1")
    bad = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**env, "LOG_FORMAT": "xml"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode != 0
    assert "LOG_FORMAT 'xml' is unknown" in bad.stderr
