"""Every write of the newsletters app: subscriptions, issues and the start of sending."""

import csv
import datetime
import io

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bouwplaats.core.audit import log_action
from bouwplaats.core.background import enqueue_on_commit
from bouwplaats.core.errors import DomainError, InvalidInput, NotAllowed
from bouwplaats.core.exports import FORMATS, export_table
from bouwplaats.core.mail import email_key
from bouwplaats.core.validation import (
    validate_instance,
    validate_plausible_year,
    validate_single_line,
)

from . import delivery, mails, permissions, rendering, selectors, tasks
from .models import Issue, NewsletterList, Subscription

CONFIRM_MAX_AGE = 7 * 24 * 3600
RESEND_AFTER = mails.RESEND_AFTER


def _validate_subscription(subscription: Subscription) -> None:
    # The list is set by the caller; leaving it out also leaves out the unique check, which
    # would tell a stranger that the address is on the list.
    validate_instance(subscription, exclude=["newsletter_list"])


def _locked_subscription(newsletter_list: NewsletterList, key: str) -> Subscription | None:
    return (
        Subscription.objects.select_for_update()
        .filter(newsletter_list=newsletter_list, email_key=key)
        .first()
    )


def _insert_or_lock(candidate: Subscription) -> tuple[Subscription, bool]:
    """Insert ``candidate``, or lock the row of the same mailbox that won a race to it.

    Return (subscription, created). The unique (list, email_key) constraint decides.
    """
    try:
        with transaction.atomic():
            candidate.save()
        return candidate, True
    except IntegrityError:
        found = _locked_subscription(candidate.newsletter_list, candidate.email_key)
        if found is None:  # pragma: no cover - the conflicting row was deleted meanwhile
            raise
        return found, False


def _confirm_own(
    *, user, newsletter_list: NewsletterList, email: str, name: str, source: str
) -> Subscription:
    """Subscribe one of ``user``'s own verified addresses at once (consent given here)."""
    now = timezone.now()
    candidate = Subscription(newsletter_list=newsletter_list, email=email, name=name)
    candidate.normalise_address()
    subscription = _locked_subscription(newsletter_list, candidate.email_key)
    created = False
    if subscription is None:
        _validate_subscription(candidate)
        candidate.member = user
        candidate.status = Subscription.Status.CONFIRMED
        candidate.confirmed_at = candidate.consent_at = now
        candidate.consent_source = source
        subscription, created = _insert_or_lock(candidate)
    if not created:
        subscription.member = user
        subscription.name = subscription.name or name
        if subscription.status != Subscription.Status.CONFIRMED:
            subscription.status = Subscription.Status.CONFIRMED
            subscription.confirmed_at = now
            subscription.consent_at = now
            subscription.consent_source = source
            subscription.unsubscribed_at = None
        _validate_subscription(subscription)
        subscription.save()
    log_action("newsletters.subscription.confirmed", actor=user, obj=subscription)
    return subscription


@transaction.atomic
def subscription_start(
    *,
    newsletter_list: NewsletterList,
    email: str,
    name: str = "",
    source: str,
    member=None,
) -> bool:
    """Subscribe an address: at once if it is the member's own verified one, else by double
    opt-in (a pending subscription and a confirmation link, mailed by a task after commit).

    Return True when subscribed at once. For any other address the answer and the work done
    in the request are the same whether or not it was already on the list (confirmed,
    pending, unsubscribed or unknown), so that nobody can find out who reads which
    newsletter: the mail itself is decided and sent by the queued task. Someone else's
    address is never tied to the member who typed it. Raises InvalidInput naming ``email``
    or ``name`` (nothing stored).
    """
    candidate = Subscription(
        newsletter_list=newsletter_list,
        email=email,
        name=(name or "").strip(),
        consent_source=source,
    )
    candidate.normalise_address()
    _validate_subscription(candidate)
    own = permissions.own_addresses(member)
    if candidate.email_key in own:
        _confirm_own(
            user=member,
            newsletter_list=newsletter_list,
            email=own[candidate.email_key],  # as the member verified it
            name=candidate.name,
            source=source,
        )
        return True
    subscription = _locked_subscription(newsletter_list, candidate.email_key)
    if subscription is None:
        subscription, created = _insert_or_lock(candidate)
    if subscription.status == Subscription.Status.UNSUBSCRIBED:
        subscription.status = Subscription.Status.PENDING
        subscription.consent_source = source
    if subscription.status == Subscription.Status.PENDING:
        # Anyone can type this address: the greeting stays the one first given (until the
        # owner confirms), so a stranger cannot change how an unconfirmed reader is addressed.
        subscription.name = subscription.name or candidate.name
    subscription.save(update_fields=["status", "name", "consent_source"])
    log_action(
        "newsletters.subscription.started",
        actor=member if getattr(member, "is_authenticated", False) else None,
        obj=subscription,
    )
    pk = subscription.pk
    enqueue_on_commit(tasks.subscription_confirmation_send, pk)
    return False


