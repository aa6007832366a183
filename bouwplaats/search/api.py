"""``GET /api/v1/search`` (API.md): one search over every module, as the page shows it."""

from django.conf import settings
from ninja import Field, Query, Router, Schema

from bouwplaats.core.schemas import DbId, Slug

from .query import MAX_QUERY_LENGTH
from .selectors import COUNT_LIMIT, search_slice

router = Router(tags=["search"])


class SearchFilters(Schema):
    q: str = Field(
        "",
        max_length=MAX_QUERY_LENGTH,
        description=f"De zoekvraag, gewone woorden (ten hoogste {MAX_QUERY_LENGTH} tekens).",
    )
    type: list[Slug] = Field(default_factory=list, description="Alleen deze soorten.")
    programme: DbId | None = Field(None, description="Alleen dit programma (id).")
    theme: Slug | None = Field(None, description="Alleen dit thema (slug).")
    limit: int = Field(10, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT)
    offset: int = Field(0, ge=0, le=settings.NINJA_PAGINATION_MAX_OFFSET)


class SearchItemOut(Schema):
    type: str
    id: int
    title: str
    url: str
    snippet: str = Field(description="HTML, ge-escaped, de gevonden woorden in <mark>.")


class SearchOut(Schema):
    items: list[SearchItemOut]
    count: int = Field(
        description=f"Aantal resultaten; ten hoogste {COUNT_LIMIT} worden geteld (zie"
        " count_is_lower_bound)."
    )
    facets: dict[str, int] = Field(description="Aantal resultaten per soort (zonder typefilter).")
    count_is_lower_bound: bool = Field(
        False,
        description=f"Waar: er zijn meer dan {COUNT_LIMIT} resultaten; count is een ondergrens.",
    )
    facets_are_lower_bounds: bool = Field(
        False,
        description="Waar: er zijn meer resultaten dan geteld; de aantallen per soort zijn"
        " ondergrenzen.",
    )
    has_more: bool = Field(False, description="Waar: na deze items volgen er nog (offset + limit).")


@router.get("/search", response=SearchOut)
def search(request, filters: Query[SearchFilters]):
    """Return what the caller may find for ``q``, best first, with the count per type.

    Dutch words are found by their stem and compound parts ("opgave" finds
    "transitieopgaven"); the query is plain words (quotes, operators and wildcards are
    ignored). Best first: title hits, then recent and favoured items. At most 200
    matches are counted: past that ``count`` and ``facets`` are lower bounds
    (``count_is_lower_bound``, ``facets_are_lower_bounds``). A query longer than the maximum
    answers 422.
    """
    found = search_slice(
        user=request.user,
        q=filters.q,
        kinds=filters.type or None,
        programme_id=filters.programme,
        theme=filters.theme,
        offset=filters.offset,
        limit=filters.limit,
    )
    items = [
        {"type": h.kind, "id": h.object_id, "title": h.title, "url": h.url, "snippet": h.snippet}
        for h in found.hits
    ]
    return {
        "items": items,
        "count": found.total,
        "facets": found.facets,
        "count_is_lower_bound": found.total_is_lower_bound,
        "facets_are_lower_bounds": found.facets_are_lower_bounds,
        "has_more": found.has_more,
    }
