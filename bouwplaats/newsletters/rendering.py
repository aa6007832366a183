"""Render an issue as mail: text and HTML (CSS inlined), personalised per subscriber.

The issue is rendered once; each subscriber's message is the rendered template with the
greeting, address, Message-ID and unsubscribe token filled in, so that building a message
costs microseconds instead of a template render and a MIME build.
"""

import datetime
import html
import re
import textwrap
from dataclasses import dataclass
from urllib.parse import urlparse

import css_inline
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from bouwplaats.core.mail import build_message, envelope_sender, format_mailbox, sender_as
from bouwplaats.core.markdown import render_markdown
from bouwplaats.events.calendar import AMSTERDAM

from . import selectors
from .models import Issue

UNSUBSCRIBE_SALT = "newsletters.unsubscribe"
CONFIRM_SALT = "newsletters.confirm"

# Placeholders: plain ASCII that survives an 8bit MIME body and a header unchanged.
_GREETING_TEXT = "BPXGREETINGTEXTX"
_GREETING_HTML = "BPXGREETINGHTMLX"
_TOKEN = "BPXUNSUBSCRIBETOKENX"
_TO = "bpx-recipient@bpx.invalid"
_MESSAGE_ID = "<bpx-message-id@bpx.invalid>"


def unsubscribe_token(subscription_id: int) -> str:
    """Return the signed unsubscribe token of a subscription (valid as long as it exists)."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscription_id))


def unsubscribe_url(token: str) -> str:
    """Return the absolute unsubscribe address for ``token``."""
    return settings.SITE_URL + reverse("newsletters:unsubscribe", kwargs={"token": token})


def mail_domain() -> str:
    """Return the domain used in Message-IDs: the site's host name."""
    return urlparse(settings.SITE_URL).hostname or "bouwplaats.local"


def message_id(issue_id: int, subscription_id: int) -> str:
    """Return the Message-ID of one issue to one subscriber.

    The same for a resent copy after a crash, so that mail programs can fold duplicates.
    """
    return f"<nieuwsflits.{issue_id}.{subscription_id}@{mail_domain()}>"


def greeting(name: str) -> str:
    """Return the personal greeting line."""
    name = " ".join((name or "").split())
    if name:
        return _("Beste %(name)s,") % {"name": name}
    return _("Beste lezer,")


def _wrap(text: str) -> str:
    """Wrap plain text at 72 characters per paragraph, keeping short lines as they are."""
    lines = []
    for line in text.splitlines():
        if len(line) <= 76:
            lines.append(line)
        else:
            lines.extend(textwrap.wrap(line, width=72, break_long_words=False))
    return "\n".join(lines)


def when(start: datetime.datetime, end: datetime.datetime | None) -> str:
    """Return "dinsdag 15 december 2026, 13:00–16:00" (both days for several), Amsterdam time."""
    start = timezone.localtime(start, AMSTERDAM)
    day = date_format(start, "l j F Y")
    if end is None:
        return f"{day}, {start:%H:%M}"
    end = timezone.localtime(end, AMSTERDAM)
    if end.date() != start.date():
        return f"{day}, {start:%H:%M} – {date_format(end, 'l j F Y')}, {end:%H:%M}"
    return f"{day}, {start:%H:%M}–{end:%H:%M}"


def agenda_for_template(items: list[dict]) -> list[dict]:
    """Return the agenda ``items`` with their start (and end) as datetimes, the time as read
    ("dinsdag 15 december 2026, 13:00–16:00") and their change notice.

    Agendas frozen before the end was kept show the start time only.
    """
    result = []
    for item in items:
        start = parse_datetime(item["start"])
        end = parse_datetime(item["end"]) if item.get("end") else None
        result.append(
            {
                **item,
                "start": start,
                "end": end,
                "when": when(start, end),
                "notice": selectors.change_notice(
                    item.get("changes"), changed=bool(item.get("changed"))
                ),
            }
        )
    return result


# The writer's own opening line ("Beste lezer,"): the personal greeting takes its place, so
# that a subscriber is greeted once.
_OPENING = re.compile(
    r"\A\s*(beste|geachte|hallo|hoi|dag|goedendag|goedemorgen|goedemiddag|lieve)\b[^\n]{0,80},"
    r"[ \t]*(\n\s*|\Z)",
    re.IGNORECASE,
)


