"""The platform's one mail builder: addresses, headers and messages made the same way everywhere.

Every address header is built from :class:`email.headerregistry.Address` objects and encoded
by Django's ``sanitize_address``: a name is never pasted into a header as it was typed, so a
line break in it cannot add a header. Addresses are NFC-normalised; the domain goes out in its
IDNA (punycode) form, so that ``bestuur@coöperatie-ede.nl`` reaches
``bestuur@xn--coperatie-ede-jmb.nl`` over any SMTP server. An address that cannot be sent to
raises :class:`AddressError`, which callers treat as a failure of that one recipient.

Matching (one mailbox, one subscription) uses :func:`email_key`: NFC, the local part
casefolded and the domain in lowercase IDNA form.
"""

import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from email.headerregistry import Address

# IDNA 2008 with the UTS 46 mapping (Python's own "idna" codec is the older IDNA 2003).
import idna as _idna
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address

logger = logging.getLogger(__name__)

__all__ = [
    "AddressError",
    "ascii_email",
    "build_message",
    "email_key",
    "format_mailbox",
    "header_text",
    "mailbox",
    "normalise_email",
    "send_to_reachable",
    "sender_as",
]

# Control characters (C0, DEL, C1), and the Unicode line and paragraph separators that some
# programs treat as line breaks.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class AddressError(ValueError):
    """An address that cannot be sent to; the message says why (for the delivery record)."""


def header_text(value: str) -> str:
    """Return ``value`` as one header-safe line: NFC, control characters become spaces.

    Input validators refuse control characters already; this is the builder's own guard.
    """
    value = unicodedata.normalize("NFC", str(value or ""))
    return " ".join(_CONTROL.sub(" ", value).split())


def _split(value: str) -> tuple[str, str]:
    value = unicodedata.normalize("NFC", str(value or "").strip())
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        raise AddressError(f"Geen e-mailadres: {value!r}")
    if _CONTROL.search(value) or any(char.isspace() for char in value):
        raise AddressError(f"Ongeldige tekens in het adres: {value!r}")
    return local, domain


def _domain_ascii(domain: str) -> str:
    """Return ``domain`` in lowercase IDNA (punycode) form; raise AddressError if it has none."""
    domain = domain.rstrip(".")
    if domain.isascii():
        return domain.lower()
    try:
        return _idna.encode(domain, uts46=True, transitional=False).decode("ascii").lower()
    except (UnicodeError, ValueError) as error:  # idna.IDNAError is a UnicodeError
        raise AddressError(f"Het domein {domain!r} heeft geen geldige IDNA-vorm: {error}") from None


def _domain_unicode(ascii_domain: str) -> str:
    if "xn--" not in ascii_domain:
        return ascii_domain
    try:
        return _idna.decode(ascii_domain)
    except (UnicodeError, ValueError):
        return ascii_domain


def normalise_email(value: str) -> str:
    """Return the stored form of an address: trimmed, NFC, the domain in lowercase Unicode.

    A domain typed in punycode is stored in its Unicode form, so that both spellings are one
    address. A value that is no address comes back trimmed and NFC (the model's validator
    refuses it).
    """
    try:
        local, domain = _split(value)
        return f"{local}@{_domain_unicode(_domain_ascii(domain))}"
    except AddressError:
        return unicodedata.normalize("NFC", str(value or "").strip())


def email_key(value: str) -> str:
    """Return the matching key of an address: NFC, local part casefolded, IDNA domain.

    Two addresses with the same key are one mailbox (``Anna@Coöperatie.nl`` and
    ``anna@xn--coperatie-….nl``). An address without a valid domain keys on its casefolded
    text.
    """
    try:
        local, domain = _split(value)
        return f"{unicodedata.normalize('NFC', local.casefold())}@{_domain_ascii(domain)}"
    except AddressError:
        return unicodedata.normalize("NFC", str(value or "").strip().casefold())


def ascii_email(value: str) -> str:
    """Return the address as it goes on the envelope: local part as stored, IDNA domain.

    Raises AddressError for a value that is no address, a domain without IDNA form, or a
    non-ASCII local part (which needs SMTPUTF8, not offered here).
    """
    local, domain = _split(value)
    if not local.isascii():
        raise AddressError(f"Het deel voor de @ bevat tekens buiten ASCII: {value!r}")
    return f"{local}@{_domain_ascii(domain)}"


