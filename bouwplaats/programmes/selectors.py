from django.db.models import Prefetch, QuerySet

from .models import Programme, ProgrammeMembership


def programme_list() -> QuerySet[Programme]:
    """Return all programmes with their themes, by name."""
    return Programme.objects.prefetch_related("themes").order_by("name")


def programme_get(*, slug: str | None = None, pk: int | None = None) -> Programme:
    """Return one programme with themes and team, by slug or id (raises DoesNotExist)."""
    team = ProgrammeMembership.objects.select_related("user", "user__organisation")
    qs = Programme.objects.prefetch_related("themes", Prefetch("memberships", queryset=team))
    return qs.get(slug=slug) if slug is not None else qs.get(pk=pk)
