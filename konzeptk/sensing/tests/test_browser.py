"""The sensing pages in Chromium: axe finds nothing on the dashboards (with the sensor map) and on the token page
(German and Arabic); an organisation admin creates and revokes a token with the keyboard only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import BrowserContext

from konzeptk.accounts.models import Membership, Organisation, User
from konzeptk.core.tests.browser import in_language, open_page, preload_axe, run_axe
from konzeptk.sensing import models as m
from konzeptk.sensing.a11y import seed_dashboard_data
from konzeptk.sensing.services import api_token_create
from konzeptk.sensing.tests.factories import make_test_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Kref3ld-Seidenweberhaus!"


def _admin(org: Organisation) -> User:
    user = User.objects.create_user(email="admin@swk.example", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Membership.objects.create(user=user, organisation=org, role=Membership.Role.ADMIN)
    return user


def _log_in(page: Any, email: str, language: str) -> None:
    open_page(page, in_language("/konto/login/", language))
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url("**/konto/")


@pytest.mark.parametrize("language", ["de", "ar"])
def test_axe_on_dashboards_with_map_and_token_page(
    new_context: Callable[..., BrowserContext], language: str
) -> None:
    from konzeptk.city.selectors import forget_active_profile

    make_test_city()
    seed_dashboard_data()
    org = Organisation.objects.create(slug="swk", name="Stadtwerke Krefeld", short_name="SWK")
    _admin(org)
    for i in range(3):
        token, _raw = api_token_create(organisation=org, name=f"Schlüssel {i}")
    m.ApiToken.objects.filter(pk=token.pk).update(revoked_at="2024-01-01T00:00:00Z")
    page = preload_axe(new_context()).new_page()
    problems = []
    try:
        for path in ("/daten/", "/daten/klima/", "/daten/klima/?period=365", "/daten/wasser/"):
            open_page(page, in_language(path, language))
            problems += [v.describe() for v in run_axe(page)]
        assert (
            page.locator(".kk-sensor-map figure.kk-map").count() == 0
        )  # no sensors in this topic: no dots, no map needed
        open_page(page, in_language("/daten/klima/", language))
        page.wait_for_selector("#sensor-karte[data-kk-map-ready] .kk-map__leaflet")
        assert page.locator("#sensor-karte .kk-map__pin--mark").count() == 1
        assert not page.locator("#sensor-karte svg.kk-map__svg").is_visible()
        _log_in(page, "admin@swk.example", language)
        open_page(page, in_language("/daten/api-schluessel/swk/", language))
        problems += [v.describe() for v in run_axe(page)]
        page.locator("input[name=name]").fill("LoRaWAN")
        page.locator("form.kk-form [type=submit]").click()
        page.wait_for_selector("#neuer-schluessel")
        problems += [v.describe() for v in run_axe(page)]
    finally:
        forget_active_profile()
    assert not problems, "\n".join(problems)


def test_admin_creates_and_revokes_a_token_with_the_keyboard(
    new_context: Callable[..., BrowserContext],
) -> None:
    org = Organisation.objects.create(slug="swk", name="Stadtwerke Krefeld", short_name="SWK")
    _admin(org)
    page = new_context().new_page()
    _log_in(page, "admin@swk.example", "de")
    open_page(page, "/daten/api-schluessel/swk/")
    page.locator("input[name=name]").focus()
    page.keyboard.type("Import Grundwasser")
    page.keyboard.press("Enter")
    page.wait_for_selector("#neuer-schluessel")
    raw = page.locator("#neuer-schluessel").inner_text().strip()
    assert m.ApiToken.objects.get().token_hash == m.ApiToken.hash(raw)
    revoke = page.get_by_role("button", name="Widerrufen: Import Grundwasser")
    revoke.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=ist widerrufen")
    assert m.ApiToken.objects.get().revoked_at is not None
    assert raw not in page.content()
