"""The newsletters app's one-off mails: the confirmation link and a team member's test copy.

Issues themselves are rendered by :mod:`.rendering` and sent by :mod:`.delivery`; every
message is built by core.mail (address objects, IDNA domains, one-line names).
"""

import datetime
import logging
import smtplib
from contextlib import contextmanager

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bouwplaats.core.errors import DomainError
from bouwplaats.core.mail import AddressError, build_message

from . import rendering
from .models import Issue, Subscription

logger = logging.getLogger(__name__)

# A pending address gets at most one confirmation link per this long: repeated requests must
# not flood someone else's mailbox.
RESEND_AFTER = datetime.timedelta(minutes=10)


@contextmanager
def mail_errors():
    """Turn a refused or failed mail into a DomainError; the caller's transaction stores nothing.

    A refused address names ``email`` (400); a server that is away is ``mail_unavailable``
    (503).
    """
    try:
        yield
    except (smtplib.SMTPRecipientsRefused, AddressError):
        raise DomainError(
            _("Dit e-mailadres neemt geen mail aan. Controleer het adres."), code="email"
        ) from None
    except (smtplib.SMTPException, OSError):
        raise DomainError(
            _("De mail kon nu niet worden verstuurd. Probeer het over een paar minuten opnieuw."),
            code="mail_unavailable",
            status_code=503,
        ) from None


def confirm_token(subscription: Subscription) -> str:
    """Return the signed, expiring confirmation token of a pending subscription."""
    return signing.TimestampSigner(salt=rendering.CONFIRM_SALT).sign(
        f"{subscription.pk}:{subscription.email}"
    )


def confirmation_message(subscription: Subscription):
    """Return the double opt-in mail of a subscription (raises AddressError)."""
    url = settings.SITE_URL + reverse(
        "newsletters:confirm", kwargs={"token": confirm_token(subscription)}
    )
    context = {"subscription": subscription, "newsletter_list": subscription.newsletter_list}
    return build_message(
        subject=_("[Bouwplaats] Bevestig uw abonnement op de %(list)s")
        % {"list": subscription.newsletter_list.name},
        body=render_to_string("newsletters/mail/confirm.txt", {**context, "url": url}),
        to=[(subscription.email, subscription.name)],
    )


def confirmation_send_due(subscription_pk: int, *, now: datetime.datetime | None = None) -> bool:
    """Mail the confirmation link if the subscription still waits for it; return True if sent.

    Nothing for a confirmed or unsubscribed row, nor within RESEND_AFTER of the previous link.
    The row stays locked while the mail goes out and its ``confirmation_sent_at`` is stored
    only once the server accepted it, so a failed send is tried again on the next request. An
    address that cannot be mailed is logged and left pending. SMTP errors propagate (the task
    fails and says why).
    """
    now = now or timezone.now()
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        subscription = (
            Subscription.objects.select_for_update()
            .select_related("newsletter_list")
            .filter(pk=subscription_pk, status=Subscription.Status.PENDING)
            .first()
        )
        if subscription is None:
            return False
        sent_at = subscription.confirmation_sent_at
        if sent_at is not None and sent_at > now - RESEND_AFTER:
            return False
        try:
            message = confirmation_message(subscription)
        except AddressError as error:
            logger.warning("Confirmation for subscription %s not sent: %s", subscription_pk, error)
            return False
        message.send()
        subscription.confirmation_sent_at = now
        subscription.save(update_fields=["confirmation_sent_at"])
    return True


def issue_test_send(issue: Issue, user) -> None:
    """Mail ``issue`` to ``user`` with "[Test]" before the subject (raises DomainError)."""
    rendered = rendering.issue_render(issue)
    rendered.subject = _("[Test] %(subject)s") % {"subject": issue.subject}
    with mail_errors():
        message = rendering.issue_message(
            rendered, email_address=user.email, name=user.full_name, subscription_id=0
        )
        message.send()
