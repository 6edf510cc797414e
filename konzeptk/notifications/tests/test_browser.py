"""axe-core on the pages of the notifications room, in German and Arabic, and the settings form
used with the keyboard alone, without JavaScript, at 320 px."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import BrowserContext, Page

from konzeptk.accounts.models import User
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.core.tests.browser import in_language, preload_axe, report, run_axe
from konzeptk.notifications.a11y import a11y_pages
from konzeptk.notifications.models import KindSetting, Notification, NotificationSetting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(
    new_context: Callable[..., BrowserContext], live_server: Any, user: User, **options: Any
) -> Page:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    context = new_context(**options)
    host = re.sub(r"^https?://", "", live_server.url).split(":")[0]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "domain": host, "path": "/"}]
    )
    return context.new_page()


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
    page = _signed_in(new_context, live_server, person)
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
    page = _signed_in(
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
