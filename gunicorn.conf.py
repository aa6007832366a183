"""gunicorn settings read by ``bin/serve`` (and by the registration benchmark, which runs it)."""

import gc
import os

from bouwplaats.core.logfilters import JSON_FORMATTER

# The access log (bin/serve turns it on), one line per request, ending in the time the
# response took in milliseconds (%(M)s) so that slow pages show in the log without a tool.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'

# A street search pasted 10,000 characters long is a request line of 10 kB (60 kB when
# percent-encoded non-ASCII): gunicorn's default bound (4,094 bytes), and its largest finite
# one (8,190), answer a bare "URI Too Long" before the page can say in Dutch what is wrong
# (the form refuses more than 120 characters). 0 lifts the bound (gunicorn's fast parser
# keeps 1 MB); headers stay bounded by limit_request_field_size.
limit_request_line = 0

# LOG_LEVEL (settings.py) for gunicorn's own lines too: its default, INFO, would log every
# start, worker boot and reload at LOG_LEVEL=WARNING. The access log keeps its own switch.
loglevel = os.environ.get("LOG_LEVEL", "WARNING").strip().upper()

if os.environ.get("LOG_FORMAT", "").strip().lower() == "json":
    # gunicorn's own lines (a worker started, timed out) as JSON lines on stderr too. The
    # application writes one JSON line per request (bouwplaats.request), so gunicorn's access
    # lines are dropped rather than written twice.
    logconfig_dict = {
        "formatters": {"json": {**JSON_FORMATTER, "fmt": "%(levelname)s %(name)s %(message)s"}},
        "handlers": {
            "error_console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            },
        },
        "root": {"level": "WARNING", "handlers": ["error_console"]},
        "loggers": {
            "gunicorn.error": {
                "level": loglevel,
                "handlers": ["error_console"],
                "propagate": False,
            },
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
        },
    }


def post_worker_init(worker):
    """Move everything loaded so far out of the garbage collector's sight."""
    # The application lives as long as the worker, so full collections need not walk it again.
    gc.freeze()
