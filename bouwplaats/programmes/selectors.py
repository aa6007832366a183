from django.db.models import Prefetch, QuerySet

from .models import GovernanceBody, Programme, ProgrammeMembership, ProgrammePartner


def programme_list() -> QuerySet[Programme]:
    """Return all programmes with their themes, by name."""
    return Programme.objects.prefetch_related("themes").order_by("name")


def programme_get(*, slug: str | None = None, pk: int | None = None) -> Programme:
    """Return one programme with themes, regions, team, partners, governance bodies (members,
    meetings) and timeline, by slug or id (raises DoesNotExist)."""
    team = ProgrammeMembership.objects.select_related("user", "user__organisation")
    bodies = GovernanceBody.objects.prefetch_related("members__organisation", "meetings")
    qs = Programme.objects.prefetch_related(
        "themes",
        "regions",
        "timeline",
        Prefetch("memberships", queryset=team),
        Prefetch("governance_bodies", queryset=bodies),
        Prefetch("partners", queryset=ProgrammePartner.objects.select_related("organisation")),
    )
    return qs.get(slug=slug) if slug is not None else qs.get(pk=pk)
