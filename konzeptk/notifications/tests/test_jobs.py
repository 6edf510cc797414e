"""Sending is a job: mails are rows, sent after the commit by the worker; retried while the mail
server fails; never sent twice; the one-click unsubscribe headers on every mail."""

from __future__ import annotations

import datetime as dt
import io
import smtplib
import threading
import time
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.notifications import background, jobs, services
from konzeptk.notifications.models import Mail
from konzeptk.notifications.tasks import send_digests, send_mails
from konzeptk.notifications.tests.conftest import smtp_down

pytestmark = pytest.mark.django_db


def _queue_one(**kwargs: Any) -> Mail:
    person = kwargs.pop("person", None) or UserFactory()
    services.notify(kind="other", subject="Hallo", body="Ein Text", recipients=[person], **kwargs)
    return Mail.objects.get(to=person.email)


@override_settings(NOTIFICATIONS_SEND="off")
def test_notify_queues_and_the_job_sends_with_the_unsubscribe_headers(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        queued = _queue_one(url="/beteiligung/")
    assert queued.status == Mail.Status.QUEUED
    assert not mail.outbox  # nothing went out in the request
    assert jobs.mails_send().sent == 1
    [message] = mail.outbox
    assert message.to == [queued.to]
    assert message.subject == "Hallo"
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://")
    assert "/benachrichtigungen/abbestellen/" in unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Mehr dazu: http://127.0.0.1:8000/beteiligung/" in message.body
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (Mail.Status.SENT, 1)
    assert queued.sent_at is not None


@override_settings(NOTIFICATIONS_SEND="off")
def test_a_failing_mail_server_gets_the_mail_again_later(flaky_smtp: list[Exception]) -> None:
    queued = _queue_one()
    flaky_smtp.extend([smtp_down(), ConnectionRefusedError(111, "Connection refused")])
    now = timezone.now()
    run = jobs.mails_send(now=now)
    assert (run.sent, run.retrying) == (0, 1)
    queued.refresh_from_db()
    assert queued.status == Mail.Status.QUEUED
    assert queued.next_attempt_at == now + jobs.RETRY_PAUSES[0]
    assert "SMTPServerDisconnected" in queued.last_error
    assert jobs.mails_send(now=now).sent == 0  # not due yet: the pause holds
    later = now + jobs.RETRY_PAUSES[0]
    assert jobs.mails_send(now=later).retrying == 1  # second failure: a longer pause
    queued.refresh_from_db()
    assert queued.next_attempt_at == later + jobs.RETRY_PAUSES[1]
    assert jobs.mails_send(now=later + jobs.RETRY_PAUSES[1]).sent == 1  # the server is back
    queued.refresh_from_db()
    assert (queued.status, queued.attempts, queued.last_error) == (Mail.Status.SENT, 3, "")
    assert len(mail.outbox) == 1


@override_settings(NOTIFICATIONS_SEND="off")
def test_after_the_last_attempt_or_a_refused_address_the_mail_has_failed(flaky_smtp: list[Exception]) -> None:
    first, second = _queue_one(), _queue_one()
    flaky_smtp.append(smtplib.SMTPRecipientsRefused({first.to: (550, b"no such user")}))
    flaky_smtp.extend(smtp_down() for _ in range(jobs.MAX_ATTEMPTS))
    when = timezone.now()
    for _ in range(jobs.MAX_ATTEMPTS):
        jobs.mails_send(now=when)
        when += dt.timedelta(days=1)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.attempts) == (Mail.Status.FAILED, 1)  # refused: no retry
    assert (second.status, second.attempts) == (Mail.Status.FAILED, jobs.MAX_ATTEMPTS)
    assert not mail.outbox
    assert jobs.mails_send(now=when).sent == 0


