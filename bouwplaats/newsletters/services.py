"""Every write of the newsletters app: subscriptions, issues and the start of sending."""

import datetime
import smtplib
from contextlib import contextmanager

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bouwplaats.core.audit import log_action
from bouwplaats.core.errors import DomainError, NotAllowed

from . import rendering, selectors
from .models import Delivery, Issue, NewsletterList, Subscription

CONFIRM_MAX_AGE = 7 * 24 * 3600
RESEND_AFTER = datetime.timedelta(minutes=10)


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(
            _("Vul een geldig e-mailadres in, bijvoorbeeld naam@organisatie.nl."), code="email"
        ) from None
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def _clean_name(name: str) -> str:
    # One line: the name goes into a mail header and the greeting.
    return " ".join((name or "").split())[:200]


def confirm_token(subscription: Subscription) -> str:
    """Return the signed, expiring confirmation token of a pending subscription."""
    return signing.TimestampSigner(salt=rendering.CONFIRM_SALT).sign(
        f"{subscription.pk}:{subscription.email}"
    )


def _send_confirmation(subscription: Subscription) -> None:
    url = settings.SITE_URL + reverse(
        "newsletters:confirm", kwargs={"token": confirm_token(subscription)}
    )
    context = {"subscription": subscription, "newsletter_list": subscription.newsletter_list}
    with _mail_errors():
        send_mail(
            subject=_("Bevestig je aanmelding voor de %(list)s")
            % {"list": subscription.newsletter_list.name},
            message=render_to_string("newsletters/mail/confirm.txt", {**context, "url": url}),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[subscription.email],
        )


@contextmanager
def _mail_errors():
    """Turn a refused or failed mail into a clear error; the transaction then stores nothing."""
    try:
        yield
    except smtplib.SMTPRecipientsRefused:
        raise DomainError(
            _("Dit e-mailadres neemt geen mail aan. Controleer het adres."), code="email"
        ) from None
    except (smtplib.SMTPException, OSError):
        raise DomainError(
            _("De mail kon nu niet worden verstuurd. Probeer het over een paar minuten opnieuw."),
            code="mail_unavailable",
            status_code=503,
        ) from None


@transaction.atomic
def subscription_start(
    *,
    newsletter_list: NewsletterList,
    email: str,
    name: str = "",
    source: str,
    member=None,
) -> None:
    """Start double opt-in: store a pending subscription and mail a confirmation link.

    The answer is the same whether or not the address was already on the list, so that
    nobody can find out who reads which newsletter.
    """
    email = _clean_email(email)
    name = _clean_name(name)
    subscription = (
        Subscription.objects.select_for_update()
        .filter(newsletter_list=newsletter_list, email__iexact=email)
        .first()
    )
    if subscription is not None and subscription.status == Subscription.Status.CONFIRMED:
        return
    now = timezone.now()
    if (
        subscription is not None
        and subscription.status == Subscription.Status.PENDING
        and subscription.confirmation_sent_at
        and subscription.confirmation_sent_at > now - RESEND_AFTER
    ):
        # The link just went out: repeated requests must not flood someone else's mailbox.
        return
    if subscription is None:
        subscription = Subscription.objects.create(
            newsletter_list=newsletter_list,
            email=email,
            name=name,
            member=member if getattr(member, "is_authenticated", False) else None,
            consent_source=source,
            confirmation_sent_at=now,
        )
    else:
        subscription.status = Subscription.Status.PENDING
        subscription.name = name or subscription.name
        subscription.consent_source = source
        subscription.confirmation_sent_at = now
        subscription.save(
            update_fields=["status", "name", "consent_source", "confirmation_sent_at"]
        )
    log_action("newsletters.subscription.started", actor=member, obj=subscription)
    _send_confirmation(subscription)


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscription:
    """Confirm a subscription from its signed, expiring link; record the consent."""
    try:
        value = signing.TimestampSigner(salt=rendering.CONFIRM_SALT).unsign(
            token, max_age=CONFIRM_MAX_AGE
        )
    except signing.SignatureExpired:
        raise DomainError(
            _("Deze bevestigingslink is verlopen. Meld je opnieuw aan; je krijgt een nieuwe link."),
            code="expired",
        ) from None
    except signing.BadSignature:
        raise DomainError(_("Deze bevestigingslink is ongeldig."), code="invalid_token") from None
    pk, _sep, email = value.partition(":")
    subscription = (
        Subscription.objects.select_for_update()
        .select_related("newsletter_list")
        .filter(pk=pk, email=email)
        .first()
    )
    if subscription is None:
        raise DomainError(_("Deze bevestigingslink is ongeldig."), code="invalid_token")
    if subscription.status != Subscription.Status.CONFIRMED:
        now = timezone.now()
        subscription.status = Subscription.Status.CONFIRMED
        subscription.confirmed_at = now
        subscription.consent_at = now
        subscription.unsubscribed_at = None
        subscription.save(update_fields=["status", "confirmed_at", "consent_at", "unsubscribed_at"])
        log_action("newsletters.subscription.confirmed", obj=subscription)
    return subscription


