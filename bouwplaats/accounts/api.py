"""API of accounts: the member behind a token, organisations and their memberships."""

from typing import Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from bouwplaats.core.errors import NotAllowed
from bouwplaats.core.schemas import DbId, model_field

from . import permissions, services
from .models import Organisation, OrganisationMembership

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    email: str
    name: str
    function: str
    organisation: str | None
    is_staff: bool


def _signed_in(request):
    user = request.auth
    if not user.is_authenticated:
        raise HttpError(401, _("Geen API-sleutel meegestuurd: u bent bezoeker."))
    return user


@router.get("/me", response=MeOut)
def me(request):
    """Return the member the bearer token belongs to (``organisation``: as they state it)."""
    user = _signed_in(request)
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.display_name,
        "function": user.function,
        "organisation": user.organisation.name if user.organisation else None,
        "is_staff": user.is_staff,
    }


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    contact: str


class MembershipOut(Schema):
    id: int
    status: str


class MembershipDetailOut(Schema):
    id: int
    organisation: int
    member: int
    name: str
    email: str
    status: str
    role: str
    reason: str
    via_domain: bool
    created_at: str
    decided_at: str | None


class MembershipPatchIn(Schema):
    status: Literal["approved", "refused", "revoked"]
    reason: model_field(OrganisationMembership, "reason") = ""


def _organisation_out(org: Organisation) -> dict:
    return {"id": org.pk, "name": org.name, "kind": org.kind, "contact": org.contact}


def _membership_detail(m: OrganisationMembership) -> dict:
    return {
        "id": m.pk,
        "organisation": m.organisation_id,
        "member": m.user_id,
        "name": m.user.display_name,
        "email": m.user.email,
        "status": m.status,
        "role": m.role,
        "reason": m.reason,
        "via_domain": m.via_domain,
        "created_at": m.created_at.isoformat(),
        "decided_at": m.decided_at.isoformat() if m.decided_at else None,
    }


def _organisation(request, organisation_id: int) -> Organisation:
    org = permissions.organisations_visible_to(request.auth).filter(pk=organisation_id).first()
    if org is None:
        raise Http404
    return org


@router.get("/organisations", response=list[OrganisationOut])
def list_organisations(request):
    """List the checked organisations: name, kind and public contact."""
    return [_organisation_out(o) for o in permissions.organisations_visible_to(request.auth)]


@router.get("/organisations/{organisation_id}", response=OrganisationOut)
def get_organisation(request, organisation_id: DbId):
    return _organisation_out(_organisation(request, organisation_id))


@router.post("/organisations/{organisation_id}/memberships", response={201: MembershipOut})
def request_membership(request, organisation_id: DbId):
    """Ask to act for the organisation: ``requested``, or ``approved`` at once when one of the
    caller's verified addresses is on a verified domain of the organisation."""
    user = _signed_in(request)
    membership = services.membership_request(
        user=user, organisation=_organisation(request, organisation_id)
    )
    return Status(201, {"id": membership.pk, "status": membership.status})


@router.get("/organisations/{organisation_id}/memberships", response=list[MembershipDetailOut])
def list_memberships(request, organisation_id: DbId):
    """List the organisation's memberships: for its administrators and platform staff."""
    user = _signed_in(request)
    org = _organisation(request, organisation_id)
    if not permissions.can_manage_members(user, org):
        raise NotAllowed("Alleen beheerders van de organisatie zien haar leden.", code="forbidden")
    rows = OrganisationMembership.objects.filter(organisation=org).select_related("user")
    return [_membership_detail(m) for m in rows.order_by("created_at", "id")]


@router.patch("/memberships/{membership_id}", response=MembershipDetailOut)
def decide_membership(request, membership_id: DbId, payload: MembershipPatchIn):
    """Approve, refuse or revoke a membership (refusing and revoking need a ``reason``)."""
    user = _signed_in(request)
    membership = (
        OrganisationMembership.objects.select_related("user", "organisation")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None or not permissions.can_view_membership(user, membership):
        raise Http404
    membership = services.membership_decide(
        actor=user, membership=membership, status=payload.status, reason=payload.reason
    )
    return _membership_detail(
        OrganisationMembership.objects.select_related("user").get(pk=membership.pk)
    )
