"""What koffertjes contribute to the search (bouwplaats.search.documents).

One document per koffertje: the region and programme as title, every item (its element, text
and owner) as body. Koffertjes are public (permissions.py), so everyone finds them.
"""

from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bouwplaats.search.documents import PUBLIC, SearchDocument

from .models import Koffertje, KoffertjeItem

KINDS = {"koffertje": _("Koffertje")}


def documents(*, kind: str, ids: Iterable[int] | None = None) -> Iterator[SearchDocument]:
    """Yield the koffertjes (those of ``ids``, or all) as search documents."""
    items = KoffertjeItem.objects.order_by("position", "id")
    qs = Koffertje.objects.select_related("programme", "region").prefetch_related(
        Prefetch("items", queryset=items)
    )
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    for koffertje in qs.order_by("pk").iterator(chunk_size=200):
        entries = list(koffertje.items.all())
        # The index holds one language: the platform's (Dutch), whoever triggers the write.
        with translation.override(settings.LANGUAGE_CODE):
            title = gettext("Koffertje van %(region)s · %(programme)s") % {
                "region": koffertje.region.name,
                "programme": koffertje.programme.name,
            }
            lines = [
                " ".join(
                    part
                    for part in (str(item.get_element_display()), item.text, item.owner)
                    if part
                )
                for item in entries
            ]
        updated = max([koffertje.updated_at, *(item.updated_at for item in entries)])
        yield SearchDocument(
            kind="koffertje",
            object_id=koffertje.pk,
            title=title,
            body="\n".join(lines),
            url=koffertje.get_absolute_url(),
            access=frozenset({PUBLIC}),
            updated_at=updated,
            programme_id=koffertje.programme_id,
        )


WATCH = {
    "anchoring.Koffertje": lambda koffertje: [("koffertje", koffertje.pk)],
    "anchoring.KoffertjeItem": lambda item: [("koffertje", item.koffertje_id)],
}
