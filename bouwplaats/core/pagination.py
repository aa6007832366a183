from django.core.paginator import Page, Paginator


def paginate(request, object_list, *, per_page: int = 20) -> Page:
    """Return the page of ``object_list`` that ``?page=`` asks for (the last one if too high)."""
    return Paginator(object_list, per_page).get_page(request.GET.get("page"))
