"""The programme page's block of upcoming sessions and its calendar feed (hook, see
programmes.sections)."""

from bouwplaats.programmes.sections import Section

from . import selectors

UPCOMING = 5


def sections(*, programme, user) -> list[Section]:
    """Return one section: the next UPCOMING sessions ``user`` may see, and the feed link."""
    sessions = list(
        selectors.session_list(user=user, upcoming=True, programme=programme)[: UPCOMING + 1]
    )
    return [
        Section(
            template="events/_programme_sessions.html",
            context={
                "programme": programme,
                "sessions": sessions[:UPCOMING],
                "more": len(sessions) > UPCOMING,
            },
            order=10,
        )
    ]
