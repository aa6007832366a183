"""Pages of werk-met-werk: the map, the list, works, requests, zones and the resident map."""

from urllib.parse import quote

import orjson
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bouwplaats.core.audit import log_action
from bouwplaats.core.errors import DomainError
from bouwplaats.core.forms import add_domain_error
from bouwplaats.core.pagination import paginate
from bouwplaats.core.views import confirmed, render_confirm

from . import csv_import, exports, locator, selectors, services, uploads
from .forms import (
    AcceptForm,
    DeclineForm,
    FilterForm,
    FollowForm,
    InitiativeForm,
    PeriodForm,
    PublicFilterForm,
    RequestForm,
    UploadForm,
    WorkForm,
    ZoneForm,
)
from .geo import BBOX_MAX_M, GeometryError, bbox_bounds
from .geojson import legend_rows, map_data, map_rows, map_values
from .labels import DRAW_LABELS, HINDRANCE_PLAIN, HISTORY_LABELS
from .models import CombinationRequest, JointWork, Work
from .permissions import (
    acting_organisation_id,
    can_agree_period,
    can_answer_request,
    can_edit_work,
    can_propose_period,
    can_send_request,
    can_undo_accept,
    can_view_internal,
    initiatives_decidable_by,
    initiatives_proposed_by,
    is_planner,
    organisations_for,
    requests_visible_to,
    works_visible_to,
    zones_managed_by,
)

# The works a map page embeds at most: each is a Leaflet layer in the browser and about
# 400 bytes of page; the filters (period, owner, kind, status) or the street search narrow it.
MAP_LIMIT = 1000
# The filtered list counts its combinations and conflicts up to this many ("meer dan …").
PAIR_COUNT_LIMIT = 1000


def _drawn_rows(works) -> tuple[list[tuple], bool]:
    """Return the first ``MAP_LIMIT`` of ``works`` as ``geojson.map_values`` rows, and whether
    more matched.

    Tuples of only what the map draws (``geojson.map_rows``): no model objects.
    """
    rows = list(map_values(works.select_related(None))[: MAP_LIMIT + 1])
    return rows[:MAP_LIMIT], len(rows) > MAP_LIMIT


def _filtered(request):
    form = FilterForm(request.GET or None, owners=selectors.owners_visible_to(user=request.user))
    return form, form.filters()


def _members_only(request):
    """Answer a visitor or plain member asking the internal map: where to go instead."""
    return render(
        request,
        "planning/members_only.html",
        {
            "login_url": f"{reverse('account_login')}?next={request.path}",
            "profile_url": reverse("accounts:memberships"),
        },
    )


def _window(request) -> tuple[str, tuple | None, str]:
    """Return the map window of ``?bbox=`` (geo.bbox_bounds): (its text, RD New bounds,
    Dutch refusal). Without one, or refused: no bounds."""
    text = request.GET.get("bbox", "").strip()
    if not text:
        return "", None, ""
    try:
        return text, bbox_bounds(text), ""
    except GeometryError as exc:
        return "", None, str(exc)


def _feed_refusal(message: str) -> JsonResponse:
    # The API's shape of a refused parameter (core: detail, code, errors).
    return JsonResponse(
        {"detail": message, "code": "bbox", "errors": {"bbox": [message]}}, status=422
    )


def _query_without_window(request) -> str:
    query = request.GET.copy()
    query.pop("bbox", None)
    query.pop("page", None)
    return query.urlencode()


def _map_context(request, filters, bounds) -> dict:
    """Return what the internal map draws and lists: the first ``MAP_LIMIT`` works of
    ``filters`` (in the window ``bounds`` when given) and the stored pairs among them."""
    on_map = selectors.work_list(user=request.user, filters=filters).select_related(None)
    if bounds is not None:
        on_map = selectors.in_bbox(on_map, bounds)
    rows, truncated = _drawn_rows(on_map)
    # The stored pairs between the works on the map (kept on every save): no recomputation.
    combos, conflicts = selectors.pairs_among(
        user=request.user, works=on_map[:MAP_LIMIT], ids={r[0] for r in rows}
    )
    return {
        "work_count": len(rows),
        "legend": legend_rows(rows),
        "combinations": selectors.with_works(combos[:25], parts=False),
        "combination_count": len(combos),
        "conflicts": selectors.with_works(conflicts[:25], parts=False),
        "conflict_count": len(conflicts),
        "map_data": map_rows(rows, combos, conflicts, internal=True),
        "can_plan": is_planner(request.user),
        "truncated": truncated,
        "windowed": bounds is not None,
        "map_limit": MAP_LIMIT,
        "filter_query": _query_without_window(request),
    }


