"""The inner-city pages in Chromium at 320 CSS pixels, German and Arabic: axe-core, one h1, the page's
language and direction, nothing wider than the screen. Public pages (a11y.py), the owners' pages and the
coordination's pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import BrowserContext, Page

from konzeptk.accounts.models import User
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.core.tests.browser import in_language, open_page, preload_axe, run_axe, signed_in_page
from konzeptk.innercity.a11y import a11y_pages
from konzeptk.innercity.models import Unit
from konzeptk.innercity.rules import COORDINATION_GROUP
from konzeptk.innercity.services import owner_register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}

OVERFLOW_JS = """() => {
  const wide = [...document.querySelectorAll("body *")]
    .filter(el => !["INPUT", "TEXTAREA"].includes(el.tagName))  // a long value scrolls inside its field
    .filter(el => el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
    .filter(el => !["auto", "scroll", "hidden"].includes(getComputedStyle(el).overflowX))
    .slice(-3).map(el => el.tagName.toLowerCase() + "." + el.className + ": " + el.textContent.trim().slice(0, 60));
  const root = document.documentElement;
  return root.scrollWidth > root.clientWidth ? [`Seite ${root.scrollWidth}px bei ${root.clientWidth}px`, ...wide] : wide;
}"""


def warm() -> None:
    """The first page builds the city's base map (shapely, in this process): once, before the browser's
    10-second timeout starts, on a busy machine."""
    from django.test import Client

    Client().get("/innenstadt/flaechen/")


def check(page: Page, path: str, language: str) -> list[str]:
    open_page(page, in_language(path, language))
    found = [f"{path}: {v.describe()}" for v in run_axe(page)]
    if (count := page.locator("h1").count()) != 1:
        found.append(f"{path}: {count} h1")
    html = page.locator("html")
    expected = (language, "rtl" if language == "ar" else "ltr")
    if (html.get_attribute("lang"), html.get_attribute("dir")) != expected:
        found.append(f"{path}: lang/dir {html.get_attribute('lang')}/{html.get_attribute('dir')}")
    if overflow := page.evaluate(OVERFLOW_JS):
        found.append(f"{path}: zu breit bei 320 px: {overflow}")
    return found


@pytest.mark.parametrize("language", ["de", "ar"])
def test_public_pages_pass_axe_at_320_px(new_context: Callable[..., BrowserContext], language: str) -> None:
    paths = a11y_pages()
    warm()
    context = preload_axe(new_context(viewport=NARROW))
    page = context.new_page()
    problems: list[str] = []
    for path in paths:
        problems += check(page, path, language)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", ["de", "ar"])
def test_owner_and_coordination_pages_pass_axe_at_320_px(
    new_context: Callable[..., BrowserContext], live_server: Any, language: str
) -> None:
    a11y_pages()
    warm()
    owner: User = UserFactory(email="anbieterin@beispiel.invalid")
    owner_register(user=owner, contact_name="Anna Anbieterin")
    unit = Unit.objects.public().first()
    assert unit is not None
    Unit.objects.filter(pk=unit.pk).update(owner=owner)
    page = signed_in_page(new_context, live_server, owner, with_axe=True, viewport=NARROW)
    problems: list[str] = []
    for path in (
        "/innenstadt/anbieten/",
        "/innenstadt/anbieten/flaechen/",
        "/innenstadt/anbieten/neu/",
        f"/innenstadt/flaechen/{unit.pk}/bearbeiten/",
        f"/innenstadt/flaechen/{unit.pk}/fotos/",
    ):
        problems += check(page, path, language)
    coordinator: User = UserFactory(email="koordination@beispiel.invalid")
    coordinator.groups.add(Group.objects.get_or_create(name=COORDINATION_GROUP)[0])
    page = signed_in_page(new_context, live_server, coordinator, with_axe=True, viewport=NARROW)
    for path in (
        "/innenstadt/verwaltung/",
        "/innenstadt/verwaltung/?status=vacant",
        "/innenstadt/verwaltung/neu/",
        "/innenstadt/verwaltung/anbietende/",
        "/innenstadt/verwaltung/zaehlungen/",
        f"/innenstadt/flaechen/{unit.pk}/bearbeiten/",
    ):
        problems += check(page, path, language)
    assert not problems, "\n".join(problems)


def test_a_founder_finds_a_unit_without_javascript(new_context: Callable[..., BrowserContext]) -> None:
    """On a phone without JavaScript: the list, a filter by use, the unit's page with the way to apply."""
    a11y_pages()
    warm()
    page = new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False).new_page()
    open_page(page, "/innenstadt/")
    page.get_by_role("link", name="Freie Ladenlokale").first.click()
    page.select_option("select[name=use]", value="popup")
    page.get_by_role("button", name="Filter anwenden").click()
    assert "use=popup" in page.url, page.url
    assert page.locator(".ic-list h3 a").count() > 0, page.content()[:3000]
    page.locator(".ic-list h3 a").first.click()
    assert page.locator("h1").count() == 1
    assert page.get_by_role("link", name="Zum Zwischennutzungsprogramm").get_attribute("href") == (
        "/innenstadt/zwischennutzung/"
    )
