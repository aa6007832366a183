"""gunicorn settings read by ``bin/serve`` (and by the registration benchmark, which runs it)."""

import gc

# The access log (bin/serve turns it on), one line per request, ending in the time the
# response took in milliseconds (%(M)s) so that slow pages show in the log without a tool.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'


def post_worker_init(worker):
    """Move everything loaded so far out of the garbage collector's sight."""
    # The application lives as long as the worker, so full collections need not walk it again.
    gc.freeze()
