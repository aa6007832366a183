"""The documented RQ worker (`manage.py rqworker …`) runs jobs without forking (issue 17 §5).

settings.RQ["WORKER_CLASS"] (core/rq_worker.py) runs each job in the worker's own process
instead of a work horse forked per job, and keeps its database connection between jobs: a
connection the database side ended is replaced before the next job, as after a restart.
What a killed worker loses is shown by test_faults_queue*.py and test_faults_owed_fan_out.py.
"""

import time

import pytest
from django.db import connection
from rq import Worker
from rq.job import Job, JobStatus

from tests.stack import rq_probe

pytestmark = [pytest.mark.stack, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rq_tasks(settings, redis_url):
    """Queue tasks in Redis (database 1) as TASKS_BACKEND=rq does; return the Redis client."""
    import django_rq

    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    settings.RQ_QUEUES = {"default": {"URL": f"{redis_url}/1"}}
    return django_rq.get_connection("default")


def finished(redis, result, worker, *, seconds: float = 60) -> Job:
    """Wait until the job of ``result`` has ended; return it."""
    deadline = time.monotonic() + seconds
    while True:
        job = Job.fetch(result.id, connection=redis)
        if job.get_status() in (JobStatus.FINISHED, JobStatus.FAILED):
            return job
        assert worker.poll() is None, worker.log.read_text()
        assert time.monotonic() < deadline, worker.log.read_text()
        time.sleep(0.05)


def test_jobs_run_in_the_workers_own_process(rq_tasks, rq_workers):
    (worker,) = rq_workers(1)
    results = [rq_probe.worker_pid.enqueue() for _ in range(3)]
    jobs = [finished(rq_tasks, result, worker) for result in results]
    # A forking worker answers with a new horse's pid per job.
    assert [job.return_value() for job in jobs] == [worker.pid] * 3
    assert len(Worker.all(connection=rq_tasks)) == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ends a connection from the PostgreSQL side"
)
def test_a_job_after_its_connection_was_ended_gets_a_new_one(rq_tasks, rq_workers):
    (worker,) = rq_workers(1)
    dropped = finished(rq_tasks, rq_probe.drop_own_connection.enqueue(), worker)
    assert dropped.get_status() == JobStatus.FAILED  # its own connection went under it
    # The next job in the same process reads the database again.
    after = finished(rq_tasks, rq_probe.worker_pid.enqueue(), worker)
    assert after.get_status() == JobStatus.FINISHED, worker.log.read_text()
    assert after.return_value() == worker.pid
