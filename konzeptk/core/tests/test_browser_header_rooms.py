"""The header on a wide screen with every room of the house in the main navigation: at 768 (where the
menu button gives way to the links), 1024 and 1280 pixels, in German, Arabic, Ukrainian and Polish,
signed out and signed in, the links take at most two lines and nothing sticks out. Every room's entry is
there and marked as the current page on the room's pages (the inner city spans four apps: shops,
interim use and events belong to it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from konzeptk.accounts.models import User
from konzeptk.city.services import city_profile_load
from konzeptk.core.tests.browser import in_language, open_page, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: the rooms and, for each, pages that belong to it (the entry's own page first)
ROOMS = {
    "/innenstadt/": [
        "/innenstadt/",
        "/innenstadt/geschaefte/",
        "/innenstadt/zwischennutzung/",
        "/veranstaltungen/",
    ],
    "/bildung/": ["/bildung/", "/bildung/digital-check/"],
    "/klima/": ["/klima/"],
    "/warnungen/": ["/warnungen/", "/warnungen/hitze/"],
}

#: the lines the navigation takes (distinct tops of its items), how far it sticks out, the header's height
MEASURE_JS = """() => {
  const items = [...document.querySelectorAll('.kk-nav li')].filter(li => li.checkVisibility());
  const tops = new Set(items.map(li => Math.round(li.getBoundingClientRect().top)));
  const vw = document.documentElement.clientWidth;
  const out = [...document.querySelectorAll('.kk-header *')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && (r.right > vw + 1 || r.left < -1);
  }).map(el => el.textContent.trim().slice(0, 30));
  return {lines: tops.size, items: items.length, out, height: document.querySelector('.kk-header').getBoundingClientRect().height};
}"""


def _measure(page: Page) -> dict[str, Any]:
    measured: dict[str, Any] = page.evaluate(MEASURE_JS)
    return measured


@pytest.mark.parametrize("width", [768, 1024, 1280])
@pytest.mark.parametrize("language", ["de", "ar", "uk", "pl"])  # Ukrainian and Polish have the longest names
def test_desktop_header_takes_at_most_two_lines(
    new_context: Callable[..., BrowserContext], live_server: Any, language: str, width: int
) -> None:
    city_profile_load(source="krefeld")
    viewport = {"width": width, "height": 800}
    staff = User.objects.create_user(email="kopf@beispiel.invalid", password="Kref3ld-Seidenweberhaus!")
    pages = {
        "abgemeldet": new_context(viewport=viewport).new_page(),
        "angemeldet": signed_in_page(new_context, live_server, staff, viewport=viewport),
    }
    for who, page in pages.items():
        open_page(page, in_language("/", language))
        measured = _measure(page)
        assert measured["items"] >= 13, (who, measured)
        assert measured["lines"] <= 2, f"{who}, {width} px, {language}: {measured}"
        assert measured["out"] == [], f"{who}, {width} px, {language}: {measured}"
        assert measured["height"] <= 170, f"{who}, {width} px, {language}: {measured}"


def test_every_room_has_an_entry_marked_current_on_its_pages(page: Page) -> None:
    city_profile_load(source="krefeld")
    page.set_viewport_size({"width": 1280, "height": 800})
    for entry, paths in ROOMS.items():
        for path in paths:
            open_page(page, path)
            current = page.eval_on_selector_all(
                ".kk-nav a[aria-current=page]", "els => els.map(e => new URL(e.href).pathname)"
            )
            assert current == [entry], f"{path}: aktuell markiert {current} statt {entry}"
    open_page(page, "/")
    hrefs = page.eval_on_selector_all(".kk-nav a", "els => els.map(e => new URL(e.href).pathname)")
    assert set(ROOMS) <= set(hrefs), hrefs
    assert page.locator(".kk-nav a[aria-current=page]").count() == 1  # only "Start"
