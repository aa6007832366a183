"""Tasks that the RQ worker tests (test_rq_worker.py) queue: they report where they ran."""

import os

from django.db import connection
from django_tasks import task


@task()
def worker_pid() -> int:
    """Return the pid of the process that runs the job, after a query on the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return os.getpid()


@task()
def drop_own_connection() -> None:
    """End this job's database connection on the server's side, as a restart would."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
