"""The city profile as data: outline, district layers, population, points of interest."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CityConfig(AppConfig):
    name = "konzeptk.city"
    label = "city"
    verbose_name = _("Stadtprofil")
