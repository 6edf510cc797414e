from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def percent(value: float | None, digits: int = 1) -> str:
    """A share 0..1 as a percentage number (localised), '–' for None."""
    if value is None:
        return "–"
    return str(floatformat(float(value) * 100, digits))


@register.filter
def number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    return str(floatformat(float(value), digits))


@register.filter
def small(value: int | None) -> str:
    """A count as published: '< 5' for 1 to 4 people."""
    from konzeptk.insights.analysis import small as published

    return published(value)
