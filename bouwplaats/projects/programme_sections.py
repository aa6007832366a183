"""The programme page's block of its open calls (hook, see programmes.sections): a programme
that takes projects says so where its visitors look."""

from bouwplaats.programmes.sections import Section

from . import selectors


def sections(*, programme, user) -> list[Section]:
    """Return one section with ``programme``'s calls open today that ``user`` may see (none
    without)."""
    calls = list(selectors.open_calls(user=user).filter(programme=programme))
    if not calls:
        return []
    return [
        Section(
            template="projects/_programme_calls.html",
            context={"programme": programme, "calls": calls},
            order=15,
        )
    ]
