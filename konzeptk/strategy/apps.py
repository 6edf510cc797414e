"""The living Handlungsprogramm: revisions, projects and pilots, indicators."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "konzeptk.strategy"
    label = "strategy"
    verbose_name = _("Strategie")

    def ready(self) -> None:
        from konzeptk.core import catalogue
        from konzeptk.strategy import catalogue as published

        catalogue.register("strategy", published.entries)  # what the open data catalogue lists
        from konzeptk.core.front_door_registry import register_front_door
        from konzeptk.strategy import front_door

        register_front_door("strategy", front_door.contribution)  # indicators on course, home page
