import re

from django.core import mail

from bouwplaats.accounts.models import ApiToken, User

PASSWORD = "Koffertje-na-2017!"


def test_sign_up_confirm_log_in_edit_profile_tokens_log_out(site, db):
    site.goto("/")
    site.get_by_role("link", name="Maak een account").click()
    site.check()
    site.get_by_label(re.compile("E-mailadres")).fill("esther@example.nl")
    site.get_by_label(re.compile("^Naam")).fill("Esther de Lange")
    site.get_by_label(re.compile("^Functie")).fill("Programmamanager Goedopweg")
    site.get_by_label(re.compile("^Organisatie")).fill("Rijkswaterstaat")
    site.get_by_label(re.compile(r"^Wachtwoord:?$")).fill(PASSWORD)
    site.get_by_label(re.compile(r"^Wachtwoord \(bevestigen\)")).fill(PASSWORD)
    site.get_by_role("button", name="Registreren").click()
    site.check()
    assert "Bevestig uw e-mailadres" in site.content() or "bevestig" in site.content().lower()

    # The confirmation mail, read from the outbox, carries the link.
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/account/confirm-email/\S+/", mail.outbox[0].body).group(0)
    site.page.goto(link)
    site.check()
    site.get_by_role("button", name="Bevestigen").click()
    site.check()

    # Confirming in the same browser logs the new member in (issue 15 §7), on Mijn Bouwplaats;
    # the profile is one link away.
    assert site.page.url.endswith("/mijn-bouwplaats/")
    site.goto("/profiel/")
    site.get_by_label(re.compile("^Functie")).fill("Programmamanager")
    site.get_by_role("button", name="Profiel opslaan").click()
    site.check()
    assert "Uw profiel is opgeslagen." in site.content()
    user = User.objects.get(email="esther@example.nl")
    assert user.function == "Programmamanager"
    assert user.organisation.name == "Rijkswaterstaat"

    site.get_by_role("link", name="API-sleutels").first.click()
    site.check()
    site.get_by_label("Naam van de sleutel").fill("Planningssysteem")
    site.get_by_role("button", name="Sleutel aanmaken").click()
    site.check()
    key = site.locator("#new-token").inner_text()
    token = ApiToken.objects.get(user=user)
    assert token.key_hash == ApiToken.hash_key(key) and key not in token.key_hash
    site.get_by_role("button", name=re.compile("Intrekken")).click()
    site.check()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "is ingetrokken" in site.content()

    site.get_by_role("button", name="Uitloggen").click()
    site.check()
    assert site.page.url == site.base_url + "/"
    assert site.get_by_role("button", name="Uitloggen").count() == 0
    assert site.locator("nav.bp-nav").get_by_role("link", name="Inloggen").count() == 1
