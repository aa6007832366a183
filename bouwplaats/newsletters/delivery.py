"""The send loop: works through an issue's pending Delivery rows over one SMTP connection.

Crash safety: a row becomes ``sent`` in its own committed UPDATE right after the SMTP server
accepted the message. A worker killed at any moment leaves every unaccepted message pending,
so a restart sends it; only a message accepted in the instant before the kill, whose UPDATE
had not committed yet, goes out twice. At most one duplicate per crash.

Nobody has to restart it: the sending worker holds a lease on the issue (renewed per batch)
and asks, through ``watch``, for a run after the lease's expiry (tasks.issue_deliver queues
one with ``run_after``). Whichever worker runs it takes the issue over if its sender died.

One bad row never stops a batch: an address that cannot be sent to, or any other error in
building one subscriber's message, fails only that delivery, with the reason in
``last_error``.
"""

import datetime
import logging
import os
import secrets
import smtplib
import socket
import time
from collections.abc import Callable

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bouwplaats.core.audit import log_action
from bouwplaats.core.errors import DomainError
from bouwplaats.core.mail import AddressError, ascii_email

from . import rendering, selectors
from .models import Delivery, Issue, Subscription

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


class TemporaryFailure(Exception):
    """The server refused for now (4xx) or the connection broke: try again later."""


class PermanentFailure(Exception):
    """The server refused the address for good (5xx)."""


class LeaseLost(Exception):
    """Another worker took the issue over; this one must stop sending at once."""


CONNECT_TRIES = 5


def _classify(error: Exception) -> Exception:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in error.recipients.values()]
        code = max(codes) if codes else 450
        detail = "; ".join(f"{code} {msg!r}" for code, msg in error.recipients.values())
    elif isinstance(error, smtplib.SMTPResponseException):
        code, detail = error.smtp_code, f"{error.smtp_code} {error.smtp_error!r}"
    else:
        return TemporaryFailure(repr(error))
    if 500 <= code < 600:
        return PermanentFailure(detail)
    return TemporaryFailure(detail)


class Sender:
    """One reused SMTP connection from Django's mail settings.

    Non-SMTP backends (locmem in tests, console in development) receive EmailMessage
    objects built the reference way.
    """

    def __init__(self, factory: rendering.MessageFactory):
        self.factory = factory
        self.backend = get_connection(fail_silently=False)
        self.smtp = hasattr(self.backend, "connection") and hasattr(self.backend, "host")

    def open(self) -> None:
        self.backend.open()

    def close(self) -> None:
        try:
            self.backend.close()
        except Exception:  # noqa: BLE001 - closing a broken connection must not hide the cause
            logger.warning("Closing the SMTP connection failed", exc_info=True)

    def reopen(self, *, nap: Callable[[float], None]) -> None:
        """Replace a broken connection, waiting longer after each failed try."""
        for attempt in range(1, CONNECT_TRIES + 1):
            self.close()
            try:
                self.open()
                return
            except (smtplib.SMTPException, OSError):
                if attempt == CONNECT_TRIES:
                    raise
                nap(_retry_delay(attempt).total_seconds())

    def send(self, *, email_address: str, name: str, subscription_id: int) -> None:
        """Hand one message to the server; raise Temporary- or PermanentFailure.

        A message that cannot be built for this subscriber (an address without an IDNA form,
        a name the header library refuses, ...) is a PermanentFailure of this one delivery.
        """
        try:
            recipient = ascii_email(email_address)
            data = None
            if self.smtp:
                data = self.factory.build(
                    email_address=email_address, name=name, subscription_id=subscription_id
                )
            else:
                message = rendering.issue_message(
                    self.factory.rendered,
                    email_address=email_address,
                    name=name,
                    subscription_id=subscription_id,
                )
        except AddressError as error:
            raise PermanentFailure(str(error)) from error
        except Exception as error:  # noqa: BLE001 - one subscriber's message, not the batch
            logger.exception("Building the message of subscription %s failed", subscription_id)
            raise PermanentFailure(f"Bericht niet op te bouwen: {error!r}") from error
        try:
            if data is not None:
                if self.backend.connection is None:
                    self.backend.open()
                self.backend.connection.sendmail(self.factory.from_email, [recipient], data)
            else:
                self.backend.send_messages([message])
        except (smtplib.SMTPException, OSError) as error:
            raise _classify(error) from error
        except (UnicodeError, ValueError) as error:
            # Raised for this recipient's data (e.g. an encoding smtplib refuses).
            raise PermanentFailure(f"Bericht niet te versturen: {error!r}") from error


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _is_dead(worker: str) -> bool:
    """Return True if ``worker`` ran on this host in a process that no longer exists."""
    host, _sep, rest = worker.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _lease_seconds() -> int:
    return getattr(settings, "NEWSLETTER_WORKER_LEASE", 120)


