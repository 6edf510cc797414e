"""Climate: the city's path to climate neutrality in 2035 – emissions, CO2 budget, photovoltaics, charging
points and modal split, each figure bindable to a strategy indicator."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClimateConfig(AppConfig):
    name = "konzeptk.climate"
    label = "climate"
    verbose_name = _("Klimaschutz")

    def ready(self) -> None:
        # the figures are open data (core's catalogue registry) and can feed strategy indicators
        # (strategy's registry of value sources); neither lower room imports climate
        from konzeptk.climate import catalogue as published
        from konzeptk.climate import selectors
        from konzeptk.core import catalogue
        from konzeptk.strategy import source_registry

        catalogue.register("climate", published.entries)
        for name, label, value in (
            ("climate.pv_capacity", _("Klima: installierte PV-Leistung (MWp)"), selectors.pv_capacity_mwp),
            ("climate.charging_points", _("Klima: öffentliche Ladepunkte"), selectors.charging_points),
            (
                "climate.emissions_per_capita",
                _("Klima: Treibhausgase je Einwohner:in (t, letzte Bilanz)"),
                selectors.emissions_per_capita,
            ),
            (
                "climate.sustainable_share",
                _("Klima: Anteil des Umweltverbunds an allen Wegen (%, letzter Modal Split)"),
                selectors.sustainable_share,
            ),
        ):
            source_registry.register_source(name, label=str(label), value=value)
