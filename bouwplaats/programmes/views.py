from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bouwplaats.core.errors import DomainError
from bouwplaats.core.pagination import paginate

from . import services
from .forms import ProgrammeForm
from .models import Programme
from .permissions import is_team_member
from .sections import programme_sections
from .selectors import programme_get, programme_list


def programme_index(request):
    """List the programmes."""
    page = paginate(request, programme_list(), per_page=20)
    return render(request, "programmes/list.html", {"page": page})


def programme_detail(request, slug: str):
    """Show one programme with its themes, team and governance, and the sections other apps
    add (upcoming sessions, nieuwsflits sign-up, ...: the ``programme_sections`` hook)."""
    try:
        programme = programme_get(slug=slug)
    except Programme.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "programmes/detail.html",
        {
            "programme": programme,
            "may_edit": is_team_member(request.user, programme),
            "sections": programme_sections(programme=programme, user=request.user),
        },
    )


@login_required
def programme_edit(request, slug: str):
    """Let the programme team edit its own programme page (texts, period, themes, regions)."""
    try:
        programme = programme_get(slug=slug)
    except Programme.DoesNotExist as exc:
        raise Http404 from exc
    if not is_team_member(request.user, programme):
        raise PermissionDenied(_("Alleen het programmateam wijzigt deze pagina."))
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(
                actor=request.user,
                programme=programme,
                **{name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS},
                themes=form.cleaned_data["themes"],
                regions=form.cleaned_data["regions"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("De programmapagina is bijgewerkt."))
            return redirect(programme)
    return render(request, "programmes/form.html", {"form": form, "programme": programme})