@override_settings(NOTIFICATIONS_SEND="off")
def test_nothing_is_sent_twice_even_by_runs_at_the_same_time(monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in range(3):
        _queue_one()
    inner: list[jobs.SendRun] = []
    started: list[bool] = []
    send = jobs.EmailMessage.send

    def send_and_start_another_run(self: Any, fail_silently: bool = False) -> int:
        if not started:  # while the first run sends its first mail, a second run starts
            started.append(True)
            inner.append(jobs.mails_send())
        return send(self, fail_silently=fail_silently)

    monkeypatch.setattr(jobs.EmailMessage, "send", send_and_start_another_run)
    outer = jobs.mails_send()
    assert outer.sent + inner[0].sent == 3
    assert (outer.sent, inner[0].sent) == (1, 2)  # the first run kept only the mail it had claimed
    assert sorted(m.to[0] for m in mail.outbox) == sorted(Mail.objects.values_list("to", flat=True))
    assert len(mail.outbox) == 3
    assert jobs.mails_send().sent == 0  # and a later run finds nothing


@override_settings(NOTIFICATIONS_SEND="off")
def test_a_mail_left_sending_by_a_dead_run_is_not_sent_again() -> None:
    queued = _queue_one()
    long_ago = timezone.now() - dt.timedelta(hours=2)
    Mail.objects.filter(pk=queued.pk).update(status=Mail.Status.SENDING, next_attempt_at=long_ago)
    assert jobs.mails_send().sent == 0
    queued.refresh_from_db()
    assert queued.status == Mail.Status.FAILED
    assert not mail.outbox


@override_settings(NOTIFICATIONS_SEND="off")
def test_sent_mails_are_deleted_after_the_keeping_time() -> None:
    queued = _queue_one()
    jobs.mails_send()
    assert Mail.objects.filter(pk=queued.pk, status=Mail.Status.SENT).exists()
    jobs.mails_send(now=timezone.now() + dt.timedelta(days=jobs.MAIL_KEEP_DAYS + 1))
    assert not Mail.objects.filter(pk=queued.pk).exists()


@override_settings(NOTIFICATIONS_SEND="off")
def test_the_command_and_the_celery_tasks_send_the_queue() -> None:
    _queue_one()
    call_command("send_mails", stdout=(out := io.StringIO()))
    assert "1 gesendet" in out.getvalue()
    _queue_one()
    assert send_mails.apply().get() == 1
    assert send_digests.apply().get() == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
@override_settings(NOTIFICATIONS_SEND="thread")
def test_the_worker_thread_sends_after_the_commit() -> None:
    """The embedded default: the request returns, a thread of the process sends."""
    before = background.runs_finished
    person = UserFactory()
    services.notify(kind="other", subject="Aus dem Hintergrund", body="Text", recipients=[person])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (not mail.outbox or background.runs_finished == before):
        time.sleep(0.05)
    assert [m.subject for m in mail.outbox] == ["Aus dem Hintergrund"]
    assert background.runs_finished > before
    assert background._thread is not None
    assert background._thread.name == "notifications-send"
    assert threading.current_thread() is not background._thread
    assert Mail.objects.get().status == Mail.Status.SENT


def test_a_get_of_the_pages_never_sends_or_writes(client: Any) -> None:
    person = UserFactory()
    client.force_login(person)
    for path in ("/benachrichtigungen/", "/benachrichtigungen/einstellungen/"):
        assert client.get(path).status_code == 200
    assert not Mail.objects.exists()
    assert not mail.outbox


@pytest.mark.django_db(transaction=True)
def test_mails_waiting_from_before_go_out_beside_the_demo_server_and_at_the_end_of_a_command(
    settings: Any,
) -> None:
    settings.NOTIFICATIONS_SEND = "off"
    services.notify(kind="other", subject="Wartet", body="Text", recipients=[UserFactory()])
    settings.NOTIFICATIONS_SEND = "thread"
    out = io.StringIO()
    background.start_companion(out)  # what `konzeptk demo` does before it serves
    assert "im Hintergrund gesendet" in out.getvalue()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not mail.outbox:
        time.sleep(0.05)
    assert [m.subject for m in mail.outbox] == ["Wartet"]
    # a cron command ends before its thread ran: the exit handler sends what it queued
    settings.NOTIFICATIONS_SEND = "off"
    services.notify(kind="other", subject="Zum Schluss", body="Text", recipients=[UserFactory()])
    settings.NOTIFICATIONS_SEND = "thread"
    background._flush()
    assert "Zum Schluss" in [m.subject for m in mail.outbox]
