import email
import email.policy

import pytest
from django.core import signing

from bouwplaats.newsletters import rendering
from bouwplaats.newsletters.models import Issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(newsletter_list):
    return Issue.objects.create(
        newsletter_list=newsletter_list,
        subject="Nieuwsflits Leerplatform MIRT - 22 september",
        intro='"Thuiswerken als het kan, op het werk wanneer het nodig is". Ook **steeds meer** '
        "bijeenkomsten en cursussen vinden weer fysiek plaats. " * 6,
        blocks=[{"title": "MIRT light webinar", "text": "Op 5 oktober, *online*."}],
        signature_name="Diana Kool",
        signature_role="Trekker Leerplatform MIRT, DGMo, MinIenW",
    )


def _parse(data: bytes):
    return email.message_from_bytes(data, policy=email.policy.default)


def _build(factory, **kwargs):
    return _parse(factory.build(**kwargs))


def test_message_is_multipart_with_rfc8058_headers_and_personal_greeting(issue, confirmed):
    subscription = confirmed("anna@example.nl", "Anna de Vries")
    factory = rendering.MessageFactory(rendering.issue_render(issue))
    message = _build(
        factory, email_address=subscription.email, name=subscription.name,
        subscription_id=subscription.pk,
    )  # fmt: skip
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    assert message["To"] == "Anna de Vries <anna@example.nl>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Id"].endswith(f"<{issue.newsletter_list.slug}.nieuwsflits.bouwplaats>")
    unsubscribe = str(message["List-Unsubscribe"]).strip()
    assert unsubscribe.startswith("<https://bouwplaats.example.nl/nieuwsflits/afmelden/")
    token = unsubscribe.rstrip("/>").rsplit("/", 1)[1]
    assert signing.Signer(salt=rendering.UNSUBSCRIBE_SALT).unsign(token) == str(subscription.pk)
    assert (
        message["Message-ID"] == f"<nieuwsflits.{issue.pk}.{subscription.pk}@bouwplaats.example.nl>"
    )

    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for body in (text, html):
        assert "Beste Anna de Vries," in body
        assert (
            "U ontvangt deze nieuwsflits, omdat u als belangstellende geregistreerd staat bij "
            "het Beter Benutten." in " ".join(body.split())
        )
        assert "Diana Kool" in body and "Trekker Leerplatform MIRT, DGMo, MinIenW" in body
        assert "MIRT light webinar" in body
        assert token in body
    # CSS inlined: no style sheet left, style attributes on the elements.
    assert "<style" not in html and 'style="' in html
    assert "<strong>steeds meer</strong>" in html
    assert max(len(line) for line in text.splitlines()) <= 100


def test_greeting_without_name_and_escaped_name(issue, confirmed):
    factory = rendering.MessageFactory(rendering.issue_render(issue))
    anonymous = confirmed("lezer@example.nl")
    message = _build(factory, email_address=anonymous.email, name="", subscription_id=anonymous.pk)
    assert "Beste lezer," in message.get_body(("plain",)).get_content()
    tricky = confirmed("elise@example.nl", "Élise <b>Ünal</b>")
    message = _build(
        factory, email_address=tricky.email, name=tricky.name, subscription_id=tricky.pk
    )
    assert "Beste Élise &lt;b&gt;Ünal&lt;/b&gt;," in message.get_body(("html",)).get_content()
    assert "Beste Élise <b>Ünal</b>," in message.get_body(("plain",)).get_content()
    assert message["To"].addresses[0].display_name == "Élise <b>Ünal</b>"


def test_fast_build_equals_the_reference_build(issue, confirmed):
    factory = rendering.MessageFactory(rendering.issue_render(issue))
    assert factory.fast
    for subscription in (
        confirmed("a@example.nl", "Anna"),
        confirmed("b@example.nl", "Ëva Ødegaard"),
    ):
        fast = _build(
            factory, email_address=subscription.email, name=subscription.name,
            subscription_id=subscription.pk,
        )  # fmt: skip
        reference = _parse(
            rendering.issue_message(
                factory.rendered, email_address=subscription.email, name=subscription.name,
                subscription_id=subscription.pk,
            ).message().as_bytes(linesep="\r\n")
        )  # fmt: skip
        for header in ("Subject", "From", "To", "Message-ID", "List-Id", "List-Unsubscribe",
                       "List-Unsubscribe-Post"):  # fmt: skip
            assert str(fast[header]) == str(reference[header]), header
        for kind in ("plain", "html"):
            assert fast.get_body((kind,)).get_content() == reference.get_body((kind,)).get_content()


def test_message_ids_are_unique_per_subscriber(issue, confirmed):
    factory = rendering.MessageFactory(rendering.issue_render(issue))
    ids = {
        _build(factory, email_address=f"l{n}@example.nl", name="", subscription_id=s.pk)[
            "Message-ID"
        ]
        for n, s in enumerate(confirmed(f"l{n}@example.nl") for n in range(5))
    }
    assert len(ids) == 5
