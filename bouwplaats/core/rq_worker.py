"""The RQ worker class of the task workers (``settings.RQ["WORKER_CLASS"]``, issue 17 §5).

RQ's default worker forks a work horse for every job, and every horse opens a new database
connection (PostgreSQL forks a backend for it): about 2 ms of CPU per request of the load
mix went to that. This worker runs each job in its own process, as RQ's ``SimpleWorker``
does, and keeps its database connection between jobs the way a web worker keeps it between
requests: ``close_old_connections`` before and after each job (CONN_MAX_AGE, health checks),
so a connection that a database restart broke is replaced before the next job.

What a killed worker loses is unchanged: killing the worker kills the job it runs, as
killing the worker and its horse did; the outbox (core.OwedTask) and the send claims queue
that work again (tests/stack/test_faults_queue*.py, test_faults_owed_fan_out.py).
"""

from django.conf import settings
from django.db import close_old_connections
from django.utils import translation
from rq.worker import SimpleWorker


class Worker(SimpleWorker):
    """Run each job in the worker's process; reset what a job may leave for the next."""

    def perform_job(self, job, queue, execution) -> bool:
        """Run ``job`` with usable database connections and the default language."""
        close_old_connections()
        translation.activate(settings.LANGUAGE_CODE)
        try:
            return super().perform_job(job, queue, execution)
        finally:
            translation.activate(settings.LANGUAGE_CODE)
            close_old_connections()
