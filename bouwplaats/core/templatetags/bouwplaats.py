from django import template
from django.utils.safestring import mark_safe

from bouwplaats.core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    """Render Markdown user content as sanitised HTML."""
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitised by nh3


@register.simple_tag
def webcal(path: str) -> str:
    """Return the calendar subscription address of ``path`` on this site (``webcal://…``).

    Calendar apps subscribe to a webcal:// link (and keep it up to date) where an http(s)
    link would only download the file once. The host comes from SITE_URL.
    """
    from urllib.parse import urlsplit

    from django.conf import settings

    site = urlsplit(settings.SITE_URL)
    return f"webcal://{site.netloc}{site.path.rstrip('/')}{path}"
