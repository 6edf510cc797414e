"""Anonymous subscriptions to the city's warnings sent at the same moment against a live server: many
addresses at once are each stored once; one address from several tabs is one subscription with one
confirmation mail, and every tab gets the normal answer – never an error page, never "bad input". A burst
over the limit gets the limit's page, never an error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from django.core.cache import caches

from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.city.models import District
from konzeptk.city.selectors import forget_active_profile
from konzeptk.core.tests import live
from konzeptk.core.tests.live import CSRF_FIELD, at_once, signed_in_form
from konzeptk.notifications.models import Mail
from konzeptk.resilience.models import Subscription
from konzeptk.resilience.tests.alerts_support import make_city

pytestmark = pytest.mark.django_db(transaction=True)

PATH = "/warnungen/abonnieren/"
BROWSERS = 12
TABS = 6
REQUESTED = "Bitte bestätigen Sie Ihre Adresse"


needs_real_connections = live.needs_real_connections  # autouse: SQLite in memory is skipped


@pytest.fixture
def districts(transactional_db: Any) -> Iterator[tuple[District, District]]:
    yield make_city()
    forget_active_profile()


def _opened_form(live_server: Any) -> tuple[requests.Session, str]:
    """A browser without an account that has opened the form: its session and the form's CSRF token."""
    browser = requests.Session()
    page = browser.get(live_server.url + PATH, timeout=30)
    assert page.status_code == 200
    token = CSRF_FIELD.search(page.text)
    assert token, "the form has a CSRF token"
    return browser, token.group(1)


def _send(live_server: Any, form: tuple[requests.Session, str], **data: Any) -> requests.Response:
    browser, token = form
    return browser.post(
        live_server.url + PATH,
        data={"language": "de", **data, "csrfmiddlewaretoken": token},
        headers={"Referer": live_server.url + PATH},
        allow_redirects=False,
        timeout=60,
    )


def _is_the_confirmation_page(answer: requests.Response) -> bool:
    return answer.status_code == 200 and REQUESTED in answer.text and "ungültig" not in answer.text


def test_twelve_addresses_at_once_are_each_stored_once(
    live_server: Any, districts: tuple[District, District], settings: Any
) -> None:
    settings.RATELIMIT_ENABLE = False  # twelve people, but all from 127.0.0.1: the limit is tested below
    mitte, _ost = districts
    forms = [_opened_form(live_server) for _ in range(BROWSERS)]
    answers: list[requests.Response | None] = [None] * BROWSERS

    def send(i: int) -> int:
        answers[i] = _send(live_server, forms[i], email=f"leser{i}@beispiel.invalid", districts=[mitte.pk])
        return answers[i].status_code  # type: ignore[union-attr]

    assert at_once(BROWSERS, send) == [200] * BROWSERS
    assert all(a is not None and _is_the_confirmation_page(a) for a in answers)
    stored = sorted(Subscription.objects.values_list("email", flat=True))
    assert stored == sorted(f"leser{i}@beispiel.invalid" for i in range(BROWSERS))
    assert all(list(s.districts.all()) == [mitte] for s in Subscription.objects.all())
    mails = sorted(Mail.objects.filter(kind="optin").values_list("to", flat=True))
    assert mails == stored  # one confirmation mail each


def test_one_address_from_six_tabs_is_one_subscription_with_one_mail(
    live_server: Any, districts: tuple[District, District], settings: Any
) -> None:
    settings.RATELIMIT_ENABLE = False
    mitte, ost = districts
    forms = [_opened_form(live_server) for _ in range(TABS)]
    answers: list[requests.Response | None] = [None] * TABS

    def send(i: int) -> int:
        # the same address, written differently in some tabs; the districts differ too
        email = "leserin@beispiel.invalid" if i % 2 else "Leserin@Beispiel.invalid"
        answers[i] = _send(live_server, forms[i], email=email, districts=[(mitte, ost)[i % 2].pk])
        return answers[i].status_code  # type: ignore[union-attr]

    assert at_once(TABS, send) == [200] * TABS
    assert all(a is not None and _is_the_confirmation_page(a) for a in answers)
    assert Subscription.objects.filter(email__iexact="leserin@beispiel.invalid").count() == 1
    assert Subscription.objects.count() == 1
    assert Mail.objects.filter(kind="optin").count() == 1  # only the one opt-in mail
    assert Mail.objects.count() == 1


def test_the_inbox_from_six_tabs_of_one_account_is_one_subscription(
    live_server: Any, districts: tuple[District, District], settings: Any
) -> None:
    settings.RATELIMIT_ENABLE = False
    mitte, _ost = districts
    person = UserFactory()
    forms = [signed_in_form(live_server, person, PATH) for _ in range(TABS)]

    def send(i: int) -> int:
        answer = _send(live_server, forms[i], email="", districts=[mitte.pk])
        assert answer.headers.get("Location", "").endswith(PATH)  # back to the form, with the message
        return answer.status_code

    assert at_once(TABS, send) == [302] * TABS
    (stored,) = Subscription.objects.all()
    assert (stored.user_id, stored.by_inbox, stored.by_email) == (person.pk, True, False)
    assert not Mail.objects.exists()


def test_a_burst_over_the_limit_gets_the_limits_page_never_an_error(
    live_server: Any, districts: tuple[District, District], settings: Any
) -> None:
    settings.RATELIMIT_ENABLE = True
    settings.KONZEPTK_RATE_LIMITS = {"warning_subscribe": "5/h"}
    caches["shared"].clear()
    forms = [_opened_form(live_server) for _ in range(BROWSERS)]
    answers: list[requests.Response | None] = [None] * BROWSERS

    def send(i: int) -> int:
        answers[i] = _send(live_server, forms[i], email=f"flut{i}@beispiel.invalid")
        return answers[i].status_code  # type: ignore[union-attr]

    statuses = at_once(BROWSERS, send)
    assert sorted(statuses) == [200] * 5 + [429] * (BROWSERS - 5)  # the counter counts every request once
    for answer in answers:
        assert answer is not None
        if answer.status_code == 429:
            assert "Bitte warten Sie etwas" in answer.text
            assert answer.headers["Retry-After"].isdigit()
        else:
            assert _is_the_confirmation_page(answer)
    assert Subscription.objects.count() == 5
    assert Mail.objects.filter(kind="optin").count() == 5
