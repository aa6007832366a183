from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from bouwplaats.core.pagination import LimitOffsetPagination
from bouwplaats.core.schemas import DbId

from .models import Programme
from .selectors import programme_get, programme_list

router = Router(tags=["programmes"])


class ThemeOut(Schema):
    name: str
    slug: str


class TeamMemberOut(Schema):
    name: str
    function: str
    organisation: str | None
    role: str


class ProgrammeOut(Schema):
    id: int
    name: str
    slug: str
    summary: str
    description: str
    start_date: date | None
    end_date: date | None
    period_note: str
    themes: list[ThemeOut]
    url: str

    @staticmethod
    def resolve_themes(obj):
        return list(obj.themes.all())

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class GovernanceMemberOut(Schema):
    name: str
    role: str
    organisation: str | None

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.name if obj.organisation else None


class MeetingOut(Schema):
    date: date
    note: str


class GovernanceBodyOut(Schema):
    kind: str
    name: str
    description: str
    cadence: str
    members: list[GovernanceMemberOut]
    meetings: list[MeetingOut]

    @staticmethod
    def resolve_members(obj):
        return list(obj.members.all())

    @staticmethod
    def resolve_meetings(obj):
        return list(obj.meetings.all())


class PartnerOut(Schema):
    organisation: str
    kind: str
    role: str

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.name

    @staticmethod
    def resolve_kind(obj):
        return obj.organisation.kind


class TimelineOut(Schema):
    date: date
    title: str


class ProgrammeDetailOut(ProgrammeOut):
    team: list[TeamMemberOut]
    regions: list[str]
    partners: list[PartnerOut]
    governance_bodies: list[GovernanceBodyOut]
    timeline: list[TimelineOut]

    @staticmethod
    def resolve_regions(obj):
        return [r.name for r in obj.regions.all()]

    @staticmethod
    def resolve_partners(obj):
        return list(obj.partners.all())

    @staticmethod
    def resolve_governance_bodies(obj):
        return list(obj.governance_bodies.all())

    @staticmethod
    def resolve_timeline(obj):
        return list(obj.timeline.all())

    @staticmethod
    def resolve_team(obj):
        return [
            {
                "name": m.user.display_name,
                "function": m.user.function,
                "organisation": m.user.organisation.name if m.user.organisation else None,
                "role": m.role,
            }
            for m in obj.memberships.all()
        ]


@router.get("/programmes", response=list[ProgrammeOut])
@paginate(LimitOffsetPagination)
def list_programmes(request):
    """Return the programmes."""
    return programme_list()


@router.get("/programmes/{programme_id}", response=ProgrammeDetailOut)
def get_programme(request, programme_id: DbId):
    """Return one programme with its themes, regions, team, partners (with their role),
    governance bodies (members, cadence, meetings) and timeline."""
    get_object_or_404(Programme, pk=programme_id)
    return programme_get(pk=programme_id)
