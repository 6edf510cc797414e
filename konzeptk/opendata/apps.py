"""The open data catalogue: every dataset of the city in DCAT-AP.de and behind a CKAN-compatible API."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "konzeptk.opendata"
    label = "opendata"
    verbose_name = _("Offene Daten")

    def ready(self) -> None:
        # the CKAN Action API answers its errors in CKAN's form (registers itself with the error contract)
        from konzeptk.opendata import ckan  # noqa: F401
