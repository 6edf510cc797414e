"""Representation, weighting, opinion groups and cohesion."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "konzeptk.insights"
    label = "insights"
    verbose_name = _("Auswertungen")
