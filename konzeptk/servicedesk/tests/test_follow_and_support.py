"""Supports count once; following a report needs a confirmation link (issue 11, finding 4).

Found: 30 anonymous supports raised the count by 30, and anyone could subscribe any address to a
report's status mails.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.servicedesk import following
from konzeptk.servicedesk.models import Follower, Report, ReportSupport
from konzeptk.servicedesk.services import report_set_status

pytestmark = pytest.mark.django_db


def _support(client: Client, report: Report, **data: str) -> str:
    answer = client.post(f"/maengel/meldung/{report.service_request_id}/unterstuetzen/", data, follow=True)
    assert answer.status_code == 200
    return answer.content.decode()


def _follow(client: Client, report: Report, email: str) -> str:
    answer = client.post(
        f"/maengel/meldung/{report.service_request_id}/folgen/", {"email": email}, follow=True
    )
    assert answer.status_code == 200
    return answer.content.decode()


def test_thirty_anonymous_supports_from_one_browser_count_once(client: Client, make_report: Any) -> None:
    report = make_report("muell")
    pages = [_support(client, report) for _ in range(30)]
    report.refresh_from_db()
    assert report.supporters == 1
    assert "Ihre Unterstützung ist gezählt" in pages[0]
    assert "hatten wir schon gezählt" in pages[-1]  # kindly, not an error page


def test_one_support_per_address_across_browsers_and_one_per_account(
    make_report: Any, django_assert_max_num_queries: Any
) -> None:
    report = make_report("muell")
    _support(Client(), report, email="auch@beispiel.invalid")
    _support(Client(), report, email="AUCH@beispiel.invalid")  # another browser, same address
    _support(Client(), report)  # another browser without an address counts
    person = UserFactory()
    signed_in = Client()
    signed_in.force_login(person)
    _support(signed_in, report)
    with django_assert_max_num_queries(20):
        _support(signed_in, report)
    report.refresh_from_db()
    assert report.supporters == 3
    assert ReportSupport.objects.filter(report=report).count() == 3
    # nothing readable is kept about anonymous supporters
    assert not ReportSupport.objects.filter(email_key__icontains="auch").exists()


def test_concurrent_supports_of_one_browser_count_once(make_report: Any, transactional_db: Any) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    report = make_report("muell")
    errors: list[BaseException] = []

    def support() -> None:
        try:
            following.report_support(report=report, session_key="dieselbe-sitzung")
        except BaseException as exc:  # pragma: no cover – reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=support) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    report.refresh_from_db()
    assert report.supporters == 1


def _confirm_link(to: str) -> str:
    message = next(m for m in mail.outbox if m.to == [to])
    match = re.search(r"http://[^/]+(/maengel/bestaetigen/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_a_follow_waits_for_the_confirmation_link(
    client: Client, make_report: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = make_report("muell")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = _follow(client, report, "nachbar@beispiel.invalid")
    assert "Bitte bestätigen Sie dort den Link" in page
    assert [m.to for m in mail.outbox] == [["nachbar@beispiel.invalid"]]  # only the confirmation
    follower = Follower.objects.get()
    assert follower.confirmed_at is None

    # status mails go only to confirmed followers
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report_set_status(report=report, by=None, status="in_progress")
    assert "nachbar@beispiel.invalid" not in [m.to[0] for m in mail.outbox]

    # sending the form again (from anywhere) does not mail the address again within the hour
    with django_capture_on_commit_callbacks(execute=True):
        _follow(Client(), report, "NACHBAR@beispiel.invalid")
    assert not mail.outbox

    # the link: a GET shows a button and writes nothing, the POST confirms
    link = f"/maengel/bestaetigen/{follower.confirm_token}/"
    shown = Client().get(link)
    assert shown.status_code == 200
    assert "Ja, E-Mails bestätigen" in shown.content.decode()
    follower.refresh_from_db()
    assert follower.confirmed_at is None
    assert Client().post(link).status_code == 302
    follower.refresh_from_db()
    assert follower.confirmed_at is not None

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report_set_status(report=report, by=None, status="closed", close_reason="fixed")
    assert "nachbar@beispiel.invalid" in [m.to[0] for m in mail.outbox]


def test_the_link_in_the_mail_is_the_confirmation_page(
    client: Client, make_report: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = make_report("muell")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _support(client, report, email="mit@beispiel.invalid")
    link = _confirm_link("mit@beispiel.invalid")
    assert Client().post(link).status_code == 302
    assert Follower.objects.confirmed().filter(email="mit@beispiel.invalid").exists()


def test_unconfirmed_follows_expire(client: Client, make_report: Any) -> None:
    report = make_report("muell")
    _follow(client, report, "spaet@beispiel.invalid")
    follower = Follower.objects.get()
    Follower.objects.filter(pk=follower.pk).update(
        created_at=timezone.now() - dt.timedelta(days=following.FOLLOW_CONFIRM_DAYS + 1)
    )
    link = f"/maengel/bestaetigen/{follower.confirm_token}/"
    expired = Client().post(link)
    assert expired.status_code == 404
    assert "ungültig oder abgelaufen" in expired.content.decode()
    assert following.followers_expire() == 1
    assert not Follower.objects.exists()


def test_a_signed_in_person_with_a_verified_address_follows_at_once(
    make_report: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = make_report("muell")
    person = UserFactory(email="ich@beispiel.invalid")
    EmailAddress.objects.update_or_create(
        user=person, email="ich@beispiel.invalid", defaults={"verified": True, "primary": True}
    )
    client = Client()
    client.force_login(person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = _follow(client, report, "ich@beispiel.invalid")
    assert "Sie bekommen eine E-Mail, wenn sich der Stand" in page
    assert not mail.outbox
    assert Follower.objects.confirmed().filter(email="ich@beispiel.invalid").exists()
    # someone else's address still needs its owner's confirmation
    _follow(client, report, "fremd@beispiel.invalid")
    assert not Follower.objects.confirmed().filter(email="fremd@beispiel.invalid").exists()


def test_supports_and_follows_are_rate_limited(client: Client, make_report: Any, settings: Any) -> None:
    settings.RATELIMIT_ENABLE = True
    settings.KONZEPTK_RATE_LIMITS = {"report_follow": "3/d", "report_support": "3/d"}
    report = make_report("muell")
    for i in range(3):
        _follow(client, report, f"n{i}@beispiel.invalid")
    refused = client.post(
        f"/maengel/meldung/{report.service_request_id}/folgen/", {"email": "x@beispiel.invalid"}
    )
    assert refused.status_code == 429
    assert "Bitte warten Sie etwas" in refused.content.decode()
    for _ in range(3):
        _support(client, report)
    refused = client.post(f"/maengel/meldung/{report.service_request_id}/unterstuetzen/", {})
    assert refused.status_code == 429