def subscription_from_confirm_token(token: str) -> Subscription:
    """Return the subscription a confirmation token names (not confirming it), for the page
    that asks to confirm; raise DomainError (``expired``/``invalid_token``) as
    subscription_confirm does."""
    return _confirm_token_subscription(token, lock=False)


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscription:
    """Confirm a subscription from its signed, expiring link; record the consent."""
    subscription = _confirm_token_subscription(token, lock=True)
    if subscription.status != Subscription.Status.CONFIRMED:
        now = timezone.now()
        subscription.status = Subscription.Status.CONFIRMED
        subscription.confirmed_at = now
        subscription.consent_at = now
        subscription.unsubscribed_at = None
        subscription.save(update_fields=["status", "confirmed_at", "consent_at", "unsubscribed_at"])
        log_action("newsletters.subscription.confirmed", obj=subscription)
    return subscription


def _confirm_token_subscription(token: str, *, lock: bool) -> Subscription:
    try:
        value = signing.TimestampSigner(salt=rendering.CONFIRM_SALT).unsign(
            token, max_age=CONFIRM_MAX_AGE
        )
    except signing.SignatureExpired:
        raise DomainError(
            _("Deze bevestigingslink is verlopen. Abonneer u opnieuw; u krijgt een nieuwe link."),
            code="expired",
        ) from None
    except signing.BadSignature:
        raise DomainError(_("Deze bevestigingslink is ongeldig."), code="invalid_token") from None
    pk, _sep, email = value.partition(":")
    rows = Subscription.objects.select_for_update() if lock else Subscription.objects.all()
    subscription = (
        rows.select_related("newsletter_list")
        .filter(pk=pk if pk.isdigit() else None, email_key=email_key(email))
        .first()
    )
    if subscription is None:
        raise DomainError(_("Deze bevestigingslink is ongeldig."), code="invalid_token")
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
    """Subscribe a member's account address, which they verified (consent given on the page).

    Raises DomainError (code ``email``) when the account address is not verified: only a
    verified address is subscribed without a confirmation link.
    """
    if email_key(user.email) not in permissions.own_email_keys(user):
        raise DomainError(
            _("Bevestig eerst uw e-mailadres; daarna kunt u zich hier abonneren."), code="email"
        )
    return _confirm_own(
        user=user,
        newsletter_list=newsletter_list,
        email=user.email,
        name=user.full_name,
        source="profiel",
    )


@transaction.atomic
def member_unsubscribe(*, user, newsletter_list: NewsletterList) -> None:
    """Unsubscribe each of the member's verified addresses from a list ("Mijn nieuwsflitsen")."""
    for subscription in (
        selectors.own_subscriptions(user)
        .filter(newsletter_list=newsletter_list)
        .select_for_update()
    ):
        _unsubscribe(subscription, actor=user, source="profiel")


def _clean_blocks(blocks: list | None) -> list:
    # Trim and drop empty blocks; what is left is checked by Issue.clean().
    cleaned = []
    for block in blocks or []:
        if not isinstance(block, dict):
            cleaned.append(block)
            continue
        block = {key: value.strip() if isinstance(value, str) else value
                 for key, value in block.items()}  # fmt: skip
        if any(block.values()):
            cleaned.append(block)
    return cleaned


