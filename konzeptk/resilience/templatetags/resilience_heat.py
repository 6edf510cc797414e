"""``{% heat_banner as banner %}``: the cool-places banner's content while a heat warning is in force."""

from __future__ import annotations

from django import template

from konzeptk.resilience.heat import HeatBanner
from konzeptk.resilience.heat import heat_banner as _heat_banner

register = template.Library()


@register.simple_tag
def heat_banner() -> HeatBanner | None:
    """None when no heat warning is in force (one query); otherwise the warning, the open cool places
    nearest the centre and the hotline."""
    return _heat_banner()
