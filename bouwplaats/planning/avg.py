"""What werk-met-werk holds about a member, for export and deletion."""

from django.db.models import Q

from .models import CombinationRequest, InterestZone, Work


def export(*, user) -> dict:
    works = Work.objects.filter(created_by=user).select_related("owner").order_by("pk")
    requests = (
        CombinationRequest.objects.filter(Q(requested_by=user) | Q(answered_by=user))
        .select_related("from_work", "to_work")
        .order_by("pk")
    )
    return {
        "planning_works_entered": [
            {
                "id": w.pk,
                "title": w.title,
                "owner": w.owner.name,
                "created_at": w.created_at.isoformat(),
            }
            for w in works
        ],
        "planning_combination_requests": [
            {
                "id": r.pk,
                "from_work": r.from_work.title,
                "to_work": r.to_work.title,
                "role": "aanvrager" if r.requested_by_id == user.pk else "beantwoorder",
                "message": r.message,
                "deadline": r.deadline.isoformat(),
                "status": r.status,
                "reason": r.reason,
            }
            for r in requests
        ],
        "planning_interest_zones": [
            {"name": z.name, "geometry": z.geometry, "created_at": z.created_at.isoformat()}
            for z in InterestZone.objects.filter(member=user)
        ],
    }


def forget(*, user) -> None:
    """Delete the member's interest zones and their address as contact of works.

    Works and requests belong to the organisations and stay, shown as "verwijderd lid".
    """
    InterestZone.objects.filter(member=user).delete()
    Work.objects.filter(contact__icontains=user.email).update(contact="")