def _require_manager(user, newsletter_list: NewsletterList, message: str) -> None:
    if not permissions.can_manage_list(user, newsletter_list):
        raise NotAllowed(message)


def _issue_fill(issue: Issue, *, subject, intro, blocks, signature_name, signature_role,
                agenda_days) -> None:  # fmt: skip
    issue.subject = (subject or "").strip()
    issue.intro = intro or ""
    issue.blocks = _clean_blocks(blocks)
    issue.signature_name = (signature_name or "").strip()
    issue.signature_role = (signature_role or "").strip()
    issue.agenda_days = agenda_days
    validate_instance(issue)


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
    """Create a draft issue (programme team only).

    ``blocks`` is a list of ``{"title", "text"}``; empty ones are dropped. Raises NotAllowed,
    or InvalidInput naming the refused field (nothing stored).
    """
    _require_manager(user, newsletter_list, _("Alleen het programmateam schrijft de nieuwsflits."))
    issue = Issue(newsletter_list=newsletter_list, created_by=user)
    _issue_fill(issue, subject=subject, intro=intro, blocks=blocks, signature_name=signature_name,
                signature_role=signature_role, agenda_days=agenda_days)  # fmt: skip
    issue.save()
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
    """Change a draft issue (programme team only); raises as issue_create, or DomainError
    once sending started."""
    issue = (
        Issue.objects.select_for_update()
        .select_related("newsletter_list__programme")
        .get(pk=issue.pk)
    )
    _require_manager(
        user, issue.newsletter_list, _("Alleen het programmateam schrijft de nieuwsflits.")
    )
    if issue.status != Issue.Status.DRAFT:
        raise DomainError(_("Een verzonden nieuwsflits kan niet meer worden gewijzigd."))
    _issue_fill(issue, subject=subject, intro=intro, blocks=blocks, signature_name=signature_name,
                signature_role=signature_role, agenda_days=agenda_days)  # fmt: skip
    issue.save()
    log_action("newsletters.issue.updated", actor=user, obj=issue)
    return issue


def issue_send_test(*, issue: Issue, user) -> None:
    """Send the issue to the team member themself, marked as a test."""
    _require_manager(user, issue.newsletter_list, _("Alleen het programmateam verstuurt een test."))
    mails.issue_test_send(issue, user)
    log_action("newsletters.issue.test_sent", actor=user, obj=issue)


@transaction.atomic
def issue_send(*, issue: Issue, user) -> Issue:
    """Freeze the agenda, create one Delivery per confirmed subscriber and start sending."""
    issue = (
        Issue.objects.select_for_update()
        .select_related("newsletter_list__programme")
        .get(pk=issue.pk)
    )
    _require_manager(
        user, issue.newsletter_list, _("Alleen het programmateam verstuurt de nieuwsflits.")
    )
    delivery.start_sending(issue)
    log_action("newsletters.issue.sending", actor=user, obj=issue, data={"total": issue.total})
    _enqueue_delivery(issue.pk)
    return issue


@transaction.atomic
def issue_schedule(*, issue: Issue, user, at: datetime.datetime | None) -> Issue:
    """Have the issue sent by itself at ``at`` (None: withdraw the schedule).

    ``at`` must lie in the future (and in a plausible year). Sending then starts as with
    issue_send, to the subscribers confirmed at that moment, with the agenda of that moment.
    Raises NotAllowed (not the programme team), DomainError (code ``sent``: not a draft) and
    InvalidInput naming ``scheduled_at``.
    """
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    _require_manager(
        user, issue.newsletter_list, _("Alleen het programmateam verstuurt de nieuwsflits.")
    )
    if issue.status != Issue.Status.DRAFT:
        raise DomainError(_("Deze nieuwsflits is al verzonden of wordt verzonden."), code="sent")
    if at is not None:
        try:
            validate_plausible_year(at)
        except ValidationError as exc:
            raise InvalidInput({"scheduled_at": exc.messages}) from exc
        if at <= timezone.now():
            raise InvalidInput({"scheduled_at": [_("Kies een moment in de toekomst.")]})
    issue.scheduled_at = at
    issue.save(update_fields=["scheduled_at"])
    log_action(
        "newsletters.issue.scheduled",
        actor=user,
        obj=issue,
        data={"at": at.isoformat() if at else None},
    )
    if at is not None and tasks.issue_send_scheduled.get_backend().supports_defer:
        pk = issue.pk
        enqueue_on_commit(tasks.issue_send_scheduled.using(run_after=at), pk)
    return issue


