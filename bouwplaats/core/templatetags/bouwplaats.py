from django import template
from django.utils.safestring import mark_safe

from bouwplaats.core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    """Render Markdown user content as sanitised HTML."""
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitised by nh3
