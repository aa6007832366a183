from django import template

from bouwplaats.planning import geojson, permissions

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


@register.filter
def map_json(value, element_id: str):
    """Return ``value`` as ``json_script`` does, by orjson (geojson.json_script): map data."""
    return geojson.json_script(value, element_id)
