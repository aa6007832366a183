"""Background work queued after commit, in a way that survives an unreachable queue.

Owed work is on record in the database, written in the transaction of the change that owes
it, and `manage.py requeue_owed_work` (a timer, every few minutes) queues it again from there
once the queue is back. Two ways to keep that record:

- In the domain data (``enqueue_on_commit``): a service stores what it owes (a mail due on a
  registration, a photo without a thumbnail, an issue being sent) on its own rows, the task
  sends whatever is owed and clears the mark, and the app's ``owed`` hook
  (``requeue() -> int``) finds the marks. Best where the mark means something to the domain
  and the task can resume part-way (a newsletter's deliveries). Deferred reminders
  (``task.using(run_after=…)``) belong here too: a daily sweep finds what is due from the rows
  (``reminded_at``), so a reminder never queued is sent by the sweep.
- In the outbox (``enqueue_owed_on_commit``): the task's import path and JSON arguments in a
  ``core.OwedTask`` row, queued as ``run_owed_task(row id)``, which runs the task and deletes
  the row. For one-off mails and notices (a membership decision, a review step, an answer to
  a question's followers, a combination request) where a mark on the row would only say "this
  mail is still to go" and a new column per mail in each app buys nothing over a row here.

When the queue (Redis) is down the enqueue fails after the commit: the change stands and the
request answers as usual, the failure is logged, and the record stays for the timer.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import Task

from .models import OwedTask

logger = logging.getLogger(__name__)

OWED_LEASE = 600
"""Seconds a runner holds an outbox row (settings.OWED_TASK_LEASE): a runner killed within
its task leaves the row to be queued again this long after it started."""

OWED_REQUEUE_AFTER = 300
"""Seconds a queued outbox row waits before the timer queues it again
(settings.OWED_TASK_REQUEUE_AFTER): a job lost with a worker killed before it ran it, or
still waiting behind a long queue (then the second job finds the row gone and does nothing)."""

OWED_MAX_ATTEMPTS = 5
"""Runs of an outbox row whose task fails (raises) before the timer leaves it to an
administrator (settings.OWED_TASK_MAX_ATTEMPTS); the row stays, visible in the admin."""


def _seconds(name: str, default: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, name, default))


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue ``task(*args, **kwargs)`` when the current transaction commits (at once outside one).

    For work the caller keeps on record in its own rows (see the module's docstring). An
    enqueue that fails (the queue unreachable) is logged, never raised: the committed work
    is on record and is queued again by `manage.py requeue_owed_work`.
    """

    def enqueue() -> None:
        try:
            task.enqueue(*args, **kwargs)
        except Exception:
            logger.exception(
                "Task %s not queued; `manage.py requeue_owed_work` queues it again", task.name
            )

    transaction.on_commit(enqueue)


def enqueue_owed_on_commit(task: Task, *args, **kwargs) -> OwedTask:
    """Record ``task(*args, **kwargs)`` as owed in the current transaction and queue it once
    that commits; return the ``OwedTask`` row.

    The arguments must be JSON (primary keys, lists of them, booleans): TypeError otherwise.
    The row goes once the task ran (``run_owed_task``). An enqueue that fails is logged, never
    raised, and makes the row due at once for `manage.py requeue_owed_work`. A deferred task
    (``run_after``) is refused with ValueError: its owed state belongs in the domain rows.
    """
    if task.run_after is not None:
        raise ValueError("A deferred task is owed through its rows, not through the outbox.")
    owed = OwedTask.objects.create(
        task=task.module_path,
        args=list(args),
        kwargs=kwargs,
        due_at=timezone.now() + _seconds("OWED_TASK_REQUEUE_AFTER", OWED_REQUEUE_AFTER),
    )

    def enqueue() -> None:
        try:
            run_owed_task.enqueue(owed.pk)
        except Exception:
            logger.exception(
                "Task %s not queued; `manage.py requeue_owed_work` queues it again", owed.task
            )
            # Owed at once, not after the grace a queued job has to run.
            OwedTask.objects.filter(pk=owed.pk).update(due_at=timezone.now())

    transaction.on_commit(enqueue)
    return owed


@task()
def run_owed_task(owed_id: int) -> None:
    """Run the task owed on outbox row ``owed_id`` and delete the row (see run_owed)."""
    run_owed(owed_id)


def run_owed(owed_id: int) -> bool:
    """Run the task owed on outbox row ``owed_id`` unless another runner holds it; return
    whether it ran.

    The row is taken under a lease (OWED_LEASE) with one UPDATE, so of two jobs for one row
    (the first one and the timer's) only one runs it; it is deleted once the task returned.
    A runner killed in between leaves the row leased: the timer queues it again after the
    lease, so a crash costs at most one second run. A task that raises keeps its row for the
    next try (at most OWED_MAX_ATTEMPTS runs) and raises on, for the worker's log.
    """
    now = timezone.now()
    lease = now + _seconds("OWED_TASK_LEASE", OWED_LEASE)
    taken = (
        OwedTask.objects.filter(pk=owed_id)
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lte=now))
        .update(leased_until=lease, due_at=lease, attempts=F("attempts") + 1)
    )
    if not taken:
        return False  # ran already (row gone) or another runner holds it
    owed = OwedTask.objects.get(pk=owed_id)
    _owed_task(owed.task).call(*owed.args, **owed.kwargs)
    OwedTask.objects.filter(pk=owed_id, leased_until=lease).delete()
    return True


def _owed_task(path: str) -> Task:
    # Rows are written by enqueue_owed_on_commit only; still, run nothing but a Bouwplaats task.
    found = import_string(path) if path.startswith("bouwplaats.") else None
    if not isinstance(found, Task):
        raise ValueError(f"{path!r} is no Bouwplaats task")
    return found


def requeue_owed_tasks() -> int:
    """Queue ``run_owed_task`` again for every outbox row that is due; return how many.

    Due: its enqueue failed, or its job did not run (or finish) in time: OWED_REQUEUE_AFTER
    after it was queued, OWED_LEASE after a runner took it. Rows that failed
    OWED_MAX_ATTEMPTS times are left (logged). Raises when the queue is unreachable; the rows
    queued before that are not queued again for OWED_REQUEUE_AFTER.
    """
    now = timezone.now()
    max_attempts = getattr(settings, "OWED_TASK_MAX_ATTEMPTS", OWED_MAX_ATTEMPTS)
    due = OwedTask.objects.filter(due_at__lte=now)
    if given_up := due.filter(attempts__gte=max_attempts).count():
        logger.error("%s owed tasks failed %s times and are left in core.OwedTask",
                     given_up, max_attempts)  # fmt: skip
    later = now + _seconds("OWED_TASK_REQUEUE_AFTER", OWED_REQUEUE_AFTER)
    queued = 0
    for owed_id in list(due.filter(attempts__lt=max_attempts).values_list("pk", flat=True)):
        run_owed_task.enqueue(owed_id)
        OwedTask.objects.filter(pk=owed_id, due_at__lte=now).update(due_at=later)
        queued += 1
    return queued
