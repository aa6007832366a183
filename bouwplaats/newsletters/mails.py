"""The newsletters app's one-off mails: the confirmation link and a team member's test copy.

Issues themselves are rendered by :mod:`.rendering` and sent by :mod:`.delivery`.
"""

import smtplib
from contextlib import contextmanager

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from bouwplaats.core.errors import DomainError

from . import rendering
from .models import Issue, Subscription


@contextmanager
def mail_errors():
    """Turn a refused or failed mail into a DomainError; the caller's transaction stores nothing.

    A refused address names ``email`` (400); a server that is away is ``mail_unavailable``
    (503).
    """
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


def confirm_token(subscription: Subscription) -> str:
    """Return the signed, expiring confirmation token of a pending subscription."""
    return signing.TimestampSigner(salt=rendering.CONFIRM_SALT).sign(
        f"{subscription.pk}:{subscription.email}"
    )


def confirmation_send(subscription: Subscription) -> None:
    """Mail the double opt-in link to the subscription's address (raises DomainError)."""
    url = settings.SITE_URL + reverse(
        "newsletters:confirm", kwargs={"token": confirm_token(subscription)}
    )
    context = {"subscription": subscription, "newsletter_list": subscription.newsletter_list}
    with mail_errors():
        send_mail(
            subject=_("Bevestig je aanmelding voor de %(list)s")
            % {"list": subscription.newsletter_list.name},
            message=render_to_string("newsletters/mail/confirm.txt", {**context, "url": url}),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[subscription.email],
        )


def issue_test_send(issue: Issue, user) -> None:
    """Mail ``issue`` to ``user`` with "[Test]" before the subject (raises DomainError)."""
    rendered = rendering.issue_render(issue)
    rendered.subject = _("[Test] %(subject)s") % {"subject": issue.subject}
    message = rendering.issue_message(
        rendered, email_address=user.email, name=user.full_name, subscription_id=0
    )
    with mail_errors():
        message.send()
