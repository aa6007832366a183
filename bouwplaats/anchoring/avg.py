"""What the anchoring app holds about a member, for export and deletion (AVG).

A member may be named at a stakeholder (seen by the programme team only), be a named writer of
a region's koffertje, and have made ratings and koffertje items.
"""

from .models import Koffertje, KoffertjeItem, StakeholderPerson, StakeholderRating
from .services import persons_forget


def export(*, user) -> dict:
    return {
        "stakeholder_entries": [
            {
                "programme": p.stakeholder.programme.name,
                "stakeholder": p.stakeholder.name,
                "name": p.name,
                "role": p.role,
                "created_at": p.created_at.isoformat(),
            }
            for p in StakeholderPerson.objects.filter(member=user).select_related(
                "stakeholder__programme"
            )
        ],
        "stakeholder_ratings_made": [
            {
                "stakeholder": r.stakeholder.name,
                "interest": r.interest,
                "influence": r.influence,
                "level": r.level,
                "reason": r.reason,
                "at": r.at.isoformat(),
            }
            for r in StakeholderRating.objects.filter(by=user).select_related("stakeholder")
        ],
        "koffertje_writer_of": [
            {"programme": k.programme.name, "region": k.region.name}
            for k in Koffertje.objects.filter(writers=user).select_related("programme", "region")
        ],
        "koffertje_items_updated": [
            {"region": i.koffertje.region.name, "element": i.element, "text": i.text}
            for i in KoffertjeItem.objects.filter(updated_by=user).select_related(
                "koffertje__region"
            )
        ],
    }


def forget(*, user) -> None:
    persons_forget(user=user)
