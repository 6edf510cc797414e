"""The city profile as data: outline, district layers, population, points of interest."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CityConfig(AppConfig):
    name = "konzeptk.city"
    label = "city"
    verbose_name = _("Stadtprofil")

    def ready(self) -> None:
        from konzeptk.city import catalogue as published
        from konzeptk.core import catalogue

        catalogue.register("city", published.entries)  # what the open data catalogue lists