def _enqueue_delivery(issue_pk: int) -> None:
    enqueue_on_commit(tasks.issue_deliver, issue_pk)


@transaction.atomic
def issue_resume(*, issue: Issue, user) -> None:
    """Start the delivery task again for an issue whose worker stopped (e.g. after a crash)."""
    _require_manager(
        user, issue.newsletter_list, _("Alleen het programmateam verstuurt de nieuwsflits.")
    )
    if issue.status != Issue.Status.SENDING:
        raise DomainError(_("Deze nieuwsflits wordt niet verzonden."))
    log_action("newsletters.issue.resumed", actor=user, obj=issue)
    _enqueue_delivery(issue.pk)


# The subscriber page of the programme team (issue 15 §11): import with the consent's source,
# unsubscribe on request, export through the platform's one export writer.

# The most rows and bytes one import takes: a list, not a database dump.
IMPORT_MAX_ROWS = 10_000
IMPORT_MAX_BYTES = 2_000_000


def _import_rows(content: bytes) -> list[tuple[str, str]]:
    """Return (email, name) per row of a CSV (``;`` or ``,``; a header row is skipped).

    Raises InvalidInput naming ``file`` for a file that is too large, not UTF-8 or not CSV.
    """
    if len(content) > IMPORT_MAX_BYTES:
        raise InvalidInput({"file": [_("Het bestand is groter dan 2 MB.")]})
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput({"file": [_("Sla het bestand op als CSV in UTF-8.")]}) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as error:
        raise InvalidInput({"file": [_("Dit is geen leesbaar CSV-bestand.")]}) from error
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if rows and "@" not in rows[0][0]:
        rows = rows[1:]  # the header
    if len(rows) > IMPORT_MAX_ROWS:
        raise InvalidInput(
            {"file": [_("Importeer hooguit %(max)s adressen tegelijk.") % {"max": IMPORT_MAX_ROWS}]}
        )
    return [(row[0].strip(), (row[1] if len(row) > 1 else "").strip()) for row in rows]


@transaction.atomic
def subscriptions_import(
    *, newsletter_list: NewsletterList, user, content: bytes, source: str
) -> dict[str, int]:
    """Add the addresses of a CSV file (email, name) as confirmed subscribers.

    ``source`` says where the consent was given (e.g. "aanmeldlijst congres 10 juni 2027")
    and is recorded on each new subscription as "import: <source>", with the moment. An
    address that unsubscribed is left alone (their choice stands); one already on the list
    is skipped; an invalid one is counted and skipped. Return the counts ``added``,
    ``present``, ``unsubscribed``, ``invalid``. Raises NotAllowed (not the programme team)
    and InvalidInput naming ``file`` or ``source`` (nothing stored).
    """
    _require_manager(user, newsletter_list, _("Alleen het programmateam beheert de abonnees."))
    source = str(source or "").strip()
    if not source:
        raise InvalidInput({"source": [_("Zeg waar deze mensen toestemming gaven.")]})
    consent_source = f"import: {source}"
    try:
        validate_single_line(source)
        Subscription._meta.get_field("consent_source").run_validators(consent_source)
        if len(consent_source) > Subscription._meta.get_field("consent_source").max_length:
            raise ValidationError(_("De bron is te lang."))
    except ValidationError as exc:
        raise InvalidInput({"source": exc.messages}) from exc
    counts = {"added": 0, "present": 0, "unsubscribed": 0, "invalid": 0}
    now = timezone.now()
    seen: set[str] = set()
    for email, name in _import_rows(content):
        candidate = Subscription(
            newsletter_list=newsletter_list,
            email=email,
            name=name,
            status=Subscription.Status.CONFIRMED,
            consent_source=consent_source,
            consent_at=now,
            confirmed_at=now,
        )
        candidate.normalise_address()
        try:
            _validate_subscription(candidate)
        except InvalidInput:
            counts["invalid"] += 1
            continue
        if candidate.email_key in seen:
            counts["present"] += 1
            continue
        seen.add(candidate.email_key)
        existing = _locked_subscription(newsletter_list, candidate.email_key)
        if existing is None:
            candidate.save()
            counts["added"] += 1
        elif existing.status == Subscription.Status.UNSUBSCRIBED:
            counts["unsubscribed"] += 1
        else:
            counts["present"] += 1
    log_action(
        "newsletters.subscriptions.imported",
        actor=user,
        obj=newsletter_list,
        data={"source": consent_source, **counts},
    )
    return counts


