import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bouwplaats.core.audit import log_action
from bouwplaats.core.errors import DomainError
from bouwplaats.core.forms import add_domain_error
from bouwplaats.core.views import confirmed, perform, render_confirm

from . import permissions, services
from .forms import (
    DeleteAccountForm,
    MembershipDecisionForm,
    MembershipRequestForm,
    OrganisationContactForm,
    OrganisationDomainForm,
    ProfileForm,
    TokenForm,
)
from .models import OrganisationDomain, OrganisationMembership


@login_required
def profile(request):
    """Show the member's profile, tokens and AVG actions."""
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={
            "full_name": user.full_name,
            "function": user.function,
            "organisation": user.organisation.name if user.organisation else "",
            "organisation_kind": user.organisation.kind if user.organisation else "anders",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(
                user=user,
                full_name=form.cleaned_data["full_name"],
                function=form.cleaned_data["function"],
                organisation_name=form.cleaned_data["organisation"],
                organisation_kind=form.cleaned_data["organisation_kind"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Uw profiel is opgeslagen."))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "memberships": _own_memberships(user)},
    )


def _own_memberships(user):
    return OrganisationMembership.objects.filter(user=user).select_related("organisation")


@login_required
def memberships(request):
    """List the member's organisation memberships and ask to join another organisation."""
    user = request.user
    form = MembershipRequestForm(
        request.POST or None, organisations=permissions.organisations_visible_to(user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_request(
                user=user, organisation=form.cleaned_data["organisation"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if membership.status == OrganisationMembership.Status.APPROVED:
                text = _("U bent nu lid van %(organisation)s: uw e-mailadres hoort erbij.")
            else:
                text = _(
                    "Uw verzoek is verstuurd naar de beheerders van %(organisation)s. U krijgt "
                    "een e-mail zodra zij beslissen."
                )
            messages.success(request, text % {"organisation": membership.organisation.name})
            return redirect("accounts:memberships")
    return render(
        request,
        "accounts/memberships.html",
        {
            "form": form,
            "memberships": _own_memberships(user),
            "can_manage": permissions.managed_organisations(user).exists(),
        },
    )


@login_required
def membership_leave(request, pk: int):
    """Leave the organisation ``pk`` (or withdraw the request) after the confirm page: the
    member's own membership only (404 otherwise); its last administrator is refused."""
    user = request.user
    membership = get_object_or_404(
        permissions.memberships_leavable_by(
            user, OrganisationMembership.objects.select_related("organisation")
        ),
        organisation_id=pk,
    )
    organisation = membership.organisation
    back = reverse("accounts:memberships")
    words = {"organisation": organisation.name}
    if confirmed(request):
        perform(
            request,
            lambda: services.membership_leave(user=user, organisation=organisation),
            success=_("U bent geen lid meer van %(organisation)s.") % words,
        )
        return redirect(back)
    if membership.status == OrganisationMembership.Status.REQUESTED:
        consequences = [_("U trekt uw verzoek om lid te worden van %(organisation)s in.") % words]
    else:
        consequences = [
            _(
                "U werkt daarna niet meer namens %(organisation)s: geen werken invoeren, "
                "combinatieverzoeken beantwoorden of interessegebieden tekenen."
            )
            % words
        ]
        if membership.role == OrganisationMembership.Role.ADMIN:
            consequences.append(_("U beheert de leden van %(organisation)s dan niet meer.") % words)
    if user.organisation_id == organisation.pk:
        consequences.append(_("Uw profiel noemt %(organisation)s dan niet meer.") % words)
    consequences.append(_("Later weer lid worden kan: vraag het lidmaatschap dan opnieuw aan."))
    return render_confirm(
        request,
        title=_("%(organisation)s verlaten?") % words,
        consequences=consequences,
        yes_label=_("Ja, verlaat de organisatie"),
        back_url=back,
    )


@login_required
def membership_queue(request):
    """Show the requests and members of the organisations the member administers."""
    user = request.user
    managed = permissions.managed_organisations(user)
    if not managed.exists():
        raise PermissionDenied(_("Alleen beheerders van een organisatie zien deze pagina."))
    rows = permissions.memberships_decidable_by(
        user, OrganisationMembership.objects.select_related("user", "organisation")
    )
    Status = OrganisationMembership.Status
    return render(
        request,
        "accounts/membership_queue.html",
        {
            "requested": rows.filter(status=Status.REQUESTED).order_by("created_at", "id"),
            "members": rows.filter(status=Status.APPROVED).order_by(
                "organisation__name", "user__full_name"
            ),
            "closed": rows.filter(status__in=[Status.REFUSED, Status.REVOKED]).order_by(
                "-decided_at"
            )[:50],
            "form": MembershipDecisionForm(),
            "organisations": managed,
            # The viewer is a member too, though not one they decide on themselves.
            "own": OrganisationMembership.objects.filter(
                user=user, organisation__in=managed, status=Status.APPROVED
            )
            .select_related("organisation")
            .order_by("organisation__name"),
        },
    )


@login_required
def membership_decide(request, pk: int):
    """Approve, refuse or revoke one membership (form on the queue page)."""
    membership = get_object_or_404(
        permissions.memberships_decidable_by(
            request.user, OrganisationMembership.objects.select_related("user", "organisation")
        ),
        pk=pk,
    )
    form = MembershipDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_decide(
                actor=request.user,
                membership=membership,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Besluit opgeslagen voor %(name)s (%(organisation)s).")
                % {"name": membership.user.display_name, "organisation": membership.organisation},
            )
            return redirect("accounts:membership_queue")
    return render(
        request,
        "accounts/membership_decide.html",
        {"form": form, "membership": membership},
        status=422 if request.method == "POST" else 200,
    )


@login_required
def tokens(request):
    """List the member's personal access tokens and create a new one."""
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.api_token_create(
                user=request.user, name=form.cleaned_data["name"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "new_key": new_key, "tokens": permissions.tokens_visible_to(request.user)},
    )


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(permissions.tokens_visible_to(request.user), pk=pk)
    services.api_token_revoke(token=token, user=request.user)
    messages.success(request, _("De sleutel „%(name)s” is ingetrokken.") % {"name": token.name})
    return redirect("accounts:tokens")


@login_required
def export(request):
    """Download everything Bouwplaats holds about the member as JSON."""
    data = services.member_export(user=request.user)
    log_action("accounts.member.exported", actor=request.user, data={"format": "json"})
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="bouwplaats-gegevens-{stamp}.json"'
    return response


@login_required
def delete(request):
    """Ask for confirmation, then delete the member's account."""
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        # The deletion first, in its own transaction; only then the session ends.
        services.member_delete(user=user)
        logout(request)
        messages.success(request, _("Uw account is verwijderd."))
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})


@login_required
def organisation_manage(request, pk: int):
    """The organisation's public contact and mail domains, for its administrators and staff."""
    organisation = get_object_or_404(permissions.managed_organisations(request.user), pk=pk)
    action = request.POST.get("action") if request.method == "POST" else None
    contact_form = OrganisationContactForm(
        request.POST if action == "contact" else None, initial={"contact": organisation.contact}
    )
    domain_form = OrganisationDomainForm(request.POST if action == "domain" else None)
    status = 200
    if action == "contact" and contact_form.is_valid():
        try:
            services.organisation_update(
                actor=request.user,
                organisation=organisation,
                contact=contact_form.cleaned_data["contact"],
            )
        except DomainError as error:
            add_domain_error(contact_form, error)
        else:
            messages.success(request, _("Het publieke contact is opgeslagen."))
            return redirect("accounts:organisation", pk=organisation.pk)
    elif action == "domain" and domain_form.is_valid():
        try:
            services.organisation_domain_add(
                actor=request.user,
                organisation=organisation,
                domain=domain_form.cleaned_data["domain"],
            )
        except DomainError as error:
            add_domain_error(domain_form, error)
        else:
            messages.success(request, _("Het domein is aangemeld."))
            return redirect("accounts:organisation", pk=organisation.pk)
    if action and (contact_form.errors or domain_form.errors):
        status = 422
    return render(
        request,
        "accounts/organisation.html",
        {
            "organisation": organisation,
            "contact_form": contact_form,
            "domain_form": domain_form,
            "domains": organisation.domains.all(),
        },
        status=status,
    )


@login_required
@require_POST
def organisation_domain_remove(request, pk: int):
    domain = get_object_or_404(
        OrganisationDomain.objects.filter(
            organisation__in=permissions.managed_organisations(request.user)
        ),
        pk=pk,
    )
    services.organisation_domain_remove(actor=request.user, domain=domain)
    messages.success(request, _("Het domein %(domain)s is verwijderd.") % {"domain": domain.domain})
    return redirect("accounts:organisation", pk=domain.organisation_id)
