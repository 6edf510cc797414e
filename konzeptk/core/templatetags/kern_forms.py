"""Template helpers for the KERN form templates."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

register = template.Library()


@register.filter
def any_required(fields: Iterable[tuple[Any, Any]]) -> bool:
    """True if one of the (bound field, errors) pairs of a form context is a required field."""
    return any(field.field.required for field, _errors in fields)
