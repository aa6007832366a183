"""Read queries of koffertjes, the stakeholder field and the dashboard (a fixed number each)."""

from dataclasses import dataclass, field

from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from bouwplaats.events.models import Registration, Session
from bouwplaats.programmes.models import Programme, Region
from bouwplaats.projects.models import Call, Pilot, ProgressReport, Submission
from bouwplaats.projects.permissions import pilots_visible_to
from bouwplaats.projects.selectors import report_overdue

from .models import Koffertje, KoffertjeItem, Stakeholder, StakeholderPerson, StakeholderRating

# Koffertjes --------------------------------------------------------------------------------


@dataclass
class KoffertjeGrid:
    """Regions side by side (columns) × elements (rows); each cell the items that pass the
    filters. ``columns`` holds (region, koffertje or None)."""

    columns: list[tuple[Region, Koffertje | None]]
    rows: list[tuple[str, str, list[list[KoffertjeItem]]]]
    count: int

    @property
    def by_region(self) -> list[tuple[Region, list[tuple[str, str, list[KoffertjeItem]]]]]:
        """Return the same cells per region (the phone's stacked layout): (region,
        [(element, label, items)])."""
        return [
            (region, [(value, label, cells[index]) for value, label, cells in self.rows])
            for index, (region, _koffertje) in enumerate(self.columns)
        ]


def koffertjes_grid(*, programme: Programme, element: str = "", status: str = "") -> KoffertjeGrid:
    """Return ``programme``'s koffertjes grid filtered by ``element`` and ``status`` ("" = all).

    Columns are the programme's regions (and any region that has a koffertje), by name; three
    queries whatever the number of regions and items.
    """
    items = KoffertjeItem.objects.order_by("position", "id")
    if status:
        items = items.filter(status=status)
    if element:
        items = items.filter(element=element)
    koffertjes = {
        k.region_id: k
        for k in Koffertje.objects.filter(programme=programme)
        .select_related("region")
        .prefetch_related(Prefetch("items", queryset=items))
    }
    regions = {r.pk: r for r in programme.regions.all()}
    regions.update({k.region_id: k.region for k in koffertjes.values()})
    columns = [(r, koffertjes.get(r.pk)) for r in sorted(regions.values(), key=lambda r: r.name)]
    rows = []
    count = 0
    for value, label in KoffertjeItem.Element.choices:
        if element and value != element:
            continue
        cells = []
        for _region, koffertje in columns:
            found = [i for i in koffertje.items.all() if i.element == value] if koffertje else []
            count += len(found)
            cells.append(found)
        rows.append((value, label, cells))
    return KoffertjeGrid(columns=columns, rows=rows, count=count)


def koffertje_get(*, programme: Programme, region_slug: str) -> Koffertje:
    """Return the region's koffertje in ``programme`` with items, organisations and writers.

    Raises Koffertje.DoesNotExist if the region has none.
    """
    return (
        Koffertje.objects.select_related("programme", "region")
        .prefetch_related(
            Prefetch("items", KoffertjeItem.objects.order_by("position", "id")),
            "organisations",
            "writers",
        )
        .get(programme=programme, region__slug=region_slug)
    )


def koffertjes_for_api(*, programme: Programme) -> QuerySet[Koffertje]:
    """Return ``programme``'s koffertjes by region name, with their items."""
    return (
        Koffertje.objects.filter(programme=programme)
        .select_related("region")
        .prefetch_related(Prefetch("items", KoffertjeItem.objects.order_by("position", "id")))
        .order_by("region__name", "id")
    )


# Stakeholder field -------------------------------------------------------------------------


def stakeholder_field(
    *, programme: Programme, with_persons: bool, pilot: Pilot | None = None
) -> QuerySet[Stakeholder]:
    """Return ``programme``'s stakeholders (of one pilot if given) with their ratings in time
    order; the named persons only when ``with_persons`` (the programme team)."""
    qs = (
        Stakeholder.objects.filter(programme=programme)
        .select_related("pilot")
        .prefetch_related(
            Prefetch("ratings", StakeholderRating.objects.select_related("by").order_by("at", "id"))
        )
        .order_by("name", "id")
    )
    if pilot is not None:
        qs = qs.filter(pilot=pilot)
    if with_persons:
        qs = qs.prefetch_related(Prefetch("persons", StakeholderPerson.objects.order_by("name")))
    return qs


def stakeholder_get(*, programme: Programme, pk: int, with_persons: bool) -> Stakeholder:
    """Return one stakeholder of ``programme`` (raises Stakeholder.DoesNotExist)."""
    return stakeholder_field(programme=programme, with_persons=with_persons).get(pk=pk)


