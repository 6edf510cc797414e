"""The reporter's address gets status mails only after its owner confirmed it (issue 11, finding 4).

Found: anyone could type someone else's address into the report form (or send it through Open311),
and that address then got every status mail of the report without being asked.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.utils import timezone

from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.servicedesk import following
from konzeptk.servicedesk.models import Follower, Report
from konzeptk.servicedesk.services import report_set_status
from konzeptk.servicedesk.tests.conftest import INSIDE

pytestmark = pytest.mark.django_db

NEW = "/maengel/melden/"
STRANGER = "fremde@beispiel.invalid"


def _report_form(client: Client, categories: Any, email: str) -> Report:
    data = {
        "step": "2",
        "category": categories["muell"].pk,
        "description": "Sperrmüll vor der Schule",
        "address": "Ostwall 10",
        "lat": str(INSIDE[0]),
        "lon": str(INSIDE[1]),
        "email": email,
    }
    answer = client.post(NEW, data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    return Report.objects.get(email=email)


def _status_mails_to(report: Report, capture: Any, address: str) -> list[Any]:
    mail.outbox.clear()
    with capture(execute=True):
        report_set_status(report=report, by=None, status="in_progress")
    return [m for m in mail.outbox if m.to == [address]]


def _link(to: str) -> str:
    message = next(m for m in mail.outbox if m.to == [to])
    match = re.search(r"http://[^/]+(/maengel/bestaetigen/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_a_strangers_address_gets_only_the_confirmation_until_confirmed(
    client: Client, categories: Any, city: Any, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = _report_form(client, categories, STRANGER)
    # the report is accepted, the address gets one mail: the confirmation (with the reference)
    assert [m.to for m in mail.outbox] == [[STRANGER]]
    confirmation = mail.outbox[0]
    assert report.service_request_id in confirmation.subject
    assert "/maengel/bestaetigen/" in confirmation.body
    report.refresh_from_db()
    assert report.email_confirmed_at is None
    link = _link(STRANGER)

    # a status change before the confirmation mails nobody
    assert _status_mails_to(report, django_capture_on_commit_callbacks, STRANGER) == []
    assert not mail.outbox

    # the link's GET shows a button and writes nothing
    shown = Client().get(link)
    assert shown.status_code == 200
    assert "Ja, E-Mails bestätigen" in shown.content.decode()
    report.refresh_from_db()
    assert report.email_confirmed_at is None
    assert not Follower.objects.confirmed().exists()

    # the POST confirms; from now on the reporter gets status mails (one mail, with the private link)
    assert Client().post(link).status_code == 302
    report.refresh_from_db()
    assert report.email_confirmed_at is not None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report_set_status(report=report, by=None, status="closed", close_reason="fixed")
    assert [m.to for m in mail.outbox] == [[STRANGER]]
    assert report.token in mail.outbox[0].body


def test_the_thanks_page_promises_mails_only_after_confirmation(
    client: Client, categories: Any, city: Any
) -> None:
    report = _report_form(client, categories, STRANGER)
    page = client.get(f"/maengel/melden/danke/{report.token}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "bestätigen" in text
    assert "Wir schreiben Ihnen eine E-Mail, wenn sich der Stand ändert." not in text


def test_an_expired_confirmation_link_sends_nothing(
    client: Client, categories: Any, city: Any, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = _report_form(client, categories, STRANGER)
    link = _link(STRANGER)
    Follower.objects.filter(report=report).update(
        created_at=timezone.now() - dt.timedelta(days=following.FOLLOW_CONFIRM_DAYS + 1)
    )
    expired = Client().post(link)
    assert expired.status_code == 404
    assert "ungültig oder abgelaufen" in expired.content.decode()
    report.refresh_from_db()
    assert report.email_confirmed_at is None
    assert _status_mails_to(report, django_capture_on_commit_callbacks, STRANGER) == []


def test_a_signed_in_reporter_with_a_verified_address_gets_mails_at_once(
    categories: Any, city: Any, django_capture_on_commit_callbacks: Any
) -> None:
    person = UserFactory(email="ich@beispiel.invalid")
    EmailAddress.objects.update_or_create(
        user=person, email="ich@beispiel.invalid", defaults={"verified": True, "primary": True}
    )
    client = Client()
    client.force_login(person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = _report_form(client, categories, "ich@beispiel.invalid")
    assert not mail.outbox  # no confirmation needed
    assert report.email_confirmed_at is not None
    assert len(_status_mails_to(report, django_capture_on_commit_callbacks, "ich@beispiel.invalid")) == 1


def test_a_signed_in_reporter_with_someone_elses_address_still_needs_the_link(
    categories: Any, city: Any, django_capture_on_commit_callbacks: Any
) -> None:
    person = UserFactory(email="ich@beispiel.invalid")
    client = Client()
    client.force_login(person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = _report_form(client, categories, STRANGER)
    assert [m.to for m in mail.outbox] == [[STRANGER]]
    assert report.email_confirmed_at is None


def test_open311_with_an_email_sends_only_the_confirmation(
    client: Client, categories: Any, city: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from konzeptk.servicedesk.services import api_key_create

    _key, raw = api_key_create(name="App")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/georeport/v2/requests.json",
            {
                "api_key": raw,
                "service_code": "wilder-muell",
                "description": "Sperrmüll",
                "lat": str(INSIDE[0]),
                "long": str(INSIDE[1]),
                "email": STRANGER,
            },
        )
    assert answer.status_code in (200, 201), answer.content
    report = Report.objects.get(email=STRANGER)
    assert report.email_confirmed_at is None
    assert [m.to for m in mail.outbox] == [[STRANGER]]
    assert _status_mails_to(report, django_capture_on_commit_callbacks, STRANGER) == []


def test_the_same_report_sent_twice_sends_one_confirmation(
    client: Client, categories: Any, city: Any, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _report_form(client, categories, STRANGER)
        client.post(
            NEW,
            {
                "step": "2",
                "category": categories["muell"].pk,
                "description": "Sperrmüll vor der Schule",
                "address": "Ostwall 10",
                "lat": str(INSIDE[0]),
                "lon": str(INSIDE[1]),
                "email": STRANGER,
            },
        )
    assert len(mail.outbox) == 1


def test_reporting_stays_rate_limited(client: Client, categories: Any, city: Any, settings: Any) -> None:
    settings.RATELIMIT_ENABLE = True
    settings.KONZEPTK_RATE_LIMITS = {"report": "1/d"}
    _report_form(client, categories, STRANGER)
    data = {
        "step": "2",
        "category": categories["muell"].pk,
        "description": "Noch ein Problem",
        "address": "Ostwall 12",
        "lat": str(INSIDE[0]),
        "lon": str(INSIDE[1]),
        "email": "zwei@beispiel.invalid",
    }
    assert client.post(NEW, data).status_code == 429


def test_the_confirmation_is_exported_and_erased(
    client: Client, categories: Any, city: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from konzeptk.servicedesk.erasure import erase_reports
    from konzeptk.servicedesk.exports import reports_section

    person = UserFactory(email=STRANGER)
    EmailAddress.objects.update_or_create(
        user=person, email=STRANGER, defaults={"verified": True, "primary": True}
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = _report_form(client, categories, STRANGER)  # sent without signing in
    assert Client().post(_link(STRANGER)).status_code == 302
    [row] = reports_section(person)
    assert row["email"] == STRANGER
    assert row["email_confirmed_at"] is not None
    erase_reports(person)
    report.refresh_from_db()
    assert report.email == ""
    assert report.email_confirmed_at is None
    assert not Follower.objects.filter(email__iexact=STRANGER).exists()
    assert _status_mails_to(report, django_capture_on_commit_callbacks, STRANGER) == []


def test_reports_from_before_the_migration_keep_their_mails(
    make_report: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("konzeptk.servicedesk.migrations.0007_report_email_confirmed_at")
    old = make_report("muell", email="alt@beispiel.invalid")
    without = make_report("muell")
    Report.objects.filter(pk=old.pk).update(email_confirmed_at=None)
    migration.confirm_existing(apps, None)
    old.refresh_from_db()
    without.refresh_from_db()
    assert old.email_confirmed_at == old.requested_at
    assert without.email_confirmed_at is None
    mails = _status_mails_to(old, django_capture_on_commit_callbacks, "alt@beispiel.invalid")
    # the confirmation mail queued with the report goes out with the same run of the send job
    assert len([m for m in mails if not m.subject.startswith("Bitte bestätigen")]) == 1
