"""The send job: every queued mail that is due goes to the mail server, once.

Each mail is claimed before it is sent (``queued`` → ``sending`` in one UPDATE that only one run can
win), so two runs at the same time – the worker thread, a Celery worker, cron – never send a mail
twice. A mail server that fails (connection refused, 4xx, timeout) gets the mail again after a
growing pause (RETRY_PAUSES); after the last attempt, or at once when the server refuses the
address, the mail is ``failed``. A run that dies between claim and result leaves the mail
``sending``; after STALE_AFTER it is marked ``failed`` (sending it again could send it twice).
Sent and failed mails are deleted after MAIL_KEEP_DAYS.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass

from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import F
from django.utils import timezone

from konzeptk.notifications.models import Mail

log = logging.getLogger(__name__)

#: pause after the 1st, 2nd, … failed attempt
RETRY_PAUSES: tuple[dt.timedelta, ...] = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)
MAX_ATTEMPTS = len(RETRY_PAUSES) + 1
STALE_AFTER = dt.timedelta(hours=1)
MAIL_KEEP_DAYS = 30
BATCH = 500
#: the Celery task that runs :func:`mails_send` (tasks.py) and the cache key of a waiting one
SEND_TASK = "notifications.send_mails"
DISPATCHED_KEY = "notifications:send:dispatched"


@dataclass
class SendRun:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def message_for(mail: Mail, connection: BaseEmailBackend | None = None) -> EmailMessage:
    """The e-mail of a queued mail, with the one-click unsubscribe headers of RFC 8058."""
    return EmailMessage(
        subject=mail.subject,
        body=mail.body,
        to=[mail.to],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{mail.unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


def _failed(mail: Mail, error: Exception, now: dt.datetime, run: SendRun) -> None:
    text = f"{type(error).__name__}: {error}"[:300]
    permanent = isinstance(error, smtplib.SMTPRecipientsRefused)
    if permanent or mail.attempts >= MAX_ATTEMPTS:
        Mail.objects.filter(pk=mail.pk).update(status=Mail.Status.FAILED, last_error=text)
        run.failed += 1
        log.warning("E-Mail %s endgültig nicht zugestellt: %s", mail.pk, text)
        return
    pause = RETRY_PAUSES[min(mail.attempts, len(RETRY_PAUSES)) - 1]
    Mail.objects.filter(pk=mail.pk).update(
        status=Mail.Status.QUEUED, next_attempt_at=now + pause, last_error=text
    )
    run.retrying += 1


def mails_send(*, now: dt.datetime | None = None, limit: int = BATCH) -> SendRun:
    """Send the due mails (at most ``limit``); returns what happened."""
    now = now or timezone.now()
    run = SendRun()
    Mail.objects.filter(status=Mail.Status.SENDING, next_attempt_at__lt=now - STALE_AFTER).update(
        status=Mail.Status.FAILED, last_error="Ergebnis unbekannt (Versand abgebrochen)"
    )
    due = list(
        Mail.objects.filter(status=Mail.Status.QUEUED, next_attempt_at__lte=now).order_by(
            "next_attempt_at", "pk"
        )[:limit]
    )
    connection = get_connection() if due else None
    for mail in due:
        claimed = Mail.objects.filter(pk=mail.pk, status=Mail.Status.QUEUED).update(
            status=Mail.Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=now
        )
        if not claimed:
            continue  # another run has it
        mail.attempts += 1
        try:
            message_for(mail, connection).send(fail_silently=False)
        except (smtplib.SMTPException, OSError) as error:
            _failed(mail, error, now, run)
            continue
        Mail.objects.filter(pk=mail.pk).update(status=Mail.Status.SENT, sent_at=timezone.now(), last_error="")
        run.sent += 1
    Mail.objects.filter(
        status__in=[Mail.Status.SENT, Mail.Status.FAILED],
        created_at__lt=now - dt.timedelta(days=MAIL_KEEP_DAYS),
    ).delete()
    return run


def next_due(*, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the next waiting mail is due (for the worker thread to sleep until then)."""
    return (
        Mail.objects.filter(status=Mail.Status.QUEUED)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
