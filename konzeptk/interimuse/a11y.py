"""Public interim-use pages for the accessibility browser test (loads the demo call they show)."""

from __future__ import annotations

import io


def a11y_pages() -> list[str]:
    from konzeptk.accounts.demo import load_demo as load_accounts
    from konzeptk.city.selectors import active_profile, forget_active_profile
    from konzeptk.city.services import city_profile_load
    from konzeptk.innercity.demo import load_demo as load_innercity
    from konzeptk.interimuse.demo import DECIDED, OPEN, load_demo

    if active_profile() is None:
        city_profile_load(source="krefeld")
        forget_active_profile()
    load_accounts(out=io.StringIO())
    load_innercity(out=io.StringIO())
    load_demo(out=io.StringIO())
    return [
        "/innenstadt/zwischennutzung/",
        f"/innenstadt/zwischennutzung/aufrufe/{DECIDED}/",
        f"/innenstadt/zwischennutzung/aufrufe/{OPEN}/",
    ]