def planning_map(request):
    """Show the works on a map with their combinations and conflicts, filters and lists.

    ``?bbox=`` (geo.bbox_bounds) narrows to a map window; the map fetches ``map_feed`` for
    each window it is moved to, with the same filters.
    """
    if not can_view_internal(request.user):
        return _members_only(request)
    form, filters = _filtered(request)
    bbox, bounds, refusal = _window(request)
    context = _map_context(request, filters, bounds)
    context.update(
        form=form,
        bbox=bbox,
        bbox_error=refusal,
        feed_url=reverse("planning:map_feed"),
        bbox_max_m=BBOX_MAX_M,
        complete=bounds is None and not context["truncated"],
    )
    return render(request, "planning/map.html", context)


def map_feed(request):
    """Answer the internal map's window as JSON: ``planning_map``'s data for ``?bbox=`` and
    the same filters, with its notice, summary and pair lists as HTML.

    ``works``: a GeoJSON FeatureCollection; ``combinations``, ``conflicts``: pairs by id;
    ``truncated``: more works matched than drawn. 403 for visitors, 422 for a refused bbox.
    """
    if not can_view_internal(request.user):
        return JsonResponse(
            {"detail": _("Deze kaart is voor leden van een organisatie."), "code": "forbidden"},
            status=403,
        )
    _form, filters = _filtered(request)
    _bbox, bounds, refusal = _window(request)
    if refusal:
        return _feed_refusal(refusal)
    context = _map_context(request, filters, bounds)
    return _feed(
        request,
        context,
        notice="planning/_map_notice.html",
        summary="planning/_map_summary.html",
        pairs="planning/_map_pairs.html",
    )


def _feed(request, context: dict, **parts: str) -> HttpResponse:
    body = {
        **context["map_data"],
        "truncated": context["truncated"],
        "count": context.get("work_count"),
        **{name: render_to_string(t, context, request=request) for name, t in parts.items()},
    }
    return HttpResponse(orjson.dumps(body, default=str), content_type="application/json")


def work_list(request):
    """List the same works, combinations and conflicts as tables: the map without a map."""
    if not can_view_internal(request.user):
        return _members_only(request)
    form, filters = _filtered(request)
    # The table shows no geometry or description: not read, nor decoded.
    works = selectors.work_list(user=request.user, filters=filters)
    page = paginate(request, works.defer("geometry", "rd_wkb", "description"), per_page=25)
    combos, conflicts = selectors.planning_analysis(user=request.user, filters=filters)
    bound = None
    if filters == selectors.Filters():
        combination_count, conflict_count = len(combos), len(conflicts)
    else:
        bound = PAIR_COUNT_LIMIT
        # Under a filter each stored pair is checked against it: counted up to a bound.
        combination_count = combos.count_upto(PAIR_COUNT_LIMIT + 1)
        conflict_count = conflicts.count_upto(PAIR_COUNT_LIMIT + 1)
    return render(
        request,
        "planning/list.html",
        {
            "form": form,
            "page": page,
            "combinations": selectors.with_works(combos[:50], parts=False),
            "combination_count": combination_count,
            "conflicts": selectors.with_works(conflicts[:50], parts=False),
            "conflict_count": conflict_count,
            # Set when the counts stop at it ("meer dan …").
            "pair_count_limit": bound,
            "can_plan": is_planner(request.user),
            # Work pages are for members (see work_detail): visitors get no link.
            "internal": can_view_internal(request.user),
        },
    )


