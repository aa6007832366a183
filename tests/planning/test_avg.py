import datetime

import pytest
from django.utils import timezone

from bouwplaats.accounts.services import member_delete, member_export
from bouwplaats.planning import services
from bouwplaats.planning.models import InterestZone, Work

from .conftest import feature, square

pytestmark = pytest.mark.django_db


def test_export_and_forget(ede_planner, ede_work, liander_work):
    services.combination_request_send(
        actor=ede_planner,
        from_work=ede_work,
        to_work=liander_work,
        deadline=timezone.localdate() + datetime.timedelta(days=9),
        message="Samen de straat open?",
    )
    services.interest_zone_create(actor=ede_planner, name="Ede-Centrum", geometry=square())
    contact_work = services.work_create(
        actor=ede_planner, feature=feature(contact=f"Planner, {ede_planner.email}")
    )
    data = member_export(user=ede_planner)
    assert [w["id"] for w in data["planning_works_entered"]] == [ede_work.pk, contact_work.pk]
    assert data["planning_combination_requests"][0]["message"] == "Samen de straat open?"
    assert data["planning_interest_zones"][0]["name"] == "Ede-Centrum"
    member_delete(user=ede_planner)
    assert not InterestZone.objects.exists()
    contact_work.refresh_from_db()
    assert contact_work.contact == ""
    assert Work.objects.filter(pk=ede_work.pk).exists()
