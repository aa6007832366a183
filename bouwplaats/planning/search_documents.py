"""What works contribute to the search (bouwplaats.search.documents).

Access mirrors ``permissions.works_visible_to``: a public work that is no idea is found by
everyone; any other only by those who may see internal works (verified organisation members and
administrators), who hold the key ``planning:internal``.
"""

from collections.abc import Iterable, Iterator

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from bouwplaats.search.documents import PUBLIC, SearchDocument

from .geojson import _translated, detail_url
from .models import Work
from .permissions import can_view_internal, shown_to_everyone

KINDS = {"work": _("Werk")}
INTERNAL = "planning:internal"


def documents(*, kind: str, ids: Iterable[int] | None = None) -> Iterator[SearchDocument]:
    """Yield the works (those of ``ids``, or all) as search documents."""
    qs = Work.objects.select_related("owner").order_by("pk")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    language = get_language()
    for work in qs.only(
        "pk",
        "title",
        "description",
        "kind",
        "department",
        "public",
        "status",
        "updated_at",
        "owner",
    ):
        # The label by a dict look-up: get_kind_display() per work was most of an upload's
        # search indexing.
        kind = _translated("kind", work.kind, language)
        body = "\n".join(t for t in (kind, work.description, work.department, str(work.owner)) if t)
        yield SearchDocument(
            kind="work",
            object_id=work.pk,
            title=work.title,
            body=body,
            url=detail_url(work.pk),
            access=frozenset({PUBLIC if shown_to_everyone(work) else INTERNAL}),
            updated_at=work.updated_at,
        )


def viewer_keys(user) -> set[str]:
    """Return ``planning:internal`` for those who may see non-public works."""
    return {INTERNAL} if can_view_internal(user) else set()


WATCH = {"planning.Work": lambda work: [("work", work.pk)]}
