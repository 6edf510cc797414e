"""Fixtures shared by every app's tests.

Browser tests drive Debian's Chromium (``/usr/bin/chromium``) through Playwright; a browser is never
downloaded. One Chromium runs per test session, every test gets fresh contexts. Without Chromium the
browser tests fail on CI (``CI=true``) and are skipped on a developer machine.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright

# Playwright's sync API runs an event loop in the main thread; Django would refuse database access
# from the test (and from the live server sharing the in-memory SQLite connection) without this.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("KONZEPTK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BROWSER_TIMEOUT_MS = 10_000


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    if not os.access(CHROMIUM, os.X_OK):
        message = (
            f"Chromium fehlt unter {CHROMIUM}. Installieren Sie Debians Paket: "
            "sudo apt-get install chromium (Playwright darf keinen Browser herunterladen)."
        )
        if _on_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    manager = sync_playwright()
    instance = manager.start()
    try:
        yield instance
    finally:
        manager.__exit__(None, None, None)


@pytest.fixture(scope="session")
def chromium(playwright_instance: Playwright) -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def new_context(
    chromium: Browser, live_server: Any, settings: Any
) -> Iterator[Callable[..., BrowserContext]]:
    """Factory for browser contexts pointed at the live server; all are closed after the test.
    Links in mails point at the live server too (every mail links to ``SITE_URL``)."""
    contexts: list[BrowserContext] = []
    settings.SITE_URL = live_server.url

    def make(**options: Any) -> BrowserContext:
        options.setdefault("base_url", live_server.url)
        options.setdefault("locale", "de-DE")
        context = chromium.new_context(**options)
        context.set_default_timeout(BROWSER_TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    """A page in a fresh context (own cookies, own session) with JavaScript on."""
    return new_context().new_page()


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Each test starts with an empty cache, as the database starts empty."""
    from django.core.cache import cache

    from konzeptk.city.selectors import forget_active_profile

    cache.clear()
    forget_active_profile()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _german_first() -> Iterator[None]:
    """Each test starts in German, the source language, whatever an earlier request activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