def work_export(request):
    """Download the filtered works as CSV (geometry as GeoJSON in WGS84)."""
    if not can_view_internal(request.user):
        return _members_only(request)
    _form, filters = _filtered(request)
    works = selectors.work_list(user=request.user, filters=filters).iterator(chunk_size=500)
    if can_view_internal(request.user):
        # A member's export holds internal fields (contacts): recorded; the public one is not.
        log_action("planning.work.exported", actor=request.user)
    response = HttpResponse(
        exports.works_csv(works, internal=can_view_internal(request.user)),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="werk-met-werk-{stamp}.csv"'
    return response


def _planner_required(request):
    if not is_planner(request.user):
        raise PermissionDenied(_("Alleen leden van een organisatie kunnen werken invoeren."))


def _neighbours(user, exclude=None) -> dict:
    """Return the map data of the unfinished works ``user`` may see (the drawing maps)."""
    works = selectors.work_list(user=user).exclude(status=Work.Status.GEREED)
    if exclude is not None:
        works = works.exclude(pk=exclude.pk)
    rows, _truncated = _drawn_rows(works)
    return map_rows(rows, internal=can_view_internal(user))


def _save_work(request, form, save):
    """Run ``save`` and return the work, or put the service's refusal beside its field."""
    try:
        return save(form.to_feature())
    except DomainError as error:
        add_domain_error(form, error)
        return None


def _checked_message(request, work, form=None):
    if form is not None and form.place is not None:
        messages.info(
            request,
            _("Het werk staat op %(place)s, gevonden met de adreszoeker van PDOK.")
            % {"place": form.place.label},
        )
    combos, conflicts = selectors.work_checks(work=work, user=request.user)
    messages.success(
        request,
        _("Het werk is opgeslagen: %(combinations)s, %(conflicts)s.")
        % {
            "combinations": ngettext(
                "%(n)s mogelijke combinatie", "%(n)s mogelijke combinaties", len(combos)
            )
            % {"n": len(combos)},
            "conflicts": ngettext("%(n)s conflict", "%(n)s conflicten", len(conflicts))
            % {"n": len(conflicts)},
        },
    )


@login_required
def work_create(request):
    """Enter a work: draw it on the map or paste GeoJSON."""
    _planner_required(request)
    form = WorkForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        work = _save_work(
            request,
            form,
            lambda feature: services.work_create(actor=request.user, feature=feature),
        )
        if work is not None:
            _checked_message(request, work, form)
            return redirect(work)
    return render(
        request,
        "planning/work_form.html",
        {
            "form": form,
            "map_data": _neighbours(request.user),
            "work": None,
            "acting_name": _acting_name(request.user),
            "draw_labels": DRAW_LABELS,
        },
    )


@login_required
def work_update(request, pk: int):
    work = get_object_or_404(
        works_visible_to(request.user, Work.objects.select_related("owner")), pk=pk
    )
    if not can_edit_work(request.user, work):
        raise PermissionDenied(_("U mag dit werk niet wijzigen."))
    form = WorkForm(request.POST or None, initial=WorkForm.initial_for(work), work=work)
    if request.method == "POST" and form.is_valid():
        saved = _save_work(
            request,
            form,
            lambda feature: services.work_update(actor=request.user, work=work, feature=feature),
        )
        if saved is not None:
            _checked_message(request, saved, form)
            return redirect(saved)
    return render(
        request,
        "planning/work_form.html",
        {
            "form": form,
            "map_data": _neighbours(request.user, work),
            "work": work,
            "acting_name": work.owner.name,
            "draw_labels": DRAW_LABELS,
        },
    )


@login_required
def work_upload(request):
    """Upload works as a GeoJSON or CSV file: all are stored, or none and every refusal shown.

    The file goes through the API's import service (``uploads``); a refused file stays on this
    page with the refusals per row or feature beside the field.
    """
    _planner_required(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            upload = uploads.read(form.cleaned_data["file"])
            result = uploads.import_works(actor=request.user, upload=upload)
        except uploads.UploadError as error:
            form.add_error("file", error.message)
        else:
            if not result.problems:
                created = sum(1 for item in result.saved if item.created)
                messages.success(
                    request,
                    ngettext(
                        "%(count)s werk ingelezen (%(new)s nieuw, %(updated)s bijgewerkt).",
                        "%(count)s werken ingelezen (%(new)s nieuw, %(updated)s bijgewerkt).",
                        len(result.saved),
                    )
                    % {
                        "count": len(result.saved),
                        "new": created,
                        "updated": len(result.saved) - created,
                    },
                )
                return redirect(f"{reverse('planning:upload')}#meldingen")
            form.add_error(
                "file",
                _(
                    "Er is niets opgeslagen: verbeter de fouten in de lijst bij dit formulier "
                    "en upload het bestand opnieuw."
                ),  # fmt: skip
            )
    return render(
        request,
        "planning/upload.html",
        {
            "form": form,
            "problems": result.problems if result else [],
            "truncated": result.truncated if result else False,
            "columns": csv_import.COLUMN_HELP,
            "max_rows": csv_import.MAX_ROWS,
            "max_size": uploads.MAX_BYTES,
            "max_addresses": csv_import.MAX_ADDRESSES,
        },
    )


def work_detail(request, pk: int):
    """Show one work with its combinations, conflicts, requests and history."""
    try:
        work = selectors.work_get(user=request.user, pk=pk)
    except Work.DoesNotExist as exc:
        raise Http404 from exc
    if not can_view_internal(request.user):
        # History and requests are for the organisations: a visitor who follows a link to a
        # work gets the residents' view of that same work (no ideas, public fields only).
        return _public_work(request, work)
    combos, conflicts = selectors.work_checks(work=work, user=request.user)
    combos, conflicts = selectors.with_works(combos), selectors.with_works(conflicts)
    can_edit = can_edit_work(request.user, work)
    open_requests = selectors.open_requests_with(work)
    for combo in combos:
        combo["open_request"] = open_requests.get(combo["work_b"])
    shown = [work] + [c["b"] for c in combos] + [c["b"] for c in conflicts]
    unique = list({w.pk: w for w in shown}.values())
    return render(
        request,
        "planning/work_detail.html",
        {
            "work": work,
            "combinations": combos,
            "conflicts": conflicts,
            "can_edit": can_edit,
            "history": _history(work),
            "map_data": map_data(
                unique, combos, conflicts, internal=can_view_internal(request.user)
            ),
        },
    )


def _public_work(request, work: Work):
    if not selectors.resident_works(Work.objects.filter(pk=work.pk)).exists():
        raise Http404
    entries = selectors.resident_entries([work])
    for entry in entries:
        entry["hindrance_text"] = HINDRANCE_PLAIN[entry["hindrance"]]
        entry["url"] = ""
    shown = [w for entry in entries for w in entry["works"]]
    return render(
        request,
        "planning/work_public.html",
        {"entry": entries[0], "entries": entries, "map_data": map_data(shown, internal=False)},
    )


def _history(work: Work) -> list[dict]:
    entries = []
    for entry in selectors.work_history(work=work)[:50]:
        changes = entry.data.get("changes", {}) if isinstance(entry.data, dict) else {}
        entries.append(
            {
                "when": entry.created_at,
                "label": HISTORY_LABELS.get(entry.action, entry.action),
                "actor": entry.actor.display_name if entry.actor else "",
                "fields": ", ".join(str(Work._meta.get_field(f).verbose_name) for f in changes),
            }
        )
    return entries


@login_required
def request_send(request, pk: int, other: int):
    """Ask the owner of another work to combine it with this one."""
    work = get_object_or_404(Work.objects.select_related("owner"), pk=pk)
    other_work = get_object_or_404(
        works_visible_to(request.user, Work.objects.select_related("owner")), pk=other
    )
    if not can_send_request(request.user, work):
        raise PermissionDenied(
            _("Alleen de eigenaar van het werk kan een combinatieverzoek sturen.")
        )
    form = RequestForm(request.POST or None, contact=services._default_contact(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.combination_request_send(
                actor=request.user,
                from_work=work,
                to_work=other_work,
                deadline=form.cleaned_data["deadline"],
                message=form.cleaned_data["message"],
                contact=form.cleaned_data["contact"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Het combinatieverzoek is verstuurd naar %(owner)s.")
                % {"owner": other_work.owner_label},
            )
            return redirect(work)
    return render(
        request,
        "planning/request_form.html",
        {"form": form, "work": work, "other": other_work},
    )


@login_required
def request_list(request):
    """Show the combination requests to and from the member's organisation."""
    incoming, outgoing = selectors.requests_for(user=request.user)
    page = paginate(request, incoming, per_page=25)
    now = timezone.now()
    for req in page.object_list:
        req.answerable = can_answer_request(request.user, req)
        req.undoable = can_undo_accept(request.user, req, now)
    return render(
        request,
        "planning/requests.html",
        {
            "incoming": page,
            "outgoing": outgoing[:50],
        },
    )


def _request(request, pk: int) -> CombinationRequest:
    """Return a request either side of which ``request.user`` may edit, else 404."""
    qs = CombinationRequest.objects.select_related("from_work__owner", "to_work__owner")
    return get_object_or_404(requests_visible_to(request.user, qs), pk=pk)


@login_required
def request_accept(request, pk: int):
    """Accept a combination request after its confirmation page (the works become one).

    The platform's confirm pattern: GET shows what will happen with a POST form carrying
    ``bevestigd=1`` and an optional message to the sender; a POST without it changes nothing
    and shows the same page.
    """
    req = _request(request, pk)
    if not can_answer_request(request.user, req):
        raise PermissionDenied(_("Alleen de eigenaar van het gevraagde werk kan antwoorden."))
    form = AcceptForm(request.POST if confirmed(request) else None)
    if confirmed(request) and form.is_valid():
        try:
            joint = services.combination_request_accept(
                actor=request.user, request=req, message=form.cleaned_data["answer"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Geaccepteerd: de werken zijn nu één gezamenlijk werk. Spreek hieronder "
                    "één periode af. Per ongeluk? U kunt het een dag lang ongedaan maken."
                ),
            )
            return redirect(joint)
    sender = req.requested_by.display_name if req.requested_by else req.from_work.owner_label
    return render_confirm(
        request,
        title=_("Combinatieverzoek accepteren?"),
        consequences=[
            _("%(sender)s (%(owner)s) vraagt „%(b)s” te combineren met „%(a)s”.")
            % {
                "sender": sender,
                "owner": req.from_work.owner_label,
                "a": req.from_work.title,
                "b": req.to_work.title,
            },
            _("Contactpersoon: %(contact)s") % {"contact": req.contact or "—"},
            _(
                "Na accepteren worden de twee werken één gezamenlijk werk met beide "
                "eigenaren. U kunt dat tot een dag later ongedaan maken."
            ),
        ],
        yes_label=_("Ja, accepteer het verzoek"),
        back_url=reverse("planning:requests"),
        form=form,
    )


@login_required
@require_POST
def request_undo(request, pk: int):
    """Take an accept back within a day: the joint work is split again, the request open."""
    req = _request(request, pk)
    try:
        services.combination_request_undo(actor=request.user, request=req)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Het accepteren is ongedaan gemaakt; het verzoek staat weer open.")
        )
    return redirect("planning:requests")


@login_required
def request_decline(request, pk: int):
    req = _request(request, pk)
    if not can_answer_request(request.user, req):
        raise PermissionDenied(_("Alleen de eigenaar van het gevraagde werk kan antwoorden."))
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.combination_request_decline(
                actor=request.user, request=req, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Het verzoek is afgewezen; de aanvrager krijgt bericht."))
            return redirect("planning:requests")
    return render(request, "planning/request_decline.html", {"form": form, "req": req})


@login_required
def joint_detail(request, pk: int):
    """Show a joint work: every part with its own owner and history, and its one period.

    POST ``action=propose`` (with start and end) proposes the period; ``action=agree``
    agrees to the proposal of the other owner.
    """
    try:
        joint = selectors.joint_get(user=request.user, pk=pk)
    except JointWork.DoesNotExist as exc:
        raise Http404 from exc
    form = PeriodForm(request.POST if request.POST.get("action") == "propose" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "agree":
                services.joint_period_agree(actor=request.user, joint=joint)
                messages.success(request, _("Akkoord: de periode is afgesproken."))
                return redirect(f"{joint.get_absolute_url()}#periode")
            if action == "propose" and form.is_valid():
                services.joint_period_propose(
                    actor=request.user,
                    joint=joint,
                    start=form.cleaned_data["start"],
                    end=form.cleaned_data["end"],
                )
                messages.success(
                    request, _("Uw voorstel is verstuurd; de andere eigenaar gaat akkoord.")
                )
                return redirect(f"{joint.get_absolute_url()}#periode")
        except DomainError as error:
            if error.status_code == 403:
                raise PermissionDenied(str(error.message)) from error
            add_domain_error(form, error, {"proposed_start": "start", "proposed_end": "end"})
    works = list(joint.works.all())
    return render(
        request,
        "planning/joint.html",
        {
            "joint": joint,
            "works": works,
            "owners": sorted({w.owner_label for w in works}),
            "form": form,
            "can_propose": can_propose_period(request.user, joint),
            "can_agree": can_agree_period(request.user, joint),
            "map_data": map_data(works, internal=can_view_internal(request.user)),
        },
    )


@login_required
def zone_list(request):
    """List the member's interest zones and draw a new one."""
    _planner_required(request)
    form = ZoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.interest_zone_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                geometry=form.cleaned_data["geometry"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Het interessegebied is opgeslagen."))
            return redirect("planning:zones")
    zones = list(selectors.zones_for(user=request.user))
    return render(
        request,
        "planning/zones.html",
        {
            "form": form,
            "zones": zones,
            "map_data": _neighbours(request.user),
            "draw_labels": DRAW_LABELS,
        },
    )


@login_required
@require_POST
def zone_delete(request, pk: int):
    zone = get_object_or_404(zones_managed_by(request.user), pk=pk)
    try:
        services.interest_zone_delete(actor=request.user, zone=zone)
    except DomainError as error:
        raise PermissionDenied(str(error.message)) from error
    messages.success(request, _("Het interessegebied is verwijderd."))
    return redirect("planning:zones")


def public_map(request):
    """Show residents what happens in their street and when: public works, public fields.

    With ``q`` (a street, postcode or address) PDOK Locatieserver finds the place and the
    page lists the works there; joint works count once, ideas never show.
    """
    return _public_page(request, request.GET)


def _public_page(request, params, follow_form=None, status=200):
    """Render the residents' page for the search ``params``; ``follow_form`` a bound
    FollowForm to show with its errors beside its field (the follow offer sits right under
    the street's heading)."""
    form = PublicFilterForm(params or None)
    filters = form.filters()
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    place, places, locator_error = None, [], None
    if query:
        try:
            places = locator.search(query)
        except locator.LocatorError as error:
            locator_error = error.message
        place = places[0] if places else None
    works = selectors.work_list(user=AnonymousUser(), filters=filters)
    works = selectors.resident_works(works)
    truncated = False
    bbox, bounds, refusal = _window(request) if place is None else ("", None, "")
    if place is not None:
        # The period filter applies to the street's works too.
        in_area = selectors.resident_works_in(place.area_rd())
        kept = set(works.filter(pk__in=[w.pk for w in in_area]).values_list("pk", flat=True))
        found = [w for w in in_area if w.pk in kept]
        entries = selectors.resident_entries(found)
        drawn = map_data([w for entry in entries for w in entry["works"]], internal=False)
        page = None
    else:
        paginator = Paginator(works, 25)
        paginator.count = selectors.resident_count(filters=filters)
        page = paginator.get_page(request.GET.get("page"))
        entries = selectors.resident_entries(page.object_list)
        rows, truncated = _drawn_rows(_resident_window(works, bounds))
        drawn = map_rows(rows, internal=False)
    for entry in entries:
        entry["hindrance_text"] = HINDRANCE_PLAIN[entry["hindrance"]]
    return render(
        request,
        "planning/public.html",
        {
            "form": form,
            "query": query,
            "place": place,
            "other_places": places[1:],
            "locator_error": locator_error,
            "entries": entries,
            "page": page,
            "map_data": drawn,
            "truncated": truncated,
            "windowed": bounds is not None,
            "map_limit": MAP_LIMIT,
            "follow_form": (follow_form or FollowForm(initial={"q": query}))
            if place is not None
            else None,
            "bbox": bbox,
            "bbox_error": refusal,
            # A refused follow form answers its POST: a map keeping its window in this
            # address would make it the form's.
            "feed_url": reverse("planning:public_feed") if follow_form is None else "",
            "bbox_max_m": BBOX_MAX_M,
            "complete": place is None and bounds is None and not truncated,
        },
        status=status,
    )


def _resident_window(works, bounds):
    return works if bounds is None else selectors.in_bbox(works, bounds)


def public_map_feed(request):
    """Answer the residents' map's window as JSON: what ``public_map`` draws for ``?bbox=``
    and its period, with its notice as HTML (residents' works only: public, no ideas).

    422 for a refused bbox.
    """
    form = PublicFilterForm(request.GET or None)
    _bbox, bounds, refusal = _window(request)
    if refusal:
        return _feed_refusal(refusal)
    works = selectors.resident_works(
        selectors.work_list(user=AnonymousUser(), filters=form.filters())
    )
    rows, truncated = _drawn_rows(_resident_window(works, bounds))
    context = {
        "map_data": map_rows(rows, internal=False),
        "truncated": truncated,
        "windowed": bounds is not None,
        "map_limit": MAP_LIMIT,
        "work_count": len(rows),
    }
    return _feed(request, context, notice="planning/_public_notice.html")


@require_POST
def follow_start(request):
    """Follow the street just searched: the locator finds it again, a confirmation mail goes."""
    form = FollowForm(request.POST)
    back = reverse("planning:public")
    if not form.is_valid():
        if "email" in form.errors:
            return _follow_refused(request, form)
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(f"{back}?q={quote(request.POST.get('q', '')[:120])}")
    query = form.cleaned_data["q"]
    try:
        places = locator.search(query)
    except locator.LocatorError as error:
        messages.error(request, error.message)
        places = []
    if places:
        try:
            services.street_follow_start(
                email=form.cleaned_data["email"],
                place=places[0].label,
                area=places[0].area_wgs84(),
            )
        except DomainError as error:
            add_domain_error(form, error)
            return _follow_refused(request, form)
        messages.success(
            request,
            _("Bijna klaar: bevestig via de link in de e-mail die u nu krijgt."),
        )
    return redirect(f"{back}?q={quote(query)}#volgen")


def _follow_refused(request, form):
    # The street's page again: the error beside the address, what was typed kept, and the
    # error summary in the follow box focused (site.js).
    params = QueryDict(mutable=True)
    params["q"] = request.POST.get("q", "")[:120]
    return _public_page(request, params, follow_form=form, status=422)


def _follow_page(request, token, *, confirm: bool):
    follow = selectors.street_follow_by_token(token=token)
    if follow is None:
        # Say at once that the link cannot do anything, before any button (as the nieuwsflits).
        return render(request, "planning/follow_invalid.html", {"confirm": confirm}, status=404)
    already = confirm and follow.confirmed_at is not None
    done = False
    if request.method == "POST":
        try:
            if confirm:
                follow = services.street_follow_confirm(token=token)
            else:
                services.street_follow_stop(token=token)
        except DomainError as error:
            raise Http404 from error
        done = True
    context = {"confirm": confirm, "done": done, "already": already, "follow": follow}
    return render(request, "planning/follow.html", context)


def follow_confirm(request, token: str):
    """Confirm following a street (GET shows a button; the POST confirms: links are fetched
    by mail scanners, which must not confirm for the resident)."""
    return _follow_page(request, token, confirm=True)


def follow_stop(request, token: str):
    """Stop following a street (GET asks, POST stops)."""
    return _follow_page(request, token, confirm=False)


def _acting_name(user) -> str:
    org = organisations_for(user).filter(pk=acting_organisation_id(user)).first()
    return org.name if org is not None else ""


@login_required
def initiatives(request):
    """Propose a residents' initiative; planners accept or decline the ones addressed to them."""
    form = InitiativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.initiative_propose(
                actor=request.user,
                owner=data["owner"],
                title=data["title"],
                description=data["description"],
                geometry=data["geometry"],
                start=data["start"],
                end=data["end"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Uw initiatief is voorgesteld aan %(owner)s. Het verschijnt op de kaart "
                    "zodra de gemeente het accepteert."
                )
                % {"owner": data["owner"].name},
            )
            return redirect("planning:initiatives")
    works = Work.objects.select_related("owner", "proposed_by")
    return render(
        request,
        "planning/initiatives.html",
        {
            "form": form,
            "mine": initiatives_proposed_by(request.user, works).order_by("-created_at"),
            "to_decide": initiatives_decidable_by(request.user, works).order_by("created_at"),
            "map_data": _neighbours(request.user),
            "draw_labels": DRAW_LABELS,
        },
    )
