"""LOG_LEVEL holds for loggers that set their own level: RQ's worker and gunicorn's own lines."""

import io
import logging
import logging.config
import runpy
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from gunicorn.config import Config
from gunicorn.glogging import Logger
from rq.logutils import setup_loghandlers

from bouwplaats.settings import logging_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def console():
    """Return a reader of what the console handler writes once logging is reconfigured."""
    stream = io.StringIO()

    def configure(log_format: str, level: str):
        logging.config.dictConfig(logging_settings(log_format, level))
        for handler in logging.getLogger().handlers:
            handler.setStream(stream)
        return stream

    yield configure
    for name in ("rq.worker", "rq.job"):
        logging.getLogger(name).setLevel(logging.NOTSET)
    logging.config.dictConfig(django_settings.LOGGING)


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_rq_worker_info_lines_obey_log_level_warning(console, log_format):
    stream = console(log_format, "WARNING")
    # What `manage.py rqworker` does before and when its worker starts (django_rq, rq).
    setup_loghandlers("INFO")
    setup_loghandlers("INFO", name="rq.job")
    logging.getLogger("rq.worker").info("Worker rq:worker:abc started with PID 42")
    logging.getLogger("rq.job").info("default: Job OK (1234)")
    logging.getLogger("rq.worker").warning("Moving job to FailedJobRegistry")
    written = stream.getvalue()
    assert "started with PID" not in written and "Job OK" not in written
    assert "Moving job to FailedJobRegistry" in written


def test_rq_worker_info_lines_are_shown_at_log_level_info(console):
    stream = console("text", "INFO")
    setup_loghandlers("INFO")
    logging.getLogger("rq.worker").info("Worker rq:worker:abc started with PID 42")
    assert "started with PID 42" in stream.getvalue()


def test_json_request_lines_stay_at_log_level_warning(console):
    stream = console("json", "WARNING")
    logging.getLogger("bouwplaats.request").info("GET /healthz 200 1.2ms")
    logging.getLogger("bouwplaats.other").info("not shown")
    assert "GET /healthz 200" in stream.getvalue() and "not shown" not in stream.getvalue()


@pytest.mark.parametrize("log_format", ["", "json"])
@pytest.mark.parametrize(("log_level", "shown"), [("WARNING", False), ("INFO", True)])
def test_gunicorns_own_info_lines_obey_log_level(monkeypatch, log_format, log_level, shown):
    monkeypatch.setenv("LOG_FORMAT", log_format)
    monkeypatch.setenv("LOG_LEVEL", log_level)
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config = Config()
    config.set("loglevel", conf["loglevel"])
    if "logconfig_dict" in conf:
        config.set("logconfig_dict", conf["logconfig_dict"])
    stream = io.StringIO()
    try:
        logger = Logger(config)
        for handler in logging.getLogger("gunicorn.error").handlers:
            handler.setStream(stream)
        logger.info("Listening at: http://127.0.0.1:8000 (4242)")
        logger.warning("Worker with pid 4243 was terminated due to signal 9")
    finally:
        logging.config.dictConfig(django_settings.LOGGING)
    written = stream.getvalue()
    assert ("Listening at" in written) is shown
    assert "was terminated" in written
