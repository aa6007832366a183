"""Read queries shared by the pages, the API and the mail renderer."""

import datetime
import re

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.text import Truncator

from bouwplaats.core.mail import email_key
from bouwplaats.events.models import Session, SessionChange

from . import permissions
from .models import Delivery, Issue, NewsletterList, Subscription

_MARKDOWN_NOISE = re.compile(r"[*_`#>\[\]]|\(https?://[^)]*\)")


def session_url(session: Session) -> str:
    """Return the absolute address of a session's page."""
    try:
        path = session.get_absolute_url()
    except NoReverseMatch:
        # The sessions pages may not be mounted yet; their address is fixed by the URL scheme.
        path = f"/sessies/{session.pk}/"
    return settings.SITE_URL + path


def one_line(text: str, *, length: int = 160) -> str:
    """Return the first paragraph of Markdown ``text`` as one plain line."""
    first = (text or "").strip().split("\n\n", 1)[0]
    plain = " ".join(_MARKDOWN_NOISE.sub("", first).split())
    return Truncator(plain).chars(length)


def agenda_title(session: Session) -> str:
    """Return the agenda title, led by the kind of session unless the title names it."""
    kind = str(session.get_type_display())
    if kind.lower() in session.title.lower():
        return session.title
    return f"{kind} - {session.title}"


def list_all() -> QuerySet[NewsletterList]:
    """Return every list with its programme, by name."""
    return NewsletterList.objects.select_related("programme").order_by("name")


def previous_sent_issue(issue: Issue) -> Issue | None:
    """Return the list's last issue sent before ``issue`` (before now for a draft)."""
    issues = Issue.objects.filter(
        newsletter_list_id=issue.newsletter_list_id,
        status=Issue.Status.SENT,
        sent_at__isnull=False,
    )
    if issue.pk:
        issues = issues.exclude(pk=issue.pk)
    if issue.sent_at:
        issues = issues.filter(sent_at__lt=issue.sent_at)
    return issues.order_by("-sent_at").first()


def agenda_build(issue: Issue, *, now: datetime.datetime | None = None) -> list[dict]:
    """Return the agenda for ``issue`` from its programme's upcoming published sessions.

    Each item says whether the session changed since the list's previous sent issue.
    """
    now = now or timezone.now()
    previous = previous_sent_issue(issue)
    sessions = Session.objects.filter(
        programme_id=issue.newsletter_list.programme_id,
        status=Session.Status.PUBLISHED,
        start__gte=now,
        start__lt=now + datetime.timedelta(days=issue.agenda_days),
    ).order_by("start", "id")
    if previous is not None:
        sessions = sessions.annotate(
            changed=Exists(
                SessionChange.objects.filter(
                    session_id=OuterRef("pk"), changed_at__gt=previous.sent_at
                )
            )
        )
    items = []
    for session in sessions:
        items.append(
            {
                "session_id": session.pk,
                "start": session.start.isoformat(),
                "title": agenda_title(session),
                "line": one_line(session.intro),
                "url": session_url(session),
                "changed": bool(getattr(session, "changed", False)),
            }
        )
    return items


def issue_agenda(issue: Issue) -> list[dict]:
    """Return the agenda to show: as frozen when sending started, or live for a draft."""
    if issue.status == Issue.Status.DRAFT:
        return agenda_build(issue)
    return issue.agenda


def issue_recipient_count(issue: Issue, user) -> int:
    """Return how many confirmed subscribers the issue would go to now, as far as ``user``
    may see them (see permissions.subscriptions_visible_to)."""
    return permissions.subscriptions_visible_to(
        user,
        Subscription.objects.filter(
            newsletter_list_id=issue.newsletter_list_id, status=Subscription.Status.CONFIRMED
        ),
    ).count()


def issue_progress(issue: Issue) -> dict:
    """Return the sending figures of ``issue``: total, sent, failed and pending."""
    if issue.status == Issue.Status.SENT:
        return {
            "total": issue.total,
            "sent": issue.sent_count,
            "failed": issue.failed_count,
            "pending": 0,
        }
    counts = dict(
        Delivery.objects.filter(issue=issue)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    sent = counts.get(Delivery.Status.SENT, 0)
    failed = counts.get(Delivery.Status.FAILED, 0)
    pending = counts.get(Delivery.Status.PENDING, 0)
    return {"total": sent + failed + pending, "sent": sent, "failed": failed, "pending": pending}


def archive(newsletter_list: NewsletterList) -> QuerySet[Issue]:
    """Return the list's sent issues, newest first (what everyone may read)."""
    return (
        Issue.objects.filter(newsletter_list=newsletter_list, status=Issue.Status.SENT)
        .select_related("newsletter_list")
        .order_by("-sent_at", "-id")
    )


def unsent_issues(newsletter_list: NewsletterList, user) -> QuerySet[Issue]:
    """Return the list's drafts and issues being sent that ``user`` may see, newest first."""
    return permissions.issues_visible_to(
        user, newsletter_list.issues.exclude(status=Issue.Status.SENT)
    ).order_by("-created_at")


def own_subscriptions(user) -> QuerySet[Subscription]:
    """Return the member's subscriptions: those on an address they verified."""
    return permissions.own_subscriptions(user)


def member_subscriptions(user) -> dict[int, Subscription]:
    """Return one of the member's own subscriptions per list id (see own_subscriptions).

    Where several of their addresses are on a list, the account address's row wins, then a
    confirmed one.
    """
    primary = email_key(user.email)
    rows = sorted(
        own_subscriptions(user),
        key=lambda s: (s.email_key != primary, s.status != Subscription.Status.CONFIRMED, s.pk),
    )
    found: dict[int, Subscription] = {}
    for subscription in rows:
        found.setdefault(subscription.newsletter_list_id, subscription)
    return found
