"""What participation tells people, through the notifications room (konzeptk.notifications).

Its kinds – registered from ``ParticipationConfig.ready()`` with the labels of the settings page –
and the phase announcements: followers of a process hear when a new phase starts.
``konzeptk announce_phases`` (cron or the Celery task ``participation.announce_phases``) announces
every phase that started since the last run, exactly once (``Phase.announced_at``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from konzeptk.accounts.models import User
from konzeptk.notifications.registry import kinds, register_settings_section
from konzeptk.notifications.services import notify
from konzeptk.participation.models import Follow, Phase, Process

#: kinds of participation (keys stored with every notification: never change them)
REPLY = "reply"
STATUS = "status"
PHASE = "phase"


def followed_processes(user: User) -> dict[str, object]:
    """The context of participation's section of the notification settings page."""
    follows = (
        Follow.objects.filter(user=user, process__isnull=False)
        .select_related("process")
        .order_by("process__title")
    )
    return {"follows": list(follows[:100])}


def register() -> None:
    """Called from ``ParticipationConfig.ready()``."""
    kinds.register(
        REPLY,
        gettext_lazy("Antworten und neue Kommentare zu Ideen, denen ich folge"),
        order=10,
        app="participation",
    )
    kinds.register(
        STATUS,
        gettext_lazy("neuer Stand und Antworten der Verwaltung zu meinen Ideen"),
        order=11,
        app="participation",
    )
    kinds.register(
        PHASE, gettext_lazy("neue Phasen in Prozessen, denen ich folge"), order=12, app="participation"
    )
    register_settings_section(
        "participation.follows", "participation/_notification_follows.html", followed_processes
    )


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
                    kind=PHASE,
                )
        announced.append(phase)
    return announced
