"""Koffertjes on Mijn Bouwplaats (hook ``mine_sections``, collected by events.mine_hooks): the
koffertjes the member writes, so a named writer finds hers without knowing its address."""

from django.db.models import Count, Q

from bouwplaats.accounts.permissions import verified_organisation_ids
from bouwplaats.core.mine_items import MineSection, Waiting

from .models import Koffertje

SHOWN = 20


def waiting(*, user) -> list[Waiting]:
    """Return nothing: a koffertje waits for no decision."""
    return []


def mine(*, user) -> list[MineSection]:
    """Return a block with the koffertjes ``user`` writes (named by the programme team, as a
    verified member of one of the region's organisations, or on the programme's team), by
    programme and region, at most SHOWN; none without."""
    if not user.is_authenticated or getattr(user, "is_removed", False):
        return []
    own = (
        Q(writers=user)
        | Q(organisations__in=verified_organisation_ids(user))
        | Q(programme__memberships__user=user)
    )
    ids = Koffertje.objects.filter(own).values("pk")
    koffertjes = list(
        Koffertje.objects.filter(pk__in=ids)
        .select_related("programme", "region")
        .annotate(n_items=Count("items"))
        .order_by("programme__name", "region__name", "pk")[:SHOWN]
    )
    if not koffertjes:
        return []
    return [
        MineSection(
            template="anchoring/_mine_koffertjes.html",
            context={"koffertjes": koffertjes},
            order=30,
        )
    ]