def _claim(issue_pk: int, worker: str) -> tuple[bool, datetime.datetime | None]:
    """Make ``worker`` the issue's only sender if nobody else is sending it right now.

    Return (claimed, lease expiry): the expiry of this worker's new lease, or of the live
    sender's lease that stopped it; None when the issue is not being sent.
    """
    now = timezone.now()
    lease = datetime.timedelta(seconds=_lease_seconds())
    issue = Issue.objects.filter(pk=issue_pk, status=Issue.Status.SENDING).first()
    if issue is None:
        return False, None
    free = (
        not issue.worker
        or issue.worker_seen_at is None
        or issue.worker_seen_at < now - lease
        or _is_dead(issue.worker)
    )
    if not free:
        return False, issue.worker_seen_at + lease
    # Conditional on what was read, so that two workers racing for it cannot both win.
    won = Issue.objects.filter(
        pk=issue_pk, worker=issue.worker, worker_seen_at=issue.worker_seen_at
    ).update(worker=worker, worker_seen_at=now)
    return bool(won), now + lease


def _renew(issue_pk: int, worker: str) -> bool:
    return bool(
        Issue.objects.filter(pk=issue_pk, worker=worker).update(worker_seen_at=timezone.now())
    )


def _retry_delay(attempts: int) -> datetime.timedelta:
    base = getattr(settings, "NEWSLETTER_RETRY_DELAY", 30)
    return datetime.timedelta(seconds=base * 2 ** max(attempts - 1, 0))


def _max_attempts() -> int:
    return getattr(settings, "NEWSLETTER_MAX_ATTEMPTS", 5)


def issue_deliver(
    issue_pk: int,
    *,
    batch_size: int = BATCH_SIZE,
    sleep: Callable[[float], None] = time.sleep,
    watch: Callable[[datetime.datetime], None] | None = None,
) -> Issue | None:
    """Send every pending Delivery of the issue; mark the issue sent when none is left.

    ``watch(moment)`` is called with the lease expiry whenever this run holds the lease or
    finds another worker holding it: the caller arranges a new run after ``moment``, which
    takes over if the sender has died by then. Return the issue, or None when another worker
    sends it or it is not being sent.
    """
    issue = (
        Issue.objects.select_related("newsletter_list__programme")
        .filter(pk=issue_pk, status=Issue.Status.SENDING)
        .first()
    )
    if issue is None:
        return None
    worker = _worker_name()
    claimed, expires = _claim(issue_pk, worker)
    if expires is not None and watch is not None:
        watch(expires + datetime.timedelta(seconds=1))
    if not claimed:
        logger.info("Issue %s is being sent by another worker", issue_pk)
        return None
    factory = rendering.MessageFactory(rendering.issue_render(issue))
    sender = Sender(factory)
    pending = Delivery.objects.filter(issue_id=issue_pk, status=Delivery.Status.PENDING)

    def nap(seconds: float) -> None:
        # Sleep in short spells and renew the heartbeat in between, so that the issue stays
        # this worker's while it waits; stop at once if another worker took it over.
        slept = 0.0
        while True:
            if not _renew(issue_pk, worker):
                raise LeaseLost
            if slept >= seconds:
                return
            spell = min(seconds - slept, _lease_seconds() / 3)
            sleep(spell)
            slept += spell

    try:
        sender.open()
        while _renew(issue_pk, worker):
            now = timezone.now()
            batch = list(
                pending.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
                .order_by("id")
                .values_list(
                    "id",
                    "attempts",
                    "subscription_id",
                    "subscription__email",
                    "subscription__name",
                    "subscription__status",
                )[:batch_size]
            )
            if not batch:
                next_at = pending.aggregate(next_at=Min("next_attempt_at"))["next_at"]
                if next_at is None:
                    break
                nap(max((next_at - timezone.now()).total_seconds(), 0.0))
                continue
            for row in batch:
                _deliver_one(sender, row, nap=nap)
    except LeaseLost:
        logger.warning("Issue %s was taken over by another worker", issue_pk)
        return None
    finally:
        sender.close()
        Issue.objects.filter(pk=issue_pk, worker=worker).update(worker="", worker_seen_at=None)
    return _finish(issue)


