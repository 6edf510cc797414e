"""Double opt-in for addresses without an account: the only mail an address gets before its owner
has confirmed it is the confirmation link; everything else waits for the confirmation.

The rows that wait for a confirmation belong to the app that collects the addresses (the
Mängelmelder's follows, for instance) and carry these fields: ``email``, ``confirm_token`` (long,
random, unique), ``confirmed_at``, ``confirmation_sent_at`` and ``created_at``. This module does the
rest the same way for every app:

* :func:`confirmation_request` sends the confirmation mail (through the queue, with an unsubscribe
  link) at most once per ``resend_after`` however often the form is sent – the claim is one UPDATE,
  so two requests at the same moment send one mail;
* :func:`pending` finds the row of a confirmation link while it can be confirmed (the link's page
  shows a button – a GET never writes);
* :func:`confirm` sets ``confirmed_at`` (the button's POST);
* :func:`expire` deletes rows never confirmed within ``days``.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.notifications.mailing import Outgoing, mails_queue
from konzeptk.notifications.registry import OPT_IN

M = TypeVar("M", bound=models.Model)

CONFIRM_DAYS = 7
RESEND_AFTER = dt.timedelta(hours=1)


@transaction.atomic
def confirmation_request(
    *,
    row: models.QuerySet[M],
    email: str,
    subject: str,
    intro: str,
    confirm_url: str,
    unsubscribe_url: str,
    days: int = CONFIRM_DAYS,
    resend_after: dt.timedelta = RESEND_AFTER,
    now: dt.datetime | None = None,
) -> bool:
    """Queue the confirmation mail for the one unconfirmed row in ``row`` unless one went out less
    than ``resend_after`` ago; returns whether a mail was queued."""
    now = now or timezone.now()
    claimed = (
        row.filter(confirmed_at__isnull=True)
        .filter(Q(confirmation_sent_at__isnull=True) | Q(confirmation_sent_at__lt=now - resend_after))
        .update(confirmation_sent_at=now)
    )
    if not claimed:
        return False
    body = "\n".join(
        [
            intro,
            "",
            _("Wenn Sie das waren, bestätigen Sie bitte hier (der Link gilt %(days)d Tage):")
            % {"days": days},
            confirm_url,
            "",
            _("Wenn nicht, müssen Sie nichts tun: Ohne Bestätigung schicken wir keine weiteren E-Mails."),
        ]
    )
    mails_queue(
        [Outgoing(to=email, subject=subject, body=body, unsubscribe_url=unsubscribe_url, kind=OPT_IN)]
    )
    return True


def pending(
    *, queryset: models.QuerySet[M], token: str, days: int = CONFIRM_DAYS, now: dt.datetime | None = None
) -> M | None:
    """The row of a confirmation link: confirmed already, or unconfirmed and not expired."""
    if not token:
        return None
    limit = (now or timezone.now()) - dt.timedelta(days=days)
    return (
        queryset.filter(confirm_token=token)
        .filter(Q(confirmed_at__isnull=False) | Q(created_at__gte=limit))
        .first()
    )


def confirm(*, row: models.QuerySet[M], now: dt.datetime | None = None) -> int:
    """Confirm the (still unconfirmed) rows of ``row``; returns how many were confirmed now."""
    return row.filter(confirmed_at__isnull=True).update(confirmed_at=now or timezone.now())


def expire(*, queryset: models.QuerySet[M], days: int = CONFIRM_DAYS, now: dt.datetime | None = None) -> int:
    """Delete the rows never confirmed within ``days``; returns how many."""
    limit = (now or timezone.now()) - dt.timedelta(days=days)
    deleted, _by_model = queryset.filter(confirmed_at__isnull=True, created_at__lt=limit).delete()
    return deleted
