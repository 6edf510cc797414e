"""axe-core (WCAG 2.1 A/AA) on the pages behind the login and on forms showing errors, German and Arabic."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page

from konzeptk.accounts.tests.factories import (
    DEFAULT_PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from konzeptk.core.tests.browser import in_language, open_page, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Page, email: str, language: str) -> None:
    open_page(page, in_language("/konto/login/", language))
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    with page.expect_navigation(url=re.compile(r"/konto/$")):
        page.locator("form:has(input[name=password]) [type=submit]").click()


def _problems(page: Page) -> list[str]:
    found = [v.describe() for v in run_axe(page)]
    if (count := page.locator("h1").count()) != 1:
        found.append(f"{page.url}: {count} h1")
    return found


@pytest.mark.parametrize("language", ["de", "ar"])
def test_account_pages_have_no_wcag_violations(
    new_context: Callable[..., BrowserContext], language: str
) -> None:
    organisation = OrganisationFactory(slug="swk", name="Stadtwerke Krefeld AG (SWK)")
    admin = UserFactory(email="admin@beispiel.invalid")
    MembershipFactory(user=admin, organisation=organisation, role="admin")
    MembershipFactory(organisation=organisation, role="editor")
    page = new_context().new_page()
    _log_in(page, admin.email, language)
    problems: list[str] = []
    for path in [
        "/konto/",
        "/konto/loeschen/",
        "/konto/organisationen/",
        "/konto/organisationen/swk/",
        "/konto/email/",
        "/konto/password/change/",
    ]:
        open_page(page, in_language(path, language))
        problems += _problems(page)

    # Forms with errors: the summary, the messages next to the fields, aria-invalid.
    open_page(page, in_language("/konto/loeschen/", language))
    page.locator("input[name=password]").fill("falsch")
    with page.expect_navigation():
        page.locator("form:has(input[name=password]) [type=submit]").click()
    assert page.locator("[aria-invalid=true]").count() == 1
    problems += _problems(page)

    anonymous = new_context().new_page()
    open_page(anonymous, in_language("/konto/signup/", language))
    anonymous.locator("input[name=email]").fill("kaputt")
    anonymous.locator("input[name=password1]").fill("kurz")
    with anonymous.expect_navigation():
        anonymous.locator("form:has(input[name=password1]) [type=submit]").click()
    assert anonymous.locator(".kk-error-summary").count() == 1
    problems += _problems(anonymous)

    assert not problems, "\n".join(problems)
