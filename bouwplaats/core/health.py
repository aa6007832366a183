"""The health check at /healthz: database, cache, task queue and outbox, for monitors and
proxies.

Each check answers a small dict with ``ok``; the view answers 200 when every check is ok and
503 naming the failing checks otherwise. Nothing secret is reported: a failure carries the
exception's class name only, never its message (which may hold a host, user or password).
"""

import time
import uuid
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .models import OwedTask, SitePage

# Seconds the oldest ready task may wait before the queue counts as failing: no worker is
# taking tasks (settings.HEALTHZ_QUEUE_MAX_AGE overrides it).
DEFAULT_QUEUE_MAX_AGE = 900

# Seconds an outbox row (core.OwedTask) may be due before the outbox counts as failing: two
# runs of the five-minute requeue timer (deploy/systemd/bouwplaats-requeue-owed-work.timer,
# which waits up to a minute more) missed, so the timer is not running or cannot queue
# (settings.HEALTHZ_OWED_MAX_AGE overrides it).
DEFAULT_OWED_MAX_AGE = 600


def _failure(error: BaseException) -> dict[str, Any]:
    return {"ok": False, "error": type(error).__name__}


def check_database() -> dict[str, Any]:
    """Run one query on the default database; answer ``{"ok", "ms"}`` or the error's class."""
    started = time.perf_counter()
    try:
        SitePage.objects.exists()
    except Exception as error:
        return _failure(error)
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


def check_cache() -> dict[str, Any]:
    """Set, read back and delete a unique key in the default cache (the shared one)."""
    started = time.perf_counter()
    cache = caches["default"]
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, key, timeout=30)
        found = cache.get(key)
        cache.delete(key)
    except Exception as error:
        return _failure(error)
    if found != key:
        return {"ok": False, "error": "value not read back"}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _age_seconds(moment: datetime | None) -> float | None:
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return round(max(0.0, (timezone.now() - moment).total_seconds()), 1)


def _database_queue() -> tuple[int, datetime | None]:
    """Return the ready tasks of django-tasks' database backend and the oldest's enqueue time."""
    from django.db.models import Count, Min
    from django_tasks_db.models import DBTaskResult

    figures = DBTaskResult.objects.ready().aggregate(depth=Count("id"), oldest=Min("enqueued_at"))
    return figures["depth"], figures["oldest"]


def _rq_queue(backend) -> tuple[int, datetime | None]:
    """Return the jobs waiting in the backend's RQ queues and the oldest's enqueue time."""
    import django_rq
    from rq.job import Job

    depth, oldest = 0, None
    for name in sorted(backend.queues):
        queue = django_rq.get_queue(name)
        depth += queue.count
        # An RQ queue is first in, first out: the head is the job waiting longest.
        for job_id in queue.get_job_ids(0, 1):
            job = Job.fetch(job_id, connection=queue.connection)
            if job.enqueued_at and (oldest is None or job.enqueued_at < oldest):
                oldest = job.enqueued_at
    return depth, oldest


def check_queue() -> dict[str, Any]:
    """Report the default task backend's queue depth and oldest waiting task's age (seconds).

    Known for django-tasks' database backend and for RQ; for another backend (such as the
    immediate one in tests) only its name is reported and the check counts as ok. The queue
    fails when the oldest ready task waited longer than HEALTHZ_QUEUE_MAX_AGE seconds.
    """
    from django_tasks import task_backends

    backend = task_backends["default"]
    path = f"{type(backend).__module__}.{type(backend).__qualname__}"
    report: dict[str, Any] = {"backend": path}
    try:
        if path.startswith("django_tasks_db."):
            depth, oldest = _database_queue()
        elif path.startswith("django_tasks_rq."):
            depth, oldest = _rq_queue(backend)
        else:
            return {"ok": True, **report, "depth": None, "oldest_age_s": None}
    except Exception as error:
        return {**_failure(error), **report}
    age = _age_seconds(oldest)
    limit = getattr(settings, "HEALTHZ_QUEUE_MAX_AGE", DEFAULT_QUEUE_MAX_AGE)
    report.update(depth=depth, oldest_age_s=age, max_age_s=limit)
    if age is not None and age > limit:
        return {"ok": False, **report, "error": "oldest task waits too long"}
    return {"ok": True, **report}


def check_outbox() -> dict[str, Any]:
    """Report the outbox of core.background: rows due (to be queued by the timer) and how long
    the oldest has been due (seconds), rows given up after OWED_TASK_MAX_ATTEMPTS failed runs
    (left to an administrator: reported, not failing) and all rows.

    Fails when the oldest due row has been due longer than HEALTHZ_OWED_MAX_AGE seconds.
    """
    from django.db.models import Count, Min, Q

    from .background import OWED_MAX_ATTEMPTS

    now = timezone.now()
    max_attempts = getattr(settings, "OWED_TASK_MAX_ATTEMPTS", OWED_MAX_ATTEMPTS)
    due = Q(due_at__lte=now, attempts__lt=max_attempts)
    try:
        figures = OwedTask.objects.aggregate(
            rows=Count("id"),
            due=Count("id", filter=due),
            oldest=Min("due_at", filter=due),
            given_up=Count("id", filter=Q(due_at__lte=now, attempts__gte=max_attempts)),
        )
    except Exception as error:
        return _failure(error)
    age = _age_seconds(figures.pop("oldest"))
    limit = getattr(settings, "HEALTHZ_OWED_MAX_AGE", DEFAULT_OWED_MAX_AGE)
    report = {**figures, "oldest_due_age_s": age, "max_age_s": limit}
    if age is not None and age > limit:
        return {"ok": False, **report, "error": "owed tasks wait too long"}
    return {"ok": True, **report}


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "queue": check_queue,
    "outbox": check_outbox,
}


@never_cache
@require_safe
def healthz(request):
    """Answer 200 with every check's report, or 503 naming the failing checks in ``failing``."""
    checks = {name: check() for name, check in CHECKS.items()}
    failing = [name for name, result in checks.items() if not result["ok"]]
    body = {"status": "ok" if not failing else "failing", "failing": failing, "checks": checks}
    return JsonResponse(body, status=503 if failing else 200)
