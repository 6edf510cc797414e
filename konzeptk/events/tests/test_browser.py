"""axe-core on the calendar's pages in German and Arabic at 320 px, signed in as organiser and as staff."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext

from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.core.tests.browser import in_language, preload_axe, report, run_axe, signed_in_page
from konzeptk.events.a11y import a11y_event, a11y_pages
from konzeptk.events.importer import feed_import
from konzeptk.events.models import Event, Feed
from konzeptk.events.services import event_submit
from konzeptk.events.tests.conftest import FEED_TODAY, event_data, feed_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["de", "ar"])
def test_the_pages_pass_axe_at_320_px(
    new_context: Callable[..., BrowserContext], live_server: Any, language: str
) -> None:
    paths = a11y_pages()
    staff = UserFactory(staff=True)
    pending = event_submit(by=staff, data=event_data(title="Eingereicht zur Prüfung"))
    feed = Feed.objects.create(title="Kulturbüro", url="https://kultur.example/termine.ics")
    run = feed_import(feed=feed, content=feed_bytes("kulturbuero.ics"), today=FEED_TODAY)
    page = signed_in_page(new_context, live_server, staff, viewport={"width": 320, "height": 800})
    preload_axe(page.context)
    problems = []
    for path in [
        *paths,
        "/veranstaltungen/einreichen/",
        "/veranstaltungen/meine/",
        "/veranstaltungen/verwaltung/",
        f"/veranstaltungen/verwaltung/{pending.pk}/",
        "/veranstaltungen/verwaltung/kalender/",
        f"/veranstaltungen/verwaltung/kalender/{feed.pk}/",
        f"/veranstaltungen/verwaltung/importe/{run.pk}/",
    ]:
        response = page.goto(in_language(path, language))
        assert response is not None, path
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
        problems += run_axe(page)
    assert not problems, report(problems)


def test_submitting_by_keyboard_without_javascript(
    new_context: Callable[..., BrowserContext], live_server: Any
) -> None:
    a11y_event()  # loads the city profile
    person = UserFactory()
    page = signed_in_page(
        new_context, live_server, person, java_script_enabled=False, viewport={"width": 320, "height": 800}
    )
    page.goto(live_server.url + "/veranstaltungen/einreichen/")
    page.get_by_label("Titel").fill("Hofkonzert")
    page.get_by_label("Beginn").fill("2030-06-01T18:00")
    page.get_by_label("Thema").select_option("musik")
    page.get_by_label("Name des Ortes").fill("Innenhof")
    page.get_by_role("button", name="Zur Prüfung senden").press("Enter")
    page.wait_for_load_state()
    assert "Die Redaktion prüft Ihre Veranstaltung" in page.content()
    assert Event.objects.get(title="Hofkonzert").status == Event.Status.PENDING
