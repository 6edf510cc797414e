"""The notifications section of the personal-data export (found by accounts' registry)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.export_registry import register_export_section
from konzeptk.accounts.models import User
from konzeptk.notifications.models import KindSetting, Mail, Notification, NotificationSetting


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def notifications_section(user: User) -> dict[str, object]:
    setting = NotificationSetting.objects.filter(user=user).first()
    return {
        "settings": (
            {
                "email_frequency": setting.email_frequency,
                "kinds": dict(
                    KindSetting.objects.filter(user=user).order_by("kind").values_list("kind", "frequency")
                ),
            }
            if setting
            else None
        ),
        "inbox": [
            {"kind": k, "subject": s, "body": b, "url": u, "at": _iso(at), "read_at": _iso(r)}
            for k, s, b, u, at, r in Notification.objects.filter(recipient=user)
            .order_by("created_at", "pk")
            .values_list("kind", "subject", "body", "url", "created_at", "read_at")
        ],
        "mails": [
            {"to": to, "kind": k, "subject": s, "status": st, "created_at": _iso(at), "sent_at": _iso(sent)}
            for to, k, s, st, at, sent in Mail.objects.filter(_mails_of(user))
            .order_by("created_at", "pk")
            .values_list("to", "kind", "subject", "status", "created_at", "sent_at")
        ],
    }


def _mails_of(user: User) -> Q:
    return Q(user=user) | Q(to__iexact=user.email) if user.email else Q(user=user)


register_export_section(
    "notifications",
    notifications_section,
    models=[Notification, NotificationSetting, KindSetting, Mail],
    title=_("Benachrichtigungen"),
    purpose=_(
        "Ihr Posteingang auf der Plattform, wie oft Sie E-Mails bekommen möchten und die E-Mails der "
        "letzten Wochen an Sie."
    ),
    retention=_("bis Sie Ihr Konto löschen; gesendete E-Mails 30 Tage"),
    recipients=_("der Mailserver, der die E-Mails zustellt"),
)
