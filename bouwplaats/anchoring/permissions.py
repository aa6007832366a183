"""Who may do what with koffertjes, the stakeholder field and the dashboard: each rule once.

- Koffertjes are public. A region's koffertje is written by the verified members of the
  region's organisations, by the people the programme team names for it, and by the programme
  team itself (platform staff count as team, see programmes.permissions). Stating an
  organisation on one's profile counts for nothing (accounts.permissions).
- The stakeholder field is read by signed-in members; its named persons, every change and the
  API are for the programme team only.
- The programme dashboard is for the programme team only.
"""

from django.db.models import Q, QuerySet

from bouwplaats.accounts.permissions import verified_organisation_ids
from bouwplaats.programmes.models import Programme
from bouwplaats.programmes.permissions import is_team_member, programmes_with_team_member

from .models import Koffertje, Stakeholder


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


# Koffertjes --------------------------------------------------------------------------------


def can_edit_koffertje(user, koffertje: Koffertje) -> bool:
    """Return True if ``user`` writes ``koffertje``: see the module docstring."""
    if not _signed_in(user) or getattr(user, "is_removed", False):
        return False
    if is_team_member(user, koffertje.programme):
        return True
    if koffertje.writers.filter(pk=user.pk).exists():
        return True
    own = verified_organisation_ids(user)
    return bool(own) and koffertje.organisations.filter(pk__in=own).exists()


def koffertjes_editable_by(user, qs: QuerySet[Koffertje] | None = None) -> QuerySet[Koffertje]:
    """Return the koffertjes (of ``qs``, default all) ``user`` writes: can_edit_koffertje's set."""
    qs = Koffertje.objects.all() if qs is None else qs
    if not _signed_in(user) or getattr(user, "is_removed", False):
        return qs.none()
    if user.is_staff:
        return qs
    return qs.filter(
        Q(programme__in=programmes_with_team_member(user))
        | Q(writers=user)
        | Q(organisations__in=verified_organisation_ids(user))
    ).distinct()


def can_set_up_koffertje(user, programme: Programme) -> bool:
    """Return True if ``user`` names a region's organisations and writers: the programme team."""
    return _signed_in(user) and is_team_member(user, programme)


# Stakeholder field -------------------------------------------------------------------------


def can_view_stakeholders(user, programme: Programme) -> bool:
    """Return True if ``user`` reads ``programme``'s stakeholder field: signed-in members."""
    return _signed_in(user) and not getattr(user, "is_removed", False)


def can_manage_stakeholders(user, programme: Programme) -> bool:
    """Return True if ``user`` adds, re-rates and names persons: the programme team."""
    return _signed_in(user) and is_team_member(user, programme)


def can_see_named_persons(user, programme: Programme) -> bool:
    """Return True if ``user`` sees the named persons of the field: the programme team only."""
    return can_manage_stakeholders(user, programme)


def stakeholders_managed_by(user, qs: QuerySet[Stakeholder] | None = None) -> QuerySet[Stakeholder]:
    """Return the stakeholders (of ``qs``) ``user`` manages: their programmes' team's."""
    qs = Stakeholder.objects.all() if qs is None else qs
    if not _signed_in(user):
        return qs.none()
    return qs.filter(programme__in=programmes_with_team_member(user))


# Dashboard ---------------------------------------------------------------------------------


def can_view_dashboard(user, programme: Programme) -> bool:
    """Return True if ``user`` sees ``programme``'s dashboard: the programme team only."""
    return _signed_in(user) and is_team_member(user, programme)
