from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bouwplaats.core.errors import DomainError
from bouwplaats.core.pagination import paginate
from bouwplaats.core.views import confirmed, perform, render_confirm

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


def _team_programme(request, slug: str) -> Programme:
    """Return the programme of ``slug`` if the user is on its team (404 unknown, 403 others)."""
    programme = get_object_or_404(Programme, slug=slug)
    if not is_team_member(request.user, programme):
        raise PermissionDenied(_("Alleen het programmateam wijzigt deze pagina."))
    return programme


def _team_body(request, slug: str, pk: int) -> GovernanceBody:
    """Return the governance body ``pk`` of the programme ``slug`` for its team (403/404)."""
    programme = _team_programme(request, slug)
    return get_object_or_404(GovernanceBody.objects.select_related("programme"), pk=pk,
                             programme=programme)  # fmt: skip


def _team_form(request, form_class, save, *, instance=None, back: str, success: str,
               template: str = "programmes/item_form.html", **context):  # fmt: skip
    """The one handler for a form on a programme-team page: a valid POST goes to the service
    ``save(actor=user, **cleaned_data)``, then ``back`` with ``success``; a refusal is shown
    beside its field with nothing stored; otherwise the form is rendered with ``context``."""
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            save(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, success)
            return redirect(back)
    return render(request, template, {"form": form, "back": back, **context})


def _team_remove(request, remove, *, back: str, title: str, consequence: str, yes_label: str,
                 success: str):  # fmt: skip
    """Remove through the core confirm pattern: GET says what will happen, a confirmed POST
    calls the service ``remove(actor=user)`` and goes ``back`` with ``success`` or the refusal."""
    if confirmed(request):
        perform(request, partial(remove, actor=request.user), success=success)
        return redirect(back)
    return render_confirm(
        request,
        title=title,
        consequences=[consequence, _("Dit kunt u niet ongedaan maken.")],
        yes_label=yes_label,
        back_url=back,
    )


@login_required
def programme_edit(request, slug: str):
    """Let the programme team edit its own programme page (texts, period, themes, regions)."""
    programme = _team_programme(request, slug)
    return _team_form(
        request, ProgrammeForm, partial(services.programme_update, programme=programme),
        instance=programme, back=programme.get_absolute_url(),
        success=_("De programmapagina is bijgewerkt."), template="programmes/form.html",
        programme=programme,
    )  # fmt: skip


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


@login_required
def partner_index(request, slug: str):
    """List the programme's partners with links to add, change and remove them."""
    programme = _team_programme(request, slug)
    partners = programme.partners.select_related("organisation")
    return render(
        request, "programmes/partners.html", {"programme": programme, "partners": partners}
    )


@login_required
def body_index(request, slug: str):
    """List the programme's governance bodies with links to add, change and remove them."""
    programme = _team_programme(request, slug)
    bodies = programme.governance_bodies.prefetch_related("members", "meetings")
    return render(request, "programmes/bodies.html", {"programme": programme, "bodies": bodies})


@dataclass(frozen=True)
class TeamRows:
    """A kind of row the programme team adds, changes and removes on its pages: the row's
    model and form, its parent (``programme`` or ``body``), the services
    ``<entity>_create/update/delete`` (one row passed as ``keyword``) and its words; each word
    is a function of the row (an unsaved one, with its parent, when adding)."""

    model: type[models.Model]
    form: type[forms.ModelForm]
    parent: str
    entity: str
    keyword: str
    back: Callable[[Any], str]
    back_label: Callable[[Any], str]
    saved: Callable[[], str]
    add_title: Callable[[Any], str]
    edit_title: Callable[[Any], str]
    remove_title: Callable[[], str]
    consequence: Callable[[Any], str]
    yes_label: Callable[[], str]
    removed: Callable[[Any], str]
    extra: Callable[[Any], dict] = lambda row: {}


def _programme_page(name: str) -> Callable[[Any], str]:
    return lambda row: reverse(name, kwargs={"slug": row.programme.slug})


def _body_page(row) -> str:
    return reverse("programmes:body_edit", kwargs={"slug": row.body.programme.slug,
                                                   "pk": row.body_id})  # fmt: skip


