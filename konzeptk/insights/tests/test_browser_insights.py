"""axe-core (WCAG 2.1 A/AA) on the insights pages, public and behind the login, in German and Arabic;
voting on statements with the keyboard and without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext

from konzeptk.accounts.models import User
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.accounts.tests.test_browser_accounts import _log_in, _problems
from konzeptk.core.tests.browser import in_language, open_page
from konzeptk.insights.a11y import a11y_pages
from konzeptk.insights.models import StatementVote
from konzeptk.participation.models import Phase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["de", "ar"])
def test_insights_pages_have_no_wcag_violations(
    new_context: Callable[..., BrowserContext], language: str
) -> None:
    public = a11y_pages()
    phase = Phase.objects.get(process__slug="meinungsbild-digitales-krefeld", type="meinungsbild")
    _survey_with_scale_and_ranking(phase.process)
    staff = UserFactory(email="kernteam@beispiel.invalid", platform_role=User.PlatformRole.STAFF)
    problems: list[str] = []
    page = new_context().new_page()
    for path in public:
        open_page(page, in_language(path, language))
        problems += _problems(page)
    _log_in(page, staff.email, language)
    for path in [
        "/auswertung/",
        "/auswertung/meine-angaben/",
        "/auswertung/beteiligte/",
        f"/auswertung/prozess/{phase.process.slug}/gewichtet/",
        f"/auswertung/prozess/{phase.process.slug}/",
        f"/auswertung/meinungsbild/{phase.pk}/",
        f"/auswertung/meinungsbild/{phase.pk}/verwaltung/moderation/",
    ]:
        open_page(page, in_language(path, language))
        problems += _problems(page)
    # the profile form with an error
    open_page(page, in_language("/auswertung/meine-angaben/", language))
    page.locator("input[name=postcode]").fill("12")
    with page.expect_navigation():
        page.locator("button[name=suggest]").click()
    assert page.locator("[aria-invalid=true]").count() >= 1
    problems += _problems(page)
    assert not problems, "\n".join(problems)


def _survey_with_scale_and_ranking(process: Any) -> None:
    """Simulated people of the demo answer a scale and a ranking question (weighted results page)."""
    from konzeptk.surveys.models import Answer, Choice, Question, Response, Survey

    survey = Survey.objects.create(process=process, title="Digitale Angebote")
    scale = Question.objects.create(
        survey=survey,
        text="Wie sicher fühlen Sie sich online?",
        kind=Question.Kind.SCALE,
        scale_low_label="gar nicht",
        scale_high_label="sehr",
    )
    ranking = Question.objects.create(survey=survey, text="Was zuerst?", kind=Question.Kind.RANKING)
    choices = [Choice.objects.create(question=ranking, text=t) for t in ("WLAN", "Kurse", "Termine")]
    people = User.objects.filter(email__startswith="demo-meinungsbild-").order_by("pk")[:40]
    for i, user in enumerate(people):
        response = Response.objects.create(survey=survey, user=user)
        Answer.objects.create(response=response, question=scale, value=1 + i % 5)
        order = choices[i % 3 :] + choices[: i % 3]
        Answer.objects.bulk_create(
            [Answer(response=response, question=ranking, choice=c, value=n) for n, c in enumerate(order, 1)]
        )


def test_vote_with_the_keyboard_and_without_javascript(new_context: Callable[..., BrowserContext]) -> None:
    a11y_pages()
    phase = Phase.objects.get(process__slug="meinungsbild-digitales-krefeld", type="meinungsbild")
    person = UserFactory(email="stimme@beispiel.invalid")
    page = new_context(java_script_enabled=False).new_page()
    _log_in(page, person.email, "de")
    open_page(page, f"/auswertung/meinungsbild/{phase.pk}/")
    first = page.locator(".kk-statement").inner_text()
    page.locator("button[name=value][value='1']").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert StatementVote.objects.filter(user=person, value=1).count() == 1
    assert page.locator(".kk-statement").inner_text() != first
    assert "1 von 30" in page.locator(".kk-progress").inner_text()
