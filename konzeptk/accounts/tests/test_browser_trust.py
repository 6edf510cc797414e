"""Issue 11's new pages in Chromium: axe-core (WCAG 2.1 A/AA), no console error and no sideways scrolling
at 320 CSS pixels, German and Arabic: the Art. 15 page in the export ZIP, the delete page, the invite
form and open invitations on the organisation page, the invitee's invitation page, the 429 and 413 pages."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

import pytest
from django.test import override_settings
from playwright.sync_api import BrowserContext, ConsoleMessage, Page

from konzeptk.accounts import invitations
from konzeptk.accounts.export_archive import HTML_NAME
from konzeptk.accounts.models import Invitation, Membership, Organisation
from konzeptk.accounts.tests.factories import (
    DEFAULT_PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from konzeptk.core.tests.browser import in_language, open_page, run_axe, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}
ADMIN = "admin@beispiel.invalid"
INVITEE = "eingeladen@beispiel.invalid"

OVERFLOW_JS = """() => {
  const wide = [...document.querySelectorAll("body *")]
    .filter(el => el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
    .filter(el => !["auto", "scroll", "hidden"].includes(getComputedStyle(el).overflowX))
    .slice(-3).map(el => el.tagName.toLowerCase() + ": " + el.textContent.trim().slice(0, 60));
  const root = document.documentElement;
  return root.scrollWidth > root.clientWidth ? [`Seite ${root.scrollWidth}px bei ${root.clientWidth}px`, ...wide] : wide;
}"""


def _watch_console(page: Page) -> list[str]:
    """Errors in the console, except the one Chromium logs for a document answered 4xx on purpose."""
    errors: list[str] = []

    def on_console(msg: ConsoleMessage) -> None:
        failed = msg.text.startswith("Failed to load resource")
        # The 4xx of the page itself (a form error, 413, 429) is logged by Chromium; nothing else may be.
        expected = failed and msg.location["url"] == page.url
        if msg.type == "error" and not expected:
            errors.append(f"Konsole: {msg.text} ({msg.location['url']})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"Skriptfehler: {error}"))
    return errors


def _narrow_page(new_context: Callable[..., BrowserContext]) -> tuple[Page, list[str]]:
    page = new_context(viewport=NARROW).new_page()
    return page, _watch_console(page)


def _check(page: Page, label: str, language: str) -> list[str]:
    """axe, exactly one h1, language attributes and 320 px reflow of the page as it is now."""
    found = [f"{label}: {v.describe()}" for v in run_axe(page)]
    if (count := page.locator("h1").count()) != 1:
        found.append(f"{label}: {count} h1")
    html = page.locator("html")
    expected = (language, "rtl" if language == "ar" else "ltr")
    if (html.get_attribute("lang"), html.get_attribute("dir")) != expected:
        found.append(f"{label}: <html lang={html.get_attribute('lang')} dir={html.get_attribute('dir')}>")
    if overflow := page.evaluate(OVERFLOW_JS):
        found.append(f"{label}: zu breit bei 320 px: {overflow}")
    return found


def _log_in(page: Page, email: str, language: str) -> None:
    open_page(page, in_language("/konto/login/", language))
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    with page.expect_navigation(url=re.compile(r"/konto/$")):
        page.locator("form:has(input[name=password]) [type=submit]").click()


@pytest.mark.parametrize("language", ["de", "ar"])
def test_new_account_pages_pass_axe_reflow_and_console(
    new_context: Callable[..., BrowserContext], language: str
) -> None:
    OrganisationFactory(slug="swk", name="Stadtwerke Krefeld AG (SWK)")
    organisation = Organisation.objects.get(slug="swk")
    admin = UserFactory(email=ADMIN, display_name="Ada Admin")
    MembershipFactory(user=admin, organisation=organisation, role="admin")
    UserFactory(email=INVITEE)
    invitations.invitation_create(organisation=organisation, email=INVITEE, role="editor", actor=admin)
    token = Invitation.objects.get(email=INVITEE).token

    page, errors = _narrow_page(new_context)
    _log_in(page, ADMIN, language)
    problems: list[str] = []
    for path in ["/konto/loeschen/", "/konto/organisationen/swk/"]:
        open_page(page, in_language(path, language))
        problems += _check(page, path, language)
    assert page.locator("form[action$='/zurueckziehen/']").count() == 1, "offene Einladung fehlt"
    # The invite form with errors (empty address).
    with page.expect_navigation():
        page.locator("form[action$='/mitglieder/neu/'] [type=submit]").click()
    problems += _check(page, "Einladungsformular mit Fehlern", language)

    # The Art. 15 page inside the ZIP, with the account's data (a membership, an open invitation).
    response = page.request.get(in_language("/konto/daten/", language))
    assert response.status == 200
    with zipfile.ZipFile(io.BytesIO(response.body())) as archive:
        html = archive.read(HTML_NAME).decode("utf-8")
    # A fresh page: the site's CSP (style-src 'self') must not apply to the stand-alone file.
    offline, offline_errors = _narrow_page(new_context)
    offline.set_content(html)
    problems += _check(offline, HTML_NAME, language) + offline_errors

    # The invitee's page: once for the person invited, once for someone signed in with another address.
    guest, guest_errors = _narrow_page(new_context)
    _log_in(guest, INVITEE, language)
    open_page(guest, in_language(f"/konto/einladungen/{token}/", language))
    assert guest.locator("form [type=submit]").count() >= 1
    problems += _check(guest, "Einladung (eingeladene Person)", language)
    open_page(page, in_language(f"/konto/einladungen/{token}/", language))
    problems += _check(page, "Einladung (andere Adresse)", language)

    problems += errors + guest_errors
    assert not problems, "\n".join(problems)


def _submit_feedback(page: Page) -> int | None:
    open_page(page, "/barrierefreiheit/")
    page.locator("textarea[name=message]").fill("Die Karte ist mit der Bildschirmlupe schwer zu lesen. " * 40)
    with page.expect_navigation() as navigation:
        page.locator("form:has(textarea[name=message]) [type=submit]").click()
    response = navigation.value
    return response.status if response else None


def test_413_page_passes_axe_reflow_and_console(new_context: Callable[..., BrowserContext]) -> None:
    page, errors = _narrow_page(new_context)
    with override_settings(MAX_REQUEST_BYTES=1024):
        assert _submit_feedback(page) == 413
    problems = _check(page, "413", "de") + errors
    assert "größer als" in page.locator("main").inner_text()
    assert not problems, "\n".join(problems)


def test_429_page_passes_axe_reflow_and_console(new_context: Callable[..., BrowserContext]) -> None:
    page, errors = _narrow_page(new_context)
    with override_settings(RATELIMIT_ENABLE=True, KONZEPTK_RATE_LIMITS={"feedback": "1/d"}):
        statuses = [_submit_feedback(page) for _ in range(2)]
    assert statuses[-1] == 429, statuses
    problems = _check(page, "429", "de") + errors
    assert "zu oft" in page.locator("main").inner_text()
    assert not problems, "\n".join(problems)


def test_invitation_is_accepted_with_the_keyboard_and_without_javascript(
    new_context: Callable[..., BrowserContext],
) -> None:
    OrganisationFactory(slug="swk", name="Stadtwerke Krefeld AG (SWK)")
    organisation = Organisation.objects.get(slug="swk")
    admin = UserFactory(email=ADMIN)
    MembershipFactory(user=admin, organisation=organisation, role="admin")
    UserFactory(email=INVITEE)
    invitations.invitation_create(organisation=organisation, email=INVITEE, role="editor", actor=admin)
    token = Invitation.objects.get(email=INVITEE).token

    page = new_context(java_script_enabled=False).new_page()
    _log_in(page, INVITEE, "de")
    open_page(page, f"/konto/einladungen/{token}/")
    tab_to(page, description="Schaltfläche Einladung annehmen", tag="button", text="Einladung annehmen")
    with page.expect_navigation(url=re.compile(r"/konto/organisationen/swk/$")):
        page.keyboard.press("Enter")
    assert Membership.objects.filter(organisation=organisation, user__email=INVITEE, role="editor").exists()
