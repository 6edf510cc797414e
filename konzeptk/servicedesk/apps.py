"""Defect reports with Open311 GeoReport v2."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicedeskConfig(AppConfig):
    name = "konzeptk.servicedesk"
    label = "servicedesk"
    verbose_name = _("Mängelmelder")

    def ready(self) -> None:
        from konzeptk.core import catalogue
        from konzeptk.servicedesk import catalogue as published

        catalogue.register("servicedesk", published.entries)  # what the open data catalogue lists
        from konzeptk.core.front_door_registry import register_front_door
        from konzeptk.servicedesk import front_door

        register_front_door("servicedesk", front_door.contribution)  # open reports on the home page
        from konzeptk.core.errors import register_api_errors
        from konzeptk.notifications.registry import kinds
        from konzeptk.servicedesk.models import REPORT_STATUS_KIND
        from konzeptk.servicedesk.open311 import open311_error

        # Open311 answers every error (also Django's 404/405/413) with its list of {code, description}.
        register_api_errors("/georeport/", open311_error)
        kinds.register(
            REPORT_STATUS_KIND,
            _("neuer Stand einer Mängelmeldung, der ich folge"),
            order=30,
            app="servicedesk",
        )
