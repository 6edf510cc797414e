"""Urban data platform: SensorThings API, ingestion, time series, dashboards."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SensingConfig(AppConfig):
    name = "konzeptk.sensing"
    label = "sensing"
    verbose_name = _("Stadtdaten")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from konzeptk.core.errors import register_api_errors
        from konzeptk.sensing import (
            checks,
            rules,  # noqa: F401 – registers the permissions
            writecache,
        )
        from konzeptk.sensing.errors import sta_error

        register_api_errors("/sta/", sta_error)
        writecache.connect()  # cached write look-ups are dropped when their entities change
        post_migrate.connect(_partitions_ahead, sender=self)
        # Production settings refuse to start with anonymous SensorThings writes (KONZEPTK_STA_OPEN_WRITE=1).
        checks.refuse_open_write_in_production()


def _partitions_ahead(using: str = "default", **kwargs: object) -> None:
    """Every ``migrate`` creates the observation partitions of this month and the next ones (PostgreSQL)."""
    from django.db import connections

    from konzeptk.sensing import partitions

    partitions.ensure_ahead(connections[using])
