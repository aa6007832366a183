"""Background work of the newsletters app (django-tasks)."""

from django_tasks import task

from . import delivery


@task()
def issue_deliver(issue_pk: int) -> None:
    """Send the issue's pending deliveries."""
    delivery.issue_deliver(issue_pk)
