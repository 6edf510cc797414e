"""Pages of the core app that the browser test checks with axe-core (German paths; /ar/ is added there)."""

from __future__ import annotations

from konzeptk.city.services import city_profile_load

NOT_FOUND_PATH = "/diese-seite-gibt-es-nicht/"


def a11y_pages() -> list[str]:
    """Load the Krefeld profile (home page map, district list) and return the core pages to check."""
    city_profile_load(source="krefeld")
    return [
        "/",
        "/leichte-sprache/",
        "/gebaerdensprache/",
        "/barrierefreiheit/",
        "/impressum/",
        "/datenschutz/",
        "/stadt/gebiete/",
        NOT_FOUND_PATH,
    ]
