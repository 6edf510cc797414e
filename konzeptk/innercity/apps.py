"""The inner city's vacant units: the owners' offers, the coordination's register and the vacancy statistics."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnercityConfig(AppConfig):
    name = "konzeptk.innercity"
    label = "innercity"
    verbose_name = _("Innenstadt")

    def ready(self) -> None:
        # the counts and offers are open data (core's catalogue registry); the strategy's indicator
        # "Leerstand Innenstadt" binds to the latest count through strategy's registry of value sources
        from konzeptk.core import catalogue
        from konzeptk.innercity import catalogue as published
        from konzeptk.innercity import selectors
        from konzeptk.strategy import source_registry

        catalogue.register("innercity", published.entries)
        source_registry.register_source(
            "innercity.vacancy_share",
            label=str(_("Leerstand Innenstadt: Anteil leer stehender Ladenlokale (%) der letzten Zählung")),
            value=selectors.vacancy_share_percent,
        )
