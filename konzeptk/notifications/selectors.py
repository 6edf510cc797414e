"""Reads of the notifications room: inbox pages, each person's e-mail choices."""

from __future__ import annotations

from collections.abc import Collection

from django.core.paginator import Page, Paginator
from django.db.models.functions import Lower

from konzeptk.accounts.models import User
from konzeptk.notifications.models import Frequency, KindSetting, Notification, NotificationSetting

INBOX_PAGE_SIZE = 20


def inbox_page(*, user: User, number: str | None) -> Page[Notification]:
    """One page of the person's inbox, newest first (a count and one page of rows: two queries)."""
    qs = Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")
    return Paginator(qs, INBOX_PAGE_SIZE).get_page(number)


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def setting_for(user: User) -> NotificationSetting:
    """The stored setting, or an unsaved one with the defaults (a GET never writes)."""
    return NotificationSetting.objects.filter(user=user).first() or NotificationSetting(user=user)


def kind_choices_for(user: User) -> dict[str, str]:
    """The kinds the person set apart from their default: kind -> frequency."""
    return dict(KindSetting.objects.filter(user=user).values_list("kind", "frequency"))


def frequencies(*, user_ids: Collection[int], kind: str) -> dict[int, str]:
    """How often each person wants mails of ``kind`` (two queries for any number of people)."""
    if not user_ids:
        return {}
    defaults = dict(
        NotificationSetting.objects.filter(user_id__in=user_ids).values_list("user_id", "email_frequency")
    )
    own = dict(
        KindSetting.objects.filter(user_id__in=user_ids, kind=kind).values_list("user_id", "frequency")
    )
    return {pk: own.get(pk) or defaults.get(pk) or Frequency.IMMEDIATE for pk in user_ids}


def addresses_refusing(*, emails: Collection[str], kind: str) -> set[str]:
    """Of ``emails`` (casefolded), those that belong to an account which wants no mails of ``kind``."""
    if not emails:
        return set()
    owners = dict(
        User.objects.annotate(address=Lower("email"))
        .filter(address__in=[e.casefold() for e in emails])
        .values_list("pk", "address")
    )
    wanted = frequencies(user_ids=list(owners), kind=kind)
    return {owners[pk] for pk, frequency in wanted.items() if frequency == Frequency.NEVER}
