"""Telling people things: ``notify`` stores an inbox entry per account and queues the mails each
person wants now; the daily digest (digests.py) collects the rest; one-click unsubscribe.

Kinds come from the registry (registry.py). For each kind a person chooses how often it reaches
them by e-mail – immediately, once a day as a digest, or never (inbox only); without a choice for a
kind their default applies (``NotificationSetting.email_frequency``, "immediately" when unset).

Addresses without an account (``Address``) get mails only once their owner confirmed them through
the double opt-in (optin.py); the caller passes only confirmed ones and their own unsubscribe link.
An address that belongs to an account which chose "never" for the kind gets nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from konzeptk.accounts.models import User
from konzeptk.notifications import selectors
from konzeptk.notifications.mailing import Outgoing, mails_queue, unsubscribe_url, user_mail_body
from konzeptk.notifications.models import Frequency, KindSetting, Notification, NotificationSetting
from konzeptk.notifications.registry import OTHER, kinds


@dataclass(frozen=True)
class Address:
    """A confirmed address without an account: its mail text and its own unsubscribe link."""

    email: str
    body: str
    unsubscribe_url: str


@transaction.atomic
def notify(
    *,
    kind: str = OTHER,
    subject: str,
    body: str,
    url: str = "",
    recipients: Iterable[User | None] = (),
    addresses: Iterable[Address] = (),
    exclude: User | None = None,
) -> int:
    """Tell ``recipients`` (accounts: inbox entry, mail as each chose) and ``addresses`` (mail).

    Mails are queued in this transaction and sent by the job after the commit. Returns how many
    accounts and addresses were told (whether or not by mail)."""
    people = {u.pk: u for u in recipients if u is not None and (exclude is None or u.pk != exclude.pk)}
    now = timezone.now()
    outgoing: list[Outgoing] = []
    if people:
        wanted = selectors.frequencies(user_ids=list(people), kind=kind)
        mail_now = {pk for pk, f in wanted.items() if f == Frequency.IMMEDIATE and people[pk].email}
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=pk,
                    kind=kind,
                    subject=subject[:200],
                    body=body,
                    url=url,
                    created_at=now,
                    emailed_at=now if pk in mail_now else None,
                )
                for pk in people
            ]
        )
        outgoing += [
            Outgoing(
                to=people[pk].email,
                subject=subject,
                body=user_mail_body(body=body, url=url, user_id=pk, kind=kind),
                unsubscribe_url=unsubscribe_url(pk),
                kind=kind,
                user=people[pk],
            )
            for pk in sorted(mail_now)
        ]
    to_addresses = {a.email.casefold(): a for a in addresses if a.email}
    refusing = selectors.addresses_refusing(emails=list(to_addresses), kind=kind)
    outgoing += [
        Outgoing(to=a.email, subject=subject, body=a.body, unsubscribe_url=a.unsubscribe_url, kind=kind)
        for key, a in to_addresses.items()
        if key not in refusing
    ]
    mails_queue(outgoing)
    return len(people) + len(to_addresses)


@transaction.atomic
def settings_save(*, user: User, default: str, per_kind: Mapping[str, str]) -> NotificationSetting:
    """Store the default frequency and the kinds set apart from it (an empty value: as the default)."""
    if default not in Frequency.values:
        raise ValueError(f"unknown frequency {default!r}")
    setting, _created = NotificationSetting.objects.update_or_create(
        user=user, defaults={"email_frequency": default}
    )
    chosen = {k: f for k, f in per_kind.items() if k in kinds and f in Frequency.values and f != default}
    KindSetting.objects.filter(user=user).exclude(kind__in=list(chosen)).delete()
    for kind, frequency in chosen.items():
        KindSetting.objects.update_or_create(user=user, kind=kind, defaults={"frequency": frequency})
    return setting


@transaction.atomic
def emails_stop(*, user: User) -> NotificationSetting:
    """One-click unsubscribe: no more e-mails of any kind (the inbox stays)."""
    KindSetting.objects.filter(user=user).delete()
    setting, _created = NotificationSetting.objects.update_or_create(
        user=user, defaults={"email_frequency": Frequency.NEVER}
    )
    return setting


@transaction.atomic
def inbox_mark_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())
