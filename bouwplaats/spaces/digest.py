"""The daily mail of new comments and documents, for participants who asked for it."""

import logging
import smtplib

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bouwplaats.core.mail import AddressError, build_message

from . import selectors
from .models import DigestSubscription
from .permissions import space_access

logger = logging.getLogger(__name__)


def digest_send_one(*, subscription_id: int, now=None) -> bool:
    """Mail one subscriber what is new since the last mail; return True if a mail went out.

    The row is locked and its ``last_sent_at`` moved in the same transaction as the send, so
    two workers never mail the same items twice.
    """
    now = now or timezone.now()
    with transaction.atomic():
        subscription = (
            DigestSubscription.objects.select_for_update()
            .select_related("session", "session__programme", "member")
            .filter(pk=subscription_id)
            .first()
        )
        if subscription is None:
            return False
        session, member = subscription.session, subscription.member
        since = subscription.last_sent_at or subscription.created_at
        # Access is checked at sending time: a cancelled registration gets no more mail.
        access = space_access(session, member)
        comments, documents = [], []
        if member.is_active:
            comments = list(
                selectors.comment_list(access=access)
                .filter(created_at__gt=since, created_at__lte=now, hidden_at=None)
                .exclude(author=member)
            )
            documents = list(
                selectors.document_list(access=access)
                .filter(created_at__gt=since, created_at__lte=now)
                .exclude(uploaded_by=member)
            )
        subscription.last_sent_at = now
        subscription.save(update_fields=["last_sent_at"])
        if not comments and not documents:
            return False
        url = settings.SITE_URL + reverse("spaces:session", kwargs={"session_pk": session.pk})
        context = {
            "session": session,
            "member": member,
            "comments": comments,
            "documents": documents,
            "url": url,
        }
        try:
            message = build_message(
                subject=_("[Bouwplaats] Nieuw in de sessieruimte van %(title)s")
                % {"title": session.title},
                body=render_to_string("spaces/digest.txt", context),
                html=render_to_string("spaces/digest.html", context),
                to=[(member.email, member.display_name)],
            )
        except AddressError as error:
            # This member's address cannot be mailed; the others' mails still go out.
            logger.warning("Digest %s not sent: %s", subscription_id, error)
            return False
        message.send()
        return True


def digest_send_all(*, now=None) -> int:
    """Send every subscriber's daily mail; return how many mails went out.

    One subscriber's failure (a refused address, a message that cannot be built) is logged
    and skipped: it never stops the others' mails. Their items stay unsent for the next run.
    """
    now = now or timezone.now()
    sent = 0
    for subscription_id in DigestSubscription.objects.values_list("pk", flat=True):
        try:
            sent += digest_send_one(subscription_id=subscription_id, now=now)
        except (smtplib.SMTPRecipientsRefused, ValueError, UnicodeError) as error:
            logger.warning("Digest %s not sent: %r", subscription_id, error)
    return sent
