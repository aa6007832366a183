"""The mails about organisation memberships: who hears about a request and a decision.

Each ``send_…`` function takes fresh model instances and sends at once; ``tasks.py`` loads
the rows by primary key and calls these after the write has committed.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from bouwplaats.core.mail import send_to_reachable

from .models import OrganisationMembership, User


def deciders(membership: OrganisationMembership) -> list[str]:
    """Return who decides a request: the organisation's administrators, else platform staff."""
    admins = User.objects.filter(
        is_active=True,
        is_removed=False,
        memberships__organisation_id=membership.organisation_id,
        memberships__status=OrganisationMembership.Status.APPROVED,
        memberships__role=OrganisationMembership.Role.ADMIN,
    ).exclude(pk=membership.user_id)
    emails = list(admins.values_list("email", flat=True))
    if not emails:
        emails = list(
            User.objects.filter(is_active=True, is_staff=True, is_removed=False).values_list(
                "email", flat=True
            )
        )
    return sorted(set(emails))


def send_membership_requested(membership: OrganisationMembership) -> None:
    """Tell the organisation's administrators (or staff) that someone asks to join."""
    queue = settings.SITE_URL + reverse("accounts:membership_queue")
    body = _(
        "%(name)s (%(email)s) vraagt om namens %(organisation)s te mogen werken op "
        "Bouwplaats.\n\nKeur het verzoek goed of weiger het op:\n%(url)s\n\n"
        "Keur alleen goed als u weet dat deze persoon bij uw organisatie werkt."
    ) % {
        "name": membership.user.display_name,
        "email": membership.user.email,
        "organisation": membership.organisation.name,
        "url": queue,
    }
    send_to_reachable(
        deciders(membership),
        _("Verzoek om lid te worden van %(organisation)s")
        % {"organisation": membership.organisation.name},
        body,
    )


DECISION_TEXTS = {
    OrganisationMembership.Status.APPROVED: (
        "U bent nu geverifieerd lid van %(organisation)s: u kunt namens deze organisatie "
        "werken invoeren en verzoeken beantwoorden."
    ),
    OrganisationMembership.Status.REFUSED: (
        "Uw verzoek om lid te worden van %(organisation)s is geweigerd."
    ),
    OrganisationMembership.Status.REVOKED: (
        "Uw lidmaatschap van %(organisation)s is ingetrokken: u kunt niet langer namens deze "
        "organisatie werken."
    ),
}


def send_membership_decided(membership: OrganisationMembership) -> None:
    """Tell the member what was decided about their membership, and why."""
    template = DECISION_TEXTS.get(membership.status)
    member = membership.user
    if template is None or not member.is_active or member.is_removed:
        return
    # The greeting the other mails have ("Beste …,").
    body = _("Beste %(name)s,") % {"name": member.display_name} + "\n\n"
    body += _(template) % {"organisation": membership.organisation.name}
    if membership.via_domain:
        body += "\n\n" + _("Dat gebeurde vanzelf: uw e-mailadres hoort bij de organisatie.")
    if membership.reason:
        body += "\n\n" + _("Reden: %(reason)s") % {"reason": membership.reason}
    body += "\n\n" + settings.SITE_URL + reverse("accounts:memberships")
    send_to_reachable(
        [member.email],
        _("Uw lidmaatschap van %(organisation)s: %(status)s")
        % {
            "organisation": membership.organisation.name,
            "status": membership.get_status_display().lower(),
        },
        body,
    )
