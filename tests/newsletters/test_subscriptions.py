import re
import time

import pytest
from django.core import mail, signing

from bouwplaats.core.errors import DomainError
from bouwplaats.newsletters import mails, rendering, services
from bouwplaats.newsletters.models import Subscription

pytestmark = pytest.mark.django_db


def _link(body: str) -> str:
    return re.search(r"https://\S+/nieuwsflits/bevestigen/\S+/", body).group(0)


def _path(url: str) -> str:
    return url.removeprefix("https://bouwplaats.example.nl")


def test_subscribe_mails_a_link_whose_get_only_shows_a_button(
    client, newsletter_list, django_capture_on_commit_callbacks
):
    prefix = f"list{newsletter_list.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/nieuwsflits/{newsletter_list.slug}/aanmelden/",
            {f"{prefix}-email": "anna@example.nl", f"{prefix}-name": "Anna"},
        )
    assert response.status_code == 200
    assert "bevestig uw abonnement" in response.content.decode().lower()
    subscription = Subscription.objects.get(email="anna@example.nl")
    assert subscription.status == Subscription.Status.PENDING
    assert subscription.consent_source == "formulier"
    assert len(mail.outbox) == 1
    link = _link(mail.outbox[0].body)

    # A link scanner following the link confirms nothing.
    page = client.get(_path(link))
    assert page.status_code == 200
    assert "Ja, ik wil de nieuwsflits ontvangen" in page.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.PENDING

    done = client.post(_path(link))
    assert done.status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.CONFIRMED
    assert subscription.consent_at is not None and subscription.confirmed_at is not None


def test_already_subscribed_gets_the_same_answer_and_no_new_row(client, newsletter_list, confirmed):
    confirmed("bestaand@example.nl", "Bert")
    prefix = f"list{newsletter_list.pk}"
    known = client.post(
        f"/nieuwsflits/{newsletter_list.slug}/aanmelden/",
        {f"{prefix}-email": "bestaand@example.nl", f"{prefix}-name": "Bert"},
    )
    unknown = client.post(
        f"/nieuwsflits/{newsletter_list.slug}/aanmelden/",
        {f"{prefix}-email": "nieuw@example.nl", f"{prefix}-name": "Bert"},
    )
    strip = lambda r: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", r.content.decode())  # noqa: E731
    assert known.status_code == unknown.status_code == 200
    assert strip(known) == strip(unknown)
    assert Subscription.objects.filter(email="bestaand@example.nl").count() == 1
    assert Subscription.objects.get(email="bestaand@example.nl").status == "confirmed"


def test_invalid_address_shows_a_clear_error_and_stores_nothing(client, newsletter_list):
    prefix = f"list{newsletter_list.pk}"
    response = client.post(
        f"/nieuwsflits/{newsletter_list.slug}/aanmelden/",
        {f"{prefix}-email": "geen-adres", f"{prefix}-name": "X"},
    )
    assert response.status_code == 400
    assert "Vul een geldig e-mailadres in" in response.content.decode()
    assert not Subscription.objects.exists()
    assert mail.outbox == []


def test_service_refuses_invalid_address(newsletter_list):
    with pytest.raises(DomainError, match="geldig e-mailadres"):
        services.subscription_start(
            newsletter_list=newsletter_list, email="iemand@", name="", source="test"
        )
    assert not Subscription.objects.exists()


def test_expired_token_is_refused(client, newsletter_list, monkeypatch):
    services.subscription_start(
        newsletter_list=newsletter_list, email="oud@example.nl", name="", source="test"
    )
    subscription = Subscription.objects.get()
    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - 8 * 24 * 3600)
    token = mails.confirm_token(subscription)
    monkeypatch.setattr(signing.time, "time", real_time)
    response = client.post(f"/nieuwsflits/bevestigen/{token}/")
    assert response.status_code == 400
    assert "verlopen" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.PENDING


def test_tampered_token_is_refused(client, newsletter_list):
    services.subscription_start(
        newsletter_list=newsletter_list, email="vals@example.nl", name="", source="test"
    )
    subscription = Subscription.objects.get()
    token = mails.confirm_token(subscription)
    other = Subscription.objects.create(newsletter_list=newsletter_list, email="ander@example.nl")
    tampered = token.replace(f"{subscription.pk}:", f"{other.pk}:", 1)
    response = client.post(f"/nieuwsflits/bevestigen/{tampered}/")
    assert response.status_code == 400
    assert "ongeldig" in response.content.decode()
    assert not Subscription.objects.filter(status="confirmed").exists()


def test_unsubscribe_get_asks_and_one_click_post_unsubscribes_without_login(client, confirmed):
    subscription = confirmed("weg@example.nl")
    token = rendering.unsubscribe_token(subscription.pk)
    page = client.get(f"/nieuwsflits/afmelden/{token}/")
    assert page.status_code == 200 and "Wilt u weg@example.nl afmelden" in page.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == "confirmed"

    # RFC 8058: the mail provider POSTs List-Unsubscribe=One-Click, without cookies or CSRF.
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        f"/nieuwsflits/afmelden/{token}/", {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == "unsubscribed" and subscription.unsubscribed_at


def test_tampered_unsubscribe_token_changes_nothing(client, confirmed):
    subscription = confirmed("blijf@example.nl")
    response = client.post(f"/nieuwsflits/afmelden/{subscription.pk}:vervalst/")
    assert response.status_code == 400
    subscription.refresh_from_db()
    assert subscription.status == "confirmed"


def test_member_manages_lists_on_mijn_nieuwsbrieven(client, member, newsletter_list):
    client.force_login(member)
    page = client.get("/nieuwsflits/mijn/")
    assert "Abonneren op de" in page.content.decode()
    client.post("/nieuwsflits/mijn/", {"list": newsletter_list.pk, "action": "subscribe"})
    subscription = Subscription.objects.get(email=member.email)
    assert subscription.status == "confirmed" and subscription.consent_source == "profiel"
    assert subscription.member == member
    client.post("/nieuwsflits/mijn/", {"list": newsletter_list.pk, "action": "unsubscribe"})
    subscription.refresh_from_db()
    assert subscription.status == "unsubscribed"


def test_mijn_nieuwsbrieven_needs_login(client):
    response = client.get("/nieuwsflits/mijn/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_repeated_requests_send_one_link_per_ten_minutes(
    newsletter_list, django_capture_on_commit_callbacks
):
    def start():
        with django_capture_on_commit_callbacks(execute=True):
            services.subscription_start(
                newsletter_list=newsletter_list, email="doelwit@example.nl", name="", source="t"
            )

    for _attempt in range(3):
        start()
    assert len(mail.outbox) == 1
    subscription = Subscription.objects.get()
    Subscription.objects.filter(pk=subscription.pk).update(
        confirmation_sent_at=subscription.confirmation_sent_at - services.RESEND_AFTER
    )
    start()
    assert len(mail.outbox) == 2
