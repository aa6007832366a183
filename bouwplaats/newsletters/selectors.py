"""Read queries shared by the pages, the API and the mail renderer."""

import datetime
import re

from django.conf import settings
from django.db.models import Count, QuerySet
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _

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
    """Return the first paragraph of Markdown ``text`` as one plain line of at most ``length``
    characters, cut at a word (with "…") when it is longer."""
    first = (text or "").strip().split("\n\n", 1)[0]
    plain = " ".join(_MARKDOWN_NOISE.sub("", first).split())
    if len(plain) <= length:
        return plain
    cut = plain[: length - 1]
    if plain[length - 1] != " " and " " in cut:
        # Never half a word: back to the last whole one.
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–") + "…"


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


# What a notice names, in the order it names them (seed 001: "de datum en het programma").
CHANGE_ASPECTS = ("datum", "tijd", "locatie", "programma")


def _aspects_of(change: SessionChange) -> set[str]:
    """Return which aspects one recorded change touches.

    A start or end is recorded as "dd-mm-YYYY HH:MM": its date part is the datum, its clock
    the tijd; both parts may have changed.
    """
    if change.field in ("start", "end"):
        old, new = (change.old or "").split(" ", 1), (change.new or "").split(" ", 1)
        if len(old) != 2 or len(new) != 2:
            return {"datum", "tijd"}
        return {name for name, a, b in (("datum", old[0], new[0]), ("tijd", old[1], new[1]))
                if a != b}  # fmt: skip
    if change.field in ("location", "online"):
        return {"locatie"}
    if change.field == "parts":
        return {"programma"}
    return set()


def change_aspects(changes) -> list[str]:
    """Return the aspects (datum, tijd, locatie, programma) that ``changes`` touch, in order."""
    touched = set().union(*(_aspects_of(change) for change in changes)) if changes else set()
    return [aspect for aspect in CHANGE_ASPECTS if aspect in touched]


def change_notice(aspects: list[str] | None, *, changed: bool = False) -> str:
    """Return the notice sentence for an agenda item: what changed since the previous issue.

    ``["datum", "programma"]`` gives seed 001's "Let op: de datum en het programma zijn
    gewijzigd sinds de vorige nieuwsbrief"; one aspect says "is"; no aspects but ``changed``
    (an agenda frozen before aspects were recorded) says the session changed; else "".
    """
    names = {
        "datum": _("de datum"),
        "tijd": _("de tijd"),
        "locatie": _("de locatie"),
        "programma": _("het programma"),
    }
    parts = [names[a] for a in aspects or [] if a in names]
    if not parts:
        return _("Let op: deze sessie is gewijzigd sinds de vorige nieuwsbrief") if changed else ""
    if len(parts) == 1:
        return _("Let op: %(what)s is gewijzigd sinds de vorige nieuwsbrief") % {"what": parts[0]}
    what = _("%(list)s en %(last)s") % {"list": ", ".join(parts[:-1]), "last": parts[-1]}
    return _("Let op: %(what)s zijn gewijzigd sinds de vorige nieuwsbrief") % {"what": what}


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
    sessions = list(sessions)
    # The recorded changes since the list's previous issue, in one query: the notice names
    # exactly what they touched (a location-only change never reads "de datum").
    changes: dict[int, list[SessionChange]] = {}
    if previous is not None and sessions:
        for change in SessionChange.objects.filter(
            session_id__in=[s.pk for s in sessions], changed_at__gt=previous.sent_at
        ).order_by("changed_at", "id"):
            changes.setdefault(change.session_id, []).append(change)
    items = []
    for session in sessions:
        aspects = change_aspects(changes.get(session.pk, []))
        items.append(
            {
                "session_id": session.pk,
                "start": session.start.isoformat(),
                "end": session.end.isoformat(),
                "title": agenda_title(session),
                "line": one_line(session.intro),
                "url": session_url(session),
                "changed": bool(aspects),
                "changes": aspects,
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


def subscribers(newsletter_list: NewsletterList) -> QuerySet[Subscription]:
    """Return the list's subscriptions for the programme team, by address."""
    return newsletter_list.subscriptions.order_by("email_key", "id")


def subscriber_counts(newsletter_list: NewsletterList) -> dict[str, int]:
    """Return how many subscriptions the list has per status (every status present)."""
    counts = dict.fromkeys(Subscription.Status.values, 0)
    for row in newsletter_list.subscriptions.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts
