"""A process page in Arabic with German fallbacks: no axe violations, German laid out left to right."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from konzeptk.core.tests.browser import open_page, report, run_axe
from konzeptk.participation.tests.factories import IdeaFactory, ProcessFactory

from .conftest import phases_around

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_arabic_page_with_german_fallbacks_is_accessible_and_left_to_right(page: Page, city: Any) -> None:
    process = ProcessFactory(
        title="Radverkehr 2026: Wo fehlen Wege?",
        teaser="Schlagen Sie Radwege vor.",
        description="Die Stadt plant neue Radwege. Ihre Ideen werden aufgegriffen.",
    )
    process.title_ar = "حركة الدراجات 2026: أين تنقص المسارات؟"
    process.save()
    phases_around(process, "idea_collection", "results")
    idea = IdeaFactory(process=process)
    idea.answer_de = "Die Idee wird im Handlungsprogramm aufgegriffen."
    idea.status = "accepted"
    idea.save()
    page.set_default_navigation_timeout(60_000)  # two cores shared by many test runs
    open_page(page, f"/ar/beteiligung/{process.slug}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text().startswith("حركة الدراجات")  # translated: no hint
    teaser = page.locator("p.kern-body--large .kk-fallback")
    assert teaser.get_attribute("lang") == "de"
    assert teaser.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert teaser.evaluate("e => getComputedStyle(e).unicodeBidi") == "isolate"
    assert page.locator("p.kern-body--large .kk-lang-hint").is_visible()
    block = page.locator(".kk-prose .kk-fallback--block [lang='de']")
    assert block.evaluate("e => getComputedStyle(e).direction") == "ltr"
    violations = run_axe(page)
    assert not violations, report(violations)

    # the answer: the full stop stays at the end of the German sentence (the ".aufgegriffen" bug)
    open_page(page, f"/ar/beteiligung/{process.slug}/ideen/{idea.pk}/")
    answer = page.locator(".kk-answer [lang='de']")
    assert answer.evaluate("e => getComputedStyle(e).direction") == "ltr"
    box = answer.locator("p").evaluate(
        """p => { const r = document.createRange(); const t = p.firstChild;
                  r.setStart(t, t.length - 1); r.setEnd(t, t.length);
                  const dot = r.getBoundingClientRect(); r.setStart(t, 0); r.setEnd(t, 1);
                  return {dot: dot.left, first: r.getBoundingClientRect().left}; }"""
    )
    assert box["dot"] > box["first"]  # left to right: the full stop stands right of the first letter
    violations = run_axe(page)
    assert not violations, report(violations)
