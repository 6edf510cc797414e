"""axe-core on the Mängelmelder pages (also run by the core browser test through a11y.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from konzeptk.core.tests.browser import in_language, open_page, report, run_axe
from konzeptk.servicedesk.a11y import a11y_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["de", "ar"])
def test_servicedesk_pages_pass_axe(page: Page, language: str) -> None:
    problems = []
    for path in a11y_pages():
        open_page(page, in_language(path, language))
        assert page.locator("h1").count() == 1, path
        problems += run_axe(page)
    assert not problems, report(problems)


def test_report_with_keyboard_and_without_javascript_map(page: Page) -> None:
    a11y_pages()
    open_page(page, "/maengel/melden/")
    page.select_option("select[name=category]", label="Wilder Müll")
    page.fill("textarea[name=description]", "Sperrmüll neben dem Container")
    page.fill("input[name=address]", "Ostwall 100")
    page.select_option("select[name=district]", index=1)
    page.locator("button[type=submit]").last.click()
    page.wait_for_selector("text=Meldung absenden")
    page.get_by_role("button", name="Meldung absenden").click()
    page.wait_for_selector("text=Vielen Dank für Ihre Meldung")
    assert "/maengel/melden/danke/" in page.url
