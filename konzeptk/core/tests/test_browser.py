"""Browser tests: axe-core (WCAG 2.1 A/AA) on every registered page in German and Arabic, keyboard-only
registration and login, and the pages without JavaScript. Chromium is Debian's, never downloaded."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import BrowserContext, Page

from konzeptk.accounts.models import User
from konzeptk.city.models import District
from konzeptk.city.selectors import active_profile, current_layer
from konzeptk.city.services import city_profile_load
from konzeptk.core.a11y import NOT_FOUND_PATH
from konzeptk.core.models import AccessibilityFeedback
from konzeptk.core.tests.browser import (
    a11y_staff_user,
    assert_focus_visible,
    collect_axe,
    focused,
    in_language,
    open_page,
    preload_axe,
    registered_pages,
    run_axe,
    signed_in_page,
    start_axe,
    tab_to,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Kref3ld-Seidenweberhaus!"


def _inspect(page: Page, path: str, language: str, *, redirects: bool = True) -> tuple[bool, list[str]]:
    """Open ``path`` and check status, language attributes and headings; False when the status is wrong
    (or, with ``redirects=False``, when the page sends elsewhere, e.g. to the sign-in)."""
    response = page.goto(path, wait_until="load")
    expected_status = 404 if path.endswith(NOT_FOUND_PATH) else 200
    status = response.status if response else None
    if status != expected_status:
        return False, [f"{path}: Status {status} statt {expected_status}"]
    if not redirects and response is not None and response.request.redirected_from is not None:
        return False, [f"{path}: umgeleitet nach {response.url}"]
    problems = []
    html = page.locator("html")
    lang, direction = html.get_attribute("lang"), html.get_attribute("dir")
    if (lang, direction) != (language, "rtl" if language == "ar" else "ltr"):
        problems.append(f'{path}: <html lang="{lang}" dir="{direction}">')
    if (h1_count := page.locator("h1").count()) != 1:
        problems.append(f"{path}: {h1_count} h1-Überschriften statt genau einer")
    return True, problems


def _audit(pages: list[Page], paths: list[str], language: str, *, redirects: bool = True) -> list[str]:
    """Check every path; the pages take turns, so one renderer runs axe while the next page loads."""
    problems: list[str] = []
    running: dict[int, Page] = {}
    for index, path in enumerate(paths):
        slot = index % len(pages)
        if slot in running:
            problems += [v.describe() for v in collect_axe(running.pop(slot))]
        page = pages[slot]
        loaded, found = _inspect(page, path, language, redirects=redirects)
        problems += found
        if loaded:
            start_axe(page)
            running[slot] = page
    for page in running.values():
        problems += [v.describe() for v in collect_axe(page)]
    return sorted(problems)


def _log_in(page: Page, email: str, language: str) -> None:
    open_page(page, in_language("/konto/login/", language))
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation(url=re.compile(r"/konto/$")):
        page.locator("form:has(input[name=password]) [type=submit]").click()


@pytest.mark.parametrize("language", ["de", "ar"])
def test_axe_finds_no_wcag_violation(new_context: Callable[..., BrowserContext], language: str) -> None:
    paths = registered_pages()
    assert "/" in paths
    assert "/konto/login/" in paths
    pages = [preload_axe(new_context()).new_page() for _ in range(2)]
    problems = _audit(pages, [in_language(path, language) for path in paths], language)

    # The account page, after logging in through the form.
    user = User.objects.create_user(email="axe@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    member_page = preload_axe(new_context()).new_page()
    _log_in(member_page, user.email, language)
    problems += _audit([member_page], [in_language("/konto/", language)], language)

    assert not problems, f"{len(problems)} Barrieren auf {len(paths) + 1} Seiten:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", ["de", "ar"])
def test_axe_finds_no_wcag_violation_on_staff_pages(
    new_context: Callable[..., BrowserContext], live_server: Any, language: str
) -> None:
    # The administration's pages (``a11y_staff_pages()`` of every app), signed in.
    paths = registered_pages("a11y_staff_pages")
    assert "/klima/verwaltung/" in paths
    page = signed_in_page(new_context, live_server, a11y_staff_user(), with_axe=True)
    problems = _audit([page], [in_language(path, language) for path in paths], language, redirects=False)
    assert not problems, f"{len(problems)} Barrieren auf {len(paths)} Verwaltungsseiten:\n" + "\n".join(
        problems
    )


def test_skip_link_is_first_tab_stop_and_moves_focus_to_content(page: Page) -> None:
    city_profile_load(source="krefeld")
    open_page(page, "/")
    page.keyboard.press("Tab")
    info = focused(page)
    assert info is not None
    assert "kk-skip-link" in info["classes"], f"Erster Tab-Halt ist {info}"
    assert_focus_visible(info)
    assert page.locator(".kk-skip-link").bounding_box()["y"] >= 0  # type: ignore[index]
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'inhalt'")
    # The next Tab continues inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.getElementById('inhalt').contains(document.activeElement)")


def test_register_verify_and_log_in_with_the_keyboard_only(page: Page) -> None:
    email = "tastatur@example.org"
    mail.outbox = []
    open_page(page, "/")

    tab_to(page, description="Link „Registrieren“", tag="a", href="/konto/signup/")
    with page.expect_navigation(url=re.compile(r"/konto/signup/$")):
        page.keyboard.press("Enter")
    tab_to(page, description="Feld E-Mail", name="email")
    page.keyboard.type(email)
    tab_to(page, description="Feld Anzeigename", name="display_name")
    page.keyboard.type("Tastatur-Test")
    tab_to(page, description="Feld Passwort", name="password1")
    page.keyboard.type(PASSWORD)
    tab_to(page, description="Feld Passwort wiederholen", name="password2")
    page.keyboard.type(PASSWORD)
    tab_to(page, description="Einwilligung Datenschutz", name="accept_terms")
    page.keyboard.press("Space")
    assert page.locator("input[name=accept_terms]").is_checked()
    tab_to(page, description="Schaltfläche Registrieren", type="submit")
    with page.expect_navigation(url=re.compile(r"/konto/confirm-email/$")):
        page.keyboard.press("Enter")

    user = User.objects.get(email=email)
    assert not EmailAddress.objects.get(user=user).verified
    messages = [m for m in mail.outbox if email in m.to]
    assert len(messages) == 1, [m.subject for m in mail.outbox]
    link = re.search(r"https?://\S+/konto/confirm-email/\S+/", str(messages[0].body))
    assert link, messages[0].body

    open_page(page, link.group(0))
    tab_to(page, description="Schaltfläche Bestätigen", type="submit")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("form[action$='/konto/logout/']").count() == 1, "Bestätigen hat nicht angemeldet"
    assert EmailAddress.objects.get(user=user).verified

    # Confirming logged the new account in; log out with the keyboard (button in the main navigation).
    open_page(page, "/")
    tab_to(page, description="Schaltfläche Abmelden", tag="button", text="Abmelden")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("form[action$='/konto/logout/']").count() == 0, "Abmelden hat nicht abgemeldet"

    open_page(page, "/")
    tab_to(page, description="Link „Anmelden“", tag="a", href="/konto/login/")
    with page.expect_navigation(url=re.compile(r"/konto/login/")):
        page.keyboard.press("Enter")
    tab_to(page, description="Feld E-Mail", name="login")
    page.keyboard.type(email)
    tab_to(page, description="Feld Passwort", name="password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation(url=re.compile(r"/konto/$")):
        page.keyboard.press("Enter")  # submits the form from the password field
    assert page.locator("h1").inner_text().strip() == "Mein Konto"
    # Shift+Tab walks backwards from the end of the page to the logout button.
    tab_to(page, description="Schaltfläche Abmelden rückwärts", backwards=True, tag="button", text="Abmelden")


def test_home_and_feedback_form_work_without_javascript(new_context: Callable[..., BrowserContext]) -> None:
    city_profile_load(source="krefeld")
    profile = active_profile()
    assert profile is not None
    layer = current_layer(profile)
    district_count = District.objects.filter(layer=layer).count()
    assert district_count > 0

    page = new_context(java_script_enabled=False).new_page()
    open_page(page, "/")
    svg = page.locator("figure.kk-map svg.kk-map__svg")
    assert svg.is_visible()
    assert svg.locator("path.kk-map__area").count() == district_count
    assert page.locator("figure.kk-map .kk-map__leaflet").count() == 0
    rows = page.locator(".kk-map-list table tbody tr")
    assert rows.count() == district_count

    open_page(page, "/barrierefreiheit/")
    page.locator("textarea[name=message]").fill("Die Karte ist mit der Bildschirmlupe schwer zu lesen.")
    page.locator("input[name=page_url]").fill("/")
    with page.expect_navigation():
        page.locator("form:has(textarea[name=message]) [type=submit]").click()
    assert page.locator(".kk-messages").inner_text().startswith("Vielen Dank!")
    feedback = AccessibilityFeedback.objects.get()
    assert feedback.page_url == "/"
    assert feedback.language == "de"


def test_axe_runner_reports_violations_with_rule_target_and_help(page: Page) -> None:
    # The checker itself must be able to fail: a page with known barriers yields readable findings.
    page.set_content(
        '<html lang="de"><head><title>Probe</title></head><body><main><h1>Probe</h1>'
        '<p id="blass" class="blass">Kaum lesbar</p><img id="bild" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        "</main></body></html>"
    )
    page.add_style_tag(content=".blass { color: #bbb; background: #fff; }")
    violations = {v.rule: v for v in run_axe(page)}
    assert set(violations) >= {"color-contrast", "image-alt"}
    assert violations["image-alt"].targets == ["#bild"]
    assert violations["color-contrast"].impact == "serious"
    assert "#blass" in violations["color-contrast"].describe()


@pytest.mark.parametrize("language", ["de", "ar"])
def test_pages_reflow_at_320_css_pixels(new_context: Callable[..., BrowserContext], language: str) -> None:
    # WCAG 1.4.10: at 320 CSS pixels wide nothing may need scrolling in two directions.
    city_profile_load(source="krefeld")
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    too_wide = []
    for path in ["/", "/barrierefreiheit/", "/konto/signup/", "/konto/login/"]:
        open_page(page, in_language(path, language))
        overflow = page.evaluate(
            """() => [...document.querySelectorAll("body *")]
              .filter(el => el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
              .filter(el => !["auto", "scroll", "hidden"].includes(getComputedStyle(el).overflowX))
              .filter(el => !el.closest(".leaflet-container"))
              .slice(-3).map(el => el.tagName.toLowerCase() + ": " + el.textContent.trim().slice(0, 60))"""
        )
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if widths[0] > widths[1] or overflow:
            too_wide.append(
                f"{path}: Seite {widths[0]}px breit bei {widths[1]}px Platz; zu breit: {overflow}"
            )
    assert not too_wide, "\n".join(too_wide)
