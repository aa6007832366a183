from django.conf import settings
from django.core.paginator import Page, Paginator
from ninja import Field, Schema
from ninja import pagination as ninja_pagination


def paginate(request, object_list, *, per_page: int = 20) -> Page:
    """Return the page of ``object_list`` that ``?page=`` asks for (the last one if too high)."""
    return Paginator(object_list, per_page).get_page(request.GET.get("page"))


class LimitOffsetPagination(ninja_pagination.LimitOffsetPagination):
    """Ninja's limit/offset paging with a bounded offset.

    Ninja leaves the offset unbounded, and an offset past 2**63 overflows the database's
    integer type (a 500); this one answers 422 like any other invalid parameter.
    """

    class Input(Schema):
        limit: int = Field(
            settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT
        )
        offset: int = Field(0, ge=0, le=settings.NINJA_PAGINATION_MAX_OFFSET)
