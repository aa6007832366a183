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


class ProgrammeDetailOut(ProgrammeOut):
    team: list[TeamMemberOut]

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
    """Return one programme with its themes and team."""
    get_object_or_404(Programme, pk=programme_id)
    return programme_get(pk=programme_id)
