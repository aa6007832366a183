"""The mails of calls and pilots: each review step to the member who submitted; a support
request to the programme team and its answer to the asker; the report reminder to the pilot's
team.

tasks.py calls these with primary keys; the rows are read fresh here.
"""

import logging

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from bouwplaats.accounts.permissions import verified_members
from bouwplaats.core.mail import AddressError, build_message, send_to_reachable

from .models import Pilot, Submission, SubmissionStep, SupportRequest

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
        submitted = _submitted(step, member)
        lines = [_("Beste %(name)s,") % {"name": member.display_name}, ""]
        if submitted:
            # The submitting side's own step: what happened, not a reason from the team.
            lines += [submitted, _("U krijgt een mail bij elke volgende stap in de beoordeling.")]
        else:
            lines += [
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
                % {"date": formats.date_format(submission.repair_until)},
            ]
        lines += [
            "",
            _("Datum: %(at)s")
            % {"at": formats.date_format(timezone.localtime(step.at), "DATETIME_FORMAT")},
            _("Bekijk uw aanmelding en haar geschiedenis: %(url)s")
            % {"url": settings.SITE_URL + submission.get_absolute_url()},
        ]
    return build_message(
        subject=subject, body="\n".join(lines), to=[(member.email, member.display_name)]
    )


def _submitted(step: SubmissionStep, member) -> str | None:
    """Return, for a step the submitting side took (``services._submit``: status ingediend and
    no contact, which the team's steps always name), what happened in a sentence to
    ``member``; None for the team's steps."""
    if step.status != Submission.Status.INGEDIEND or step.contact_name:
        return None
    earlier = step.submission.steps.filter(at__lte=step.at).exclude(pk=step.pk)
    completed = earlier.order_by("-at", "-id").values_list("status", flat=True).first() == (
        Submission.Status.ONVOLLEDIG
    )
    words = {"title": step.submission.title, "call": step.submission.call.title,
             "name": step.by.display_name if step.by else _("onbekend")}  # fmt: skip
    if step.by_id == member.pk:
        if completed:
            return _("U heeft uw aanmelding ‘%(title)s’ op de oproep ‘%(call)s’ aangevuld en "
                     "opnieuw ingediend.") % words  # fmt: skip
        return _("U heeft uw aanmelding ‘%(title)s’ op de oproep ‘%(call)s’ ingediend.") % words
    if completed:
        return _("%(name)s heeft uw aanmelding ‘%(title)s’ op de oproep ‘%(call)s’ aangevuld "
                 "en opnieuw ingediend.") % words  # fmt: skip
    return _("%(name)s heeft uw aanmelding ‘%(title)s’ op de oproep ‘%(call)s’ ingediend.") % words


def send_step_mail(step_id: int) -> None:
    """Mail the submitter about the review step ``step_id``; a bad address is logged, not raised."""
    step = (
        SubmissionStep.objects.select_related("submission__call", "submission__submitted_by", "by")
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


def _support_request(request_id: int) -> SupportRequest | None:
    return (
        SupportRequest.objects.select_related("pilot__programme", "pilot__organisation", "by")
        .filter(pk=request_id)
        .first()
    )


def send_support_request_mail(request_id: int) -> int:
    """Mail the programme team about support request ``request_id``; return how many got it."""
    support = _support_request(request_id)
    if support is None:
        return 0
    pilot = support.pilot
    team = pilot.programme.memberships.filter(user__is_active=True).values_list(
        "user__email", flat=True
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Hulpvraag van pilot ‘%(pilot)s’: %(kind)s") % {
            "pilot": pilot.title,
            "kind": support.get_kind_display().lower(),
        }
        body = "\n".join(
            [
                _("De pilot ‘%(pilot)s’ (%(organisation)s) vraagt om %(kind)s.")
                % {"pilot": pilot.title, "organisation": pilot.organisation.name,
                   "kind": support.get_kind_display().lower()},
                "",
                support.question,
                "",
                _("Gevraagd door: %(name)s") % {"name": support.by.display_name if support.by
                                                 else _("onbekend")},
                _("Beantwoord de vraag op de pagina van de pilot: %(url)s")
                % {"url": settings.SITE_URL + pilot.get_absolute_url()},
            ]
        )  # fmt: skip
    return send_to_reachable(list(team), subject, body)


def send_support_answer_mail(request_id: int) -> None:
    """Mail the member who asked support request ``request_id`` the programme team's answer."""
    support = _support_request(request_id)
    if support is None or support.by is None or not support.by.is_active:
        return
    member = support.by
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Bouwplaats] Antwoord op uw hulpvraag voor ‘%(pilot)s’") % {
            "pilot": support.pilot.title
        }
        body = "\n".join(
            [
                _("Beste %(name)s,") % {"name": member.display_name},
                "",
                _("Het programmateam heeft uw vraag om %(kind)s beantwoord:")
                % {"kind": support.get_kind_display().lower()},
                "",
                support.answer,
                "",
                _("Bekijk de pilot: %(url)s")
                % {"url": settings.SITE_URL + support.pilot.get_absolute_url()},
            ]
        )
    try:
        message = build_message(
            subject=subject, body=body, to=[(member.email, member.display_name)]
        )
    except AddressError as error:
        logger.warning("Support answer %s not mailed: %s", request_id, error)
        return
    message.send()


def send_report_reminder(pilot: Pilot, *, now) -> int:
    """Remind the pilot's team (its organisation's verified members) that a progress report is
    due or overdue; ``pilot`` carries ``last_report_at``. Return how many got it."""
    due_at = pilot.report_due_at(pilot.last_report_at)
    team = verified_members(pilot.organisation).values_list("email", flat=True)
    with translation.override(settings.LANGUAGE_CODE):
        date = formats.date_format(timezone.localtime(due_at), "l j F Y")
        if now > due_at:
            subject = _("Voortgangsrapportage van ‘%(pilot)s’ is achterstallig")
            first = _("De voortgangsrapportage van de pilot ‘%(pilot)s’ was verwacht op %(date)s.")
        else:
            subject = _("Voortgangsrapportage van ‘%(pilot)s’ gevraagd")
            first = _("De volgende voortgangsrapportage van de pilot ‘%(pilot)s’ wordt verwacht "
                      "uiterlijk %(date)s.")  # fmt: skip
        lines = [first % {"pilot": pilot.title, "date": date}, ""]
        if pilot.last_report_at:
            lines.append(
                _("De laatste rapportage is van %(date)s.")
                % {"date": formats.date_format(timezone.localtime(pilot.last_report_at))}
            )  # fmt: skip
        lines += [
            _("Rapporteer de status (op koers, risico of achter) met de reden op: %(url)s")
            % {"url": settings.SITE_URL + pilot.get_absolute_url()},
        ]
        subject = subject % {"pilot": pilot.title}
    return send_to_reachable(list(team), subject, "\n".join(lines))
