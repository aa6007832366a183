"""What werk-met-werk holds about a member, for export and deletion."""

import re
import unicodedata
from functools import reduce
from operator import or_

from allauth.account.models import EmailAddress
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
    addresses = own_addresses(user)
    if not addresses:
        return
    # The database narrows the search; each candidate's contact is then read address by
    # address, so that deleting han@example.nl leaves johan@example.nl's contact alone.
    candidates = Work.objects.filter(reduce(or_, (Q(contact__icontains=a) for a in addresses)))
    mine = [w.pk for w in candidates.only("pk", "contact") if addresses & addresses_in(w.contact)]
    Work.objects.filter(pk__in=mine).update(contact="")


# An e-mail address inside free text: what stands between separators, around one "@".
ADDRESS = re.compile(r"[^\s,;:<>()\[\]\"'@]+@[^\s,;:<>()\[\]\"'@]+")


def _normal(address: str) -> str:
    return unicodedata.normalize("NFC", address).strip().rstrip(".").casefold()


def addresses_in(text: str) -> set[str]:
    """Return the e-mail addresses written in ``text``, normalised for comparison."""
    return {_normal(match) for match in ADDRESS.findall(text or "")}


def own_addresses(user) -> set[str]:
    """Return the member's verified addresses, normalised.

    An address added but never verified may be someone else's: it does not count as theirs.
    """
    emails = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return {_normal(email) for email in emails if email}
