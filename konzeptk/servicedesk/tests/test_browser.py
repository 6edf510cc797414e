"""The Mängelmelder in a real browser: axe-core on the public pages (also run by the core browser
test through a11y.py) and on the staff pages, a report on a phone without JavaScript with a photo,
and the keyboard path through the form."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import BrowserContext, Page

from konzeptk.accounts.models import User
from konzeptk.core.tests.browser import in_language, open_page, report, run_axe, signed_in_page
from konzeptk.servicedesk.a11y import a11y_pages
from konzeptk.servicedesk.models import Category, Report, ReportPhoto
from konzeptk.servicedesk.services import report_create

from .conftest import jpeg_with_gps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["de", "ar"])
def test_servicedesk_pages_pass_axe(page: Page, language: str) -> None:
    problems = []
    for path in a11y_pages():
        open_page(page, in_language(path, language))
        assert page.locator("h1").count() == 1, path
        problems += run_axe(page)
    assert not problems, report(problems)


@pytest.mark.parametrize("language", ["de", "ar"])
def test_staff_queue_and_work_page_pass_axe(
    new_context: Callable[..., BrowserContext], live_server: Any, language: str
) -> None:
    a11y_pages()  # the city, the categories and demo accounts
    made = report_create(
        category=Category.objects.get(service_code="wilder-muell"),
        description="Sperrmüll am Gehweg, mit Foto (Testmeldung).",
        lat=51.3325,
        lon=6.5623,
        photos=[SimpleUploadedFile("foto.jpg", jpeg_with_gps(), content_type="image/jpeg")],
    ).report
    assert made.organisation is not None
    staff = User.objects.get(email="kernteam@demo.konzeptk.invalid")
    page = signed_in_page(new_context, live_server, staff, with_axe=True)
    problems = []
    for path in (
        f"/maengel/verwaltung/?org={made.organisation.slug}",
        f"/maengel/verwaltung/?org={made.organisation.slug}&unpublished=on&status=kaputt",
        f"/maengel/verwaltung/{made.service_request_id}/",
    ):
        open_page(page, in_language(path, language))
        assert page.locator("h1").count() == 1, path
        problems += run_axe(page)
    assert not problems, report(problems)


def test_report_on_a_phone_without_javascript_with_a_photo(
    new_context: Callable[..., BrowserContext], live_server: Any
) -> None:
    """A new user on a phone: category, text, a known place nearby, a photo, send, follow.

    (axe needs JavaScript; it checks these pages in the keyboard test below.)
    """
    a11y_pages()
    context = new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, java_script_enabled=False
    )
    page = context.new_page()
    started = time.monotonic()
    open_page(page, "/maengel/melden/")
    page.select_option("select[name=category]", label="Wilder Müll")
    page.fill("textarea[name=description]", "Sperrmüll neben dem Eingang")
    page.select_option("select[name=place]", label="Mediothek – Theaterplatz 2")
    page.get_by_role("button", name="Weiter: prüfen").click()
    page.wait_for_selector("text=Meldung absenden")
    assert page.get_by_text("bekannter Ort aus der Liste").count() == 1  # says that the place is approximate
    page.set_input_files(
        "input[name=photos]",
        files=[{"name": "foto.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}],
    )
    page.get_by_role("button", name="Meldung absenden").click()
    page.wait_for_selector("text=Vielen Dank für Ihre Meldung")
    page.locator("a[href*='/maengel/verfolgen/']").click()
    page.wait_for_selector("text=werden geprüft")
    elapsed = time.monotonic() - started
    created = Report.objects.get(description="Sperrmüll neben dem Eingang")
    assert not created.location_precise
    assert created.district is not None
    assert ReportPhoto.objects.filter(report=created, published=False).count() == 1
    assert elapsed < 60  # the whole way in the browser, without the resident's thinking time


@pytest.mark.parametrize("language", ["de", "ar"])
def test_report_with_keyboard_and_without_javascript_map(page: Page, language: str) -> None:
    """Address and district instead of the map; axe on the check page and the confirmation."""
    a11y_pages()
    open_page(page, in_language("/maengel/melden/", language))
    page.select_option("select[name=category]", index=2)
    page.fill("textarea[name=description]", "Sperrmüll neben dem Container")
    page.fill("input[name=address]", "Ostwall 100")
    page.select_option("select[name=district]", index=1)
    page.locator("textarea[name=description]").focus()
    page.keyboard.press("Tab")  # on to the next field: the form is in a sensible order
    page.locator("button[type=submit]").last.click()
    page.wait_for_selector("input[name=step][value='2']", state="attached")
    problems = run_axe(page)
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_url(re.compile("/maengel/melden/danke/"))
    problems += run_axe(page)
    assert not problems, report(problems)


@pytest.mark.parametrize("language", ["de", "ar"])
def test_pages_reflow_at_320_css_pixels(new_context: Callable[..., BrowserContext], language: str) -> None:
    """WCAG 1.4.10: at 320 CSS pixels wide nothing may need scrolling in two directions."""
    paths = a11y_pages()
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    too_wide = []
    for path in paths:
        open_page(page, in_language(path, language))
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if widths[0] > widths[1]:
            too_wide.append(f"{path}: {widths[0]}px breit bei {widths[1]}px Platz")
    assert not too_wide, "\n".join(too_wide)
