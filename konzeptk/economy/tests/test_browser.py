"""axe-core on economy's pages in German and Arabic at 320 px, signed in as a verified owner and as staff;
the Schatzkarte's filters work without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext

from konzeptk.accounts.models import User
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.core.tests.browser import in_language, preload_axe, report, run_axe, signed_in_page
from konzeptk.economy.a11y import a11y_pages
from konzeptk.economy.models import Business
from konzeptk.economy.services import claim_create, claim_decide

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["de", "ar"])
def test_the_pages_pass_axe_at_320_px(
    new_context: Callable[..., BrowserContext], live_server: Any, language: str
) -> None:
    paths = a11y_pages()
    business = Business.objects.get(slug="a11y-buchladen")
    staff = UserFactory(platform_role=User.PlatformRole.STAFF)
    owner = UserFactory()
    claim = claim_create(business=business, user=owner, role="Inhaberin", evidence="Rückruf unter 02151 1")
    other = claim_create(
        business=business, user=UserFactory(), role="Filialleitung", evidence="Gewerbeschein"
    )
    claim_decide(claim=claim, by=staff, verified=True)
    problems = []
    for person, extra in (
        (owner, [f"/innenstadt/geschaefte/{business.slug}/bearbeiten/", "/innenstadt/geschaefte/meine/"]),
        (staff, ["/innenstadt/geschaefte/verwaltung/", f"/innenstadt/geschaefte/verwaltung/{other.pk}/"]),
    ):
        page = signed_in_page(new_context, live_server, person, viewport={"width": 320, "height": 800})
        preload_axe(page.context)
        for path in [*paths, *extra] if person is owner else extra:
            response = page.goto(in_language(path, language))
            assert response is not None, path
            assert response.status == 200, path
            assert page.locator("h1").count() == 1, path
            assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
            problems += run_axe(page)
        page.context.close()
    assert not problems, report(problems)


def test_open_now_filter_without_javascript(
    new_context: Callable[..., BrowserContext], live_server: Any
) -> None:
    a11y_pages()
    context = new_context(java_script_enabled=False, viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + "/innenstadt/geschaefte/")
    page.get_by_label("jetzt geöffnet").check()
    page.get_by_role("button", name="Anzeigen").click()
    assert "open_now=on" in page.url
    assert page.locator("h1").inner_text() == "Schatzkarte: Geschäfte in Krefeld"
    context.close()
