"""The local economy: the directory of local businesses with opening hours, business offers and passer-by figures."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EconomyConfig(AppConfig):
    name = "konzeptk.economy"
    label = "economy"
    verbose_name = _("Lokale Wirtschaft")

    def ready(self) -> None:
        from konzeptk.core import catalogue
        from konzeptk.economy import catalogue as published

        catalogue.register("economy", published.entries)  # the business directory as open data
