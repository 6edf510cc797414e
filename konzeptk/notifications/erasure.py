"""What the notifications room does when a person deletes the account: the inbox, the e-mail
choices and the queued or sent mails to the account or its address are deleted."""

from __future__ import annotations

from django.db.models import Q

from konzeptk.accounts.erasure_registry import register_eraser
from konzeptk.accounts.models import User
from konzeptk.notifications.models import KindSetting, Mail, Notification, NotificationSetting


def erase_notifications(user: User) -> None:
    Notification.objects.filter(recipient=user).delete()
    NotificationSetting.objects.filter(user=user).delete()
    KindSetting.objects.filter(user=user).delete()
    mails = Q(user=user) | Q(to__iexact=user.email) if user.email else Q(user=user)
    Mail.objects.filter(mails).delete()


register_eraser(
    "notifications", erase_notifications, models=[Notification, NotificationSetting, KindSetting, Mail]
)
