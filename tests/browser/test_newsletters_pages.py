import re

from django.utils import timezone

from bouwplaats.newsletters.models import Delivery, Issue, NewsletterList, Subscription
from tests.factories import PASSWORD, MembershipFactory, ProgrammeFactory, UserFactory

from .conftest import login


def _setup():
    programme = ProgrammeFactory(name="Leerplatform MIRT", slug="leerplatform-mirt")
    newsletter_list = NewsletterList.objects.create(
        programme=programme, name="Nieuwsflits Leerplatform MIRT", slug="nieuwsflits-mirt"
    )
    diana = UserFactory(email="diana@example.nl", full_name="Diana Kool")
    MembershipFactory(programme=programme, user=diana, role="trekker")
    return newsletter_list, diana


def test_progress_bar_follows_the_sending_live(site, transactional_db):
    newsletter_list, diana = _setup()
    issue = Issue.objects.create(
        newsletter_list=newsletter_list,
        subject="Nieuwsflits oktober",
        status=Issue.Status.SENDING,
        sending_started_at=timezone.now(),
        total=2,
    )
    for address in ("een@example.nl", "twee@example.nl"):
        subscription = Subscription.objects.create(
            newsletter_list=newsletter_list, email=address, status="confirmed"
        )
        Delivery.objects.create(issue=issue, subscription=subscription)

    login(site, "diana@example.nl", PASSWORD)
    site.goto(f"/nieuwsflits/uitgave/{issue.pk}/")
    site.get_by_text("0 van 2 verzonden, 0 mislukt.").wait_for()
    # A worker elsewhere sends; the page polls and shows it without a reload.
    Delivery.objects.filter(subscription__email="een@example.nl").update(status="sent")
    Delivery.objects.filter(subscription__email="twee@example.nl").update(status="failed")
    site.get_by_text("1 van 2 verzonden, 1 mislukt.").wait_for(timeout=10_000)
    site.check()
    assert site.locator("progress").get_attribute("value") == "2"


def test_bad_input_pages_and_mijn_nieuwsbrieven(site, transactional_db):
    newsletter_list, diana = _setup()
    draft = Issue.objects.create(newsletter_list=newsletter_list, subject="Concept")

    site.goto(f"/nieuwsflits/{newsletter_list.slug}/")
    site.get_by_label(re.compile("^E-mailadres")).fill("geen-adres")
    site.get_by_role("button", name="Abonneren").click()
    site.check()
    assert "Vul een geldig e-mailadres in" in site.content()

    # A forged link says so at once (no button to press first), with a way back.
    site.goto("/nieuwsflits/bevestigen/1:vervalst:token/")
    site.check()
    assert "Deze bevestigingslink is ongeldig." in site.content()
    assert site.get_by_role("button", name="Ja, ik wil de nieuwsflits ontvangen").count() == 0
    site.goto("/nieuwsflits/afmelden/1:vervalst/")
    assert "Deze afmeldlink is ongeldig." in site.content()

    login(site, "diana@example.nl", PASSWORD)
    site.goto(f"/nieuwsflits/uitgave/{draft.pk}/bewerken/")
    site.get_by_label(re.compile("^Agenda")).fill("400")
    site.get_by_role("button", name="Concept opslaan").click()
    site.check()
    assert "Het aantal dagen ligt tussen 0 en 366." in site.content()

    site.goto("/profiel/")
    site.get_by_role("link", name="Mijn nieuwsflitsen").click()
    site.check()
    site.get_by_role("button", name="Abonneren op de Nieuwsflits Leerplatform MIRT").click()
    site.check()
    assert "U bent geabonneerd op de Nieuwsflits Leerplatform MIRT." in site.content()
    site.get_by_role("button", name="Afmelden voor de Nieuwsflits Leerplatform MIRT").click()
    site.check()
    assert Subscription.objects.get(email="diana@example.nl").status == "unsubscribed"
