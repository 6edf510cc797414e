"""Interim-use pages for the accessibility browser test (loads the demo call they show): the public ones
and, in :func:`a11y_staff_pages`, the administration's (opened signed in as staff)."""

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


def a11y_staff_pages() -> list[str]:
    """The administration's pages (overview, a new call, the open call with its matching, an application,
    the reports), opened signed in."""
    from konzeptk.interimuse.demo import OPEN
    from konzeptk.interimuse.models import Application

    a11y_pages()
    base = "/innenstadt/zwischennutzung/verwaltung/"
    pages = [
        base,
        base + "aufrufe/neu/",
        f"{base}aufrufe/{OPEN}/",
        f"{base}aufrufe/{OPEN}/abgleich/",
        base + "berichte/",
    ]
    application = Application.objects.order_by("pk").values_list("pk", flat=True).first()
    if application is not None:
        pages.append(f"{base}bewerbungen/{application}/")
    return pages
