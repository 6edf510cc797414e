"""Every page of the accessibility page list (the ``a11y.py`` of every app) on a 320-pixel phone, in German
and Arabic, with JavaScript: no console error, no uncaught script error, no failed or 4xx/5xx
sub-request, nothing wider than the screen (WCAG 1.4.10), nothing scrolling sideways except in a named
region the keyboard reaches, no chart text smaller than 12 pixels and no select box without its border
and arrow.

Pages a new app registers are swept without changing this file. One browser page is reused for all
paths; the administration's pages (``a11y_staff_pages()``) are swept signed in as a member of the
administration. Before leaving a page the test waits until its requests have finished, so a request aborted by
the next navigation is never mistaken for a failure.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Request, Response

from konzeptk.core.a11y import NOT_FOUND_PATH
from konzeptk.core.tests.browser import a11y_staff_user, in_language, registered_pages, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 320
SMALLEST_TEXT_PX = 12

#: The page as a phone shows it: document width, the outermost elements sticking out (for the message)
#: and SVG text whose size on the screen (font size times the SVG's scale) is below the minimum.
MEASURE_JS = """(minimum) => {
  const vw = document.documentElement.clientWidth;
  const describe = el => {
    const cls = typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\\s+/).join(".") : "";
    return `<${el.tagName.toLowerCase()}${cls}> „${(el.textContent || "").trim().slice(0, 40)}“`;
  };
  const clipped = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  const out = el => { const r = el.getBoundingClientRect(); return r.width > 0 && (r.right > vw + 1 || r.left < -1); };
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (!out(el) || clipped(el) || (el.parentElement && el.parentElement !== document.body && out(el.parentElement) && !clipped(el.parentElement))) continue;
    const r = el.getBoundingClientRect();
    const cls = typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\\s+/).join(".") : "";
    wide.push(`<${el.tagName.toLowerCase()}${cls}> ${Math.round(r.left)}…${Math.round(r.right)} px „${(el.textContent || "").trim().slice(0, 40)}“`);
  }
  const small = new Set();
  for (const t of document.querySelectorAll("svg text")) {
    if (t.closest(".leaflet-container") || !t.getClientRects().length || !t.textContent.trim()) continue;
    const m = t.getScreenCTM();
    if (!m) continue;
    const size = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
    if (size < minimum - 0.05) small.add(`${size.toFixed(1)} px „${t.textContent.trim().slice(0, 30)}“`);
  }
  // A select box shows a border and an arrow: its own, the browser's, or those of KERN's wrapper.
  const bare = [];
  for (const s of document.querySelectorAll("select:not([multiple])")) {
    if (!s.checkVisibility()) continue;
    const own = getComputedStyle(s);
    const wrap = s.parentElement;
    const wrapped = wrap.classList.contains("kern-form-input__select-wrapper");
    const border = parseFloat((wrapped ? getComputedStyle(wrap) : own).borderBottomWidth) >= 1;
    const arrow = own.appearance !== "none" || own.backgroundImage !== "none" || (wrapped && getComputedStyle(wrap, "::after").content !== "none");
    if (!border || !arrow) bare.push(`#${s.id || s.name} (${border ? "" : "ohne Rahmen "}${arrow ? "" : "ohne Pfeil"})`);
  }
  // What scrolls sideways inside the page is a region with a name that the keyboard can reach.
  const unnamed = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest(".leaflet-container") || el.scrollWidth <= el.clientWidth + 1) continue;
    if (!["auto", "scroll"].includes(getComputedStyle(el).overflowX)) continue;
    const named = el.getAttribute("role") === "region" && (el.hasAttribute("aria-labelledby") || el.hasAttribute("aria-label"));
    if (!named || el.tabIndex < 0) unnamed.push(describe(el));
  }
  return {scrollWidth: document.documentElement.scrollWidth, clientWidth: vw, unnamed: unnamed.slice(0, 4), wide: wide.slice(0, 4), small: [...small].slice(0, 4), bare};
}"""


class Traffic:
    """The requests of one page: what failed, and how many are still running."""

    def __init__(self, page: Page) -> None:
        self.problems: list[str] = []
        self.running: set[Request] = set()
        page.on("console", lambda m: self._note(f"Konsole: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self._note(f"Skriptfehler: {e}"))
        page.on("request", lambda r: self.running.add(r))
        page.on("requestfinished", lambda r: self.running.discard(r))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _note(self, text: str) -> None:
        self.problems.append(text)

    def _failed(self, request: Request) -> None:
        self.running.discard(request)
        # Aborted by the next navigation (the browser asks for the favicon late): not a failed asset;
        # a missing or broken file answers with a status and is caught in _response.
        if request.failure != "net::ERR_ABORTED":
            self._note(f"Anfrage gescheitert: {request.url} ({request.failure})")

    def _response(self, response: Response) -> None:
        if response.status < 400:
            return
        # The page of the 404 check answers 404 on purpose; its sub-requests still count.
        expected = response.request.is_navigation_request() and response.url.endswith(NOT_FOUND_PATH)
        if not expected:
            self._note(f"Status {response.status}: {response.url}")

    def settle(self, page: Page, timeout: float = 5.0) -> None:
        """Wait until no request of the page is running (a map's data, a font)."""
        end = time.monotonic() + timeout
        while self.running and time.monotonic() < end:
            page.wait_for_timeout(25)
        if self.running:
            self._note(f"Anfragen laufen nach {timeout:.0f} s noch: {[r.url for r in self.running]}")


def _sweep(page: Page, traffic: Traffic, paths: list[str], *, redirects: bool = True) -> list[str]:
    """Check every path; ``redirects=False``: a page that sends elsewhere (e.g. to the sign-in) is a finding."""
    found: list[str] = []
    for path in paths:
        traffic.problems.clear()
        response = page.goto(path, wait_until="load")
        expected = 404 if path.endswith(NOT_FOUND_PATH) else 200
        if response is None or response.status != expected:
            found.append(f"{path}: Status {response.status if response else None} statt {expected}")
            continue
        if not redirects and response.request.redirected_from is not None:
            found.append(f"{path}: umgeleitet nach {response.url}")
            continue
        traffic.settle(page)
        measured = page.evaluate(MEASURE_JS, SMALLEST_TEXT_PX)
        problems = [
            p
            for p in traffic.problems
            # The expected 404 page is logged by the browser as a failed resource.
            if not (expected == 404 and "404" in p and p.startswith("Konsole:"))
        ]
        if measured["scrollWidth"] > min(WIDTH, measured["clientWidth"]):
            problems.append(f"{measured['scrollWidth']} px breit: {'; '.join(measured['wide']) or '?'}")
        if measured["unnamed"]:
            problems.append(f"scrollt ohne benannte, fokussierbare Region: {'; '.join(measured['unnamed'])}")
        if measured["bare"]:
            problems.append(f"Auswahlfeld ohne Rahmen oder Pfeil: {', '.join(measured['bare'])}")
        if measured["small"]:
            problems.append(f"Diagrammtext unter {SMALLEST_TEXT_PX} px: {'; '.join(measured['small'])}")
        found += [f"{path}: {p}" for p in problems]
    return found


@pytest.mark.parametrize("language", ["de", "ar"])
def test_every_page_on_a_phone_without_errors_or_sideways_scrolling(
    new_context: Callable[..., BrowserContext], language: str
) -> None:
    paths = [in_language(path, language) for path in registered_pages()]
    page = new_context(viewport={"width": WIDTH, "height": 640}).new_page()
    traffic = Traffic(page)
    problems = _sweep(page, traffic, paths)
    summary = f"{len(problems)} Befunde auf {len(paths)} Seiten bei {WIDTH} px:"
    assert not problems, "\n".join([summary, *problems])


@pytest.mark.parametrize("language", ["de", "ar"])
def test_every_staff_page_on_a_phone_without_errors_or_sideways_scrolling(
    new_context: Callable[..., BrowserContext], live_server: Any, language: str
) -> None:
    # The administration's pages (``a11y_staff_pages()``), signed in as a member of the administration.
    paths = [in_language(path, language) for path in registered_pages("a11y_staff_pages")]
    assert "/bildung/verwaltung/" in paths or language != "de", paths
    page = signed_in_page(
        new_context, live_server, a11y_staff_user(), viewport={"width": WIDTH, "height": 640}
    )
    traffic = Traffic(page)
    problems = _sweep(page, traffic, paths, redirects=False)
    summary = f"{len(problems)} Befunde auf {len(paths)} Verwaltungsseiten bei {WIDTH} px:"
    assert not problems, "\n".join([summary, *problems])


def test_the_sweep_catches_overflow_small_chart_text_and_failed_requests(
    new_context: Callable[..., BrowserContext],
) -> None:
    # The checker itself must be able to fail: a wide table, tiny chart text and a missing image.
    page = new_context(viewport={"width": WIDTH, "height": 640}).new_page()
    traffic = Traffic(page)
    page.route(
        "**/probe/",
        lambda route: route.fulfill(
            content_type="text/html",
            body=(
                '<html lang="de"><body><table><tr><td>'
                + "Donaudampfschifffahrtsgesellschaft " * 3
                + '</td><td style="min-width:400px">x</td></tr></table>'
                '<svg viewBox="0 0 1000 100" width="300"><text x="10" y="50" font-size="12">klein</text></svg>'
                '<img src="/static/gibt-es-nicht.png" alt="x">'
                '<select id="nackt" class="kern-form-input__select"><option>a</option></select>'
                '<div class="rolle" style="overflow-x: auto"><p style="width: 600px">breit</p></div>'
                "<style>.kern-form-input__select { appearance: none; border: 0; background: none; }</style>"
                "</body></html>"
            ),
        ),
    )
    problems = "\n".join(_sweep(page, traffic, ["/probe/"]))
    assert "px breit" in problems
    assert "Diagrammtext unter 12 px" in problems
    assert "klein" in problems
    assert "Status 404: " in problems
    assert "gibt-es-nicht.png" in problems
    assert "Auswahlfeld ohne Rahmen oder Pfeil: #nackt (ohne Rahmen ohne Pfeil)" in problems
    assert "scrollt ohne benannte, fokussierbare Region: <div.rolle>" in problems
