"""The mails about submissions: each review step, mailed to the member who submitted.

tasks.py calls these with primary keys; the rows are read fresh here.
"""

import logging

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from bouwplaats.core.mail import AddressError, build_message

from .models import Submission, SubmissionStep

logger = logging.getLogger(__name__)


def step_message(step: SubmissionStep):
    """Return the mail that tells the submitter about ``step`` (None without a submitter)."""
    submission = step.submission
    member = submission.submitted_by
    if member is None or not member.is_active:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        status = step.get_status_display()
        subject = _("[Bouwplaats] Uw aanmelding ‘%(title)s’: %(status)s") % {
            "title": submission.title,
            "status": status.lower(),
        }
        lines = [
            _("Beste %(name)s,") % {"name": member.display_name},
            "",
            _("Uw aanmelding ‘%(title)s’ (oproep ‘%(call)s’) heeft nu de status: %(status)s.")
            % {"title": submission.title, "call": submission.call.title, "status": status},
            "",
            _("Reden: %(reason)s") % {"reason": step.reason},
        ]
        if step.contact_name:
            contact = step.contact_name
            if step.contact_email:
                contact += f" ({step.contact_email})"
            lines.append(_("Contactpersoon: %(contact)s") % {"contact": contact})
        if step.status == Submission.Status.ONVOLLEDIG and submission.repair_until:
            lines += [
                "",
                _("Vul uw aanmelding aan vóór %(date)s.")
                % {"date": formats.date_format(submission.repair_until, "j F Y")},
            ]
        lines += [
            "",
            _("Datum: %(at)s")
            % {"at": formats.date_format(timezone.localtime(step.at), "j F Y H:i")},
            _("Bekijk uw aanmelding en haar geschiedenis: %(url)s")
            % {"url": settings.SITE_URL + submission.get_absolute_url()},
        ]
    return build_message(
        subject=subject, body="\n".join(lines), to=[(member.email, member.display_name)]
    )


def send_step_mail(step_id: int) -> None:
    """Mail the submitter about the review step ``step_id``; a bad address is logged, not raised."""
    step = (
        SubmissionStep.objects.select_related("submission__call", "submission__submitted_by")
        .filter(pk=step_id)
        .first()
    )
    if step is None:
        return
    try:
        message = step_message(step)
    except AddressError as error:
        logger.warning("Submission step %s not mailed: %s", step_id, error)
        return
    if message is not None:
        message.send()