def mailbox(email: str, name: str = "") -> Address:
    """Return the address object of one recipient (IDNA domain, one-line NFC name).

    Raises AddressError as :func:`ascii_email`.
    """
    local, _at, domain = ascii_email(email).rpartition("@")
    try:
        return Address(display_name=header_text(name), username=local, domain=domain)
    except (ValueError, TypeError) as error:  # headerregistry refuses what it cannot quote
        raise AddressError(f"Ongeldig adres {email!r}: {error}") from None


def _parse(value: str) -> Address:
    """Return the address object of a header value such as ``"Bouwplaats <noreply@…>"``."""
    from email.headerregistry import HeaderRegistry

    header = HeaderRegistry()("From", header_text(value))
    if len(header.addresses) != 1:
        raise AddressError(f"Geen enkel adres: {value!r}")
    parsed = header.addresses[0]
    return mailbox(parsed.addr_spec, parsed.display_name)


def _header_value(address: Address) -> str:
    """Return the address as Django takes it: the name unencoded, the addr-spec ASCII."""
    return str(address)


def format_mailbox(email: str, name: str = "") -> str:
    """Return one recipient as a ready, ASCII header value (RFC 2047 name, IDNA domain).

    For messages assembled as bytes; raises AddressError as :func:`ascii_email`.
    """
    address = mailbox(email, name)
    if not address.display_name:
        return address.addr_spec
    return sanitize_address((address.display_name, address.addr_spec), settings.DEFAULT_CHARSET)


Recipient = str | tuple[str, str] | Address


def _to_address(recipient: Recipient) -> Address:
    if isinstance(recipient, Address):
        return mailbox(recipient.addr_spec, recipient.display_name)
    if isinstance(recipient, tuple):
        email, name = recipient
        return mailbox(email, name)
    return mailbox(recipient)


def build_message(
    *,
    subject: str,
    body: str,
    to: Sequence[Recipient],
    html: str | None = None,
    from_email: str | None = None,
    reply_to: Sequence[Recipient] = (),
    cc: Sequence[Recipient] = (),
    headers: Mapping[str, str] | None = None,
    alternatives: Iterable[tuple[str, str]] = (),
    attachments: Iterable[tuple[str, bytes | str, str]] = (),
) -> EmailMultiAlternatives:
    """Return a message whose every address header comes from address objects.

    ``to``, ``cc`` and ``reply_to`` take addresses, ``(email, name)`` pairs or Address
    objects; names become one line, domains IDNA. ``subject`` and extra ``headers`` are made
    one line. ``html`` is added as the text/html alternative, ``alternatives`` as
    ``(content, mimetype)``, ``attachments`` as ``(filename, content, mimetype)``.

    Raises AddressError when a recipient cannot be sent to (nothing is built).
    """
    sender = _parse(from_email or settings.DEFAULT_FROM_EMAIL)
    message = EmailMultiAlternatives(
        subject=header_text(subject),
        body=body,
        from_email=_header_value(sender),
        to=[_header_value(_to_address(r)) for r in to],
        cc=[_header_value(_to_address(r)) for r in cc],
        reply_to=[_header_value(_to_address(r)) for r in reply_to],
        headers={key: header_text(value) for key, value in (headers or {}).items()},
    )
    if html is not None:
        message.attach_alternative(html, "text/html")
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def envelope_sender() -> str:
    """Return the envelope sender (MAIL FROM) of the platform's mail, ASCII."""
    return _parse(settings.DEFAULT_FROM_EMAIL).addr_spec


def sender_as(name: str) -> str:
    """Return the platform's sending address under the display name ``name`` (one line).

    Mail written by a person or for a list (a host's message, a nieuwsflits) goes out from
    the platform's address, named after them; their own address goes in Reply-To.
    """
    address = Address(display_name=header_text(name), addr_spec=envelope_sender())
    return str(address)


def send_to_reachable(to: Iterable[str], subject: str, body: str) -> int:
    """Send one message to every address of ``to`` that can be mailed; return how many.

    For mails to the parties of one case (an organisation's administrators, a work's
    planners), who may see each other's addresses. An address that cannot be mailed is
    logged and left out: the others still get the message. ``subject`` gets the platform's
    ``[Bouwplaats]`` prefix.
    """
    recipients = []
    for address in dict.fromkeys(to):
        try:
            recipients.append(mailbox(address))
        except AddressError as error:
            logger.warning("Mail %r not sent to one address: %s", subject, error)
    if recipients:
        build_message(subject=f"[Bouwplaats] {subject}", body=body, to=recipients).send()
    return len(recipients)
