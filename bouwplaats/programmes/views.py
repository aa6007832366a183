from django.http import Http404
from django.shortcuts import render

from bouwplaats.core.pagination import paginate

from .models import Programme
from .selectors import programme_get, programme_list


def programme_index(request):
    """List the programmes."""
    page = paginate(request, programme_list(), per_page=20)
    return render(request, "programmes/list.html", {"page": page})


def programme_detail(request, slug: str):
    """Show one programme with its themes and team."""
    try:
        programme = programme_get(slug=slug)
    except Programme.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "programmes/detail.html", {"programme": programme})
