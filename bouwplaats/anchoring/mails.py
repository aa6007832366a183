"""The mails of verankering: a member named as writer of a region's koffertje hears so.

tasks.py calls these with primary keys; the rows are read fresh here.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext as _

from bouwplaats.core.mail import AddressError, build_message

from .models import Koffertje

logger = logging.getLogger(__name__)


def writer_message(koffertje: Koffertje, member):
    """Return the mail that tells ``member`` they may now write ``koffertje`` (None if the
    member left or is no longer one of its writers)."""
    if not member.is_active or getattr(member, "is_removed", False):
        return None
    if not koffertje.writers.filter(pk=member.pk).exists():
        return None
    words = {"region": koffertje.region.name, "programme": koffertje.programme.name}
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Bouwplaats] U schrijft mee aan het koffertje van %(region)s") % words
        lines = [
            _("Beste %(name)s,") % {"name": member.display_name},
            "",
            _(
                "Het programmateam van %(programme)s heeft u aangewezen als schrijver van het "
                "koffertje van %(region)s: wat de regio na afloop van het programma wil "
                "verankeren."
            )
            % words,
            "",
            _("U vult het koffertje aan op: %(url)s")
            % {"url": settings.SITE_URL + koffertje.get_absolute_url()},
            "",
            _("U vindt het koffertje ook op Mijn Bouwplaats."),
        ]
    return build_message(
        subject=subject, body="\n".join(lines), to=[(member.email, member.display_name)]
    )


def send_writer_mail(koffertje_id: int, user_id: int) -> None:
    """Mail member ``user_id`` that they write koffertje ``koffertje_id``; a bad address is
    logged, not raised; a koffertje or member gone sends nothing."""
    koffertje = (
        Koffertje.objects.select_related("region", "programme").filter(pk=koffertje_id).first()
    )
    member = get_user_model().objects.filter(pk=user_id).first()
    if koffertje is None or member is None:
        return
    try:
        message = writer_message(koffertje, member)
    except AddressError as error:
        logger.warning("Koffertje %s writer %s not mailed: %s", koffertje_id, user_id, error)
        return
    if message is not None:
        message.send()
