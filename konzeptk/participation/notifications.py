"""In-platform inbox and e-mail: every notification is stored; e-mail goes out after the commit.

Each notification has a kind (reply, status, phase, other). A person chooses in the settings page
which kinds reach them by e-mail and how often: immediately, once a day as a digest
(``konzeptk send_digests``, or the Celery task ``participation.send_digests`` in production) or never
(inbox only). Every e-mail carries a personal unsubscribe link (a signed token, no login needed)
that switches e-mails off for that person.

Followers of a process hear when a new phase starts: ``konzeptk announce_phases`` (cron or the
Celery task ``participation.announce_phases``) announces every phase that started since the last run,
exactly once (``Phase.announced_at``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from konzeptk.participation.models import Follow, Notification, NotificationSetting, Phase, Process

_SALT = "participation.unsubscribe"

#: the preference field of NotificationSetting that decides whether a kind is e-mailed
KIND_SETTING: dict[str, str] = {
    Notification.Kind.REPLY: "on_replies",
    Notification.Kind.STATUS: "on_status",
    Notification.Kind.PHASE: "on_phases",
}


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
    return (
        _(
            "%(body)s\n\nZum Beitrag: %(link)s\n\n"
            "Sie erhalten diese E-Mail, weil Sie einem Beitrag oder Prozess auf Konzept K folgen.\n"
            "Keine E-Mails mehr erhalten: %(unsubscribe)s"
        )
        % {"body": body, "link": link, "unsubscribe": unsubscribe}
        + "\n"
        + _("Einstellungen ändern: %(settings)s")
        % {"settings": _site_url() + reverse("participation:notification_settings")}
    )


def _wants_mail_now(setting: NotificationSetting | None, kind: str) -> bool:
    if setting is None:
        return True  # defaults: immediately, every kind
    if setting.email_frequency != NotificationSetting.Frequency.IMMEDIATE:
        return False
    field = KIND_SETTING.get(kind)
    return bool(getattr(setting, field)) if field else True


def notify(
    *,
    recipients: Iterable[Any],
    subject: str,
    body: str,
    url: str = "",
    exclude: Any = None,
    kind: str = Notification.Kind.OTHER,
) -> int:
    """Store one inbox entry per recipient; send e-mails after the transaction commits to those who
    want this kind immediately. Digest readers get it with the next digest."""
    people = {u.pk: u for u in recipients if u is not None and (exclude is None or u.pk != exclude.pk)}
    if not people:
        return 0
    Notification.objects.bulk_create(
        [Notification(recipient_id=pk, kind=kind, subject=subject[:200], body=body, url=url) for pk in people]
    )
    settings_by_user = {s.user_id: s for s in NotificationSetting.objects.filter(user_id__in=people)}
    now_ids = [pk for pk in people if _wants_mail_now(settings_by_user.get(pk), kind)]
    mails = [(people[pk].email, _mail_body(body, url, pk)) for pk in now_ids if people[pk].email]

    def send() -> None:
        for address, text in mails:
            send_mail(subject, text, None, [address], fail_silently=True)
        Notification.objects.filter(recipient_id__in=now_ids, kind=kind, emailed_at=None).update(
            emailed_at=timezone.now()
        )

    transaction.on_commit(send)
    return len(people)


DIGEST_ITEMS_MAX = 50


def notification_digest_send(*, now: dt.datetime | None = None) -> int:
    """One e-mail per person who chose the daily digest, with the kinds they chose that were not yet
    mailed. Idempotent: mailed entries get ``emailed_at`` and are not sent again. Returns mails sent."""
    now = now or timezone.now()
    sent = 0
    daily = (
        NotificationSetting.objects.filter(email_frequency=NotificationSetting.Frequency.DAILY)
        .select_related("user")
        .order_by("pk")
    )
    for setting in daily.iterator(chunk_size=500):
        kinds = [Notification.Kind.OTHER] + [k for k, f in KIND_SETTING.items() if getattr(setting, f)]
        pending_qs = Notification.objects.filter(
            recipient_id=setting.user_id, emailed_at=None, kind__in=kinds, created_at__lte=now
        )
        pending = list(pending_qs.order_by("created_at", "pk")[:DIGEST_ITEMS_MAX])
        if not pending or not setting.user.email:
            continue
        total = pending_qs.count()
        parts = [
            f"• {n.subject}\n{n.body[:500]}\n{_site_url() + n.url if n.url.startswith('/') else n.url}"
            for n in pending
        ]
        if total > len(pending):
            parts.append(
                _("… und %(n)d weitere Benachrichtigungen auf der Plattform.") % {"n": total - len(pending)}
            )
        with transaction.atomic():
            # claim the entries first: a second run at the same time finds nothing to send
            claimed = Notification.objects.filter(pk__in=[n.pk for n in pending], emailed_at=None).update(
                emailed_at=now
            )
            if not claimed:
                continue
            Notification.objects.filter(pk__in=pending_qs.values("pk")).update(emailed_at=now)
        send_mail(
            _("Ihre tägliche Zusammenfassung von Konzept K"),
            _mail_body("\n\n".join(parts), reverse("participation:inbox"), setting.user_id),
            None,
            [setting.user.email],
            fail_silently=True,
        )
        sent += 1
    return sent


#: phases that started longer ago than this are not announced any more (they are marked as done)
ANNOUNCE_WINDOW = dt.timedelta(days=3)


def phases_announce(*, now: dt.datetime | None = None) -> list[Phase]:
    """Tell the followers of every published process that a phase has started. Each phase is
    announced once (claimed by setting ``announced_at`` in the same transaction); phases that started
    more than ANNOUNCE_WINDOW ago and were never announced are marked without mail."""
    now = now or timezone.now()
    Phase.objects.filter(announced_at=None, start__lt=now - ANNOUNCE_WINDOW).update(announced_at=now)
    due = list(
        Phase.objects.filter(
            announced_at=None,
            start__lte=now,
            end__gt=now,
            process__status=Process.Status.PUBLISHED,
        ).select_related("process")
    )
    announced = []
    User = get_user_model()
    for phase in due:
        with transaction.atomic():
            if not Phase.objects.filter(pk=phase.pk, announced_at=None).update(announced_at=now):
                continue  # another run took it
            followers = User.objects.filter(
                pk__in=Follow.objects.filter(process_id=phase.process_id).values("user_id")
            )
            with translation.override(settings.LANGUAGE_CODE):
                notify(
                    recipients=followers.only("id", "email"),
                    subject=_("Neue Phase in „%(process)s“: %(phase)s")
                    % {"process": phase.process.title[:120], "phase": phase.display_name},
                    body=_("Seit %(date)s läuft die Phase „%(phase)s“ bis %(end)s.\n\n%(what)s")
                    % {
                        "date": timezone.localtime(phase.start).strftime("%d.%m.%Y"),
                        "end": timezone.localtime(phase.end).strftime("%d.%m.%Y"),
                        "phase": phase.display_name,
                        "what": phase.description or phase.phase_type.description,
                    },
                    url=phase.process.get_absolute_url(),
                    kind=Notification.Kind.PHASE,
                )
        announced.append(phase)
    return announced
