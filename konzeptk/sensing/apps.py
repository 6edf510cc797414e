"""Urban data platform: SensorThings API, ingestion, time series, dashboards."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SensingConfig(AppConfig):
    name = "konzeptk.sensing"
    label = "sensing"
    verbose_name = _("Stadtdaten")

    def ready(self) -> None:
        from konzeptk.sensing import checks  # noqa: F401 – registers the deploy check