def without_opening(intro: str) -> str:
    """Return ``intro`` without the writer's greeting line, if it starts with one."""
    return _OPENING.sub("", intro or "", count=1)


# The parser core.markdown renders HTML with; here its tokens become plain text.
_md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def markdown_text(text: str) -> str:
    """Return Markdown ``text`` as readable plain text for a mail's text part.

    Parsed by the same markdown-it parser as the HTML (core.markdown): emphasis marks go,
    a link keeps its address in brackets, list items start with "- " or their number,
    headings and paragraphs are separated by a blank line.
    """
    blocks: list[tuple[str, bool]] = []
    line: list[str] = []
    prefix: list[str] = []
    numbers: list[int | None] = []

    def flush():
        if line:
            text = "".join(prefix) + "".join(line).strip()
            # Items of one list stay together, one per line.
            if prefix and blocks and blocks[-1][1]:
                blocks[-1] = (blocks[-1][0] + "\n" + text, True)
            else:
                blocks.append((text, bool(prefix)))
            line.clear()

    for token in _md.parse(text or ""):
        if token.type == "bullet_list_open":
            numbers.append(None)
        elif token.type == "ordered_list_open":
            numbers.append(int(token.attrGet("start") or 1))
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            numbers.pop()
        elif token.type == "list_item_open":
            if numbers and numbers[-1] is not None:
                prefix[:] = [f"{numbers[-1]}. "]
                numbers[-1] += 1
            else:
                prefix[:] = ["- "]
        elif token.type == "inline":
            href = None
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    line.append(child.content)
                elif child.type == "softbreak":
                    line.append(" ")
                elif child.type == "hardbreak":
                    line.append("\n")
                elif child.type == "link_open":
                    href = child.attrGet("href")
                    start = len(line)
                elif child.type == "link_close" and href:
                    label = "".join(line[start:])
                    if label.strip() != href:
                        line.append(f" ({href})")
                    href = None
        elif token.type in ("paragraph_close", "heading_close"):
            flush()
            prefix.clear()
        elif token.type in ("fence", "code_block"):
            blocks.append((token.content.rstrip("\n"), False))
    flush()
    return "\n\n".join(text for text, _item in blocks)


@dataclass
class RenderedIssue:
    """An issue rendered once, with placeholders for what differs per subscriber."""

    issue: Issue
    subject: str
    text: str
    html: str

    def personalise(self, *, name: str, token: str) -> tuple[str, str]:
        """Return (text, html) for one subscriber."""
        line = greeting(name)
        text = self.text.replace(_GREETING_TEXT, line).replace(_TOKEN, token)
        body = self.html.replace(_GREETING_HTML, html.escape(line)).replace(_TOKEN, token)
        return text, body


def issue_render(issue: Issue, *, agenda: list[dict] | None = None) -> RenderedIssue:
    """Render ``issue`` (text and inlined HTML) with placeholders for each subscriber."""
    newsletter_list = issue.newsletter_list
    if agenda is None:
        agenda = selectors.issue_agenda(issue)
    # One greeting: the personal one replaces the writer's own opening line.
    intro = without_opening(issue.intro)
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "issue": issue,
            "newsletter_list": newsletter_list,
            "programme": newsletter_list.programme,
            "intro_html": mark_safe(render_markdown(intro)),  # noqa: S308 - nh3-clean
            "intro_text": markdown_text(intro),
            "blocks": [
                {
                    "title": block.get("title", ""),
                    "text": markdown_text(block.get("text", "")),
                    "html": mark_safe(render_markdown(block.get("text", ""))),  # noqa: S308
                }
                for block in issue.blocks or []
            ],
            "agenda": agenda_for_template(agenda),
            "web_url": settings.SITE_URL + issue.get_absolute_url(),
            "unsubscribe_url": unsubscribe_url(_TOKEN),
        }
        text = render_to_string(
            "newsletters/mail/issue.txt", {**context, "greeting": _GREETING_TEXT}
        )
        body = render_to_string(
            "newsletters/mail/issue.html", {**context, "greeting": _GREETING_HTML}
        )
    inlined = css_inline.inline(body)
    return RenderedIssue(issue=issue, subject=issue.subject, text=_wrap(text), html=inlined)


