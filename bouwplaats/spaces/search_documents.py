"""What comments in session spaces contribute to the search (bouwplaats.search.documents).

Access mirrors ``permissions.space_access(...).can_read_comment``: a comment is found by
those whose role in its session reaches the space's ``comments_view`` level (everyone,
members, ``participant:<session id>``, or the hosts); a hidden comment, and every comment of
a draft session, only by the hosts (bouwmeester and co-hosts ``user:<id>``, the programme
team ``team:<id>``, administrators ``staff``).
"""

from collections.abc import Iterable, Iterator

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bouwplaats.events.models import Session
from bouwplaats.events.permissions import sessions_with_participant
from bouwplaats.search.documents import MEMBER, PUBLIC, SearchDocument

from .models import Comment, Level
from .permissions import policy_for

KINDS = {"comment": _("Reactie")}


def _hosts(session: Session) -> set[str]:
    keys = {"staff", f"team:{session.programme_id}", f"user:{session.host_id}"}
    keys.update(f"user:{user.pk}" for user in session.co_hosts.all())
    return keys


def _access(comment: Comment) -> frozenset[str]:
    session = comment.session
    hosts = _hosts(session)
    if comment.is_hidden or session.status == Session.Status.DRAFT:
        return frozenset(hosts)
    level = policy_for(session).comments_view
    if level == Level.PUBLIC:
        return frozenset({PUBLIC})
    if level == Level.MEMBERS:
        return frozenset({MEMBER})
    if level == Level.PARTICIPANTS:
        return frozenset(hosts | {f"participant:{session.pk}"})
    return frozenset(hosts)


def documents(*, kind: str, ids: Iterable[int] | None = None) -> Iterator[SearchDocument]:
    """Yield the comments (those of ``ids``, or all) as search documents."""
    qs = Comment.objects.select_related("session", "session__space_policy")
    qs = qs.prefetch_related("session__co_hosts").order_by("pk")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    for comment in qs:
        session = comment.session
        # The index holds one language: the platform's (Dutch), whoever triggers the write.
        with translation.override(settings.LANGUAGE_CODE):
            title = gettext("Reactie bij %(session)s") % {"session": session.title}
        space = reverse("spaces:session", kwargs={"session_pk": session.pk})
        yield SearchDocument(
            kind="comment",
            object_id=comment.pk,
            title=title,
            body=comment.body,
            url=f"{space}#reactie-{comment.pk}",
            access=_access(comment),
            updated_at=comment.edited_at or comment.created_at,
            programme_id=session.programme_id,
        )


def viewer_keys(user) -> set[str]:
    """Return ``participant:<session id>`` for each session with a confirmed registration."""
    sessions = sessions_with_participant(user).values_list("pk", flat=True)
    return {f"participant:{pk}" for pk in sessions}


def _session_comments(session) -> list[tuple[str, int]]:
    return [
        ("comment", pk)
        for pk in Comment.objects.filter(session_id=session.pk).values_list("pk", flat=True)
    ]


WATCH = {
    "spaces.Comment": lambda comment: [("comment", comment.pk)],
    "spaces.SpacePolicy": lambda policy: _session_comments(policy.session),
    "events.Session": _session_comments,
}
