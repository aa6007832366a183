from django import template

from bouwplaats.events import models

register = template.Library()


@register.filter
def part_heading(part: models.SessionPart, number: int) -> str:
    """Return the heading of the ``number``-th part: "Deel 1: Welkom" (its label shown once)."""
    return models.part_heading(number, part.title)
