"""Inner-city pages for the accessibility browser test (loads the demo register they show): the public
ones and, in :func:`a11y_staff_pages`, the administration's (opened signed in as staff)."""

from __future__ import annotations

import io


def a11y_pages() -> list[str]:
    from konzeptk.accounts.demo import load_demo as load_accounts
    from konzeptk.city.selectors import active_profile, forget_active_profile
    from konzeptk.city.services import city_profile_load
    from konzeptk.innercity.demo import load_demo
    from konzeptk.innercity.selectors import public_units

    if active_profile() is None:
        city_profile_load(source="krefeld")
        forget_active_profile()
    load_accounts(out=io.StringIO())
    load_demo(out=io.StringIO(), sample=True)  # the 30 described units, not all 640
    unit = public_units().first()
    assert unit is not None
    return [
        "/innenstadt/",
        "/innenstadt/flaechen/",
        "/innenstadt/flaechen/?min_area=50&use=retail",
        f"/innenstadt/flaechen/{unit.pk}/",
        "/innenstadt/leerstand/",
    ]


def a11y_staff_pages() -> list[str]:
    """The administration's pages (the register, a new unit, the providers, the counts), opened signed in."""
    a11y_pages()
    return [
        "/innenstadt/verwaltung/",
        "/innenstadt/verwaltung/neu/",
        "/innenstadt/verwaltung/anbietende/",
        "/innenstadt/verwaltung/zaehlungen/",
    ]
