"""Who may do what with newsletters: each rule once, as an object check and a queryset.

Pages, the API, the archive, the selectors and the services all ask this module; no other
module compares an issue's status with a user's role.
"""

from django.db.models import Q, QuerySet

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


def can_view_subscribers(user, newsletter_list: NewsletterList) -> bool:
    """Return True if ``user`` may see who (and how many) subscribed: the list's team."""
    return can_manage_list(user, newsletter_list)


def subscriptions_visible_to(
    user, qs: QuerySet[Subscription] | None = None
) -> QuerySet[Subscription]:
    """Return the subscriptions (of ``qs``) ``user`` may see: their own and their lists'.

    Their own are those on their account or on their account's address.
    """
    qs = Subscription.objects.all() if qs is None else qs
    if not _signed_in(user):
        return qs.none()
    return qs.filter(
        Q(member=user)
        | Q(email__iexact=user.email)
        | Q(newsletter_list__in=lists_managed_by(user).values("pk"))
    )
