"""Logging filters: what operators read in the log is one line per event, not a traceback."""

import logging
from contextvars import ContextVar

from django.core.exceptions import PermissionDenied
from pythonjsonlogger.core import RESERVED_ATTRS

# The id of the request being handled in this thread or task; None outside a request.
current_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

# LOG_FORMAT=json: one JSON object a line (python-json-logger) with time (ISO 8601, UTC),
# level, logger, message, request_id and any extra fields; Django's request object is left
# out (its text holds the query string). Used by settings.LOGGING and gunicorn.conf.py.
JSON_FORMATTER = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
    "rename_fields": {"levelname": "level", "name": "logger"},
    "timestamp": "time",
    "reserved_attrs": [*RESERVED_ATTRS, "request"],
}


class RefusalWithoutTraceback(logging.Filter):
    """Log a refused request (403, PermissionDenied) as its one line, without a traceback.

    A refusal is the platform doing its job; Django's ``django.request`` logger would attach
    the exception, and the console handler would print a traceback for every 403.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], PermissionDenied):
            record.exc_info = None
            record.exc_text = None
        return True


class RequestContext(logging.Filter):
    """Give every record the id of the request it was logged in (``request_id``, or None).

    The id is set by ``core.middleware.RequestLogMiddleware`` for the duration of a request,
    so Django's own lines (a refusal, an error with its traceback) carry the same id as the
    request's line and can be found together.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # Django logs a 4xx or 5xx answer after the middleware has returned, with the
            # request on the record.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or current_request_id.get()
        return True


class LevelFloor(logging.Filter):
    """Drop records below ``level`` (LOG_LEVEL) except those of the ``keep`` loggers.

    A library that sets its own logger's level would otherwise bypass the root's level: RQ's
    worker sets ``rq.worker`` and ``rq.job`` to INFO when it starts, and their records reach
    the console handler through the root. ``keep`` names loggers that settings.LOGGING sets
    below LOG_LEVEL on purpose (``bouwplaats.request`` in JSON mode).
    """

    def __init__(self, level: str = "WARNING", keep: tuple[str, ...] = ()):
        super().__init__()
        self.levelno = logging.getLevelNamesMapping()[level.strip().upper()]
        self.keep = tuple(keep)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= self.levelno:
            return True
        return any(record.name == name or record.name.startswith(f"{name}.") for name in self.keep)
