"""Login protection counts per address and account together, so a stranger cannot lock a person out.

Finding 4 of issue 11: allauth's per-account lockout ("5/5m/key") let anyone who knew an e-mail
address lock its owner out with five wrong passwords.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from konzeptk.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
TOO_MANY = "Zu viele fehlgeschlagene Anmeldeversuche"


@pytest.fixture
def production_login_limits(settings: Any) -> None:
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "20/5m/ip,5/5m/key"}


def test_a_stranger_failing_twenty_times_does_not_lock_the_person_out(production_login_limits: None) -> None:
    person = UserFactory(email="einwohnerin@demo.konzeptk.invalid")
    stranger = Client(REMOTE_ADDR="198.51.100.7")
    answers = [
        stranger.post("/konto/login/", {"login": person.email, "password": f"geraten-{i}"}).content.decode()
        for i in range(20)
    ]
    assert sum(TOO_MANY in answer for answer in answers) == 15
    # the stranger's address is refused even with the right password now …
    refused = stranger.post("/konto/login/", {"login": person.email, "password": DEFAULT_PASSWORD})
    assert TOO_MANY in refused.content.decode()
    # … but the person, from their own address, logs in at once
    own = Client(REMOTE_ADDR="203.0.113.20")
    answer = own.post("/konto/login/", {"login": person.email, "password": DEFAULT_PASSWORD})
    assert answer.status_code == 302
    assert answer["Location"] == "/konto/"


def test_one_address_trying_many_accounts_is_limited_per_address(production_login_limits: None) -> None:
    people = [UserFactory() for _ in range(5)]
    stranger = Client(REMOTE_ADDR="198.51.100.8")
    refused = 0
    for i in range(25):
        answer = stranger.post("/konto/login/", {"login": people[i % 5].email, "password": "geraten"})
        refused += TOO_MANY in answer.content.decode()
    assert refused == 5  # 20 failures per address in 5 minutes, whichever accounts they try
