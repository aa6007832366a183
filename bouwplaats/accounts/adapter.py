"""allauth's account mails built by the platform's one mail builder (core.mail)."""

from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from bouwplaats.core.mail import build_message

# The platform as allauth's mails name it ("Hallo van Bouwplaats!"): without the sites
# framework allauth would take the request's host name ("Hallo van 127.0.0.1!").
PLATFORM_NAME = "Bouwplaats"


def platform_site() -> SimpleNamespace:
    """Return the site as allauth's mail templates read it: the name and the address."""
    return SimpleNamespace(name=PLATFORM_NAME, domain=settings.SITE_URL)


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
