"""What sessions contribute to the search (bouwplaats.search.documents).

Access mirrors ``permissions.sessions_visible_to``: a published or cancelled session is
public; a draft is found by its managers only (bouwmeester and co-hosts ``user:<id>``, its
programme team ``team:<programme id>``, administrators ``staff``).
"""

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext_lazy as _

from bouwplaats.programmes.models import Programme, Theme
from bouwplaats.programmes.permissions import programmes_with_team_member
from bouwplaats.search.documents import PUBLIC, SearchDocument

from .models import Session

KINDS = {"session": _("Sessie")}


def _access(session: Session) -> frozenset[str]:
    if session.status != Session.Status.DRAFT:
        return frozenset({PUBLIC})
    keys = {"staff", f"team:{session.programme_id}", f"user:{session.host_id}"}
    keys.update(f"user:{user.pk}" for user in session.co_hosts.all())
    return frozenset(keys)


def documents(*, kind: str, ids: Iterable[int] | None = None) -> Iterator[SearchDocument]:
    """Yield the sessions (those of ``ids``, or all) as search documents."""
    qs = Session.objects.prefetch_related("themes", "co_hosts", "parts", "highlights")
    qs = qs.order_by("pk")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    for session in qs:
        themes = list(session.themes.all())
        # What the session's page shows: its texts, criteria, programme parts, highlights
        # and theme names.
        texts = [
            session.get_type_display(),
            session.intro,
            session.goal,
            session.audience,
            *(session.criteria or []),
            session.location,
            *(text for part in session.parts.all() for text in (part.title, part.text)),
            *(
                text
                for highlight in session.highlights.all()
                for text in (highlight.speaker, highlight.organisation, highlight.quote)
            ),
            *(theme.name for theme in themes),
        ]
        body = "\n".join(text for text in texts if text)
        yield SearchDocument(
            kind="session",
            object_id=session.pk,
            title=session.title,
            body=body,
            url=session.get_absolute_url(),
            access=_access(session),
            updated_at=session.updated_at,
            programme_id=session.programme_id,
            themes=tuple(theme.slug for theme in themes),
        )


def viewer_keys(user) -> set[str]:
    """Return ``user:<id>``, ``team:<programme id>`` per programme team, ``staff``."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if user.is_staff:
        return {f"user:{user.pk}", "staff"}
    teams = programmes_with_team_member(user).values_list("pk", flat=True)
    return {f"user:{user.pk}", *(f"team:{pk}" for pk in teams)}


def filter_labels() -> dict[str, dict]:
    """Return the programmes' and themes' names for the search filters."""
    return {
        "programme": dict(Programme.objects.order_by("name").values_list("pk", "name")),
        "theme": dict(Theme.objects.order_by("name").values_list("slug", "name")),
    }


def _theme_changed(theme: Theme) -> list[tuple[str, int]]:
    # A renamed theme changes the text of every session tagged with it.
    tagged = Session.objects.filter(themes=theme).values_list("pk", flat=True)
    return [("session", pk) for pk in tagged]


WATCH = {
    "events.Session": lambda session: [("session", session.pk)],
    "events.SessionPart": lambda part: [("session", part.session_id)],
    "events.Highlight": lambda highlight: [("session", highlight.session_id)],
    "programmes.Theme": _theme_changed,
}
