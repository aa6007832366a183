"""Calls on Mijn Bouwplaats (hook ``mine_sections``, collected by events.mine_hooks): what
waits for the programme team (submissions to review, held decisions) and for submitters (a
submission to complete), and the member's own submissions with their status."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bouwplaats.accounts.permissions import verified_organisations
from bouwplaats.core.mine_items import MineSection, Waiting

from .models import HeldDecision, Review, Submission
from .permissions import SCORABLE, submissions_reviewable_by, submissions_visible_to

SHOWN = 20


def waiting(*, user) -> list[Waiting]:
    """Return, per call, the submissions ``user`` (programme team) has still to review and the
    decisions held to send; and the submissions of ``user``'s organisations to complete."""
    found = []
    reviewed = Review.objects.filter(submission=OuterRef("pk"), reviewer_id=user.pk, conflict=False)
    to_review = (
        submissions_reviewable_by(user)
        .filter(status__in=SCORABLE, held_decision__isnull=True)
        .exclude(Exists(reviewed))
        .values("call_id", "call__title")
        .annotate(n=Count("id"))
        .order_by("call__title", "call_id")
    )
    heading = _("Aanmeldingen op oproepen om te beoordelen")
    for row in to_review[:SHOWN]:
        text = ngettext(
            "%(n)d aanmelding op „%(call)s” wacht op uw beoordeling",
            "%(n)d aanmeldingen op „%(call)s” wachten op uw beoordeling",
            row["n"],
        ) % {"n": row["n"], "call": row["call__title"]}
        url = reverse("projects:queue", kwargs={"pk": row["call_id"]})
        found.append(Waiting(heading, text, url, _("Naar de beoordeling")))
    held = (
        HeldDecision.objects.filter(submission__in=submissions_reviewable_by(user))
        .values("submission__call_id", "submission__call__title")
        .annotate(n=Count("id"))
        .order_by("submission__call__title", "submission__call_id")
    )
    heading = _("Vastgehouden besluiten om te versturen")
    for row in held[:SHOWN]:
        text = ngettext(
            "%(n)d besluit over „%(call)s” wordt vastgehouden",
            "%(n)d besluiten over „%(call)s” worden vastgehouden",
            row["n"],
        ) % {"n": row["n"], "call": row["submission__call__title"]}
        url = reverse("projects:queue", kwargs={"pk": row["submission__call_id"]})
        found.append(Waiting(heading, text, url, _("Besluiten bekijken en versturen")))
    incomplete = Submission.objects.filter(
        status=Submission.Status.ONVOLLEDIG, organisation__in=verified_organisations(user)
    ).order_by("repair_until", "id")
    heading = _("Aanmeldingen om aan te vullen")
    for submission in incomplete[:SHOWN]:
        if submission.repair_until:
            text = _("„%(title)s” aanvullen vóór %(date)s") % {
                "title": submission.title,
                "date": date_format(submission.repair_until),
            }
        else:
            text = _("„%(title)s” aanvullen") % {"title": submission.title}
        url = reverse("projects:submission_edit", kwargs={"pk": submission.pk})
        found.append(Waiting(heading, text, url, _("Vul de aanmelding aan")))
    return found


def mine(*, user) -> list[MineSection]:
    """Return one block with the submissions ``user`` made or their organisations made (newest
    first, with status and call), none without."""
    own = Q(submitted_by_id=user.pk) | Q(organisation__in=verified_organisations(user))
    submissions = list(
        submissions_visible_to(user, Submission.objects.filter(own))
        .select_related("call", "organisation")
        .order_by("-updated_at", "-id")[:SHOWN]
    )
    if not submissions:
        return []
    return [
        MineSection(
            template="projects/_mine_submissions.html",
            context={"submissions": submissions},
            order=20,
        )
    ]
