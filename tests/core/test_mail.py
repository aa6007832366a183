"""The one mail builder: headers from address objects, IDNA domains, names that stay names."""

import email
import email.policy
import unicodedata

import pytest

from bouwplaats.core import mail as core_mail
from bouwplaats.core.mail import AddressError

INJECTION = "Jan Jansen\r\nReply-To: boef@example.com"
COOPERATIE = "bestuur@coöperatie-ede.nl"
COOPERATIE_ASCII = "bestuur@xn--coperatie-ede-jmb.nl"


def _parse(message):
    return email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)


@pytest.mark.parametrize(
    "name",
    [
        INJECTION,
        "Jan\nReply-To: boef@example.com",
        "Jan\rBcc: boef@example.com",
        "Jan\u2028Reply-To: boef@example.com",
        "Jan\x00\x1b[31m\x85Reply-To: boef@example.com",
    ],
)
def test_a_line_break_in_a_name_never_adds_a_header(name):
    message = _parse(core_mail.build_message(subject="Hallo", body="Tekst", to=[("a@b.nl", name)]))
    assert message["Reply-To"] is None and message["Bcc"] is None
    (address,) = message["To"].addresses
    assert address.addr_spec == "a@b.nl"
    assert "\n" not in address.display_name and "\r" not in address.display_name
    # The same through the byte-level form the newsletter uses.
    raw = f"To: {core_mail.format_mailbox('a@b.nl', name)}\r\n\r\nx".encode()
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Reply-To"] is None and parsed["Bcc"] is None
    assert parsed["To"].addresses[0].addr_spec == "a@b.nl"


def test_subject_and_extra_headers_are_one_line():
    message = _parse(
        core_mail.build_message(
            subject="Nieuws\r\nBcc: boef@example.com",
            body="x",
            to=["a@b.nl"],
            headers={"List-Id": "Lijst\nReply-To: boef@example.com <l.x>"},
        )
    )
    assert message["Bcc"] is None and message["Reply-To"] is None
    assert message["Subject"] == "Nieuws Bcc: boef@example.com"


def test_idn_domain_goes_out_in_punycode_with_a_unicode_name():
    message = core_mail.build_message(
        subject="Nieuwsflits", body="x", to=[(COOPERATIE, "Coöperatie Ede")], html="<p>x</p>"
    )
    parsed = _parse(message)
    (address,) = parsed["To"].addresses
    assert address.addr_spec == COOPERATIE_ASCII
    assert address.display_name == "Coöperatie Ede"
    assert message.message().as_bytes().isascii()
    assert core_mail.ascii_email(COOPERATIE) == COOPERATIE_ASCII
    assert core_mail.format_mailbox(COOPERATIE, "").isascii()


def test_idna_2008_not_2003():
    # IDNA 2003 maps ß to ss; IDNA 2008 (UTS 46, non-transitional) keeps it as its own letter.
    assert core_mail.ascii_email("info@straße.de") == "info@xn--strae-oqa.de"


def test_stored_form_is_nfc_with_a_unicode_domain():
    decomposed = unicodedata.normalize("NFD", "Bestuur@Coöperatie-Ede.nl")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    stored = core_mail.normalise_email(decomposed)
    assert stored == "Bestuur@coöperatie-ede.nl"
    assert unicodedata.is_normalized("NFC", stored)
    assert core_mail.normalise_email("Bestuur@XN--coperatie-ede-jmb.NL") == stored


@pytest.mark.parametrize(
    "variant",
    [
        "bestuur@coöperatie-ede.nl",
        "BESTUUR@COÖPERATIE-EDE.NL",
        unicodedata.normalize("NFD", "Bestuur@coöperatie-ede.nl"),
        "bestuur@xn--coperatie-ede-jmb.nl",
        " Bestuur@XN--COPERATIE-EDE-JMB.nl ",
    ],
)
def test_one_mailbox_one_key(variant):
    assert core_mail.email_key(variant) == "bestuur@xn--coperatie-ede-jmb.nl"


def test_different_mailboxes_keep_different_keys():
    assert core_mail.email_key("han@example.nl") != core_mail.email_key("johan@example.nl")
    assert core_mail.email_key("a@coöperatie.nl") != core_mail.email_key("a@cooperatie.nl")


@pytest.mark.parametrize(
    "bad",
    [
        "geen-adres",
        "a@",
        "@b.nl",
        "a b@c.nl",
        "a@b\r\n.nl",
        "ünïcode@example.nl",
        "a@-coöp-.nl",
        "a@co☃.nl",
    ],
)
def test_unsendable_addresses_raise_address_error(bad):
    with pytest.raises(AddressError):
        core_mail.build_message(subject="x", body="x", to=[bad])


def test_from_is_parsed_into_an_address_object(settings):
    settings.DEFAULT_FROM_EMAIL = "Bouwplaats Coöperatie <noreply@coöperatie-ede.nl>"
    parsed = _parse(core_mail.build_message(subject="x", body="x", to=["a@b.nl"]))
    (sender,) = parsed["From"].addresses
    assert (sender.display_name, sender.addr_spec) == (
        "Bouwplaats Coöperatie",
        "noreply@xn--coperatie-ede-jmb.nl",
    )
    assert core_mail.envelope_sender() == "noreply@xn--coperatie-ede-jmb.nl"


def test_attachments_and_alternatives_are_kept():
    message = core_mail.build_message(
        subject="x",
        body="tekst",
        to=["a@b.nl"],
        alternatives=[("BEGIN:VCALENDAR", "text/calendar; method=REQUEST")],
        attachments=[("sessie.ics", b"BEGIN:VCALENDAR", "application/ics")],
    )
    types = [part.get_content_type() for part in _parse(message).walk()]
    assert "text/calendar" in types and "application/ics" in types


# Modules still building mail their own way, each waiting for its change to core.mail. The
# test fails when a new one appears, and when one on this list no longer needs to be here.
NOT_YET_CORE_MAIL: set[str] = set()


def test_every_message_is_built_by_core_mail():
    """One mail builder for the platform: nobody else constructs messages or address headers."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    # A call builds a message; overriding a library's ``send_mail`` hook (``def send_mail(``)
    # and handing on to it (``super().send_mail(``, which renders through core.mail) does not.
    own_builder = re.compile(
        r"(?<!def )(?<!super\(\)\.)"
        r"\b(EmailMessage|EmailMultiAlternatives|send_mail|send_mass_mail|formataddr)\s*\("
    )
    found = {
        str(path.relative_to(root))
        for path in (root / "bouwplaats").rglob("*.py")
        if path.name != "mail.py" or path.parent.name != "core"
        if own_builder.search(path.read_text(encoding="utf-8"))
    }
    assert found <= NOT_YET_CORE_MAIL, f"build these with core.mail: {found - NOT_YET_CORE_MAIL}"
    existing = {name for name in NOT_YET_CORE_MAIL if (root / name).exists()}
    assert found == existing, f"take these off NOT_YET_CORE_MAIL: {existing - found}"
