from __future__ import annotations

from django import template

from konzeptk.core import numbers

register = template.Library()


@register.filter
def percent(value: float | None, digits: int = 1) -> str:
    """A share 0..1 as a percentage number (localised), '–' for None."""
    if value is None:
        return "–"
    return numbers.number(float(value) * 100, digits, fixed=True)


@register.filter
def number(value: float | None, digits: int = 1) -> str:
    """A number as the language writes it: grouped thousands, whole numbers without ",0"."""
    if value is None:
        return "–"
    return numbers.number(float(value), digits, fixed=True)


@register.filter
def small(value: int | None) -> str:
    """A count as published: '< 5' for 1 to 4 people."""
    from konzeptk.insights.analysis import small as published

    return published(value)
