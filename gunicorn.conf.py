"""gunicorn settings read by ``bin/serve`` (and by the registration benchmark, which runs it)."""

import gc


def post_worker_init(worker):
    """Move everything loaded so far out of the garbage collector's sight."""
    # The application lives as long as the worker, so full collections need not walk it again.
    gc.freeze()
