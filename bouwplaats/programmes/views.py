from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bouwplaats.core.errors import DomainError
from bouwplaats.core.pagination import paginate
from bouwplaats.core.views import confirmed, render_confirm

from . import services
from .forms import (
    GovernanceBodyForm,
    GovernanceMeetingForm,
    GovernanceMemberForm,
    MilestoneForm,
    PartnerForm,
    ProgrammeForm,
)
from .models import (
    GovernanceBody,
    GovernanceMeeting,
    GovernanceMember,
    Programme,
    ProgrammeMilestone,
    ProgrammePartner,
)
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


def _team_programme(request, slug: str) -> Programme:
    """Return the programme of ``slug`` if the user is on its team (404 unknown, 403 others)."""
    programme = get_object_or_404(Programme, slug=slug)
    if not is_team_member(request.user, programme):
        raise PermissionDenied(_("Alleen het programmateam wijzigt deze pagina."))
    return programme


@login_required
def milestone_index(request, slug: str):
    """List the programme's timeline with links to add, change and remove milestones."""
    programme = _team_programme(request, slug)
    milestones = programme.timeline.order_by("date", "id")
    return render(
        request,
        "programmes/timeline.html",
        {"programme": programme, "milestones": milestones},
    )


def _milestone_form(request, programme, milestone=None):
    form = MilestoneForm(request.POST or None, instance=milestone)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ("date", "title", "text")}
        try:
            if milestone is None:
                services.milestone_create(actor=request.user, programme=programme, **fields)
            else:
                services.milestone_update(actor=request.user, milestone=milestone, **fields)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("De tijdlijn is bijgewerkt."))
            return redirect("programmes:timeline", slug=programme.slug)
    return render(
        request,
        "programmes/milestone_form.html",
        {"form": form, "programme": programme, "milestone": milestone},
    )


@login_required
def milestone_add(request, slug: str):
    """Add a milestone to the programme's timeline (the team)."""
    return _milestone_form(request, _team_programme(request, slug))


@login_required
def milestone_edit(request, slug: str, pk: int):
    """Change one milestone of the programme's timeline (the team)."""
    programme = _team_programme(request, slug)
    milestone = get_object_or_404(ProgrammeMilestone, pk=pk, programme=programme)
    return _milestone_form(request, programme, milestone)


@login_required
def milestone_remove(request, slug: str, pk: int):
    """Remove a milestone after confirmation (the team)."""
    programme = _team_programme(request, slug)
    milestone = get_object_or_404(ProgrammeMilestone, pk=pk, programme=programme)
    back = reverse("programmes:timeline", kwargs={"slug": programme.slug})
    if confirmed(request):
        try:
            services.milestone_delete(actor=request.user, milestone=milestone)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("De mijlpaal ‘%(title)s’ is verwijderd.") % {"title": milestone.title}
            )
        return redirect(back)
    return render_confirm(
        request,
        title=_("Mijlpaal verwijderen?"),
        consequences=[
            _("U verwijdert ‘%(title)s’ (%(date)s) van de tijdlijn van ‘%(programme)s’.")
            % {
                "title": milestone.title,
                "date": date_format(milestone.date),
                "programme": programme.name,
            },  # fmt: skip
            _("Dit kunt u niet ongedaan maken."),
        ],
        yes_label=_("Ja, verwijder de mijlpaal"),
        back_url=back,
    )


@login_required
def partner_index(request, slug: str):
    """List the programme's partners with links to add, change and remove them."""
    programme = _team_programme(request, slug)
    partners = programme.partners.select_related("organisation")
    return render(
        request, "programmes/partners.html", {"programme": programme, "partners": partners}
    )


def _partner_form(request, programme, partner=None):
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ("organisation", "role")}
        try:
            if partner is None:
                services.partner_create(actor=request.user, programme=programme, **fields)
            else:
                services.partner_update(actor=request.user, partner=partner, **fields)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("De partners zijn bijgewerkt."))
            return redirect("programmes:partners", slug=programme.slug)
    return render(
        request,
        "programmes/partner_form.html",
        {"form": form, "programme": programme, "partner": partner},
    )


@login_required
def partner_add(request, slug: str):
    """Add a partner (organisation and role) to the programme (the team)."""
    return _partner_form(request, _team_programme(request, slug))


@login_required
def partner_edit(request, slug: str, pk: int):
    """Change one partner of the programme (the team)."""
    programme = _team_programme(request, slug)
    partner = get_object_or_404(ProgrammePartner, pk=pk, programme=programme)
    return _partner_form(request, programme, partner)


