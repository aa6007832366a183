"""What waits on Mijn Bouwplaats for a planner (hook ``mine_sections``, collected by
events.mine_hooks): combination requests to the organisation's works and residents'
initiatives addressed to it."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bouwplaats.core.mine_items import Waiting

from .permissions import (
    acting_organisation_ids,
    initiatives_decidable_by,
    requests_answerable_by,
)

SHOWN = 20


def waiting(*, user) -> list[Waiting]:
    """Return the open combination requests and proposed initiatives for the organisations
    ``user`` acts for (verified memberships; staff see only their own organisations' here)."""
    owners = acting_organisation_ids(user)
    if not owners:
        return []
    requests = requests_answerable_by(user).filter(to_work__owner_id__in=owners)
    requests = requests.select_related("from_work__owner", "to_work").order_by("deadline", "id")
    initiatives = initiatives_decidable_by(user).filter(owner_id__in=owners)
    initiatives = initiatives.select_related("proposed_by").order_by("created_at", "id")
    found = []
    heading = _("Combinatieverzoeken aan uw organisatie")
    url = reverse("planning:requests")
    for request in requests[:SHOWN]:
        text = _(
            "%(owner)s wil „%(from)s” combineren met uw werk „%(to)s”; antwoord graag vóór "
            "%(deadline)s"
        ) % {
            "owner": request.from_work.owner.name,
            "from": request.from_work.title,
            "to": request.to_work.title,
            "deadline": date_format(request.deadline),
        }
        found.append(Waiting(heading, text, url, _("Beantwoord het verzoek")))
    heading = _("Initiatieven van bewoners om over te besluiten")
    url = reverse("planning:initiatives") + "#decide-heading"
    for work in initiatives[:SHOWN]:
        if work.proposed_by:
            text = _("„%(title)s”, voorgesteld door %(name)s") % {
                "title": work.title,
                "name": work.proposed_by.display_name,
            }
        else:
            text = _("„%(title)s”") % {"title": work.title}
        found.append(Waiting(heading, text, url, _("Besluit over het initiatief")))
    return found
