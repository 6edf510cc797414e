"""The daily digest: one e-mail per person with the notifications of the kinds they chose to get
once a day (``konzeptk send_digests``, or the Celery task ``notifications.send_digests``).

Idempotent: the entries of a digest are claimed (``emailed_at``) in the transaction that queues
the digest, so a second run – also one at the same moment – finds nothing to send.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.accounts.models import User
from konzeptk.notifications.mailing import Outgoing, absolute, mails_queue, unsubscribe_url, user_mail_body
from konzeptk.notifications.models import Frequency, KindSetting, Notification, NotificationSetting
from konzeptk.notifications.registry import OTHER

DIGEST_ITEMS_MAX = 50
CHUNK = 500


def _pending(user_id: int, default: str, own: dict[str, str], now: dt.datetime) -> QuerySet[Notification]:
    """The person's entries not yet mailed whose kind they want in the digest."""
    qs = Notification.objects.filter(recipient_id=user_id, emailed_at=None, created_at__lte=now)
    if default == Frequency.DAILY:
        return qs.exclude(kind__in=[k for k, f in own.items() if f != Frequency.DAILY])
    return qs.filter(kind__in=[k for k, f in own.items() if f == Frequency.DAILY])


def _digest_text(pending: list[Notification], total: int) -> str:
    parts = [f"• {n.subject}\n{n.body[:500]}" + (f"\n{absolute(n.url)}" if n.url else "") for n in pending]
    if total > len(pending):
        parts.append(
            _("… und %(n)d weitere Benachrichtigungen auf der Plattform.") % {"n": total - len(pending)}
        )
    return "\n\n".join(parts)


def digests_send(*, now: dt.datetime | None = None) -> int:
    """Queue one digest per person who has something for it; returns the number of digests."""
    now = now or timezone.now()
    readers = (
        User.objects.filter(
            Q(pk__in=NotificationSetting.objects.filter(email_frequency=Frequency.DAILY).values("user_id"))
            | Q(pk__in=KindSetting.objects.filter(frequency=Frequency.DAILY).values("user_id"))
        )
        .exclude(email="")
        .order_by("pk")
        .only("pk", "email")
    )
    queued = 0
    chunk: list[User] = []
    for user in readers.iterator(chunk_size=CHUNK):
        chunk.append(user)
        if len(chunk) == CHUNK:
            queued += _send_chunk(chunk, now)
            chunk = []
    if chunk:
        queued += _send_chunk(chunk, now)
    return queued


def _send_chunk(users: list[User], now: dt.datetime) -> int:
    ids = [u.pk for u in users]
    defaults = dict(
        NotificationSetting.objects.filter(user_id__in=ids).values_list("user_id", "email_frequency")
    )
    own: dict[int, dict[str, str]] = {}
    for user_id, kind, frequency in KindSetting.objects.filter(user_id__in=ids).values_list(
        "user_id", "kind", "frequency"
    ):
        own.setdefault(user_id, {})[kind] = frequency
    queued = 0
    for user in users:
        pending_qs = _pending(user.pk, defaults.get(user.pk, Frequency.IMMEDIATE), own.get(user.pk, {}), now)
        pending = list(pending_qs.order_by("created_at", "pk")[:DIGEST_ITEMS_MAX])
        if not pending:
            continue
        total = len(pending) if len(pending) < DIGEST_ITEMS_MAX else pending_qs.count()
        with transaction.atomic():
            # claim every pending entry first: a second run at the same time finds nothing to send
            claimed = Notification.objects.filter(pk__in=pending_qs.values("pk"), emailed_at=None).update(
                emailed_at=now
            )
            if not claimed:
                continue
            mails_queue(
                [
                    Outgoing(
                        to=user.email,
                        subject=_("Ihre tägliche Zusammenfassung von Konzept K"),
                        body=user_mail_body(
                            body=_digest_text(pending, total),
                            url=reverse("notifications:inbox"),
                            user_id=user.pk,
                            kind=None,
                        ),
                        unsubscribe_url=unsubscribe_url(user.pk),
                        kind=OTHER,
                        user=user,
                    )
                ]
            )
        queued += 1
    return queued
