"""The notification kinds of insights (keys of konzeptk.notifications.registry: never change them)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from konzeptk.notifications.registry import kinds

#: moderators hear that statements of a Meinungsbild wait for their review
STATEMENTS_WAITING = "statements_waiting"


def register() -> None:
    """Called from ``InsightsConfig.ready()``."""
    kinds.register(
        STATEMENTS_WAITING,
        _("Aussagen im Meinungsbild warten auf Prüfung (Moderation)"),
        order=40,
        app="insights",
    )