TEAM_ROWS = {
    "milestone": TeamRows(
        ProgrammeMilestone, MilestoneForm, "programme", "milestone", "milestone",
        back=_programme_page("programmes:timeline"), back_label=lambda row: _("Tijdlijn"),
        saved=lambda: _("De tijdlijn is bijgewerkt."),
        add_title=lambda row: _("Mijlpaal toevoegen"),
        edit_title=lambda row: _("Mijlpaal wijzigen"),
        remove_title=lambda: _("Mijlpaal verwijderen?"),
        consequence=lambda row: _(
            "U verwijdert ‘%(title)s’ (%(date)s) van de tijdlijn van ‘%(programme)s’."
        ) % {"title": row.title, "date": date_format(row.date), "programme": row.programme.name},
        yes_label=lambda: _("Ja, verwijder de mijlpaal"),
        removed=lambda row: _("De mijlpaal ‘%(title)s’ is verwijderd.") % {"title": row.title},
    ),
    "partner": TeamRows(
        ProgrammePartner, PartnerForm, "programme", "partner", "partner",
        back=_programme_page("programmes:partners"), back_label=lambda row: _("Partners"),
        saved=lambda: _("De partners zijn bijgewerkt."),
        add_title=lambda row: _("Partner toevoegen"),
        edit_title=lambda row: _("Partner wijzigen"),
        remove_title=lambda: _("Partner verwijderen?"),
        consequence=lambda row: _(
            "‘%(name)s’ staat daarna niet meer als partner op de pagina van ‘%(programme)s’."
        ) % {"name": row.organisation.name, "programme": row.programme.name},
        yes_label=lambda: _("Ja, verwijder de partner"),
        removed=lambda row: _("‘%(name)s’ is geen partner meer.")
        % {"name": row.organisation.name},
    ),
    "body": TeamRows(
        GovernanceBody, GovernanceBodyForm, "programme", "governance_body", "body",
        back=_programme_page("programmes:bodies"),
        back_label=lambda row: _("Aansturing en uitvoering"),
        saved=lambda: _("De aansturing is bijgewerkt."),
        add_title=lambda row: _("Orgaan toevoegen"),
        edit_title=lambda row: _("Orgaan wijzigen: %(name)s") % {"name": row.name},
        remove_title=lambda: _("Orgaan verwijderen?"),
        consequence=lambda row: _("U verwijdert ‘%(name)s’ met zijn leden en vergaderdata.")
        % {"name": row.name},
        yes_label=lambda: _("Ja, verwijder het orgaan"),
        removed=lambda row: _("‘%(name)s’ is verwijderd.") % {"name": row.name},
        # A body's own page lists its members and meeting dates under its form.
        extra=lambda row: {"body": row, "members": row.members.select_related("organisation"),
                           "meetings": row.meetings.all()} if row.pk else {},
    ),
    "member": TeamRows(
        GovernanceMember, GovernanceMemberForm, "body", "governance_member", "member",
        back=_body_page, back_label=lambda row: row.body.name,
        saved=lambda: _("De leden zijn bijgewerkt."),
        add_title=lambda row: _("Lid toevoegen: %(name)s") % {"name": row.body.name},
        edit_title=lambda row: _("Lid wijzigen: %(name)s") % {"name": row.body.name},
        remove_title=lambda: _("Lid verwijderen?"),
        consequence=lambda row: _("‘%(member)s’ staat daarna niet meer bij ‘%(body)s’.")
        % {"member": row.name, "body": row.body.name},
        yes_label=lambda: _("Ja, verwijder het lid"),
        removed=lambda row: _("‘%(member)s’ is verwijderd.") % {"member": row.name},
    ),
    "meeting": TeamRows(
        GovernanceMeeting, GovernanceMeetingForm, "body", "governance_meeting", "meeting",
        back=_body_page, back_label=lambda row: row.body.name,
        saved=lambda: _("De vergaderdata zijn bijgewerkt."),
        add_title=lambda row: _("Vergaderdatum toevoegen: %(name)s") % {"name": row.body.name},
        edit_title=lambda row: _("Vergaderdatum wijzigen: %(name)s") % {"name": row.body.name},
        remove_title=lambda: _("Vergaderdatum verwijderen?"),
        consequence=lambda row: _(
            "De vergadering van ‘%(body)s’ op %(date)s verdwijnt van de pagina."
        ) % {"body": row.body.name, "date": date_format(row.date)},
        yes_label=lambda: _("Ja, verwijder de vergaderdatum"),
        removed=lambda row: _("De vergaderdatum is verwijderd."),
    ),
}  # fmt: skip


def _team_row(request, rows: TeamRows, slug: str, pk: int | None, item: int | None):
    """Return ``(parent, row)`` for the team: a programme's row ``pk``, or a body ``pk``'s row
    ``item``; ``row`` is unsaved (with its parent) when no row is named. 403 off the team,
    404 for a row of another programme or body."""
    if rows.parent == "body":
        parent, row_pk = _team_body(request, slug, pk), item
    else:
        parent, row_pk = _team_programme(request, slug), pk
    if row_pk is None:
        return parent, rows.model(**{rows.parent: parent})
    row = get_object_or_404(rows.model, pk=row_pk, **{rows.parent: parent})
    setattr(row, rows.parent, parent)
    return parent, row


@login_required
def team_row_form(request, slug: str, pk: int | None = None, item: int | None = None, *,
                  rows: str):  # fmt: skip
    """Add (no row named in the URL) or change a row of ``TEAM_ROWS[rows]`` (the team)."""
    rows = TEAM_ROWS[rows]
    parent, row = _team_row(request, rows, slug, pk, item)
    if row.pk is None:
        service, bound, title = "create", {rows.parent: parent}, rows.add_title(row)
    else:
        service, bound, title = "update", {rows.keyword: row}, rows.edit_title(row)
    return _team_form(
        request, rows.form, partial(getattr(services, f"{rows.entity}_{service}"), **bound),
        instance=row if row.pk else None, back=rows.back(row), success=rows.saved(),
        back_label=rows.back_label(row), title=title,
        programme=parent if rows.parent == "programme" else parent.programme, **rows.extra(row),
    )  # fmt: skip


@login_required
def team_row_remove(request, slug: str, pk: int, item: int | None = None, *, rows: str):
    """Remove a row of ``TEAM_ROWS[rows]`` after the confirm page (the team)."""
    rows = TEAM_ROWS[rows]
    _parent, row = _team_row(request, rows, slug, pk, item)
    return _team_remove(
        request, partial(getattr(services, f"{rows.entity}_delete"), **{rows.keyword: row}),
        back=rows.back(row), title=rows.remove_title(), consequence=rows.consequence(row),
        yes_label=rows.yes_label(), success=rows.removed(row),
    )  # fmt: skip
