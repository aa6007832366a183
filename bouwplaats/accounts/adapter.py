"""allauth's account mails built by the platform's one mail builder (core.mail)."""

from types import SimpleNamespace

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.ratelimit import parse_rates
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bouwplaats.core.mail import build_message

# The platform as allauth's mails name it ("Hallo van Bouwplaats!"): without the sites
# framework allauth would take the request's host name ("Hallo van 127.0.0.1!").
PLATFORM_NAME = "Bouwplaats"


def platform_site() -> SimpleNamespace:
    """Return the site as allauth's mail templates read it: the name and the address."""
    return SimpleNamespace(name=PLATFORM_NAME, domain=settings.SITE_URL)


def login_lockout_seconds() -> int:
    """Return how long a locked-out login waits at most, in seconds: the longest window of
    allauth's ``login_failed`` rate limit (ACCOUNT_RATE_LIMITS)."""
    rates = parse_rates(allauth_settings.RATE_LIMITS.get("login_failed"))
    return int(max((rate.duration for rate in rates), default=0))


def _duration_text(seconds: int) -> str:
    """Return ``seconds`` in Dutch words, rounded up to whole minutes or hours."""
    if seconds >= 3600 and seconds % 3600 == 0:
        hours = seconds // 3600
        return ngettext("%(n)d uur", "%(n)d uur", hours) % {"n": hours}
    minutes = max(1, -(-seconds // 60))
    return ngettext("%(n)d minuut", "%(n)d minuten", minutes) % {"n": minutes}


class AccountAdapter(DefaultAccountAdapter):
    """allauth's adapter with its mails (verification, password reset) built by core.mail."""

    def send_mail(self, template_prefix, email, context):
        """Send an account mail in the platform's language (Dutch), naming the platform.

        The mail is Dutch whatever language the page was read in: the address may be read
        by someone else in the organisation, and the platform speaks Dutch first.
        """
        with translation.override(settings.LANGUAGE_CODE):
            super().send_mail(template_prefix, email, {**context, "current_site": platform_site()})

    def render_mail(self, template_prefix, email, context, headers=None):
        """Return allauth's rendered mail rebuilt by core.mail.

        allauth renders the subject and bodies from its templates; the addresses then go
        through core.mail like every other mail: IDNA 2008 domains, names never raw in a
        header. Raises core.mail.AddressError for an address that cannot be mailed.
        """
        rendered = super().render_mail(template_prefix, email, context, headers=headers)
        html = None
        if rendered.content_subtype == "html":
            html, body = rendered.body, ""
        else:
            body = rendered.body
            for content, mimetype in getattr(rendered, "alternatives", []):
                if mimetype == "text/html":
                    html = content
        return build_message(
            subject=rendered.subject,
            body=body,
            html=html,
            to=rendered.to,
            from_email=rendered.from_email,
            headers=rendered.extra_headers,
        )

    def validation_error(self, code, *args) -> ValidationError:
        """Return allauth's error; a login lockout says how long it lasts (from the rate
        limit) and links to the password reset, the way out that needs no waiting."""
        if code != "too_many_login_attempts":
            return super().validation_error(code, *args)
        message = format_html(
            '{} <a href="{}">{}</a>',
            _(
                "Te veel mislukte inlogpogingen. Probeer het over %(duration)s "
                "opnieuw, of stel nu een nieuw wachtwoord in:"
            )
            % {"duration": _duration_text(login_lockout_seconds())},
            reverse("account_reset_password"),
            _("Wachtwoord vergeten?"),
        )
        return ValidationError(message, code=code)
