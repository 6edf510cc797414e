"""Template helpers of the strategy pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from konzeptk.core import numbers

register = template.Library()


@register.simple_tag
def de() -> SafeString:
    """Strategy content is written in German: mark it so when the page is in another language."""
    if (get_language() or "de").split("-")[0] == "de":
        return mark_safe("")
    return mark_safe(' lang="de" dir="ltr"')


@register.filter
def euro(value: Any) -> str:
    """An amount as the language writes it (``40.000 €``, ``€40,000``; core's ``kk_money``)."""
    if value is None or value == "":
        return "–"
    return numbers.money(round(float(value)))


@register.filter
def number(value: Any) -> str:
    """A value with at most two decimals as the language writes it (core's ``kk_number``)."""
    if value is None:
        return "–"
    return numbers.number(float(value), 2)


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def lookup_attr(obj: Any, name: str) -> Any:
    return getattr(obj, name, None)
