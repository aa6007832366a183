"""Background work of accounts: thin wrappers that take primary keys and call ``mails``."""

from django_tasks import task

from . import mails
from .models import OrganisationMembership


def _membership(membership_id: int) -> OrganisationMembership | None:
    return (
        OrganisationMembership.objects.select_related("user", "organisation")
        .filter(pk=membership_id)
        .first()
    )


@task()
def mail_membership_requested(membership_id: int) -> None:
    """Mail the deciders of membership ``membership_id`` that it was requested."""
    membership = _membership(membership_id)
    if membership is not None and membership.status == OrganisationMembership.Status.REQUESTED:
        mails.send_membership_requested(membership)


@task()
def mail_membership_decided(membership_id: int) -> None:
    """Mail the member of membership ``membership_id`` its current decision."""
    membership = _membership(membership_id)
    if membership is not None:
        mails.send_membership_decided(membership)