def subscription_from_unsubscribe_token(token: str) -> Subscription:
    """Return the subscription an unsubscribe token names, or raise a clear error."""
    try:
        pk = signing.Signer(salt=rendering.UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        raise DomainError(_("Deze afmeldlink is ongeldig."), code="invalid_token") from None
    subscription = Subscription.objects.select_related("newsletter_list").filter(pk=int(pk)).first()
    if subscription is None:
        raise DomainError(_("Deze afmeldlink is ongeldig."), code="invalid_token")
    return subscription


def _unsubscribe(subscription: Subscription, *, actor=None, source: str) -> None:
    if subscription.status == Subscription.Status.UNSUBSCRIBED:
        return
    subscription.status = Subscription.Status.UNSUBSCRIBED
    subscription.unsubscribed_at = timezone.now()
    subscription.save(update_fields=["status", "unsubscribed_at"])
    log_action(
        "newsletters.subscription.unsubscribed",
        actor=actor,
        obj=subscription,
        data={"source": source},
    )


@transaction.atomic
def subscription_unsubscribe(*, token: str, source: str = "link") -> Subscription:
    """Unsubscribe from a signed link (one-click per RFC 8058, no login needed)."""
    subscription = subscription_from_unsubscribe_token(token)
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    _unsubscribe(subscription, source=source)
    return subscription


@transaction.atomic
def member_subscribe(*, user, newsletter_list: NewsletterList) -> Subscription:
    """Subscribe a member with their verified account address (consent given on the page)."""
    now = timezone.now()
    found = selectors.member_subscriptions(user).get(newsletter_list.pk)
    if found is None:
        subscription = Subscription(
            newsletter_list=newsletter_list, email=_clean_email(user.email), name=user.full_name
        )
    else:
        subscription = Subscription.objects.select_for_update().get(pk=found.pk)
    subscription.member = user
    subscription.name = subscription.name or user.full_name
    if subscription.status != Subscription.Status.CONFIRMED:
        subscription.status = Subscription.Status.CONFIRMED
        subscription.confirmed_at = now
        subscription.consent_at = now
        subscription.consent_source = "profiel"
        subscription.unsubscribed_at = None
    subscription.save()
    log_action("newsletters.subscription.confirmed", actor=user, obj=subscription)
    return subscription


@transaction.atomic
def member_unsubscribe(*, user, newsletter_list: NewsletterList) -> None:
    """Unsubscribe a member from a list on the "Mijn nieuwsbrieven" page."""
    subscription = selectors.member_subscriptions(user).get(newsletter_list.pk)
    if subscription is not None:
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        _unsubscribe(subscription, actor=user, source="profiel")


def _clean_issue_fields(*, subject: str, agenda_days: int, blocks: list | None) -> list[dict]:
    if not (subject or "").strip():
        raise DomainError(_("Geef de nieuwsflits een onderwerp."), code="subject")
    if agenda_days is None or agenda_days < 0 or agenda_days > 366:
        raise DomainError(
            _("Het aantal dagen voor de agenda ligt tussen 0 en 366."), code="agenda_days"
        )
    cleaned = []
    for block in blocks or []:
        title = str(block.get("title", "")).strip() if isinstance(block, dict) else ""
        text = str(block.get("text", "")).strip() if isinstance(block, dict) else ""
        if title or text:
            cleaned.append({"title": title, "text": text})
    return cleaned


@transaction.atomic
def issue_create(
    *,
    newsletter_list: NewsletterList,
    user,
    subject: str,
    intro: str = "",
    blocks: list | None = None,
    signature_name: str = "",
    signature_role: str = "",
    agenda_days: int = 90,
) -> Issue:
    """Create a draft issue (programme team only)."""
    if not newsletter_list.can_manage(user):
        raise NotAllowed(_("Alleen het programmateam schrijft de nieuwsflits."))
    blocks = _clean_issue_fields(subject=subject, agenda_days=agenda_days, blocks=blocks)
    issue = Issue.objects.create(
        newsletter_list=newsletter_list,
        subject=subject.strip(),
        intro=intro or "",
        blocks=blocks,
        signature_name=(signature_name or "").strip(),
        signature_role=(signature_role or "").strip(),
        agenda_days=agenda_days,
        created_by=user,
    )
    log_action("newsletters.issue.created", actor=user, obj=issue)
    return issue


@transaction.atomic
def issue_update(
    *,
    issue: Issue,
    user,
    subject: str,
    intro: str = "",
    blocks: list | None = None,
    signature_name: str = "",
    signature_role: str = "",
    agenda_days: int = 90,
) -> Issue:
    """Change a draft issue (programme team only)."""
    issue = (
        Issue.objects.select_for_update()
        .select_related("newsletter_list__programme")
        .get(pk=issue.pk)
    )
    if not issue.newsletter_list.can_manage(user):
        raise NotAllowed(_("Alleen het programmateam schrijft de nieuwsflits."))
    if issue.status != Issue.Status.DRAFT:
        raise DomainError(_("Een verzonden nieuwsflits kan niet meer worden gewijzigd."))
    issue.blocks = _clean_issue_fields(subject=subject, agenda_days=agenda_days, blocks=blocks)
    issue.subject = subject.strip()
    issue.intro = intro or ""
    issue.signature_name = (signature_name or "").strip()
    issue.signature_role = (signature_role or "").strip()
    issue.agenda_days = agenda_days
    issue.save()
    log_action("newsletters.issue.updated", actor=user, obj=issue)
    return issue


def issue_send_test(*, issue: Issue, user) -> None:
    """Send the issue to the team member themself, marked as a test."""
    if not issue.newsletter_list.can_manage(user):
        raise NotAllowed(_("Alleen het programmateam verstuurt een test."))
    rendered = rendering.issue_render(issue)
    rendered.subject = _("[Test] %(subject)s") % {"subject": issue.subject}
    message = rendering.issue_message(
        rendered, email_address=user.email, name=user.full_name, subscription_id=0
    )
    with _mail_errors():
        message.send()
    log_action("newsletters.issue.test_sent", actor=user, obj=issue)


@transaction.atomic
def issue_send(*, issue: Issue, user) -> Issue:
    """Freeze the agenda, create one Delivery per confirmed subscriber and start sending."""
    issue = (
        Issue.objects.select_for_update()
        .select_related("newsletter_list__programme")
        .get(pk=issue.pk)
    )
    if not issue.newsletter_list.can_manage(user):
        raise NotAllowed(_("Alleen het programmateam verstuurt de nieuwsflits."))
    if issue.status != Issue.Status.DRAFT:
        raise DomainError(_("Deze nieuwsflits is al verzonden of wordt verzonden."), code="sent")
    recipients = list(
        Subscription.objects.filter(
            newsletter_list_id=issue.newsletter_list_id, status=Subscription.Status.CONFIRMED
        ).values_list("pk", flat=True)
    )
    if not recipients:
        raise DomainError(
            _("Deze nieuwsflits heeft nog geen bevestigde abonnees."), code="no_recipients"
        )
    issue.agenda = selectors.agenda_build(issue)
    # The unique constraint makes this safe to repeat: existing rows are left alone.
    Delivery.objects.bulk_create(
        [Delivery(issue=issue, subscription_id=pk) for pk in recipients],
        batch_size=2000,
        ignore_conflicts=True,
    )
    issue.status = Issue.Status.SENDING
    issue.sending_started_at = timezone.now()
    issue.total = len(recipients)
    issue.save(update_fields=["agenda", "status", "sending_started_at", "total"])
    log_action("newsletters.issue.sending", actor=user, obj=issue, data={"total": issue.total})
    _enqueue_delivery(issue.pk)
    return issue


def _enqueue_delivery(issue_pk: int) -> None:
    from .tasks import issue_deliver

    transaction.on_commit(lambda: issue_deliver.enqueue(issue_pk))


@transaction.atomic
def issue_resume(*, issue: Issue, user) -> None:
    """Start the delivery task again for an issue whose worker stopped (e.g. after a crash)."""
    if not issue.newsletter_list.can_manage(user):
        raise NotAllowed(_("Alleen het programmateam verstuurt de nieuwsflits."))
    if issue.status != Issue.Status.SENDING:
        raise DomainError(_("Deze nieuwsflits wordt niet verzonden."))
    log_action("newsletters.issue.resumed", actor=user, obj=issue)
    _enqueue_delivery(issue.pk)
