"""axe-core on the participation pages that need an account (verification, notification settings,
Bürgerbüro, moderation, the staff pages for processes and phases, the account page; questionnaires: surveys/tests), in German and Arabic, and the code
letter flow in a real browser without JavaScript. The public pages are checked by core/tests/test_browser.py via a11y.py."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import BrowserContext, Page

from konzeptk.accounts.models import Membership, User, Verification
from konzeptk.accounts.tests.factories import MembershipFactory, UserFactory
from konzeptk.accounts.verification.services import resident_declare
from konzeptk.core.tests.browser import in_language, preload_axe, report, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page_for(
    new_context: Callable[..., BrowserContext], live_server: Any, user: Any, **options: Any
) -> Page:
    """A browser page signed in as ``user`` (a session made on the server, its cookie in the browser)."""
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


def preload_axe_page(new_context: Callable[..., BrowserContext], live_server: Any, user: Any) -> Page:
    page = _page_for(new_context, live_server, user)
    preload_axe(page.context)
    return page


@pytest.fixture
def setup(db: None) -> dict[str, Any]:
    from konzeptk.participation.a11y import a11y_pages
    from konzeptk.participation.models import Idea, Process, Report

    a11y_pages()  # a process with an idea and a comment
    process = Process.objects.get(slug="a11y-prozess")
    idea = Idea.objects.filter(process=process).first()
    assert idea is not None
    staff = UserFactory(platform_role=User.PlatformRole.STAFF)
    MembershipFactory(user=staff, organisation=process.organiser, role=Membership.Role.MODERATOR)
    Report.objects.create(idea=idea, reporter=UserFactory(), reason="Bitte prüfen")
    person = UserFactory(email="bewohnerin@beispiel.invalid")
    resident_declare(user=person, postcode="47798")
    return {
        "process": process,
        "staff": staff,
        "person": person,
    }


@pytest.mark.parametrize("language", ["de", "ar"])
def test_signed_in_pages_pass_axe(
    new_context: Callable[..., BrowserContext], live_server: Any, setup: dict[str, Any], language: str
) -> None:
    problems = []
    for user, paths in (
        (
            setup["person"],
            ["/konto/verifizierung/", "/benachrichtigungen/einstellungen/", "/konto/"],
        ),
        (
            setup["staff"],
            [
                "/konto/verwaltung/verifizierung/?email=bewohnerin%40beispiel.invalid",
                f"/beteiligung/{setup['process'].slug}/verwaltung/moderation/",
                "/beteiligung/verwaltung/",
                "/beteiligung/verwaltung/neu/",
                f"/beteiligung/{setup['process'].slug}/bearbeiten/",
                f"/beteiligung/{setup['process'].slug}/phasen/",
                "/konto/",
            ],
        ),
    ):
        page = preload_axe_page(new_context, live_server, user)
        for path in paths:
            response = page.goto(in_language(path, language))
            assert response is not None
            assert response.status == 200, path
            assert page.locator("h1").count() == 1, path
            problems += run_axe(page)
    assert not problems, report(problems)


def test_code_letter_flow_without_javascript(
    new_context: Callable[..., BrowserContext], live_server: Any, setup: dict[str, Any]
) -> None:
    """Staff print a letter; the resident types the code, all with JavaScript off."""

    def signed_in(user: Any) -> Page:
        return _page_for(new_context, live_server, user, java_script_enabled=False)

    staff_page = signed_in(setup["staff"])
    staff_page.goto("/konto/verwaltung/verifizierung/")
    staff_page.get_by_label("E-Mail-Adresse des Kontos").fill("bewohnerin@beispiel.invalid")
    staff_page.get_by_role("button", name="Konto suchen").click()
    staff_page.get_by_label("Anschrift für den Brief (wird nicht gespeichert)").fill(
        "Ostwall 1\n47798 Krefeld"
    )
    staff_page.get_by_role("button", name="Code-Brief erzeugen").click()
    code = staff_page.locator(".kk-letter__code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)

    person_page = signed_in(setup["person"])
    person_page.goto("/konto/verifizierung/")
    person_page.get_by_label("Code aus Ihrem Brief").fill(code.lower())
    person_page.get_by_role("button", name="Code prüfen").click()
    assert "Sie sind jetzt als Einwohner:in bestätigt" in person_page.content()
    assert Verification.objects.get(user=setup["person"]).method == Verification.Method.LETTER
