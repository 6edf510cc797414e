"""Public strategy pages for the accessibility browser test (German paths; /ar/ is added there)."""

from __future__ import annotations

import io


def a11y_pages() -> list[str]:
    """Load the city profile (if needed), the demo organisations and the strategy demo; return the pages."""
    from konzeptk.accounts.demo import load_demo as load_accounts
    from konzeptk.city.selectors import active_profile, forget_active_profile
    from konzeptk.city.services import city_profile_load
    from konzeptk.strategy.demo import key, load_demo
    from konzeptk.strategy.models import Indicator, Project

    if active_profile() is None:
        city_profile_load(source="krefeld")
        forget_active_profile()
    out = io.StringIO()
    load_accounts(out=out)
    load_demo(out=out)
    pilot = Project.objects.filter(published=True, stage="pilot").order_by("slug").first()
    indicator = Indicator.objects.filter(published=True, values__isnull=False).order_by("slug").first()
    pages = [
        "/strategie/",
        f"/strategie/handlungsfelder/{key('bildung')}/",
        f"/strategie/ziele/{key('klima')}/",
        "/strategie/projekte/",
        "/strategie/projekte/?stage=pilot&q=Sensor",
        "/strategie/projekte/karte/",
        "/strategie/indikatoren/",
        "/strategie/fassungen/",
        "/strategie/fassungen/vergleich/?a=1&b=2",
        "/strategie/handlungsprogramm/",
    ]
    if pilot is not None:
        pages.append(pilot.get_absolute_url())
    if indicator is not None:
        pages.append(indicator.get_absolute_url())
    # an indicator fed by a data series (its page shows when the values were computed)
    bound = Indicator.objects.filter(published=True, binding__isnull=False).order_by("slug").first()
    if bound is not None and bound != indicator:
        pages.append(bound.get_absolute_url())
    return pages
