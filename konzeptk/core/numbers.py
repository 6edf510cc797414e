"""Numbers as the active language writes them: the one place that formats counts, amounts of money and
shares for pages, charts and messages (templates use the filters in ``core/templatetags/kk_numbers.py``).

* thousands are grouped as the language groups them (``100.000`` in German, ``100,000`` in English,
  ``100 000`` in Polish and Ukrainian);
* whole numbers carry no decimals (``858``, never ``858,0``); other numbers at most ``digits`` of them;
* money as the language writes it (``100.000 €``, ``€100,000``), without cents for whole euros.

The formats come from CLDR through Babel. Arabic is written with Latin digits (``100,000``), as the
platform's dates, tables, CSV files and maps are: CLDR's default for ``ar`` is the same, and a person
reading an Arabic page in Krefeld compares its figures with German letters and signs.
"""

from __future__ import annotations

import copy
import math
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import format_decimal, parse_pattern
from django.utils import translation

#: the Babel locale of each UI language (regional variants where the platform's readers live)
LOCALES = {"de": "de_DE", "en": "en_GB", "tr": "tr_TR", "ar": "ar", "pl": "pl_PL", "uk": "uk_UA"}
DIGITS = "latn"

Number = int | float | Decimal


@lru_cache(maxsize=16)
def _locale(language: str) -> Locale:
    return Locale.parse(LOCALES.get(language.split("-")[0], "de_DE"))


def active_locale() -> Locale:
    return _locale(translation.get_language() or "de")


def _whole(value: Number) -> bool:
    return float(value).is_integer()


def number(value: Number, digits: int = 1, *, fixed: bool = False) -> str:
    """``1234`` → ``1.234``; ``858.0`` → ``858``; ``0.25`` → ``0,3`` with ``digits=1`` (at most
    ``digits`` decimals, none for whole numbers; ``fixed``: exactly ``digits`` unless whole, so a
    column of shares lines up: ``0,10``, ``0,25``). Not a number (NaN, ±∞) → ``–``."""
    if isinstance(value, float) and not math.isfinite(value):
        return "–"
    rounded = round(Decimal(str(value)), digits)
    decimals = ("0" if fixed else "#") * max(digits, 1)
    pattern = "#,##0" if _whole(rounded) else "#,##0." + decimals
    return str(format_decimal(rounded, format=pattern, locale=active_locale(), numbering_system=DIGITS))


def money(value: Number, currency: str = "EUR") -> str:
    """``100000`` → ``100.000 €`` (German), ``€100,000`` (English); cents only when there are any."""
    locale = active_locale()
    pattern = copy.copy(parse_pattern(locale.currency_formats["standard"]))  # Babel caches patterns
    if _whole(value):
        pattern.frac_prec = (0, 0)
    return str(
        pattern.apply(
            Decimal(str(value)), locale, currency=currency, currency_digits=False, numbering_system=DIGITS
        )
    )


def percent(share: Number, digits: int = 0) -> str:
    """A share ``0.253`` → ``25 %`` (German), ``25%`` (English); ``digits`` decimals at most."""
    locale = active_locale()
    pattern = copy.copy(parse_pattern(locale.percent_formats[None]))  # Babel caches patterns
    pattern.frac_prec = (0, digits)
    return str(pattern.apply(Decimal(str(share)), locale, numbering_system=DIGITS))
