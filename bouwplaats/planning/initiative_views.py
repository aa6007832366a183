"""Pages of residents' initiatives after the proposal: the proposer's own page, withdrawing
it, and the municipality's accept and decline (with a reason)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bouwplaats.core.errors import DomainError
from bouwplaats.core.forms import add_domain_error
from bouwplaats.core.views import confirmed, render_confirm

from . import services
from .forms import InitiativeDeclineForm
from .models import Work
from .permissions import (
    can_decide_initiative,
    can_view_initiative,
    can_view_internal,
    can_withdraw_initiative,
)


def _initiative(pk: int) -> Work:
    return get_object_or_404(
        Work.objects.select_related("owner", "proposed_by").exclude(initiative=""), pk=pk
    )


@login_required
def initiative_detail(request, pk: int):
    """Show the proposer their initiative: status, period, the reason of a decline.

    Members of the organisations get the work's own page; anyone else a 404 (an initiative
    is not public before the municipality accepts it).
    """
    work = _initiative(pk)
    if not can_view_initiative(request.user, work):
        if can_view_internal(request.user):
            return redirect(work)
        raise Http404
    return render(
        request,
        "planning/initiative_detail.html",
        {"work": work, "can_withdraw": can_withdraw_initiative(request.user, work)},
    )


@login_required
def initiative_withdraw(request, pk: int):
    """Withdraw an undecided initiative after a confirmation page (GET asks, POST does)."""
    work = _initiative(pk)
    if not can_view_initiative(request.user, work):
        raise Http404
    if not can_withdraw_initiative(request.user, work):
        raise PermissionDenied(_("De gemeente heeft al over dit initiatief beslist."))
    if confirmed(request):
        services.initiative_withdraw(actor=request.user, work=work)
        messages.success(
            request, _("Uw initiatief „%(title)s” is ingetrokken.") % {"title": work.title}
        )
        return redirect("planning:initiatives")
    return render_confirm(
        request,
        title=_("Initiatief intrekken?"),
        consequences=[
            _("„%(title)s” aan %(owner)s wordt verwijderd.")
            % {"title": work.title, "owner": work.owner.name},
            _("De gemeente beoordeelt het dan niet meer; u kunt later een nieuw voorstel doen."),
        ],
        yes_label=_("Ja, trek het initiatief in"),
        back_url=reverse("planning:initiative", args=[work.pk]),
    )


def _decidable(request, pk: int) -> Work:
    work = _initiative(pk)
    if not can_decide_initiative(request.user, work):
        raise PermissionDenied(_("Alleen een planner van de gemeente beslist over dit initiatief."))
    return work


@login_required
@require_POST
def initiative_accept(request, pk: int):
    """Accept a proposed initiative: it shows on the residents' map; the proposer is mailed."""
    work = _decidable(request, pk)
    if request.POST.get("decision") == "decline":
        # The card's older form posts both decisions here: a decline asks for its reason.
        return redirect("planning:initiative_decline", pk=work.pk)
    services.initiative_decide(actor=request.user, work=work, accept=True)
    messages.success(request, _("Het initiatief staat nu op de kaart voor bewoners."))
    return redirect("planning:initiatives")


@login_required
def initiative_decline(request, pk: int):
    """Decline a proposed initiative with a reason the proposer reads (confirmation page)."""
    work = _decidable(request, pk)
    form = InitiativeDeclineForm(request.POST if confirmed(request) else None)
    if confirmed(request) and form.is_valid():
        try:
            services.initiative_decide(
                actor=request.user,
                work=work,
                accept=False,
                reason=form.cleaned_data["initiative_reason"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("Het initiatief is afgewezen; de bewoner krijgt de reden per e-mail.")
            )
            return redirect("planning:initiatives")
    proposer = work.proposed_by.display_name if work.proposed_by else _("verwijderd lid")
    return render_confirm(
        request,
        title=_("Initiatief afwijzen?"),
        consequences=[
            _("„%(title)s”, voorgesteld door %(name)s.") % {"title": work.title, "name": proposer},
            _("Het komt niet op de kaart voor bewoners. De bewoner krijgt uw reden per e-mail."),
        ],
        yes_label=_("Ja, wijs het initiatief af"),
        back_url=reverse("planning:initiatives"),
        form=form,
    )
