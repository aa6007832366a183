from django import template

from bouwplaats.spaces.context import space_context

register = template.Library()


@register.simple_tag(takes_context=True)
def session_space(context, session, full=False):
    """Return the session space's context for the person viewing the page."""
    return space_context(context["request"], session, forms=context.get("space_forms"), full=full)