# Dashboard ---------------------------------------------------------------------------------


@dataclass
class PilotView:
    """A pilot on the dashboard: its last status, how old that is, and its plan against the
    original plan (the status is never shown without the re-plans behind it)."""

    pilot: Pilot
    status: str
    status_label: str
    report_age_days: int | None
    overdue: bool
    milestones: list = field(default_factory=list)
    replanned: int = 0
    max_slip_days: int = 0
    missed_original: int = 0

    @property
    def honest_status(self) -> str:
        """Return 'op_koers_herpland' when on course only against a moved plan."""
        if self.status == "op_koers" and (self.replanned or self.missed_original):
            return "op_koers_herpland"
        return self.status


@dataclass
class Dashboard:
    sessions: list[Session]
    held: int
    planned: int
    cancelled: int
    registrations: int
    calls: list[tuple[Call, list[tuple[str, str, int]]]]
    pilots: list[PilotView]
    pilot_statuses: list[tuple[str, str, int]]
    koffertje_statuses: list[tuple[str, str, int]]


def programme_dashboard(*, programme: Programme, user, now=None) -> Dashboard:
    """Return the dashboard figures of ``programme`` for ``user`` (on its team).

    Sessions (held, planned, cancelled; confirmed registrations each), submissions per call by
    status (drafts left out: they are the submitter's), pilots with last status, age of the
    last report and milestones against the original plan, koffertje items by status. A fixed
    number of queries whatever the number of records.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    confirmed = Q(registrations__status=Registration.Status.CONFIRMED)
    sessions = list(
        Session.objects.filter(programme=programme)
        .exclude(status=Session.Status.DRAFT)
        .annotate(confirmed=Count("registrations", filter=confirmed))
        .order_by("start", "id")
    )
    live = [s for s in sessions if s.status != Session.Status.CANCELLED]
    held = sum(1 for s in live if s.end <= now)

    calls = list(Call.objects.filter(programme=programme).order_by("opens_on", "id"))
    counts: dict[tuple[int, str], int] = {
        (row["call_id"], row["status"]): row["n"]
        for row in Submission.objects.filter(call__programme=programme)
        .exclude(status=Submission.Status.CONCEPT)
        .values("call_id", "status")
        .annotate(n=Count("id"))
    }
    statuses = [c for c in Submission.Status.choices if c[0] != Submission.Status.CONCEPT]
    per_call = [
        (call, [(value, str(label), counts.get((call.pk, value), 0)) for value, label in statuses])
        for call in calls
    ]

    labels = dict(ProgressReport.Status.choices)
    pilots = []
    last = ProgressReport.objects.filter(pilot=OuterRef("pk")).order_by("-at", "-id")
    pilot_qs = (
        pilots_visible_to(user)
        .filter(programme=programme)
        .annotate(
            last_report_at=Max("reports__at"), last_status=Subquery(last.values("status")[:1])
        )
        .prefetch_related("milestones")
        .order_by("title", "id")
    )
    for pilot in pilot_qs:
        milestones = list(pilot.milestones.all())
        last = pilot.last_report_at
        view = PilotView(
            pilot=pilot,
            status=pilot.last_status or "geen",
            status_label=str(labels.get(pilot.last_status, "")) if pilot.last_status else "",
            report_age_days=(now - last).days if last else None,
            overdue=report_overdue(pilot, now),
            milestones=milestones,
            replanned=sum(1 for m in milestones if m.replans),
            max_slip_days=max([(m.current - m.planned).days for m in milestones] + [0]),
            missed_original=sum(
                1 for m in milestones if m.planned < today and m.status == "gepland"
            ),
        )
        pilots.append(view)
    pilot_counts: dict[str, int] = {}
    for view in pilots:
        pilot_counts[view.status] = pilot_counts.get(view.status, 0) + 1
    pilot_statuses = [
        (value, str(label), pilot_counts.get(value, 0))
        for value, label in [*ProgressReport.Status.choices, ("geen", "")]
        if pilot_counts.get(value)
    ]

    item_counts = dict(
        KoffertjeItem.objects.filter(koffertje__programme=programme)
        .values_list("status")
        .annotate(n=Count("id"))
    )
    koffertje_statuses = [
        (value, str(label), item_counts.get(value, 0))
        for value, label in KoffertjeItem.Status.choices
    ]
    return Dashboard(
        sessions=sessions,
        held=held,
        planned=len(live) - held,
        cancelled=len(sessions) - len(live),
        registrations=sum(s.confirmed for s in live),
        calls=per_call,
        pilots=pilots,
        pilot_statuses=pilot_statuses,
        koffertje_statuses=koffertje_statuses,
    )
