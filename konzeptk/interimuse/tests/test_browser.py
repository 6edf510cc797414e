"""The interim-use pages in Chromium at 320 CSS pixels, German and Arabic: axe-core, one h1, the
page's language and direction, nothing wider than the screen. Public pages (a11y.py), the applicant's,
the jurors' and the coordination's pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext

from konzeptk.accounts.models import User
from konzeptk.core.tests.browser import preload_axe, signed_in_page
from konzeptk.innercity.tests.test_browser import NARROW, check
from konzeptk.interimuse.a11y import a11y_pages
from konzeptk.interimuse.demo import DECIDED, OPEN
from konzeptk.interimuse.models import Application, Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["de", "ar"])
def test_pages_pass_axe_at_320_px(
    new_context: Callable[..., BrowserContext], live_server: Any, language: str
) -> None:
    paths = a11y_pages()
    page = preload_axe(new_context(viewport=NARROW)).new_page()
    problems: list[str] = []
    for path in [*paths, f"/innenstadt/zwischennutzung/aufrufe/{OPEN}/bewerben/"]:
        problems += check(page, path, language) if "bewerben" not in path else []
    funded = (
        Application.objects.filter(call__slug=DECIDED, contract__isnull=False)
        .select_related("applicant")
        .get()
    )
    report = Report.objects.filter(contract__application=funded).order_by("due_on").last()
    assert report is not None
    tenant = signed_in_page(new_context, live_server, funded.applicant, with_axe=True, viewport=NARROW)
    for path in (
        "/innenstadt/zwischennutzung/meine-bewerbungen/",
        f"/innenstadt/zwischennutzung/meine-bewerbungen/{funded.pk}/",
        f"/innenstadt/zwischennutzung/berichte/{report.pk}/",
        f"/innenstadt/zwischennutzung/aufrufe/{OPEN}/bewerben/",
    ):
        problems += check(tenant, path, language)
    juror = User.objects.get(email="jury.kultur@demo.konzeptk.invalid")
    jury = signed_in_page(new_context, live_server, juror, with_axe=True, viewport=NARROW)
    for path in (
        "/innenstadt/zwischennutzung/jury/",
        f"/innenstadt/zwischennutzung/jury/{DECIDED}/",
        f"/innenstadt/zwischennutzung/jury/{DECIDED}/{funded.pk}/",
    ):
        problems += check(jury, path, language)
    staff = User.objects.get(email="admin@demo.konzeptk.invalid")
    admin = signed_in_page(new_context, live_server, staff, with_axe=True, viewport=NARROW)
    some_unit = funded.contract.unit_id
    for path in (
        "/innenstadt/zwischennutzung/verwaltung/",
        "/innenstadt/zwischennutzung/verwaltung/aufrufe/neu/",
        f"/innenstadt/zwischennutzung/verwaltung/aufrufe/{DECIDED}/",
        f"/innenstadt/zwischennutzung/verwaltung/aufrufe/{OPEN}/abgleich/",
        f"/innenstadt/zwischennutzung/verwaltung/aufrufe/{OPEN}/ladenlokale/{some_unit}/",
        f"/innenstadt/zwischennutzung/verwaltung/bewerbungen/{funded.pk}/",
        "/innenstadt/zwischennutzung/verwaltung/berichte/",
    ):
        problems += check(admin, path, language)
    assert not problems, "\n".join(problems)
