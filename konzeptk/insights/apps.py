"""Representation, weighting, opinion groups and cohesion."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "konzeptk.insights"
    label = "insights"
    verbose_name = _("Auswertungen")

    def ready(self) -> None:
        from konzeptk.core import catalogue
        from konzeptk.insights import catalogue as published

        catalogue.register("insights", published.entries)  # what the open data catalogue lists
        # imported here: models (and the services using them) are ready only now
        from konzeptk.insights import background, notification_kinds, phases, signals

        phases.register()
        notification_kinds.register()
        signals.landscape_stale.connect(background.on_landscape_stale, dispatch_uid="insights-recompute")
        # the reach of education offers feeds a strategy indicator, as a published (protected) count
        from konzeptk.insights import education_reach
        from konzeptk.strategy import source_registry

        source_registry.register_source(
            education_reach.INDICATOR_SOURCE,
            label=str(_("Bildung: erreichte Seniorinnen und Senioren je Jahr")),
            value=education_reach.seniors_reached_this_year,
        )
