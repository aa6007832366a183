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
  A task that mails several people (an answer's followers, a new work's street followers)
  mails none itself: it works out the recipients and owes one single-recipient task per
  recipient (``owe_each``), written in the transaction that removes its own row; each of
  those rows mails one person. A runner killed mid-way then costs at most one duplicate mail,
  never a second round to everyone.

When the queue (Redis) is down the enqueue fails after the commit: the change stands and the
request answers as usual, the failure is logged, and the record stays for the timer.
"""

import datetime
import logging
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from itertools import islice

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


OWE_EACH_BATCH = 1000
"""Outbox rows written per INSERT by ``owe_each``."""

# The outbox row run_owed is running in this context, with its lease: (row id, lease end).
_running: ContextVar[tuple[int, datetime.datetime] | None] = ContextVar(
    "owed_task_running", default=None
)


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
    _check_owable(task)
    owed = OwedTask.objects.create(
        task=task.module_path,
        args=list(args),
        kwargs=kwargs,
        due_at=timezone.now() + _seconds("OWED_TASK_REQUEUE_AFTER", OWED_REQUEUE_AFTER),
    )
    transaction.on_commit(lambda: _enqueue_owed([owed.pk], owed.task))
    return owed


def _check_owable(task: Task) -> None:
    if task.run_after is not None:
        raise ValueError("A deferred task is owed through its rows, not through the outbox.")


def _enqueue_owed(owed_ids: list[int], what: str) -> None:
    """Queue ``run_owed_task`` for each row of ``owed_ids`` (after their commit); a failing
    enqueue is logged and makes the rows not yet queued due at once."""
    for at, owed_id in enumerate(owed_ids):
        try:
            run_owed_task.enqueue(owed_id)
        except Exception:
            logger.exception(
                "Task %s not queued; `manage.py requeue_owed_work` queues it again", what
            )
            # Owed at once, not after the grace a queued job has to run.
            OwedTask.objects.filter(pk__in=owed_ids[at:]).update(due_at=timezone.now())
            return


def owe_each(calls: Iterable[tuple[Task, Sequence]]) -> int:
    """Owe each ``(task, args)`` of ``calls`` (``args`` JSON values, such as
    ``(answer_id, follower_id)``) as an outbox row of its own, queued after commit; return how
    many.

    The fan-out of a task that mails several people: called from within a running outbox row
    (``run_owed``), the new rows are written in one transaction with the removal of that row,
    so a runner killed before the commit leaves the whole fan-out owed (nobody was mailed yet)
    and one killed after it leaves only the single sends (issue 17 §6: at most one duplicate
    per crash). Call it once per run: when the running row is gone (taken over by another
    runner after its lease ran out, or fanned out already) nothing is written and 0 returned.
    Outside a running row the rows are written in the current transaction. Raises as
    ``enqueue_owed_on_commit``.
    """
    running = _running.get()
    due_at = timezone.now() + _seconds("OWED_TASK_REQUEUE_AFTER", OWED_REQUEUE_AFTER)
    calls = iter(calls)
    owed: list[tuple[int, str]] = []
    with transaction.atomic():
        if running is not None:
            owed_id, lease = running
            removed, _by_model = OwedTask.objects.filter(pk=owed_id, leased_until=lease).delete()
            if not removed:
                return 0
        while batch := list(islice(calls, OWE_EACH_BATCH)):
            rows = []
            for task, args in batch:
                _check_owable(task)
                rows.append(
                    OwedTask(task=task.module_path, args=list(args), kwargs={}, due_at=due_at)
                )
            owed += [(row.pk, row.task) for row in OwedTask.objects.bulk_create(rows)]
        transaction.on_commit(lambda: _enqueue_owed([pk for pk, _path in owed], "owe_each"))
    return len(owed)


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
    next try (at most OWED_MAX_ATTEMPTS runs) and raises on, for the worker's log. A task that
    fans out (``owe_each``) removes the row itself, with the rows it owes.
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
    running = _running.set((owed_id, lease))
    try:
        _owed_task(owed.task).call(*owed.args, **owed.kwargs)
    finally:
        _running.reset(running)
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
