"""Pages of koffertjes, the stakeholder field and the dashboard: parse, ask, call one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from bouwplaats.core.errors import DomainError
from bouwplaats.core.views import confirmed, perform, render_confirm
from bouwplaats.programmes.models import Programme, Region

from . import charts, selectors, services
from .forms import (
    KoffertjeFilterForm,
    KoffertjeItemForm,
    KoffertjeSetupForm,
    PersonForm,
    RatingForm,
    RegionForm,
    StakeholderForm,
)
from .models import Koffertje, KoffertjeItem, Stakeholder
from .pdf import koffertjes_pdf as render_pdf
from .permissions import (
    can_edit_koffertje,
    can_manage_stakeholders,
    can_see_named_persons,
    can_set_up_koffertje,
    can_view_dashboard,
    can_view_stakeholders,
)

NOT_A_WRITER = _lazy("Alleen de regio zelf en het programmateam vullen dit koffertje.")


def _programme(slug: str) -> Programme:
    try:
        return Programme.objects.get(slug=slug)
    except Programme.DoesNotExist as exc:
        raise Http404 from exc


# Koffertjes --------------------------------------------------------------------------------


def _filters(request) -> dict[str, str]:
    form = KoffertjeFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return {"element": form.cleaned_data["element"], "status": form.cleaned_data["status"]}
    return {"element": "", "status": ""}


def koffertjes(request, slug: str):
    """Show all regions' koffertjes side by side: regions × elements, filterable; the
    programme team adds a region here (POST), which starts its koffertje."""
    programme = _programme(slug)
    may_set_up = can_set_up_koffertje(request.user, programme)
    region_form = RegionForm(request.POST or None) if may_set_up else None
    if request.method == "POST":
        if not may_set_up:
            raise PermissionDenied(_("Alleen het programmateam richt koffertjes in."))
        if region_form.is_valid():
            try:
                koffertje = services.koffertje_region_add(
                    actor=request.user, programme=programme, name=region_form.cleaned_data["region"]
                )
            except DomainError as error:
                region_form.add_domain_error(error)
            else:
                messages.success(
                    request,
                    _(
                        "Regio ‘%(region)s’ is toegevoegd. "
                        "Richt hieronder in wie het koffertje vult."
                    )
                    % {"region": koffertje.region.name},
                )
                return redirect(koffertje.get_absolute_url() + "?inrichten=1#inrichten")
    filters = _filters(request)
    grid = selectors.koffertjes_grid(programme=programme, **filters)
    return render(
        request,
        "anchoring/koffertjes.html",
        {
            "programme": programme,
            "grid": grid,
            "filter_form": KoffertjeFilterForm(initial=filters),
            "filters": filters,
            "query": request.GET.urlencode(),
            "may_set_up": may_set_up,
            "region_form": region_form,
        },
        status=422 if region_form is not None and region_form.errors else 200,
    )


def koffertjes_pdf(request, slug: str):
    """Return the grid (same filters) as an A4-landscape PDF download."""
    programme = _programme(slug)
    filters = _filters(request)
    grid = selectors.koffertjes_grid(programme=programme, **filters)
    pdf = render_pdf(programme=programme, grid=grid, filters=filters)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"koffertjes-{slugify(programme.slug)}-{timezone.localdate():%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _region(programme: Programme, region_slug: str) -> tuple[Region, Koffertje | None]:
    try:
        koffertje = selectors.koffertje_get(programme=programme, region_slug=region_slug)
    except Koffertje.DoesNotExist:
        region = programme.regions.filter(slug=region_slug).first()
        if region is None:
            raise Http404 from None
        return region, None
    return koffertje.region, koffertje


def koffertje_detail(request, slug: str, region: str, setup_form=None):
    """Show one region's koffertje; its writers add items here (POST), the team sets it up.

    ``setup_form`` is the team's refused set-up form (koffertje_setup), shown with its errors
    beside the fields in an open fold-out.
    """
    programme = _programme(slug)
    region_obj, koffertje = _region(programme, region)
    may_edit = koffertje is not None and can_edit_koffertje(request.user, koffertje)
    posted = request.method == "POST" and setup_form is None
    form = KoffertjeItemForm(request.POST if posted else None) if may_edit else None
    if posted:
        if not may_edit:
            raise PermissionDenied(NOT_A_WRITER)
        if form.is_valid():
            try:
                services.koffertje_item_add(actor=request.user, koffertje=koffertje,
                                            **form.cleaned_data)  # fmt: skip
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, _("Het koffertje is aangevuld."))
                return redirect(koffertje)
    if setup_form is None and can_set_up_koffertje(request.user, programme):
        setup_form = KoffertjeSetupForm(
            initial={
                "organisations": list(koffertje.organisations.all()) if koffertje else [],
                "writers": "\n".join(u.email for u in koffertje.writers.all()) if koffertje else "",
            }
        )
    items = list(koffertje.items.all()) if koffertje else []
    sections = [
        (value, label, [i for i in items if i.element == value])
        for value, label in KoffertjeItem.Element.choices
    ]
    refused = (form is not None and form.errors) or (setup_form is not None and setup_form.errors)
    return render(
        request,
        "anchoring/koffertje.html",
        {
            "programme": programme,
            "region": region_obj,
            "koffertje": koffertje,
            "sections": sections,
            "form": form,
            "may_edit": may_edit,
            "setup_form": setup_form,
            "setup_open": bool(setup_form is not None and setup_form.errors)
            or request.GET.get("inrichten") == "1",
        },
        status=422 if refused else 200,
    )


@login_required
@require_POST
def koffertje_setup(request, slug: str, region: str):
    """Let the programme team name the region's organisations and writers; a refused form
    comes back on the koffertje's page with its errors beside the fields (422)."""
    programme = _programme(slug)
    region_obj, _koffertje = _region(programme, region)
    if not can_set_up_koffertje(request.user, programme):
        raise PermissionDenied(_("Alleen het programmateam richt koffertjes in."))
    form = KoffertjeSetupForm(request.POST)
    if form.is_valid():
        try:
            services.koffertje_set_up(
                actor=request.user,
                programme=programme,
                region=region_obj,
                organisations=form.cleaned_data["organisations"],
                writers=form.cleaned_data["writers"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Wie dit koffertje vult is bijgewerkt."))
            return redirect("anchoring:koffertje", slug=programme.slug, region=region_obj.slug)
    return koffertje_detail(request, slug, region, setup_form=form)


@login_required
def koffertje_item_edit(request, slug: str, region: str, pk: int):
    """Let a writer of the koffertje change one item."""
    programme = _programme(slug)
    _region_obj, koffertje = _region(programme, region)
    if koffertje is None:
        raise Http404
    item = next((i for i in koffertje.items.all() if i.pk == pk), None)
    if item is None:
        raise Http404
    if not can_edit_koffertje(request.user, koffertje):
        raise PermissionDenied(NOT_A_WRITER)
    form = KoffertjeItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.koffertje_item_update(actor=request.user, item=item, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Het koffertje is bijgewerkt."))
            return redirect(koffertje)
    return render(
        request,
        "anchoring/koffertje_item_form.html",
        {"programme": programme, "koffertje": koffertje, "item": item, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
def koffertje_item_delete(request, slug: str, region: str, pk: int):
    """Let a writer remove an item, after a page that says what will happen (confirm pattern)."""
    programme = _programme(slug)
    _region_obj, koffertje = _region(programme, region)
    item = next((i for i in koffertje.items.all() if i.pk == pk), None) if koffertje else None
    if item is None:
        raise Http404
    if not can_edit_koffertje(request.user, koffertje):
        raise PermissionDenied(NOT_A_WRITER)
    if confirmed(request):
        perform(
            request,
            lambda: services.koffertje_item_delete(actor=request.user, item=item),
            success=_("Het onderdeel is uit het koffertje gehaald."),
        )
        return redirect(koffertje)
    return render_confirm(
        request,
        title=_("Onderdeel uit het koffertje halen?"),
        consequences=[
            _("‘%(text)s’ verdwijnt uit het koffertje van %(region)s.")
            % {"text": item.text[:200], "region": koffertje.region.name},
            _("Dit kunt u niet ongedaan maken."),
        ],
        yes_label=_("Ja, haal het weg"),
        back_url=koffertje.get_absolute_url(),
    )


# Stakeholder field -------------------------------------------------------------------------


def _paths(stakeholders, now) -> list[charts.Path]:
    return [
        charts.Path(
            label=s.name,
            url=s.get_absolute_url(),
            points=[(r.interest, r.influence, timezone.localdate(r.at)) for r in s.ratings.all()],
            stale=s.is_stale(now),
        )
        for s in stakeholders
    ]


@login_required
def stakeholders(request, slug: str):
    """Show the stakeholder field: the grid with each one's path, the same as a table; the
    programme team adds stakeholders here (POST)."""
    programme = _programme(slug)
    if not can_view_stakeholders(request.user, programme):
        raise PermissionDenied
    is_team = can_manage_stakeholders(request.user, programme)
    form = StakeholderForm(request.POST or None, programme=programme) if is_team else None
    if request.method == "POST":
        if not is_team:
            raise PermissionDenied(_("Alleen het programmateam werkt het stakeholderveld bij."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                stakeholder = services.stakeholder_create(actor=request.user,
                                                          programme=programme, **data)  # fmt: skip
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, _("De stakeholder is toegevoegd."))
                return redirect(stakeholder)
    pilot = None
    if request.GET.get("pilot", "").isdigit():
        pilot = programme.pilots.filter(pk=int(request.GET["pilot"])).first()
    field = list(
        selectors.stakeholder_field(
            programme=programme, with_persons=can_see_named_persons(request.user, programme),
            pilot=pilot,
        )
    )  # fmt: skip
    now = timezone.now()
    grid = charts.power_interest_grid(
        uid="veld",
        title=_("Belang en invloed van de stakeholders van %(programme)s")
        % {"programme": programme.name},
        desc=_(
            "Belang loopt van links (1) naar rechts (5), invloed van onder (1) naar boven (5). "
            "Per stakeholder verbindt een lijn de eerdere inschattingen (kleine stippen) met de "
            "huidige (grote stip). Dezelfde gegevens staan in de tabel hieronder."
        ),
        paths=_paths(field, now),
    )
    return render(
        request,
        "anchoring/stakeholders.html",
        {
            "programme": programme,
            "stakeholders": [(s, s.is_stale(now)) for s in field],
            "grid": grid,
            "form": form,
            "is_team": is_team,
            "pilot": pilot,
            "pilots": list(programme.pilots.order_by("title")),
            "rerate_days": _rerate_days(),
        },
        status=422 if form is not None and form.errors else 200,
    )


@login_required
def stakeholders_export(request, slug: str, fmt: str):
    """Download the stakeholder register as CSV or XLSX (named persons for the team only)."""
    programme = _programme(slug)
    try:
        content, content_type, name = services.stakeholders_export(
            programme=programme, user=request.user, fmt=fmt
        )
    except DomainError as error:
        if error.status_code == 404:
            raise Http404 from error
        raise PermissionDenied(error.message) from error
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _rerate_days() -> int:
    from django.conf import settings

    return getattr(settings, "STAKEHOLDER_RERATE_DAYS", 90)


def _stakeholder(request, programme: Programme, pk: int) -> Stakeholder:
    if not can_view_stakeholders(request.user, programme):
        raise PermissionDenied
    try:
        return selectors.stakeholder_get(
            programme=programme, pk=pk,
            with_persons=can_see_named_persons(request.user, programme),
        )  # fmt: skip
    except Stakeholder.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def stakeholder_detail(request, slug: str, pk: int, rating_form=None, person_form=None):
    """Show one stakeholder: current rating and its promise, every dated rating with its
    reason, its path on the grid; for the team the named persons and the forms."""
    programme = _programme(slug)
    stakeholder = _stakeholder(request, programme, pk)
    is_team = can_manage_stakeholders(request.user, programme)
    if is_team:
        rating_form = rating_form or RatingForm(
            initial={
                "interest": stakeholder.interest,
                "influence": stakeholder.influence,
                "level": stakeholder.level,
                "direction": stakeholder.direction,
            }
        )
        person_form = person_form or PersonForm()
    now = timezone.now()
    grid = charts.power_interest_grid(
        uid="pad",
        title=_("Het pad van %(name)s door het veld") % {"name": stakeholder.name},
        desc=_(
            "Elke inschatting is een stip (belang naar rechts, invloed naar boven); de lijn "
            "loopt van de eerste naar de huidige. Dezelfde gegevens staan in de tabel."
        ),
        paths=_paths([stakeholder], now),
    )
    invalid = (rating_form is not None and rating_form.errors) or (
        person_form is not None and person_form.errors
    )
    return render(
        request,
        "anchoring/stakeholder.html",
        {
            "programme": programme,
            "stakeholder": stakeholder,
            "stale": stakeholder.is_stale(now),
            "ratings": list(stakeholder.ratings.all()),
            "grid": grid,
            "is_team": is_team,
            "rating_form": rating_form,
            "person_form": person_form,
            "rerate_days": _rerate_days(),
        },
        status=422 if invalid else 200,
    )


def _team_form_post(request, slug: str, pk: int, *, form_class, service, success, form_key):
    """Run one team form on a stakeholder page: the service on success, the page with errors."""
    programme = _programme(slug)
    stakeholder = _stakeholder(request, programme, pk)
    if not can_manage_stakeholders(request.user, programme):
        raise PermissionDenied(_("Alleen het programmateam werkt het stakeholderveld bij."))
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(actor=request.user, stakeholder=stakeholder, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, success)
            return redirect(stakeholder)
    return stakeholder_detail(request, slug, pk, **{form_key: form})


@login_required
@require_POST
def stakeholder_rate(request, slug: str, pk: int):
    """Let the programme team re-rate a stakeholder with a reason."""
    return _team_form_post(
        request, slug, pk, form_class=RatingForm, service=services.stakeholder_rate,
        success=_("De nieuwe inschatting is vastgelegd."), form_key="rating_form",
    )  # fmt: skip


@login_required
@require_POST
def stakeholder_person_add(request, slug: str, pk: int):
    """Let the programme team name a person at a stakeholder."""
    return _team_form_post(
        request, slug, pk, form_class=PersonForm, service=services.stakeholder_person_add,
        success=_("De contactpersoon is toegevoegd."), form_key="person_form",
    )  # fmt: skip


@login_required
def stakeholder_person_remove(request, slug: str, pk: int, person: int):
    """Let the programme team remove a named person, after saying what will happen."""
    programme = _programme(slug)
    stakeholder = _stakeholder(request, programme, pk)
    if not can_manage_stakeholders(request.user, programme):
        raise PermissionDenied(_("Alleen het programmateam werkt het stakeholderveld bij."))
    found = next((p for p in stakeholder.persons.all() if p.pk == person), None)
    if found is None:
        raise Http404
    if confirmed(request):
        perform(
            request,
            lambda: services.stakeholder_person_remove(actor=request.user, person=found),
            success=_("De contactpersoon is verwijderd."),
        )
        return redirect(stakeholder)
    return render_confirm(
        request,
        title=_("Contactpersoon verwijderen?"),
        consequences=[
            _("%(name)s staat daarna niet meer bij %(stakeholder)s.")
            % {"name": found.name, "stakeholder": stakeholder.name}
        ],
        yes_label=_("Ja, verwijder"),
        back_url=stakeholder.get_absolute_url(),
    )


# Dashboard ---------------------------------------------------------------------------------

SUBMISSIONS_QUEUE = "projects:queue"


@login_required
def dashboard(request, slug: str):
    """Show the programme team its dashboard: every chart with its table, every mark a link."""
    programme = _programme(slug)
    if not can_view_dashboard(request.user, programme):
        raise PermissionDenied(_("Het dashboard is voor het programmateam."))
    now = timezone.now()
    data = selectors.programme_dashboard(programme=programme, user=request.user, now=now)
    held, planned = _("gehouden"), _("gepland")
    session_chart = charts.bar_chart(
        uid="sessies",
        title=_("Aanmeldingen per sessie, in de tijd"),
        desc=_(
            "Per sessie, op datum, het aantal bevestigde aanmeldingen; gehouden en geplande "
            "sessies staan erbij. Dezelfde gegevens staan in de tabel."
        ),
        bars=[
            charts.Bar(
                label=f"{date_format(timezone.localtime(s.start))} {s.title}",
                value=s.confirmed,
                url=s.get_absolute_url(),
                note=str(
                    _("geannuleerd")
                    if s.status == "cancelled"
                    else held
                    if s.end <= now
                    else planned
                ),  # fmt: skip
                css="bp-chart__bar--planned" if s.end > now else "",
            )
            for s in data.sessions
        ],
        unit=_("aanmeldingen"),
    )
    call_charts = [
        (
            call,
            rows,
            charts.bar_chart(
                uid=f"oproep-{call.pk}",
                title=_("Aanmeldingen op ‘%(call)s’ per status") % {"call": call.title},
                desc=_("Het aantal ingediende projecten per status; elke balk opent de lijst."),
                bars=[
                    charts.Bar(
                        label=label,
                        value=n,
                        url=reverse(SUBMISSIONS_QUEUE, kwargs={"pk": call.pk}) + f"?status={value}",
                    )
                    for value, label, n in rows
                ],
            ),
        )
        for call, rows in data.calls
    ]
    age_chart = charts.bar_chart(
        uid="rapportages",
        title=_("Hoe oud de laatste rapportage van elke pilot is"),
        desc=_(
            "Dagen sinds de laatste voortgangsrapportage; de verticale streep is het "
            "afgesproken ritme. Voorbij de streep is de status niet actueel."
        ),
        bars=[
            charts.Bar(
                label=view.pilot.title,
                value=view.report_age_days
                if view.report_age_days is not None
                else (now - view.pilot.created_at).days,
                url=view.pilot.get_absolute_url(),
                note=_status_note(view),
                baseline=view.pilot.report_every_days,
                css="bp-chart__bar--overdue" if view.overdue else "",
            )
            for view in data.pilots
        ],
        unit=_("dagen"),
    )
    slips = [
        charts.Slip(
            label=m.title,
            name=f"{view.pilot.title}: {m.title}",
            planned=m.planned,
            current=m.current,
            replans=m.replans,
            url=view.pilot.get_absolute_url(),
        )
        for view in data.pilots
        for m in view.milestones
    ]
    slip_chart = charts.slip_chart(
        uid="mijlpalen",
        title=_("Mijlpalen: oorspronkelijk plan naast de huidige planning"),
        desc=_(
            "Open cirkel: de oorspronkelijk geplande datum; gevulde cirkel: de huidige planning; "
            "een lijn ertussen betekent dat de mijlpaal is herpland. Dezelfde gegevens staan in "
            "de tabel."
        ),
        slips=slips,
        today=timezone.localdate(now),
    )
    koffertje_chart = charts.bar_chart(
        uid="koffertjes",
        title=_("Inhoud van de koffertjes per status"),
        desc=_(
            "Het aantal onderdelen in alle koffertjes per status; elke balk opent het overzicht."
        ),
        bars=[
            charts.Bar(
                label=label,
                value=n,
                url=reverse("anchoring:koffertjes", kwargs={"slug": programme.slug})
                + f"?status={value}",
            )
            for value, label, n in data.koffertje_statuses
        ],
    )
    return render(
        request,
        "anchoring/dashboard.html",
        {
            "programme": programme,
            "data": data,
            "session_chart": session_chart,
            "call_charts": call_charts,
            "age_chart": age_chart,
            "slip_chart": slip_chart,
            "koffertje_chart": koffertje_chart,
            "now": now,
        },
    )


def _status_note(view) -> str:
    if view.status == "geen":
        text = _("nog geen rapportage")
    elif view.honest_status == "op_koers_herpland":
        text = _("op koers volgens de herplanning")
    else:
        text = view.status_label.lower()
    if view.overdue:
        text += ", " + _("niet actueel")
    return text
