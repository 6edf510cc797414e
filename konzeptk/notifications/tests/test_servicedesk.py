"""The Mängelmelder tells its followers through the notifications room: its status mails and its
confirmation mails are queued with the change and sent by the job, with a one-click unsubscribe."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.notifications import jobs, services
from konzeptk.notifications.models import Mail
from konzeptk.servicedesk.following import follower_add
from konzeptk.servicedesk.models import Follower, Report
from konzeptk.servicedesk.services import report_set_status
from konzeptk.servicedesk.tests.conftest import categories, city, kbk, make_report, swk  # noqa: F401 – fixtures

pytestmark = pytest.mark.django_db


@override_settings(NOTIFICATIONS_SEND="off")
def test_follower_mails_go_through_the_job(make_report: Any, django_capture_on_commit_callbacks: Any) -> None:  # noqa: F811
    report: Report = make_report("muell", email="melderin@beispiel.invalid", email_verified=True)
    Follower.objects.create(report=report, email="nachbar@beispiel.invalid", confirmed_at=timezone.now())
    Follower.objects.create(report=report, email="wartet@beispiel.invalid")  # not confirmed: nothing
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report_set_status(report=report, by=None, status="closed", close_reason="fixed", note="Abgeholt")
    assert not mail.outbox  # nothing is sent in the request
    queued = Mail.objects.filter(kind="report_status", status=Mail.Status.QUEUED)
    assert sorted(queued.values_list("to", flat=True)) == [
        "melderin@beispiel.invalid",
        "nachbar@beispiel.invalid",
    ]
    assert jobs.mails_send().sent == 2
    assert jobs.mails_send().sent == 0  # nothing twice
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"melderin@beispiel.invalid", "nachbar@beispiel.invalid"}
    for message in by_address.values():
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "/maengel/abbestellen/" in message.extra_headers["List-Unsubscribe"]
    # the follower's one-click POST (no cookie, no CSRF token) stops the follow
    stop = by_address["nachbar@beispiel.invalid"].extra_headers["List-Unsubscribe"].strip("<>")
    assert Client(enforce_csrf_checks=True).post(stop.replace("http://127.0.0.1:8000", "")).status_code == 302
    assert not Follower.objects.filter(email="nachbar@beispiel.invalid").exists()
    # the reporter's one-click POST stops the reporter's status mails as well
    stop = by_address["melderin@beispiel.invalid"].extra_headers["List-Unsubscribe"].strip("<>")
    assert Client(enforce_csrf_checks=True).post(stop.replace("http://127.0.0.1:8000", "")).status_code == 302
    report.refresh_from_db()
    assert report.email_confirmed_at is None
    mail.outbox.clear()
    report_set_status(report=report, by=None, status="in_progress")
    assert not Mail.objects.filter(status=Mail.Status.QUEUED).exists()


@override_settings(NOTIFICATIONS_SEND="off")
def test_the_confirmation_mail_is_queued_once_per_hour(make_report: Any) -> None:  # noqa: F811
    report: Report = make_report("muell")
    follower_add(report=report, email="neu@beispiel.invalid")
    follower_add(report=report, email="NEU@beispiel.invalid")  # again within the hour: no second mail
    [queued] = Mail.objects.all()
    assert (queued.kind, queued.to) == ("optin", "neu@beispiel.invalid")
    assert "/maengel/bestaetigen/" in queued.body
    assert "/maengel/abbestellen/" in queued.unsubscribe_url


def test_an_address_whose_account_wants_no_mails_of_the_kind_gets_none(
    make_report: Any,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    person = UserFactory(email="Konto@beispiel.invalid")
    services.settings_save(user=person, default="immediate", per_kind={"report_status": "never"})
    report: Report = make_report("muell")
    Follower.objects.create(report=report, email="konto@beispiel.invalid", confirmed_at=timezone.now())
    Follower.objects.create(report=report, email="andere@beispiel.invalid", confirmed_at=timezone.now())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report_set_status(report=report, by=None, status="in_progress")
    assert [m.to for m in mail.outbox] == [["andere@beispiel.invalid"]]
