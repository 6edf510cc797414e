"""Fixtures of the notifications tests: participation's small city and frozen clock (for the
tests that notify through participation), and a mail server that fails on demand."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from konzeptk.participation.tests.conftest import city, frozen, now  # noqa: F401 – fixtures

#: what the failing backend raises next (set by the tests), one entry per send
FAILURES: list[Exception] = []


class FlakyBackend(EmailBackend):
    """The test backend, but the next sends raise what ``FAILURES`` holds (a mail server that is down)."""

    def send_messages(self, messages: Any) -> int:
        if FAILURES:
            raise FAILURES.pop(0)
        return super().send_messages(messages)


@pytest.fixture
def flaky_smtp(settings: Any) -> Iterator[list[Exception]]:
    settings.EMAIL_BACKEND = "konzeptk.notifications.tests.conftest.FlakyBackend"
    FAILURES.clear()
    mail.outbox = []
    yield FAILURES
    FAILURES.clear()


def smtp_down() -> Exception:
    return smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
