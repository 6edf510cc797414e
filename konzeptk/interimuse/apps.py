"""The interim-use programme: calls, applications, matching, jury, contracts and the tenants' reports."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterimuseConfig(AppConfig):
    name = "konzeptk.interimuse"
    label = "interimuse"
    verbose_name = _("Zwischennutzung")
