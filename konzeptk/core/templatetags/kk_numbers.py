"""Numbers in templates as the active language writes them (``konzeptk.core.numbers``):

``{% load kk_numbers %}`` ``{{ n|kk_number }}`` (a count: ``1.234``), ``{{ x|kk_number:2 }}`` (at most two
decimals, none for whole numbers), ``{{ euros|kk_money }}`` (``100.000 €``), ``{{ share|kk_percent }}``
(a share 0..1: ``25 %``). Empty values (``None``, ``""``) stay empty; text that is no number stays as it is.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from konzeptk.core import numbers

register = template.Library()


def _as_number(value: Any) -> int | float | Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        return value
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        return None


@register.filter
def kk_number(value: Any, digits: int = 1) -> str:
    n = _as_number(value)
    if n is None:
        return "" if value is None else str(value)
    return numbers.number(n, int(digits))


@register.filter
def kk_money(value: Any, currency: str = "EUR") -> str:
    n = _as_number(value)
    if n is None:
        return "" if value is None else str(value)
    return numbers.money(n, currency)


@register.filter
def kk_percent(value: Any, digits: int = 0) -> str:
    n = _as_number(value)
    if n is None:
        return "" if value is None else str(value)
    return numbers.percent(n, int(digits))
