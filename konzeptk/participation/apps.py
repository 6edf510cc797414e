"""Participation processes with phases, ideas, comments, supports, follows and moderation."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "konzeptk.participation"
    label = "participation"
    verbose_name = _("Beteiligung")

    def ready(self) -> None:
        from konzeptk.core import catalogue
        from konzeptk.participation import catalogue as published

        catalogue.register("participation", published.entries)  # what the open data catalogue lists
        from konzeptk.participation import notifications

        notifications.register()  # its kinds and its part of the notification settings page
        from konzeptk.core.front_door_registry import register_front_door
        from konzeptk.participation import front_door

        register_front_door("participation", front_door.contribution)  # running processes, answers
