"""Background work of the newsletters app (django-tasks): thin wrappers taking primary keys."""

import datetime

from django_tasks import task

from . import delivery, mails


@task()
def issue_deliver(issue_pk: int) -> None:
    """Send the issue's pending deliveries; a later run takes over if this worker dies."""
    delivery.issue_deliver(issue_pk, watch=lambda until: _watch(issue_pk, until))


def _watch(issue_pk: int, until: datetime.datetime) -> None:
    # The watchdog: run the delivery again once the lease has expired. It finds the issue
    # sent (and stops), still leased by a live sender (and watches again), or orphaned by a
    # dead worker (and takes it over). Backends that cannot wait (immediate) get none.
    if issue_deliver.get_backend().supports_defer:
        issue_deliver.using(run_after=until).enqueue(issue_pk)


@task()
def subscription_confirmation_send(subscription_pk: int) -> None:
    """Mail the double opt-in link of a pending subscription (if it is still due)."""
    mails.confirmation_send_due(subscription_pk)


@task()
def issue_send_scheduled(issue_pk: int) -> None:
    """Start sending a scheduled issue at its moment, then deliver it in this run."""
    if delivery.start_scheduled(issue_pk):
        issue_deliver.call(issue_pk)
