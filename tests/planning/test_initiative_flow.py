"""A residents' initiative from proposal to decision: the municipality's planners are mailed,
a decline carries a reason the resident reads (list, page, mail), the proposer follows it on
its own page and withdraws it while undecided; the mails are owed through core's outbox."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bouwplaats.core.errors import InvalidInput, NotAllowed
from bouwplaats.core.models import OwedTask
from bouwplaats.planning import services
from bouwplaats.planning.models import Work
from tests.factories import UserFactory

from .conftest import square

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(db):
    return UserFactory(organisation=None, full_name="Anna de Vries", email="anna@example.nl")


def _propose(resident, ede, **overrides):
    today = timezone.localdate()
    data = {
        "actor": resident,
        "owner": ede,
        "title": "Speelplek Kerkstraat",
        "description": "Een speelplek op het pleintje.",
        "geometry": square(),
        "start": today + datetime.timedelta(days=30),
        "end": today + datetime.timedelta(days=60),
    }
    data.update(overrides)
    return services.initiative_propose(**data)


def _mails_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_the_municipalitys_planners_are_mailed_who_what_where_and_where_to_decide(
    resident, ede, ede_planner, liander_planner, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        work = _propose(resident, ede)
    [message] = _mails_to(ede_planner.email)
    assert "Speelplek Kerkstraat" in message.subject
    assert "Anna de Vries" in message.body
    assert "Een speelplek op het pleintje." in message.body
    assert work.get_absolute_url() in message.body
    assert reverse("planning:initiatives") in message.body
    assert not _mails_to(liander_planner.email) and not _mails_to(resident.email)
    assert not OwedTask.objects.exists()


def test_the_mails_are_owed_through_the_outbox(resident, ede, ede_planner):
    work = _propose(resident, ede)
    owed = OwedTask.objects.get()
    assert (owed.task, owed.args) == (
        "bouwplaats.planning.tasks.mail_initiative_proposed",
        [work.pk],
    )
    services.initiative_decide(actor=ede_planner, work=work, accept=True)
    assert "bouwplaats.planning.tasks.mail_initiative_decided" in set(
        OwedTask.objects.values_list("task", flat=True)
    )


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_decline_without_a_reason_is_refused_by_the_service(resident, ede, ede_planner, reason):
    work = _propose(resident, ede)
    with pytest.raises(InvalidInput) as refused:
        services.initiative_decide(actor=ede_planner, work=work, accept=False, reason=reason)
    assert "initiative_reason" in refused.value.errors
    work.refresh_from_db()
    assert work.initiative == "proposed"


@pytest.mark.parametrize("reason", ["x" * 10_000, "Nee\x00"])
def test_hostile_reasons_are_refused(resident, ede, ede_planner, reason):
    work = _propose(resident, ede)
    with pytest.raises(InvalidInput):
        services.initiative_decide(actor=ede_planner, work=work, accept=False, reason=reason)
    work.refresh_from_db()
    assert (work.initiative, work.initiative_reason) == ("proposed", "")


def test_declined_with_a_reason_the_resident_reads_it_in_mail_list_and_page(
    client, resident, ede, ede_planner, django_capture_on_commit_callbacks
):
    work = _propose(resident, ede)
    client.force_login(ede_planner)
    decline = reverse("planning:initiative_decline", args=[work.pk])
    page = client.get(decline)
    assert page.status_code == 200
    assert "Reden van afwijzen" in page.content.decode()
    # Empty: the service's refusal beside the field, nothing decided.
    response = client.post(decline, {"bevestigd": "1", "initiative_reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["initiative_reason"]
    work.refresh_from_db()
    assert work.initiative == "proposed"

    mail.outbox.clear()
    reason = "Het pleintje wordt volgend jaar heringericht; dien het dan opnieuw in."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decline, {"bevestigd": "1", "initiative_reason": reason})
    assert response.status_code == 302
    work.refresh_from_db()
    assert (work.initiative, work.initiative_reason, work.public) == ("declined", reason, False)
    [message] = _mails_to(resident.email)
    assert message.subject.endswith("Uw initiatief is afgewezen: Speelplek Kerkstraat")
    assert reason in message.body and "Gemeente Ede" in message.body

    client.force_login(resident)
    mine = client.get(reverse("planning:initiatives")).content.decode()
    assert reason in mine
    assert f'href="{reverse("planning:initiative", args=[work.pk])}"' in mine
    own = client.get(reverse("planning:initiative", args=[work.pk])).content.decode()
    assert reason in own and "Afgewezen" in own
    assert reverse("planning:initiative_withdraw", args=[work.pk]) not in own


def test_accepted_the_resident_is_mailed(
    client, resident, ede, ede_planner, django_capture_on_commit_callbacks
):
    work = _propose(resident, ede)
    client.force_login(ede_planner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("planning:initiative_decide", args=[work.pk]), {"decision": "accept"}
        )
    assert response.status_code == 302
    [message] = _mails_to(resident.email)
    assert message.subject.endswith("Uw initiatief is geaccepteerd: Speelplek Kerkstraat")
    assert reverse("planning:initiative", args=[work.pk]) in message.body


def test_the_old_decline_button_asks_for_the_reason(client, resident, ede, ede_planner):
    work = _propose(resident, ede)
    client.force_login(ede_planner)
    response = client.post(
        reverse("planning:initiative_decide", args=[work.pk]), {"decision": "decline"}
    )
    assert response.url == reverse("planning:initiative_decline", args=[work.pk])
    work.refresh_from_db()
    assert work.initiative == "proposed"


def test_only_the_proposer_sees_the_initiatives_page(client, resident, ede, ede_planner):
    work = _propose(resident, ede)
    url = reverse("planning:initiative", args=[work.pk])
    assert client.get(url).status_code == 302  # visitors log in first
    client.force_login(UserFactory(organisation=None))
    assert client.get(url).status_code == 404
    client.force_login(ede_planner)
    assert client.get(url).url == work.get_absolute_url()
    client.force_login(resident)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Speelplek Kerkstraat</h1>" in html and "Voorgesteld" in html
    # Another work than an initiative has no such page.
    other = Work.objects.exclude(pk=work.pk).first()
    if other is not None:
        assert client.get(reverse("planning:initiative", args=[other.pk])).status_code == 404


def test_the_proposer_withdraws_while_undecided(client, resident, ede, ede_planner):
    work = _propose(resident, ede)
    withdraw = reverse("planning:initiative_withdraw", args=[work.pk])
    client.force_login(UserFactory(organisation=None))
    assert client.post(withdraw, {"bevestigd": "1"}).status_code == 404
    client.force_login(resident)
    own = client.get(reverse("planning:initiative", args=[work.pk])).content.decode()
    assert withdraw in own
    ask = client.get(withdraw)
    assert ask.status_code == 200 and "Ja, trek het initiatief in" in ask.content.decode()
    assert Work.objects.filter(pk=work.pk).exists()  # asking changes nothing
    response = client.post(withdraw, {"bevestigd": "1"}, follow=True)
    assert "is ingetrokken" in response.content.decode()
    assert not Work.objects.filter(pk=work.pk).exists()


def test_a_decided_initiative_cannot_be_withdrawn(client, resident, ede, ede_planner):
    work = _propose(resident, ede)
    services.initiative_decide(actor=ede_planner, work=work, accept=True)
    client.force_login(resident)
    response = client.post(
        reverse("planning:initiative_withdraw", args=[work.pk]), {"bevestigd": "1"}
    )
    assert response.status_code == 403
    with pytest.raises(NotAllowed):
        services.initiative_withdraw(actor=resident, work=work)
    assert Work.objects.filter(pk=work.pk, initiative="accepted").exists()
