"""Survey answers come in bursts (a link in the newsletter): concurrent writers against a live server.

Many browsers answering at once all count; one browser sending its questionnaire from several tabs at
once is stored once, and the other tabs hear "already answered" (409) – never "bad input" (400) and
never an error page.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests

from konzeptk.core.tests import live
from konzeptk.core.tests.live import at_once
from konzeptk.surveys.models import Answer, Response
from konzeptk.surveys.tests.test_surveys import _post, _survey, _url

pytestmark = pytest.mark.django_db(transaction=True)

BROWSERS = 12
TABS = 6


needs_real_connections = live.needs_real_connections  # autouse: SQLite in memory is skipped


def _browser(url: str) -> tuple[requests.Session, str]:
    """A browser that has opened the questionnaire: its cookies (CSRF, survey token) and form token."""
    session = requests.Session()
    page = session.get(url, timeout=30)
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "the questionnaire has a CSRF token"
    return session, token.group(1)


def test_many_browsers_at_once_all_count(live_server: Any) -> None:
    survey = _survey()
    url = live_server.url + _url(survey)
    data = _post(survey)
    browsers = [_browser(url) for _ in range(BROWSERS)]

    def answer(i: int) -> int:
        session, token = browsers[i]
        sent = session.post(
            url, data={**data, "csrfmiddlewaretoken": token}, allow_redirects=False, timeout=60
        )
        return sent.status_code

    statuses = at_once(BROWSERS, answer)
    assert statuses == [302] * BROWSERS
    assert Response.objects.filter(survey=survey).count() == BROWSERS
    assert Response.objects.filter(survey=survey).values("browser_token").distinct().count() == BROWSERS
    # every stored questionnaire is whole: the single-choice answer of each of them
    single = survey.questions.get(kind="single")
    assert Answer.objects.filter(question=single).count() == BROWSERS


def test_one_browser_from_several_tabs_is_stored_once(live_server: Any) -> None:
    survey = _survey()
    url = live_server.url + _url(survey)
    data = _post(survey)
    session, token = _browser(url)
    cookies = session.cookies.get_dict()

    def answer(_: int) -> int:
        tab = requests.Session()
        tab.cookies.update(cookies)
        sent = tab.post(url, data={**data, "csrfmiddlewaretoken": token}, allow_redirects=False, timeout=60)
        return sent.status_code

    statuses = at_once(TABS, answer)
    assert sorted(statuses) == [302] + [409] * (TABS - 1), statuses
    assert Response.objects.filter(survey=survey).count() == 1
    single = survey.questions.get(kind="single")
    assert Answer.objects.filter(question=single).count() == 1