@login_required
def partner_remove(request, slug: str, pk: int):
    """Remove a partner after confirmation (the team)."""
    programme = _team_programme(request, slug)
    partner = get_object_or_404(
        ProgrammePartner.objects.select_related("organisation"), pk=pk, programme=programme
    )
    back = reverse("programmes:partners", kwargs={"slug": programme.slug})
    name = partner.organisation.name
    if confirmed(request):
        try:
            services.partner_delete(actor=request.user, partner=partner)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("‘%(name)s’ is geen partner meer.") % {"name": name})
        return redirect(back)
    return render_confirm(
        request,
        title=_("Partner verwijderen?"),
        consequences=[
            _("‘%(name)s’ staat daarna niet meer als partner op de pagina van ‘%(programme)s’.")
            % {"name": name, "programme": programme.name},
            _("Dit kunt u niet ongedaan maken."),
        ],
        yes_label=_("Ja, verwijder de partner"),
        back_url=back,
    )


def _team_body(request, slug: str, pk: int) -> GovernanceBody:
    """Return the governance body ``pk`` of the programme ``slug`` for its team (403/404)."""
    programme = _team_programme(request, slug)
    return get_object_or_404(GovernanceBody.objects.select_related("programme"), pk=pk,
                             programme=programme)  # fmt: skip


def _service_form(request, form, call, *, success: str, back: str, context: dict):
    """Run ``call(**cleaned_data)`` on a valid POST and go ``back``; else render the form."""
    if request.method == "POST" and form.is_valid():
        try:
            call(**form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, success)
            return redirect(back)
    return render(request, "programmes/item_form.html", {"form": form, "back": back, **context})


def _confirm_remove(request, call, *, back: str, title, consequence, yes_label, success):
    """The core confirm pattern around ``call()``: GET explains, a confirmed POST removes."""
    if confirmed(request):
        try:
            call()
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, success)
        return redirect(back)
    return render_confirm(
        request,
        title=title,
        consequences=[consequence, _("Dit kunt u niet ongedaan maken.")],
        yes_label=yes_label,
        back_url=back,
    )


@login_required
def body_index(request, slug: str):
    """List the programme's governance bodies with links to add, change and remove them."""
    programme = _team_programme(request, slug)
    bodies = programme.governance_bodies.prefetch_related("members", "meetings")
    return render(request, "programmes/bodies.html", {"programme": programme, "bodies": bodies})


@login_required
def body_add(request, slug: str):
    """Add a governance body to the programme (the team)."""
    programme = _team_programme(request, slug)
    back = reverse("programmes:bodies", kwargs={"slug": slug})
    form = GovernanceBodyForm(request.POST or None)
    return _service_form(
        request, form,
        lambda **data: services.governance_body_create(actor=request.user, programme=programme,
                                                       **data),
        success=_("De aansturing is bijgewerkt."), back=back,
        context={"programme": programme, "title": _("Orgaan toevoegen")},
    )  # fmt: skip


@login_required
def body_edit(request, slug: str, pk: int):
    """Change a governance body; list its members and meeting dates (the team)."""
    body = _team_body(request, slug, pk)
    back = reverse("programmes:bodies", kwargs={"slug": slug})
    form = GovernanceBodyForm(request.POST or None, instance=body)
    return _service_form(
        request, form,
        lambda **data: services.governance_body_update(actor=request.user, body=body, **data),
        success=_("De aansturing is bijgewerkt."), back=back,
        context={"programme": body.programme, "body": body,
                 "members": body.members.select_related("organisation"),
                 "meetings": body.meetings.all(),
                 "title": _("Orgaan wijzigen: %(name)s") % {"name": body.name}},
    )  # fmt: skip


@login_required
def body_remove(request, slug: str, pk: int):
    """Remove a governance body with its members and meetings after confirmation."""
    body = _team_body(request, slug, pk)
    return _confirm_remove(
        request, lambda: services.governance_body_delete(actor=request.user, body=body),
        back=reverse("programmes:bodies", kwargs={"slug": slug}),
        title=_("Orgaan verwijderen?"),
        consequence=_("U verwijdert ‘%(name)s’ met zijn leden en vergaderdata.")
        % {"name": body.name},
        yes_label=_("Ja, verwijder het orgaan"),
        success=_("‘%(name)s’ is verwijderd.") % {"name": body.name},
    )  # fmt: skip


