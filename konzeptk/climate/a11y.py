"""Pages of climate for the accessibility browser test (creates the data they need): the public ones
and, in :func:`a11y_staff_pages`, the administration's (opened signed in as staff)."""

from __future__ import annotations


def a11y_pages() -> list[str]:
    from io import StringIO

    from konzeptk.city.selectors import active_profile, forget_active_profile
    from konzeptk.city.services import city_profile_load
    from konzeptk.climate.demo import load_demo

    if active_profile() is None:
        city_profile_load(source="krefeld")
        forget_active_profile()
    load_demo(out=StringIO())  # the dashboard with every section filled (idempotent)
    return ["/klima/"]


def a11y_staff_pages() -> list[str]:
    """The administration's pages (overview, the balance form, the modal split form), opened signed in."""
    a11y_pages()
    return ["/klima/verwaltung/", "/klima/verwaltung/bilanz/", "/klima/verwaltung/modal-split/"]
