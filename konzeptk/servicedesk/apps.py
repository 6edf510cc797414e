"""Defect reports with Open311 GeoReport v2."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicedeskConfig(AppConfig):
    name = "konzeptk.servicedesk"
    label = "servicedesk"
    verbose_name = _("Mängelmelder")
