"""Stumbles of a fresh-eyes walk of the nieuwsflits: a lost confirmation mail, a greeting a
stranger could change, and confirmation links that said nothing until the button."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from bouwplaats.newsletters import mails, services
from bouwplaats.newsletters.models import Subscription

pytestmark = pytest.mark.django_db


def _subscribe(client, newsletter_list, email, name, capture):
    prefix = f"list{newsletter_list.pk}"
    with capture(execute=True):
        return client.post(
            f"/nieuwsflits/{newsletter_list.slug}/aanmelden/",
            {f"{prefix}-email": email, f"{prefix}-name": name},
        )


def _strip(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_a_pending_address_gets_a_fresh_link_after_the_limit(
    client, newsletter_list, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    first = _subscribe(client, newsletter_list, "anna@example.nl", "Anna", capture)
    assert len(mail.outbox) == 1
    # Within the limit: the same neutral page, no second mail (no flooding someone's inbox).
    again = _subscribe(client, newsletter_list, "anna@example.nl", "Anna", capture)
    assert len(mail.outbox) == 1
    assert _strip(first) == _strip(again)
    # The first mail was lost: after the limit a new request mails a fresh link.
    Subscription.objects.update(
        confirmation_sent_at=timezone.now() - mails.RESEND_AFTER - datetime.timedelta(seconds=1)
    )
    later = _subscribe(client, newsletter_list, "anna@example.nl", "Anna", capture)
    assert len(mail.outbox) == 2
    assert "/nieuwsflits/bevestigen/" in mail.outbox[1].body
    assert _strip(later) == _strip(first)


def test_a_second_form_does_not_change_the_greeting_of_a_pending_subscription(
    client, newsletter_list, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _subscribe(client, newsletter_list, "anna@example.nl", "Anna", capture)
    _subscribe(client, newsletter_list, "anna@example.nl", "Lieve sukkel", capture)
    assert Subscription.objects.get().name == "Anna"


def test_a_pending_subscription_without_a_name_takes_the_first_given(newsletter_list):
    services.subscription_start(
        newsletter_list=newsletter_list, email="bo@example.nl", name="", source="test"
    )
    services.subscription_start(
        newsletter_list=newsletter_list, email="bo@example.nl", name="Bo", source="test"
    )
    assert Subscription.objects.get().name == "Bo"


@pytest.mark.parametrize("path", ["/nieuwsflits/bevestigen/garbage/", "/nieuwsflits/afmelden/x/"])
def test_a_garbage_link_says_so_at_once_with_a_way_back(client, path):
    response = client.get(path)
    page = response.content.decode()
    assert response.status_code == 400
    assert "ongeldig" in page
    assert "Ja, ik wil" not in page
    assert 'href="/nieuwsflits/"' in page


def test_a_used_confirmation_link_says_it_is_already_confirmed(client, newsletter_list):
    services.subscription_start(
        newsletter_list=newsletter_list, email="anna@example.nl", name="Anna", source="test"
    )
    subscription = Subscription.objects.get()
    token = mails.confirm_token(subscription)
    page = client.get(f"/nieuwsflits/bevestigen/{token}/").content.decode()
    assert "Ja, ik wil" in page
    assert newsletter_list.get_absolute_url() in page
    client.post(f"/nieuwsflits/bevestigen/{token}/")
    page = client.get(f"/nieuwsflits/bevestigen/{token}/").content.decode()
    assert "Ja, ik wil" not in page
    assert "al bevestigd" in page
    assert newsletter_list.get_absolute_url() in page
