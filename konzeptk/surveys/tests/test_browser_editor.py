"""axe-core on the questionnaire pages of organisers (the phase editor with its questionnaires, a new
questionnaire, the editor of an unanswered and of an answered, locked one), in German and Arabic.
The public survey pages are checked by core/tests/test_browser.py via surveys/a11y.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext

from konzeptk.accounts.models import Membership, User
from konzeptk.accounts.tests.factories import MembershipFactory, UserFactory
from konzeptk.core.tests.browser import in_language, report, run_axe, signed_in_page
from konzeptk.surveys import services
from konzeptk.surveys.a11y import a11y_pages
from konzeptk.surveys.models import Survey
from konzeptk.surveys.phase_type import KEY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["de", "ar"])
def test_questionnaire_editor_pages_pass_axe(
    new_context: Callable[..., BrowserContext], live_server: Any, language: str
) -> None:
    a11y_pages()  # a process in its survey phase with an answered questionnaire
    answered = Survey.objects.select_related("process", "phase").get(title="Umfrage zum Stadtpark")
    process, phase = answered.process, answered.phase
    assert phase is not None
    assert phase.type == KEY
    staff = UserFactory(platform_role=User.PlatformRole.STAFF)
    MembershipFactory(user=staff, organisation=process.organiser, role=Membership.Role.EDITOR)
    # a questionnaire without answers (the editor shows every form) next to the answered one (locked)
    fresh = services.survey_create(phase=phase, by=staff, title="Neuer Fragebogen", allows_anonymous=True)
    services.question_save(survey=fresh, by=staff, text="Was wünschen Sie sich?", kind="text", required=False)
    services.question_save(
        survey=fresh, by=staff, text="Was zuerst?", kind="ranking", choices=["Bänke", "Bäume", "Wasser"]
    )
    page = signed_in_page(new_context, live_server, staff, with_axe=True)
    problems = []
    for path in (
        f"/beteiligung/{process.slug}/phasen/",
        f"/beteiligung/{process.slug}/phasen/{phase.pk}/umfrage-anlegen/",
        f"/beteiligung/{process.slug}/umfragen/{fresh.pk}/bearbeiten/",
        f"/beteiligung/{process.slug}/umfragen/{answered.pk}/bearbeiten/",
    ):
        response = page.goto(in_language(path, language))
        assert response is not None
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
        problems += run_axe(page)
    assert not problems, report(problems)
