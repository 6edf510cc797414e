"""Template helpers of the strategy pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def de() -> SafeString:
    """Strategy content is written in German: mark it so when the page is in another language."""
    if (get_language() or "de").split("-")[0] == "de":
        return mark_safe("")
    return mark_safe(' lang="de" dir="ltr"')


@register.filter
def euro(value: Any) -> str:
    if value is None or value == "":
        return "–"
    text = f"{float(value):,.0f}".replace(",", "\u202f")
    return f"{text}\u00a0€"


@register.filter
def number(value: Any) -> str:
    if value is None:
        return "–"
    text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u202f").replace(".", ",")


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def lookup_attr(obj: Any, name: str) -> Any:
    return getattr(obj, name, None)
