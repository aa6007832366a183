"""Who may do what with newsletters: each rule once, as an object check and a queryset.

Pages, the API, the archive, the selectors and the services all ask this module; no other
module compares an issue's status with a user's role.
"""

from allauth.account.models import EmailAddress
from django.db.models import Q, QuerySet

from bouwplaats.core.mail import email_key
from bouwplaats.programmes.permissions import is_team_member, programmes_with_team_member

from .models import Issue, NewsletterList, Subscription


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def can_manage_list(user, newsletter_list: NewsletterList) -> bool:
    """Return True if ``user`` may write, test and send the list's issues.

    That is the programme's team (and platform administrators), see programmes.permissions.
    """
    return _signed_in(user) and is_team_member(user, newsletter_list.programme)


def lists_managed_by(user, qs: QuerySet[NewsletterList] | None = None) -> QuerySet[NewsletterList]:
    """Return the lists (of ``qs``, default all) whose issues ``user`` may write and send."""
    qs = NewsletterList.objects.all() if qs is None else qs
    if not _signed_in(user):
        return qs.none()
    return qs.filter(programme__in=programmes_with_team_member(user).values("pk"))


def can_view_issue(user, issue: Issue) -> bool:
    """Return True if ``user`` may read ``issue``: everyone once sent, else the list's team."""
    return issue.status == Issue.Status.SENT or can_manage_list(user, issue.newsletter_list)


def issues_visible_to(user, qs: QuerySet[Issue] | None = None) -> QuerySet[Issue]:
    """Return the issues (of ``qs``, default all) that ``user`` may read (see can_view_issue)."""
    qs = Issue.objects.all() if qs is None else qs
    return qs.filter(
        Q(status=Issue.Status.SENT) | Q(newsletter_list__in=lists_managed_by(user).values("pk"))
    )


def own_addresses(user) -> dict[str, str]:
    """Return the addresses ``user`` verified, by matching key (core.mail.email_key).

    A subscription is a member's own only on one of these: an address they typed but never
    verified is someone else's, who gives consent by the confirmation link.
    """
    if not _signed_in(user):
        return {}
    emails = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return {email_key(email): email for email in emails}


def own_email_keys(user) -> set[str]:
    """Return the matching keys of the addresses ``user`` verified (see own_addresses)."""
    return set(own_addresses(user))


def is_own_subscription(user, subscription: Subscription) -> bool:
    """Return True if ``subscription`` is on one of ``user``'s verified addresses."""
    return subscription.email_key in own_email_keys(user)


def own_subscriptions(user, qs: QuerySet[Subscription] | None = None) -> QuerySet[Subscription]:
    """Return the subscriptions (of ``qs``) on ``user``'s verified addresses (see
    is_own_subscription): what "Mijn nieuwsflitsen" and the AVG export show."""
    qs = Subscription.objects.all() if qs is None else qs
    return qs.filter(email_key__in=own_email_keys(user))


def can_view_subscribers(user, newsletter_list: NewsletterList) -> bool:
    """Return True if ``user`` may see who (and how many) subscribed: the list's team."""
    return can_manage_list(user, newsletter_list)


def subscriptions_visible_to(
    user, qs: QuerySet[Subscription] | None = None
) -> QuerySet[Subscription]:
    """Return the subscriptions (of ``qs``) ``user`` may see: their own (on a verified
    address, see own_subscriptions) and their lists'."""
    qs = Subscription.objects.all() if qs is None else qs
    if not _signed_in(user):
        return qs.none()
    return qs.filter(
        Q(email_key__in=own_email_keys(user))
        | Q(newsletter_list__in=lists_managed_by(user).values("pk"))
    )
