"""axe-core on the pages of the notifications room, in German and Arabic, and the settings form
used with the keyboard alone, without JavaScript, at 320 px."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext

from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.core.tests.browser import in_language, preload_axe, report, run_axe, signed_in_page
from konzeptk.notifications.a11y import a11y_pages
from konzeptk.notifications.models import KindSetting, Notification, NotificationSetting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["de", "ar"])
def test_the_pages_pass_axe(
    new_context: Callable[..., BrowserContext], live_server: Any, language: str
) -> None:
    person = UserFactory()
    Notification.objects.bulk_create(
        [
            Notification(recipient=person, kind="reply", subject=f"Antwort {i}", body="Text", url="/")
            for i in range(25)
        ]
    )
    page = signed_in_page(new_context, live_server, person)
    preload_axe(page.context)
    problems = []
    for path in [
        "/benachrichtigungen/",
        "/benachrichtigungen/?page=2",
        "/benachrichtigungen/einstellungen/",
        *a11y_pages(),
    ]:
        response = page.goto(in_language(path, language))
        assert response is not None
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
        problems += run_axe(page)
    assert not problems, report(problems)


def test_the_settings_by_keyboard_without_javascript_at_320_px(
    new_context: Callable[..., BrowserContext], live_server: Any
) -> None:
    person = UserFactory()
    page = signed_in_page(
        new_context, live_server, person, java_script_enabled=False, viewport={"width": 320, "height": 640}
    )
    page.goto(live_server.url + "/benachrichtigungen/einstellungen/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.get_by_label("einmal täglich").check()
    page.get_by_label("neue Phasen in Prozessen, denen ich folge").select_option("never")
    page.get_by_role("button", name="Einstellungen speichern").press("Enter")
    page.wait_for_load_state()
    assert "Ihre Einstellungen sind gespeichert" in page.content()
    assert NotificationSetting.objects.get(user=person).email_frequency == "daily"
    assert list(KindSetting.objects.filter(user=person).values_list("kind", "frequency")) == [
        ("phase", "never")
    ]
