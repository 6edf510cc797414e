"""In-platform inbox and e-mail: every notification is stored; e-mail goes out after the commit.

Every e-mail carries a personal unsubscribe link (a signed token, no login needed) that switches
e-mails off for that person. People who chose the daily digest get one mail a day
(``notification_digest_send``), people who chose "never" see the inbox only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.participation.models import Notification, NotificationSetting

_SALT = "participation.unsubscribe"


def unsubscribe_token(user_id: int) -> str:
    return signing.dumps(user_id, salt=_SALT)


def user_for_unsubscribe_token(token: str) -> Any | None:
    try:
        user_id = signing.loads(token, salt=_SALT, max_age=60 * 60 * 24 * 365)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=user_id).first()


def _site_url() -> str:
    return str(getattr(settings, "SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def _mail_body(body: str, url: str, user_id: int) -> str:
    unsubscribe = _site_url() + reverse(
        "participation:unsubscribe", kwargs={"token": unsubscribe_token(user_id)}
    )
    link = _site_url() + url if url.startswith("/") else url
    return _(
        "%(body)s\n\nZum Beitrag: %(link)s\n\n"
        "Sie erhalten diese E-Mail, weil Sie einem Beitrag oder Prozess auf Konzept K folgen.\n"
        "Keine E-Mails mehr erhalten: %(unsubscribe)s"
    ) % {"body": body, "link": link, "unsubscribe": unsubscribe}


def notify(*, recipients: Iterable[Any], subject: str, body: str, url: str = "", exclude: Any = None) -> int:
    """Store one inbox entry per recipient and send immediate e-mails after the transaction commits."""
    people = {u.pk: u for u in recipients if u is not None and (exclude is None or u.pk != exclude.pk)}
    if not people:
        return 0
    Notification.objects.bulk_create(
        [Notification(recipient_id=pk, subject=subject[:200], body=body, url=url) for pk in people]
    )
    quiet = set(
        NotificationSetting.objects.filter(user_id__in=people)
        .exclude(email_frequency=NotificationSetting.Frequency.IMMEDIATE)
        .values_list("user_id", flat=True)
    )
    mails = [
        (u.email, _mail_body(body, url, u.pk)) for pk, u in people.items() if pk not in quiet and u.email
    ]

    def send() -> None:
        for address, text in mails:
            send_mail(subject, text, None, [address], fail_silently=True)
        Notification.objects.filter(
            recipient_id__in=[pk for pk in people if pk not in quiet], emailed_at=None
        ).update(emailed_at=timezone.now())

    transaction.on_commit(send)
    return len(people)


def notification_digest_send() -> int:
    """One e-mail per person who chose the daily digest, with everything not yet mailed."""
    sent = 0
    daily = NotificationSetting.objects.filter(
        email_frequency=NotificationSetting.Frequency.DAILY
    ).select_related("user")
    for setting in daily:
        pending = list(
            Notification.objects.filter(recipient=setting.user, emailed_at=None).order_by("created_at")
        )
        if not pending:
            continue
        body = "\n\n".join(f"{n.subject}\n{n.body}" for n in pending)
        send_mail(
            _("Ihre tägliche Zusammenfassung von Konzept K"),
            _mail_body(body, reverse("participation:inbox"), setting.user_id),
            None,
            [setting.user.email],
            fail_silently=True,
        )
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
        sent += 1
    return sent
