"""The search page ``/zoeken/``: parses the request, asks the selector, renders."""

from django.core.validators import slug_re
from django.shortcuts import render

from bouwplaats.core.page_cache import visitor_page_cache

from .query import MAX_QUERY_LENGTH, parse
from .registry import filter_labels
from .selectors import search_query
from .services import term_versions

PER_PAGE = 10


def _int(value: str | None, *, low: int = 1, high: int = 2**62) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if low <= number <= high else None


def _page_versions(request) -> list[str]:
    # The query's terms as the selector reads them (query.parse): what the results follow.
    return term_versions(parse(request.GET.get("q", "")).terms)


@visitor_page_cache("search", versions=_page_versions)
def results(request):
    """Show the results for ``?q=`` (types ``soort``, ``programma`` id, ``thema`` slug,
    ``pagina``); any query string gives a page."""
    q = request.GET.get("q", "")
    # Only slugs reach the database (a NUL byte in text is an error on PostgreSQL); any other
    # value filters nothing, as an unknown slug would.
    kinds = [k for k in request.GET.getlist("soort") if slug_re.fullmatch(k)][:20]
    programme_id = _int(request.GET.get("programma"))
    theme = request.GET.get("thema", "")[:100]
    theme = theme if slug_re.fullmatch(theme) else None
    page = _int(request.GET.get("pagina")) or 1
    found = search_query(
        user=request.user,
        q=q,
        kinds=kinds or None,
        programme_id=programme_id,
        theme=theme,
        page=page,
        per_page=PER_PAGE,
    )
    labels = filter_labels()
    # A type with no hit is left out unless chosen: a visitor is not offered "Pilot (0)", a
    # kind no visitor can ever find (the counts are of what this user may see).
    kinds_shown = [
        (kind, label, found.facets.get(kind, 0), kind in kinds)
        for kind, label in found.kinds.items()
        if found.facets.get(kind, 0) or kind in kinds
    ]
    return render(
        request,
        "search/results.html",
        {
            "found": found,
            "q": found.query,
            "searched": bool(q.strip()),
            "kinds_shown": kinds_shown,
            "programmes": labels.get("programme", {}).items(),
            "themes": labels.get("theme", {}).items(),
            "programme_id": programme_id,
            "theme": theme,
            "max_length": MAX_QUERY_LENGTH,
        },
    )
