"""Reactions to allauth's events: a newly confirmed address may complete a membership, and
the first one announces the member's open requests."""

from allauth.account.signals import email_confirmed
from django.dispatch import receiver


@receiver(email_confirmed, dispatch_uid="accounts_membership_by_domain")
def approve_memberships_by_domain(sender, request, email_address, **kwargs):
    from .services import memberships_announce, memberships_approve_by_domain

    memberships_approve_by_domain(user=email_address.user)
    # What the domain did not approve now goes to the organisation's administrators.
    memberships_announce(user=email_address.user)
