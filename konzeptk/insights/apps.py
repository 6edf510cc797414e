"""Representation, weighting, opinion groups and cohesion."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "konzeptk.insights"
    label = "insights"
    verbose_name = _("Auswertungen")

    def ready(self) -> None:
        from konzeptk.insights.models import Statement
        from konzeptk.participation.phases import PhaseType, register_action, registry

        register_action("opine")
        if "meinungsbild" not in registry:
            registry.register(
                PhaseType(
                    "meinungsbild",
                    _("Meinungsbild"),
                    _(
                        "Sie sehen kurze Aussagen nacheinander und sagen, ob Sie zustimmen, nicht zustimmen "
                        "oder überspringen. Eigene Aussagen können Sie vorschlagen."
                    ),
                    {"opine": (Statement,)},
                )
            )
