"""Issue 11's new public pages at 320 CSS pixels and without console errors, German and Arabic: the
Mängelmelder follow confirmation (also the confirmation of a reporter's address), the disclosure notes of
/auswertung/beteiligte/ and /auswertung/prozess/<slug>/, and survey results. axe-core checks the same
pages through their apps' ``a11y_pages()`` in test_browser.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import BrowserContext, ConsoleMessage

from konzeptk.core.tests.browser import in_language, open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW_JS = """() => {
  const wide = [...document.querySelectorAll("body *")]
    .filter(el => el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
    .filter(el => !["auto", "scroll", "hidden"].includes(getComputedStyle(el).overflowX))
    .filter(el => !el.closest(".leaflet-container"))
    .slice(-3).map(el => el.tagName.toLowerCase() + ": " + el.textContent.trim().slice(0, 60));
  const root = document.documentElement;
  return root.scrollWidth > root.clientWidth ? [`Seite ${root.scrollWidth}px bei ${root.clientWidth}px`, ...wide] : wide;
}"""


def _pages() -> list[str]:
    from konzeptk.insights import a11y as insights_a11y
    from konzeptk.servicedesk import a11y as servicedesk_a11y
    from konzeptk.surveys import a11y as surveys_a11y

    with translation.override(settings.LANGUAGE_CODE):
        servicedesk = [p for p in servicedesk_a11y.a11y_pages() if p.startswith("/maengel/bestaetigen/")]
        insights = [
            p
            for p in insights_a11y.a11y_pages()
            if p == "/auswertung/beteiligte/" or (p.startswith("/auswertung/prozess/") and p.count("/") == 4)
        ]
        surveys = [p for p in surveys_a11y.a11y_pages() if "/umfragen/" in p and p.endswith("/ergebnisse/")]
    found = [len(servicedesk), len(insights), len(surveys)]
    assert found == [1, 2, 1], (servicedesk, insights, surveys)
    return servicedesk + insights + surveys


@pytest.mark.parametrize("language", ["de", "ar"])
def test_new_public_pages_reflow_at_320_px_without_console_errors(
    new_context: Callable[..., BrowserContext], language: str
) -> None:
    paths = _pages()
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    errors: list[str] = []

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error":
            errors.append(f"{page.url}: Konsole: {msg.text} ({msg.location['url']})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: Skriptfehler: {error}"))
    problems: list[str] = []
    for path in paths:
        open_page(page, in_language(path, language))
        if overflow := page.evaluate(OVERFLOW_JS):
            problems.append(f"{path}: zu breit bei 320 px: {overflow}")
        if path.startswith("/auswertung/"):
            assert page.locator("#datenschutz-zahlen").count() == 1, f"{path}: Hinweis zum Datenschutz fehlt"
    assert not problems + errors, "\n".join(problems + errors)
