"""Helpers of the owed-work tests: the queue coming back, and the timer's run."""

import io

from django.core.management import call_command


def queue_back(settings) -> None:
    """The queue is back, with a worker that runs each job as it is queued."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def requeue() -> str:
    """Run `manage.py requeue_owed_work` as the timer does; return its output."""
    out = io.StringIO()
    call_command("requeue_owed_work", stdout=out)
    return out.getvalue()