def _deliver_one(sender: Sender, row: tuple, *, nap: Callable[[float], None]) -> None:
    delivery_id, attempts, subscription_id, email_address, name, subscription_status = row
    if subscription_status != Subscription.Status.CONFIRMED:
        Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.FAILED, last_error="Afgemeld voor verzending"
        )
        return
    try:
        sender.send(email_address=email_address, name=name, subscription_id=subscription_id)
    except PermanentFailure as error:
        Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.FAILED, attempts=F("attempts") + 1, last_error=str(error)
        )
        return
    except TemporaryFailure as error:
        this = Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING)
        attempts += 1
        if attempts >= _max_attempts():
            this.update(status=Delivery.Status.FAILED, attempts=attempts, last_error=str(error))
        else:
            this.update(
                attempts=attempts,
                last_error=str(error),
                next_attempt_at=timezone.now() + _retry_delay(attempts),
            )
        # A broken connection is replaced; if the server stays away, this run ends and the
        # issue stays "sending" with its rows pending, to be resumed.
        if not isinstance(error.__cause__, smtplib.SMTPResponseException):
            sender.reopen(nap=nap)
        return
    _mark_sent(delivery_id, attempts + 1)


def _mark_sent(delivery_id: int, attempts: int) -> None:
    """Mark one delivery sent, committed at once: the server has it, it must not go again.

    ``attempts`` is the count including this one. A literal rather than ``F("attempts") + 1``:
    the row is this worker's alone while it holds the lease, and resolving the expression
    costs the ORM more than the statement itself (once per message).
    """
    Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SENT, attempts=attempts, sent_at=timezone.now()
    )


def _finish(issue: Issue) -> Issue:
    counts = {
        status: Delivery.objects.filter(issue=issue, status=status).count()
        for status in Delivery.Status.values
    }
    if counts[Delivery.Status.PENDING]:
        return issue
    Issue.objects.filter(pk=issue.pk, status=Issue.Status.SENDING).update(
        status=Issue.Status.SENT,
        sent_at=timezone.now(),
        sent_count=counts[Delivery.Status.SENT],
        failed_count=counts[Delivery.Status.FAILED],
        total=counts[Delivery.Status.SENT] + counts[Delivery.Status.FAILED],
    )
    issue.refresh_from_db()
    return issue


def start_sending(issue: Issue) -> Issue:
    """Freeze the agenda, create one Delivery per confirmed subscriber, mark the issue sending.

    The caller holds the issue's row lock in its transaction and has checked who may send.
    Raises DomainError (code ``sent``: not a draft; ``no_recipients``: nobody confirmed).
    """
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
    return issue


def start_scheduled(issue_pk: int, *, now: datetime.datetime | None = None) -> bool:
    """Start sending the issue if it is a draft whose scheduled moment has come; True if so.

    Called by the scheduled task (at its moment) and by `manage.py newsletter_deliver`. A
    schedule that was withdrawn or moved later does nothing now.
    """
    now = now or timezone.now()
    with transaction.atomic():
        issue = (
            Issue.objects.select_for_update(of=("self",))
            .select_related("newsletter_list__programme")
            .filter(pk=issue_pk, status=Issue.Status.DRAFT, scheduled_at__lte=now)
            .first()
        )
        if issue is None:
            return False
        try:
            start_sending(issue)
        except DomainError as error:
            logger.warning("Scheduled issue %s not sent: %s", issue_pk, error.message)
            Issue.objects.filter(pk=issue_pk).update(scheduled_at=None)
            return False
        log_action("newsletters.issue.sending", obj=issue, data={"total": issue.total})
    return True


def start_all_scheduled(*, now: datetime.datetime | None = None) -> list[int]:
    """Start every draft whose scheduled moment has come; return their pks."""
    now = now or timezone.now()
    due = Issue.objects.filter(status=Issue.Status.DRAFT, scheduled_at__lte=now)
    return [pk for pk in due.values_list("pk", flat=True) if start_scheduled(pk, now=now)]


def deliver_all_sending(**kwargs) -> list[int]:
    """Resume every issue that is still sending (after a worker crash); return their pks.

    Drafts whose scheduled moment has come start first.
    """
    start_all_scheduled()
    pks = list(Issue.objects.filter(status=Issue.Status.SENDING).values_list("pk", flat=True))
    for pk in pks:
        issue_deliver(pk, **kwargs)
    return pks
