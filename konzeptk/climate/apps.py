"""Climate: the city's path to climate neutrality in 2035 – emissions, CO2 budget, photovoltaics, charging
points and modal split, each figure bindable to a strategy indicator."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClimateConfig(AppConfig):
    name = "konzeptk.climate"
    label = "climate"
    verbose_name = _("Klimaschutz")

    def ready(self) -> None:
        pass
