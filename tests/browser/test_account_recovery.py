import re

from django.core import mail

from bouwplaats.accounts.models import User
from tests.factories import UserFactory

from .conftest import login

NEW_PASSWORD = "Verankering-na-2017!"


def test_forgotten_password_reset_by_mail(site, db):
    member = UserFactory(email="jens@example.nl", full_name="Jens van der Weele")
    site.goto("/account/login/")
    site.get_by_role("link", name="Wachtwoord vergeten?").click()
    site.check()
    site.get_by_label(re.compile("E-mailadres")).fill(member.email)
    site.get_by_role("button", name="Herstel mijn wachtwoord").click()
    site.check()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/account/password/reset/key/\S+/", mail.outbox[0].body).group(0)
    site.page.goto(link)
    site.check()
    site.get_by_label(re.compile(r"^Nieuw wachtwoord:?$")).fill(NEW_PASSWORD)
    site.get_by_label(re.compile(r"^Nieuw wachtwoord \(bevestigen\)")).fill(NEW_PASSWORD)
    site.get_by_role("button", name=re.compile("Wachtwoord wijzigen|wijzig", re.I)).click()
    site.check()
    login(site, member.email, NEW_PASSWORD)
    assert site.page.url.endswith("/mijn-bouwplaats/")


def test_member_downloads_data_and_deletes_account(site, db, password):
    member = UserFactory(email="elles@example.nl", full_name="Elles van Happen")
    login(site, member.email, password)
    site.goto("/profiel/")
    site.check()
    with site.page.expect_download() as download:
        site.get_by_role("link", name="Mijn gegevens downloaden (JSON)").click()
    assert download.value.suggested_filename.startswith("bouwplaats-gegevens-")
    site.get_by_role("link", name="Mijn account verwijderen").click()
    site.check()
    site.get_by_label("Typ VERWIJDEREN om te bevestigen").fill("nee")
    site.get_by_role("button", name="Mijn account definitief verwijderen").click()
    site.check()
    assert "Typ precies VERWIJDEREN" in site.content()
    site.get_by_label("Typ VERWIJDEREN om te bevestigen").fill("VERWIJDEREN")
    site.get_by_role("button", name="Mijn account definitief verwijderen").click()
    site.check()
    assert "Uw account is verwijderd." in site.content()
    member.refresh_from_db()
    assert member.is_removed and not User.objects.filter(email="elles@example.nl").exists()


def test_account_settings_pages_are_reachable_and_accessible(site, db, password):
    member = UserFactory(email="esther@example.nl", full_name="Esther de Lange")
    login(site, member.email, password)
    site.goto("/profiel/")
    site.check()
    for link in ["E-mailadressen", "Wachtwoord", "Tweestapsverificatie"]:
        site.locator("nav.bp-subnav").get_by_role("link", name=link, exact=True).click()
        site.check()
        assert site.get_by_role("heading", level=1).count() == 1
        site.goto("/profiel/")
