"""The header on a phone: a menu (<details>) that keeps the header short, opens with Enter or Space,
shows a focus outline, holds the main navigation and the language switch, and works without
JavaScript, in German and Arabic. On a wide screen the links stand in the header without a button."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page

from konzeptk.city.services import city_profile_load
from konzeptk.core.tests.browser import assert_focus_visible, in_language, open_page, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _header_bottom(page: Page) -> float:
    bottom: float = page.evaluate("() => document.querySelector('.kk-header').getBoundingClientRect().bottom")
    return bottom


def _visible_links(page: Page, selector: str) -> list[str]:
    links: list[str] = page.eval_on_selector_all(
        selector,
        "els => els.filter(e => e.checkVisibility({visibilityProperty: true})).map(e => e.textContent.trim())",
    )
    return links


@pytest.mark.parametrize("language", ["de", "ar"])
def test_phone_header_is_a_short_menu_that_opens_with_the_keyboard(
    new_context: Callable[..., BrowserContext], language: str
) -> None:
    city_profile_load(source="krefeld")
    page = new_context(viewport=PHONE).new_page()
    open_page(page, in_language("/", language))
    assert _header_bottom(page) <= 120, f"Kopf {_header_bottom(page)} px hoch"
    assert _visible_links(page, ".kk-nav a, .kk-languages a") == []

    info = tab_to(page, description="Schaltfläche Menü", tag="summary")
    assert_focus_visible({**info, "tag": "button"})
    page.keyboard.press("Enter")
    nav = _visible_links(page, ".kk-nav a")
    assert len(nav) >= 8, nav
    languages = _visible_links(page, ".kk-languages a")
    assert {"Deutsch", "Türkçe", "العربيّة"} <= set(languages), languages
    # The next Tab goes into the menu, to its first link.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('.kk-nav') !== null")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    assert _visible_links(page, ".kk-nav a") == []
    assert _header_bottom(page) <= 120
    page.keyboard.press("Space")
    assert len(_visible_links(page, ".kk-nav a")) == len(nav)
    # The menu fits the screen in both directions of writing.
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_phone_menu_works_without_javascript(new_context: Callable[..., BrowserContext]) -> None:
    city_profile_load(source="krefeld")
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    open_page(page, "/ar/")
    assert _visible_links(page, ".kk-nav a") == []
    page.locator("summary.kk-menu__toggle").click()
    assert "Deutsch" in _visible_links(page, ".kk-languages a")
    with page.expect_navigation():
        page.locator(".kk-languages a[hreflang=de]").click()
    assert page.locator("html").get_attribute("lang") == "de"


def test_wide_screen_shows_the_links_without_a_menu_button(page: Page) -> None:
    city_profile_load(source="krefeld")
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, "/")
    assert not page.locator("summary.kk-menu__toggle").is_visible()
    assert len(_visible_links(page, ".kk-nav a")) >= 8
    assert len(_visible_links(page, ".kk-languages a")) == 6
    # brand and languages, below them at most two lines of links (core/tests/test_browser_header_rooms.py)
    assert _header_bottom(page) <= 200
