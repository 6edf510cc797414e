"""axe-core on the staff pages of the catalogue in German and Arabic, and registering a dataset with the
keyboard alone, without JavaScript, at 320 px."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext

from konzeptk.accounts.models import Membership, User
from konzeptk.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from konzeptk.core.tests.browser import in_language, preload_axe, report, run_axe, signed_in_page
from konzeptk.opendata.models import Dataset
from konzeptk.opendata.tests.conftest import make_dataset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editor(city: Any) -> User:
    user = UserFactory()
    organisation = OrganisationFactory(slug="gruenflaechen", name="Fachbereich Grünflächen")
    MembershipFactory(user=user, organisation=organisation, role=Membership.Role.EDITOR)
    make_dataset("strassenbaeume", "Straßenbäume", publisher=organisation)
    return user


@pytest.mark.parametrize("language", ["de", "ar"])
def test_staff_pages_pass_axe(
    new_context: Callable[..., BrowserContext], live_server: Any, editor: User, language: str
) -> None:
    page = signed_in_page(new_context, live_server, editor)
    preload_axe(page.context)
    problems = []
    for path in [
        "/offene-daten/verwaltung/",
        "/offene-daten/verwaltung/neu/",
        "/offene-daten/verwaltung/strassenbaeume/",
    ]:
        response = page.goto(in_language(path, language))
        assert response is not None
        assert response.status == 200, path
        problems += run_axe(page)
    assert not problems, report(problems)


def test_register_by_keyboard_without_javascript_at_320_px(
    new_context: Callable[..., BrowserContext], live_server: Any, editor: User
) -> None:
    page = signed_in_page(
        new_context, live_server, editor, java_script_enabled=False, viewport={"width": 320, "height": 640}
    )
    page.goto(live_server.url + "/offene-daten/verwaltung/neu/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.get_by_label("Titel").fill("Trinkwasserbrunnen")
    page.get_by_label("Beschreibung").fill("Standorte der öffentlichen Trinkwasserbrunnen.")
    page.get_by_label("Umwelt").check()
    page.get_by_label("oder Adresse der Daten").fill("https://example.org/brunnen.geojson")
    page.get_by_role("button", name="Speichern").press("Enter")
    page.wait_for_load_state()
    assert Dataset.objects.filter(title="Trinkwasserbrunnen").exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
