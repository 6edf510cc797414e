"""The inner city's vacant units: the owners' offers, the coordination's register and the vacancy statistics."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnercityConfig(AppConfig):
    name = "konzeptk.innercity"
    label = "innercity"
    verbose_name = _("Innenstadt")
