"""The living Handlungsprogramm: revisions, projects and pilots, indicators."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "konzeptk.strategy"
    label = "strategy"
    verbose_name = _("Strategie")
