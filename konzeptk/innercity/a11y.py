"""Public inner-city pages for the accessibility browser test (loads the demo register they show)."""

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
