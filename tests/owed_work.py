"""Helpers of the owed-work tests: the queue coming back, and the timer's run."""

import io

from django.core.management import call_command
from django.test import TestCase


def queue_back(settings) -> None:
    """The queue is back, with a worker that runs each job as it is queued."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def requeue() -> str:
    """Run `manage.py requeue_owed_work` as the timer does; return its output.

    What its tasks queue after their commit (the single sends a fan-out owes,
    core.background.owe_each) runs too, as a worker's commits would run it.
    """
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("requeue_owed_work", stdout=out)
    return out.getvalue()