@transaction.atomic
def subscription_unsubscribe_on_request(*, subscription: Subscription, user) -> Subscription:
    """Unsubscribe someone who asked the programme team to (recorded as "op verzoek")."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    _require_manager(
        user, subscription.newsletter_list, _("Alleen het programmateam beheert de abonnees.")
    )
    if subscription.status == Subscription.Status.UNSUBSCRIBED:
        raise DomainError(_("Dit adres is al afgemeld."), status_code=409)
    _unsubscribe(subscription, actor=user, source="op verzoek")
    return subscription


def subscribers_export(*, newsletter_list: NewsletterList, user, fmt: str):
    """Return the list's subscribers as ``(content, content type, file name)`` (logged).

    Through core.exports (no cell becomes a formula). Raises NotAllowed (not the team) and
    DomainError (404) for an unknown format.
    """
    if not permissions.can_view_subscribers(user, newsletter_list):
        raise NotAllowed(_("Alleen het programmateam ziet de abonnees."))
    if fmt not in FORMATS:
        raise DomainError(_("Onbekend formaat."), status_code=404)
    rows = (
        (s.email, s.name, s.get_status_display(), s.consent_source, s.consent_at, s.unsubscribed_at)
        for s in newsletter_list.subscriptions.order_by("email_key")
    )
    result = export_table(
        header=[
            _("E-mailadres"),
            _("Naam"),
            _("Status"),
            _("Bron van de toestemming"),
            _("Toestemming gegeven op"),
            _("Afgemeld op"),
        ],  # fmt: skip
        rows=rows,
        fmt=fmt,
        name=f"abonnees-{newsletter_list.slug}",
        title=_("Abonnees"),
    )
    log_action(
        "newsletters.subscribers.exported", actor=user, obj=newsletter_list, data={"format": fmt}
    )
    return result


# How far back an unmailed confirmation link is still sent by owed_work_requeue: who
# subscribed longer ago subscribes again (and gets a new link) if they still want it.
CONFIRMATION_OWED_FOR = datetime.timedelta(days=1)


def owed_work_requeue() -> int:
    """Queue the owed newsletter work again; return how many tasks were queued.

    For `manage.py requeue_owed_work`: issues being sent without a live sender (their task
    was never queued, or died with its worker), drafts whose scheduled moment has come, and
    confirmation links of the last day never mailed. Each task is safe to run twice.
    """
    now = timezone.now()
    delivery.start_all_scheduled(now=now)
    lease = datetime.timedelta(seconds=delivery._lease_seconds())
    orphaned = Issue.objects.filter(status=Issue.Status.SENDING).filter(
        Q(worker="") | Q(worker_seen_at__isnull=True) | Q(worker_seen_at__lt=now - lease)
    )
    issues = list(orphaned.values_list("pk", flat=True))
    for issue_pk in issues:
        tasks.issue_deliver.enqueue(issue_pk)
    unmailed = list(
        Subscription.objects.filter(
            status=Subscription.Status.PENDING,
            confirmation_sent_at__isnull=True,
            created_at__gte=now - CONFIRMATION_OWED_FOR,
        ).values_list("pk", flat=True)
    )
    for subscription_pk in unmailed:
        tasks.subscription_confirmation_send.enqueue(subscription_pk)
    return len(issues) + len(unmailed)
