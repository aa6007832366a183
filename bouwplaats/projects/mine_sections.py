"""Calls on Mijn Bouwplaats (hook ``mine_sections``, collected by events.mine_hooks): what
waits for the programme team (submissions to review, held decisions) and for submitters (a
submission to complete), and the member's own submissions with their status."""

from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from bouwplaats.accounts.permissions import verified_organisations
from bouwplaats.core.mine_items import MineSection, Waiting

from .models import HeldDecision, Review, Submission
from .permissions import (
    SCORABLE,
    pilots_visible_to,
    submissions_reviewable_by,
    submissions_visible_to,
)
from .selectors import report_overdue, with_last_report

SHOWN = 20


# Per call, what waits for the programme team: the count ``n`` and the call's title fill them.
TO_REVIEW = ngettext_lazy(
    "%(n)d aanmelding op „%(call)s” wacht op uw beoordeling",
    "%(n)d aanmeldingen op „%(call)s” wachten op uw beoordeling",
    "n",
)
HELD = ngettext_lazy(
    "%(n)d besluit over „%(call)s” wordt vastgehouden",
    "%(n)d besluiten over „%(call)s” worden vastgehouden",
    "n",
)


def _per_call(rows, call: str, heading: str, text, action: str) -> list[Waiting]:
    """Return one Waiting per call (by title, at most SHOWN) with the count of ``rows``, whose
    call is reached through ``call`` (``"call"``, ``"submission__call"``), linking its queue."""
    counted = (
        rows.values(call_pk=F(f"{call}_id"), call_title=F(f"{call}__title"))
        .annotate(n=Count("id"))
        .order_by("call_title", "call_pk")
    )
    return [
        Waiting(heading, text % {"n": row["n"], "call": row["call_title"]},
                reverse("projects:queue", kwargs={"pk": row["call_pk"]}), action)
        for row in counted[:SHOWN]
    ]  # fmt: skip


def waiting(*, user) -> list[Waiting]:
    """Return, per call, the submissions ``user`` (programme team) has still to review and the
    decisions held to send; and the submissions of ``user``'s organisations to complete."""
    reviewed = Review.objects.filter(submission=OuterRef("pk"), reviewer_id=user.pk, conflict=False)
    to_review = (
        submissions_reviewable_by(user)
        .filter(status__in=SCORABLE, held_decision__isnull=True)
        .exclude(Exists(reviewed))
    )
    held = HeldDecision.objects.filter(submission__in=submissions_reviewable_by(user))
    found = [
        *_per_call(to_review, "call", _("Aanmeldingen op oproepen om te beoordelen"), TO_REVIEW,
                   _("Naar de beoordeling")),
        *_per_call(held, "submission__call", _("Vastgehouden besluiten om te versturen"), HELD,
                   _("Besluiten bekijken en versturen")),
    ]  # fmt: skip
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
    """Return a block with the submissions ``user`` made or their organisations made (newest
    first, with status and call) and one with the pilots ``user`` may see (by title, with the
    last report's status and whether one is overdue); none without."""
    own = Q(submitted_by_id=user.pk) | Q(organisation__in=verified_organisations(user))
    submissions = list(
        submissions_visible_to(user, Submission.objects.filter(own))
        .select_related("call", "organisation")
        .order_by("-updated_at", "-id")[:SHOWN]
    )
    pilots = list(
        with_last_report(pilots_visible_to(user))
        .select_related("organisation", "programme")
        .order_by("title", "id")[:SHOWN]
    )
    now = timezone.now()
    for pilot in pilots:
        pilot.overdue = report_overdue(pilot, now)
    sections = []
    if submissions:
        sections.append(
            MineSection(
                template="projects/_mine_submissions.html",
                context={"submissions": submissions},
                order=20,
            )
        )
    if pilots:
        # The pilots of the member's organisations and of the programmes whose team they are on
        # (permissions.pilots_visible_to), so a pilot is found without knowing its address.
        sections.append(
            MineSection(template="projects/_mine_pilots.html", context={"pilots": pilots}, order=21)
        )
    return sections
