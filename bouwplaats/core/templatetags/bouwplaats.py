from django import template
from django.utils.safestring import mark_safe

from bouwplaats.core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    """Render Markdown user content as sanitised HTML."""
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitised by nh3


NAVIGATION_TEMPLATE = "includes/_nav.html"


@register.simple_tag(takes_context=True)
def main_navigation(context) -> str:
    """Return the main menu's HTML (includes/_nav.html), rendered once per page.

    base.html shows the menu twice (folded behind a button on a phone, wide on a desktop);
    the second is the same text, kept in the page's render context.
    """
    kept = context.render_context.get(NAVIGATION_TEMPLATE)
    if kept is None:
        kept = context.template.engine.get_template(NAVIGATION_TEMPLATE).render(context)
        context.render_context[NAVIGATION_TEMPLATE] = kept
    return kept


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


@register.filter
def day(value) -> str:
    """Return a date (a date, a datetime or an ISO "YYYY-MM-DD" string) in the one Dutch format.

    "dinsdag 15 december 2026" (DATE_FORMAT, bouwplaats/core/formats/nl). For values that reach
    a template as ISO text (analysis records); a date object can use ``|date`` itself. Text that
    is no date is returned as it is.
    """
    import datetime

    from django.utils.formats import date_format

    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime.date):
        return date_format(value)
    return "" if value is None else str(value)


@register.filter
def error_count(form) -> int:
    """Return how many messages a form's error summary lists (every message of every field).

    ``form.errors|length`` counts fields, so a field with two messages made the summary say
    "Er zijn 2 problemen" above three.
    """
    return sum(len(messages) for messages in form.errors.values())