@login_required
def body_member_add(request, slug: str, pk: int):
    """Add a member (name, role, optional organisation) to a governance body (the team)."""
    body = _team_body(request, slug, pk)
    form = GovernanceMemberForm(request.POST or None)
    return _service_form(
        request, form,
        lambda **data: services.governance_member_create(actor=request.user, body=body, **data),
        success=_("De leden zijn bijgewerkt."),
        back=reverse("programmes:body_edit", kwargs={"slug": slug, "pk": pk}),
        context={"programme": body.programme,
                 "title": _("Lid toevoegen: %(name)s") % {"name": body.name}},
    )  # fmt: skip


@login_required
def body_member_remove(request, slug: str, pk: int, item: int):
    """Remove a member of a governance body after confirmation (the team)."""
    body = _team_body(request, slug, pk)
    member = get_object_or_404(GovernanceMember, pk=item, body=body)
    return _confirm_remove(
        request, lambda: services.governance_member_delete(actor=request.user, member=member),
        back=reverse("programmes:body_edit", kwargs={"slug": slug, "pk": pk}),
        title=_("Lid verwijderen?"),
        consequence=_("‘%(member)s’ staat daarna niet meer bij ‘%(body)s’.")
        % {"member": member.name, "body": body.name},
        yes_label=_("Ja, verwijder het lid"),
        success=_("‘%(member)s’ is verwijderd.") % {"member": member.name},
    )  # fmt: skip


@login_required
def body_meeting_add(request, slug: str, pk: int):
    """Add a meeting date to a governance body (the team)."""
    body = _team_body(request, slug, pk)
    form = GovernanceMeetingForm(request.POST or None)
    return _service_form(
        request, form,
        lambda **data: services.governance_meeting_create(actor=request.user, body=body, **data),
        success=_("De vergaderdata zijn bijgewerkt."),
        back=reverse("programmes:body_edit", kwargs={"slug": slug, "pk": pk}),
        context={"programme": body.programme,
                 "title": _("Vergaderdatum toevoegen: %(name)s") % {"name": body.name}},
    )  # fmt: skip


@login_required
def body_meeting_remove(request, slug: str, pk: int, item: int):
    """Remove a meeting date of a governance body after confirmation (the team)."""
    body = _team_body(request, slug, pk)
    meeting = get_object_or_404(GovernanceMeeting, pk=item, body=body)
    when = date_format(meeting.date)
    return _confirm_remove(
        request, lambda: services.governance_meeting_delete(actor=request.user, meeting=meeting),
        back=reverse("programmes:body_edit", kwargs={"slug": slug, "pk": pk}),
        title=_("Vergaderdatum verwijderen?"),
        consequence=_("De vergadering van ‘%(body)s’ op %(date)s verdwijnt van de pagina.")
        % {"body": body.name, "date": when},
        yes_label=_("Ja, verwijder de vergaderdatum"),
        success=_("De vergaderdatum is verwijderd."),
    )  # fmt: skip


@login_required
def body_member_edit(request, slug: str, pk: int, item: int):
    """Change a member of a governance body (the team)."""
    body = _team_body(request, slug, pk)
    member = get_object_or_404(GovernanceMember, pk=item, body=body)
    form = GovernanceMemberForm(request.POST or None, instance=member)
    return _service_form(
        request, form,
        lambda **data: services.governance_member_update(actor=request.user, member=member,
                                                         **data),
        success=_("De leden zijn bijgewerkt."),
        back=reverse("programmes:body_edit", kwargs={"slug": slug, "pk": pk}),
        context={"programme": body.programme,
                 "title": _("Lid wijzigen: %(name)s") % {"name": body.name}},
    )  # fmt: skip


@login_required
def body_meeting_edit(request, slug: str, pk: int, item: int):
    """Change a meeting date of a governance body (the team)."""
    body = _team_body(request, slug, pk)
    meeting = get_object_or_404(GovernanceMeeting, pk=item, body=body)
    form = GovernanceMeetingForm(request.POST or None, instance=meeting)
    return _service_form(
        request, form,
        lambda **data: services.governance_meeting_update(actor=request.user, meeting=meeting,
                                                          **data),
        success=_("De vergaderdata zijn bijgewerkt."),
        back=reverse("programmes:body_edit", kwargs={"slug": slug, "pk": pk}),
        context={"programme": body.programme,
                 "title": _("Vergaderdatum wijzigen: %(name)s") % {"name": body.name}},
    )  # fmt: skip
