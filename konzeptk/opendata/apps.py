"""The open data catalogue: every dataset of the city in DCAT-AP.de and behind a CKAN-compatible API."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "konzeptk.opendata"
    label = "opendata"
    verbose_name = _("Offene Daten")

    def ready(self) -> None:
        # the CKAN Action API answers its errors in CKAN's form (registers itself with the error contract);
        # a strategy indicator can bind to the metadata quality (strategy, a lower floor, offers the registry)
        from konzeptk.opendata import ckan, selectors  # noqa: F401
        from konzeptk.strategy import source_registry

        def quality_share_300() -> float | None:
            share = selectors.share_above(300)
            return None if share is None else share * 100

        source_registry.register_source(
            "opendata.quality_share_300",
            label=str(_("Anteil der Datensätze mit mehr als 300 Punkten Metadatenqualität")),
            value=quality_share_300,
        )
