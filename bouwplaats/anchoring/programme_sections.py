"""The programme page's block on verankering (hook, see programmes.sections): the koffertjes of
its regions, the stakeholder field and, for the programme team, the dashboard."""

from bouwplaats.programmes.sections import Section

from .permissions import can_view_dashboard, can_view_stakeholders


def sections(*, programme, user) -> list[Section]:
    """Return one section linking to the anchoring pages ``user`` may see (none if none).

    No query for a visitor: the programme page has prefetched the regions.
    """
    signed_in = bool(getattr(user, "is_authenticated", False))
    links = {
        "koffertjes": bool(programme.regions.all()),
        "stakeholders": signed_in and can_view_stakeholders(user, programme),
        "dashboard": signed_in and can_view_dashboard(user, programme),
    }
    if not any(links.values()):
        return []
    return [
        Section(
            template="anchoring/_programme_section.html",
            context={"programme": programme, "links": links},
            order=40,
        )
    ]
