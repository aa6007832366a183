import re
from urllib.parse import urlparse

from django.core import mail

from bouwplaats.newsletters.models import Issue, NewsletterList, Subscription
from tests.factories import PASSWORD, MembershipFactory, ProgrammeFactory, UserFactory

from .conftest import login


def _path(url: str) -> str:
    return urlparse(url).path


def test_subscribe_confirm_write_preview_send_and_unsubscribe(site, transactional_db):
    programme = ProgrammeFactory(name="Leerplatform MIRT", slug="leerplatform-mirt")
    newsletter_list = NewsletterList.objects.create(
        programme=programme,
        name="Nieuwsflits Leerplatform MIRT",
        slug="nieuwsflits-leerplatform-mirt",
        description="Nieuws over sessies, webinars en cursussen.",
    )
    diana = UserFactory(
        email="diana@example.nl", full_name="Diana Kool", function="Trekker Leerplatform MIRT"
    )
    MembershipFactory(programme=programme, user=diana, role="trekker")

    # A belangstellende subscribes on the index page.
    site.goto("/nieuwsflits/")
    site.get_by_label(re.compile("^E-mailadres")).fill("femke@example.nl")
    site.get_by_label(re.compile("^Naam")).fill("Femke Jansen")
    site.get_by_role("button", name="Abonneren op de Nieuwsflits Leerplatform MIRT").click()
    site.check()
    assert "Bijna klaar" in site.content()

    # Confirm from the mail: the link shows a button; pressing it confirms.
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/nieuwsflits/bevestigen/\S+/", mail.outbox[0].body).group(0)
    site.goto(_path(link))
    assert Subscription.objects.get().status == "pending"
    site.get_by_role("button", name="Ja, ik wil de nieuwsflits ontvangen").click()
    site.check()
    assert "Abonnement bevestigd" in site.content()
    assert Subscription.objects.get().status == "confirmed"

    # The trekker writes an issue, previews it, sends a test and sends it.
    login(site, "diana@example.nl", PASSWORD)
    site.goto(f"/nieuwsflits/{newsletter_list.slug}/")
    site.get_by_role("link", name="Nieuwe nieuwsflits schrijven").click()
    site.check()
    site.get_by_role("button", name="Concept opslaan").click()
    site.check()
    assert "Geef de nieuwsflits een onderwerp." in site.content()
    site.get_by_label(re.compile("^Onderwerp")).fill("Nieuwsflits Leerplatform MIRT - oktober")
    site.get_by_label(re.compile("^Inleiding")).fill(
        "Beste partners en collega’s,\n\nEr staan nog een paar **online sessies** in de planning."
    )
    site.get_by_label(re.compile("^Vrije blokken")).fill("## MIRT light webinar\nOp 5 oktober.")
    site.get_by_role("button", name="Concept opslaan").click()
    site.check()
    assert "Deze nieuwsflits gaat naar 1 bevestigde abonnee." in site.content()
    issue = Issue.objects.get()

    site.get_by_role("link", name="Voorbeeld als tekst").click()
    site.check()
    assert "Beste Diana Kool," in site.content()
    site.get_by_role("link", name="Terug naar de nieuwsflits").click()
    site.check()
    site.get_by_role("link", name="Voorbeeld als HTML").click()
    site.check()
    assert "MIRT light webinar" in site.content()
    site.goto(f"/nieuwsflits/uitgave/{issue.pk}/")

    site.get_by_role("button", name=re.compile("Test naar mezelf sturen")).click()
    site.check()
    assert mail.outbox[-1].subject == "[Test] Nieuwsflits Leerplatform MIRT - oktober"
    # The whole issue is on the page before sending, and sending asks first (issue 15 §11).
    assert "Er staan nog een paar" in site.locator("#hele-uitgave").inner_text()
    site.get_by_role("link", name="Nu verzenden naar 1 abonnee").click()
    site.check()
    assert "De nieuwsflits gaat nu naar 1 bevestigde abonnee." in site.content()
    issue.refresh_from_db()
    assert issue.status == "draft"
    site.get_by_role("button", name="Ja, verzend naar 1 abonnee").click()
    site.check()
    site.get_by_text("1 van 1 verzonden, 0 mislukt.").wait_for()
    assert site.locator("#issue-status").inner_text() == "Verzonden"
    issue.refresh_from_db()
    assert issue.status == "sent"
    sent = [m for m in mail.outbox if m.subject == "Nieuwsflits Leerplatform MIRT - oktober"]
    assert [m.to for m in sent] == [["Femke Jansen <femke@example.nl>"]]

    # The archive shows it; the reader unsubscribes from the mail's link.
    site.get_by_role("link", name="Bekijk in het archief").click()
    site.check()
    assert "Er staan nog een paar" in site.content()
    site.goto(f"/nieuwsflits/{newsletter_list.slug}/")
    assert "Nieuwsflits Leerplatform MIRT - oktober" in site.content()
    site.goto("/nieuwsflits/mijn/")
    site.get_by_role("button", name="Uitloggen").click()
    unsubscribe = sent[0].extra_headers["List-Unsubscribe"].strip("<>")
    site.goto(_path(unsubscribe))
    site.get_by_role("button", name="Afmelden").click()
    site.check()
    assert Subscription.objects.get().status == "unsubscribed"
