"""Background work queued after commit, in a way that survives an unreachable queue.

A service stores what it owes (a mail due on a row, a photo without a thumbnail, an issue
being sent) in its own transaction and queues the task that does it once that commits. When
the queue (Redis) is down the enqueue fails after the commit: the change stands and the
request answers as usual, the failure is logged, and `manage.py requeue_owed_work` (a timer,
every few minutes) queues the owed work again from those records once the queue is back.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue ``task(*args, **kwargs)`` when the current transaction commits (at once outside one).

    An enqueue that fails (the queue unreachable) is logged, never raised: the committed work
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
