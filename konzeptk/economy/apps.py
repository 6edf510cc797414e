"""The local economy: the directory of local businesses with opening hours, business offers and passer-by figures."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EconomyConfig(AppConfig):
    name = "konzeptk.economy"
    label = "economy"
    verbose_name = _("Lokale Wirtschaft")
