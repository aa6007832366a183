"""Logging filters: what operators read in the log is one line per event, not a traceback."""

import logging

from django.core.exceptions import PermissionDenied


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
