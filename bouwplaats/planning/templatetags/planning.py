from django import template

from bouwplaats.planning import permissions

register = template.Library()


@register.filter
def is_planner(user) -> bool:
    """Return whether ``user`` may enter works (permissions.is_planner): the menu's rule."""
    return permissions.is_planner(user)


@register.filter
def is_internal(user) -> bool:
    """Return whether ``user`` sees the internal map (permissions.can_view_internal)."""
    return permissions.can_view_internal(user)


@register.filter
def any_contact(owners) -> bool:
    """Return whether one of ``owners`` (Organisations) has a public contact to show."""
    return any(owner.contact for owner in owners)