def _headers(issue: Issue, *, message_id_value: str, token: str) -> dict[str, str]:
    return {
        "Message-ID": message_id_value,
        "List-Id": f"{issue.newsletter_list.name} {issue.newsletter_list.list_id}",
        "List-Unsubscribe": f"<{unsubscribe_url(token)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Precedence": "list",
        "Auto-Submitted": "auto-generated",
    }


def sender(issue: Issue) -> tuple[str, list[tuple[str, str] | str]]:
    """Return the From and Reply-To of ``issue``: mail from a person, answers to a person.

    From: the list's sender name (default the programme's name) at the platform's address.
    Reply-To: the list's reply address, else the issue's writer (a team member): never
    noreply@.
    """
    newsletter_list = issue.newsletter_list
    from_email = sender_as(newsletter_list.sender_name or newsletter_list.programme.name)
    if newsletter_list.reply_to:
        reply_to = [(newsletter_list.reply_to, newsletter_list.sender_name or "")]
    elif issue.created_by and issue.created_by.is_active:
        reply_to = [(issue.created_by.email, issue.created_by.display_name)]
    else:
        reply_to = []
    return from_email, reply_to


def issue_message(
    rendered: RenderedIssue, *, email_address: str, name: str, subscription_id: int
) -> EmailMultiAlternatives:
    """Return the complete message of ``rendered`` for one subscriber (the reference build).

    Raises core.mail.AddressError when the address cannot be sent to.
    """
    token = unsubscribe_token(subscription_id)
    text, body = rendered.personalise(name=name, token=token)
    issue = rendered.issue
    from_email, reply_to = sender(issue)
    return build_message(
        subject=rendered.subject,
        body=text,
        html=body,
        to=[(email_address, name)],
        from_email=from_email,
        reply_to=reply_to,
        headers=_headers(
            issue, message_id_value=message_id(issue.pk, subscription_id), token=token
        ),
    )


class MessageFactory:
    """Build the bytes of each subscriber's message from one pre-built MIME template.

    The template is a real message built by Django with placeholders; a subscriber's copy
    replaces them. If the MIME build encoded a body (quoted-printable or base64), the
    placeholders may be split, and every message is then built the reference way.
    """

    def __init__(self, rendered: RenderedIssue):
        self.rendered = rendered
        self.from_email = envelope_sender()
        issue = rendered.issue
        from_email, reply_to = sender(issue)
        template = build_message(
            subject=rendered.subject,
            body=rendered.text,
            html=rendered.html,
            to=[_TO],
            from_email=from_email,
            reply_to=reply_to,
            headers=_headers(issue, message_id_value=_MESSAGE_ID, token=_TOKEN),
        )
        raw = template.message().as_bytes(linesep="\r\n")
        self.template = raw
        self.message_id_prefix = f"<nieuwsflits.{issue.pk}."
        self.message_id_suffix = f"@{mail_domain()}>"
        self.fast = (
            raw.count(_TO.encode()) == 1
            and raw.count(_MESSAGE_ID.encode()) == 1
            and raw.count(_TOKEN.encode()) == 3
            and raw.count(_GREETING_TEXT.encode()) == 1
            and raw.count(_GREETING_HTML.encode()) == 1
            and b"quoted-printable" not in raw
            and b"Content-Transfer-Encoding: base64" not in raw
        )

    def build(self, *, email_address: str, name: str, subscription_id: int) -> bytes:
        """Return the message for one subscriber as bytes ready for SMTP.

        The To header is core.mail's (address object, IDNA domain, RFC 2047 name); raises
        core.mail.AddressError when the address cannot be sent to.
        """
        to = format_mailbox(email_address, name)
        if not self.fast:
            message = issue_message(
                self.rendered,
                email_address=email_address,
                name=name,
                subscription_id=subscription_id,
            )
            return message.message().as_bytes(linesep="\r\n")
        line = greeting(name)
        return (
            self.template.replace(_TO.encode(), to.encode(), 1)
            .replace(
                _MESSAGE_ID.encode(),
                f"{self.message_id_prefix}{subscription_id}{self.message_id_suffix}".encode(),
                1,
            )
            .replace(_TOKEN.encode(), unsubscribe_token(subscription_id).encode())
            .replace(_GREETING_TEXT.encode(), line.encode())
            .replace(_GREETING_HTML.encode(), html.escape(line).encode())
        )
