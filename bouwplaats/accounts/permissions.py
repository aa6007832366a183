"""Who may do what with accounts: each rule once, as an object check and a queryset.

A member's API tokens and their personal data (AVG export and delete) are theirs alone: the
pages act on the signed-in member, and these rules say so for anything looked up by id.

Acting for an organisation (werk-met-werk, calls) needs a verified membership: other apps ask
:func:`verified_organisations` / :func:`is_verified_member`, never ``user.organisation``,
which is only what the member states about themselves.
"""

from django.db.models import QuerySet

from .models import ApiToken, Organisation, OrganisationMembership


def can_manage_token(user, token: ApiToken) -> bool:
    """Return True if ``user`` may see and revoke ``token``: its owner."""
    return bool(getattr(user, "is_authenticated", False)) and token.user_id == user.pk


def tokens_visible_to(user, qs: QuerySet[ApiToken] | None = None) -> QuerySet[ApiToken]:
    """Return the tokens (of ``qs``, default all) that ``user`` may see and revoke."""
    qs = ApiToken.objects.all() if qs is None else qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(user=user)


# Organisations: what a member states is a claim; an approved membership is the right -------


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _staff(user) -> bool:
    return _signed_in(user) and bool(user.is_staff)


# Rules ask these per object (a list page asks for every row): the ids are read once per user
# object, i.e. once per request. A service that changes memberships reloads its member.
_CACHE = "_bouwplaats_memberships"


def _approved(user) -> dict[int, str]:
    """Return {organisation id: role} of ``user``'s approved memberships (cached on ``user``)."""
    if not _signed_in(user) or getattr(user, "is_removed", False):
        return {}
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = dict(
            OrganisationMembership.objects.filter(
                user_id=user.pk, status=OrganisationMembership.Status.APPROVED
            ).values_list("organisation_id", "role")
        )
        setattr(user, _CACHE, cached)
    return cached


def forget_cached_memberships(user) -> None:
    """Drop the memberships cached on ``user`` (after a change in the same request)."""
    if user is not None and hasattr(user, _CACHE):
        delattr(user, _CACHE)


def verified_organisation_ids(user) -> set[int]:
    """Return the ids of the organisations ``user`` is a verified (approved) member of."""
    return set(_approved(user))


def verified_organisations(user, qs: QuerySet[Organisation] | None = None):
    """Return the organisations (of ``qs``) ``user`` may act for: approved memberships only.

    Staff are not members by being staff: rules that let staff act say so themselves.
    """
    qs = Organisation.objects.all() if qs is None else qs
    if not _signed_in(user) or getattr(user, "is_removed", False):
        return qs.none()
    return qs.filter(
        memberships__user_id=user.pk,
        memberships__status=OrganisationMembership.Status.APPROVED,
    )


def is_verified_member(user, organisation) -> bool:
    """Return whether ``user`` has an approved membership of ``organisation`` (object or id)."""
    org_id = getattr(organisation, "pk", organisation)
    return org_id is not None and org_id in _approved(user)


def is_organisation_admin(user, organisation) -> bool:
    """Return whether ``user`` is an approved administrator of ``organisation`` (object or id)."""
    org_id = getattr(organisation, "pk", organisation)
    return _approved(user).get(org_id) == OrganisationMembership.Role.ADMIN


def can_manage_members(user, organisation) -> bool:
    """Return whether ``user`` sees and decides the membership requests of ``organisation``."""
    return _staff(user) or is_organisation_admin(user, organisation)


def managed_organisations(user, qs: QuerySet[Organisation] | None = None):
    """Return the organisations whose members ``user`` manages: see can_manage_members."""
    qs = Organisation.objects.all() if qs is None else qs
    if _staff(user):
        return qs
    admin_of = [pk for pk, role in _approved(user).items() if role == "admin"]
    return qs.filter(pk__in=admin_of)


def can_decide_membership(user, membership: OrganisationMembership) -> bool:
    """Approve, refuse or revoke: the organisation's administrators and staff, never on oneself.

    Staff may decide their own (they may do everything through the admin anyway).
    """
    if _staff(user):
        return True
    return membership.user_id != user.pk and is_organisation_admin(user, membership.organisation_id)


def memberships_decidable_by(
    user, qs: QuerySet[OrganisationMembership] | None = None
) -> QuerySet[OrganisationMembership]:
    """Return the memberships (of ``qs``) ``user`` may decide: see can_decide_membership."""
    qs = OrganisationMembership.objects.all() if qs is None else qs
    if _staff(user):
        return qs
    if not _signed_in(user):
        return qs.none()
    return qs.filter(organisation__in=managed_organisations(user)).exclude(user_id=user.pk)


# Who may leave: a member's own requested or approved membership (a refused or revoked one
# gives no right to end).
LEAVABLE = (OrganisationMembership.Status.REQUESTED, OrganisationMembership.Status.APPROVED)


def can_leave_membership(user, membership: OrganisationMembership) -> bool:
    """Leave an organisation: the member themselves, while the membership is open or approved
    (the last administrator is refused by the service, not here: see membership_leave)."""
    return _signed_in(user) and membership.user_id == user.pk and membership.status in LEAVABLE


def memberships_leavable_by(
    user, qs: QuerySet[OrganisationMembership] | None = None
) -> QuerySet[OrganisationMembership]:
    """Return the memberships (of ``qs``) ``user`` may leave: see can_leave_membership."""
    qs = OrganisationMembership.objects.all() if qs is None else qs
    if not _signed_in(user):
        return qs.none()
    return qs.filter(user_id=user.pk, status__in=LEAVABLE)


def can_view_membership(user, membership: OrganisationMembership) -> bool:
    """The member themselves, the organisation's administrators and staff see a membership."""
    return _signed_in(user) and (
        membership.user_id == user.pk or can_manage_members(user, membership.organisation_id)
    )


def can_view_organisation(user, organisation: Organisation) -> bool:
    """A checked organisation is public; an unchecked one (a typed name) is for staff."""
    return organisation.verified or _staff(user)


def organisations_visible_to(user, qs: QuerySet[Organisation] | None = None):
    qs = Organisation.objects.all() if qs is None else qs
    return qs if _staff(user) else qs.filter(verified=True)


def can_request_membership(user, organisation: Organisation) -> bool:
    """Any signed-in member may ask to join an organisation they may see."""
    return (
        _signed_in(user)
        and not getattr(user, "is_removed", False)
        and can_view_organisation(user, organisation)
    )


def verified_members(organisation, qs=None):
    """Return the active members (of ``qs``, default all users) who act for ``organisation``.

    The ones to tell about the organisation's works and requests; never ``organisation.members``
    (who merely state it on their profile).
    """
    from .models import User

    qs = User.objects.all() if qs is None else qs
    return qs.filter(
        is_active=True,
        is_removed=False,
        memberships__organisation=getattr(organisation, "pk", organisation),
        memberships__status=OrganisationMembership.Status.APPROVED,
    )
