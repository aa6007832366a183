"""allauth's account mails built by the platform's one mail builder (core.mail)."""

from allauth.account.adapter import DefaultAccountAdapter

from bouwplaats.core.mail import build_message


class AccountAdapter(DefaultAccountAdapter):
    """allauth's adapter with its mails (verification, password reset) built by core.mail."""

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
