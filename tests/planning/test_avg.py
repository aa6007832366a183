import datetime

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from bouwplaats.accounts.services import member_delete, member_export
from bouwplaats.planning import services
from bouwplaats.planning.avg import addresses_in
from bouwplaats.planning.models import InterestZone, Work
from tests.factories import UserFactory

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


def test_forget_blanks_only_contacts_with_exactly_the_members_address(ede_planner, ede):
    han = UserFactory(email="han@example.nl", organisation=ede)
    EmailAddress.objects.create(user=han, email="h.de.vries@Example.NL", verified=True)
    # Added to the account but never verified: not shown to be hers.
    EmailAddress.objects.create(user=han, email="team@example.nl", verified=False)
    contacts = {
        "johan@example.nl": False,
        "Johan, johan@example.nl": False,
        "shan@example.nl": False,
        "han@example.nl.com": False,
        "han@example.nlx": False,
        "team@example.nl": False,
        "Han, han@example.nl": True,
        "HAN@EXAMPLE.NL": True,
        "mailto:han@example.nl": True,
        "Mail han@example.nl.": True,
        "<han@example.nl>; johan@example.nl": True,
        "H. de Vries (h.de.vries@example.nl)": True,
    }
    works = {}
    for contact in contacts:
        work = services.work_create(actor=ede_planner, feature=feature())
        Work.objects.filter(pk=work.pk).update(contact=contact)
        works[contact] = work
    member_delete(user=han)
    for contact, blanked in contacts.items():
        works[contact].refresh_from_db()
        assert works[contact].contact == ("" if blanked else contact), contact


def test_addresses_in_free_text():
    text = "Jan <jan@ede.nl>, JOHAN@ede.nl; mailto:piet@ede.nl. geen adres @ hier"
    assert addresses_in(text) == {"jan@ede.nl", "johan@ede.nl", "piet@ede.nl"}
