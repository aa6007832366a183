"""Helpers of the anchoring tests (also used by the browser journey)."""

import datetime

from bouwplaats.anchoring import services
from bouwplaats.anchoring.models import Koffertje
from bouwplaats.programmes.models import Region
from bouwplaats.projects import services as projects
from bouwplaats.projects.models import Pilot
from tests.factories import OrganisationFactory, PlannerFactory
from tests.projects.helpers import answers_for, make_call


def region_with_koffertje(programme, team, name: str, organisation_name: str):
    """Add region ``name`` to ``programme`` with a koffertje written by ``organisation_name``'s
    verified members; return (koffertje, a verified member)."""
    region = Region.objects.create(name=name, slug=name.lower().replace(" ", "-"))
    programme.regions.add(region)
    organisation = OrganisationFactory(name=organisation_name, kind="provincie")
    koffertje = services.koffertje_set_up(
        actor=team, programme=programme, region=region, organisations=[organisation]
    )
    member = PlannerFactory(full_name=f"Lid {name}", organisation=organisation)
    return koffertje, member


def make_pilot(programme, team, *, title="Havenkwartier", milestones=None) -> Pilot:
    """Return an admitted pilot of ``programme`` with its promised milestones."""
    call = make_call(programme)
    planner = PlannerFactory(
        organisation=OrganisationFactory(name=f"Gemeente {title}", kind="gemeente")
    )
    submission = projects.submission_create(
        actor=planner,
        call=call,
        organisation=planner.organisation,
        title=title,
        answers=answers_for(call),
        milestones=milestones or [("Eerste woningen", datetime.date(2027, 6, 1))],
    )
    for status in ("in_behandeling", "toegelaten"):
        projects.submission_set_status(
            actor=team, submission=submission, status=status, reason="Past in het programma"
        )
    pilot = Pilot.objects.get(submission=submission)
    pilot.planner = planner
    return pilot


def koffertje_count() -> int:
    return Koffertje.objects.count()
