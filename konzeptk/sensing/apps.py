"""Urban data platform: SensorThings API, ingestion, time series, dashboards."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from konzeptk.core.companion_registry import Out, register_companion


class SensingConfig(AppConfig):
    name = "konzeptk.sensing"
    label = "sensing"
    verbose_name = _("Stadtdaten")

    def ready(self) -> None:
        from konzeptk.core import catalogue
        from konzeptk.sensing import catalogue as published

        catalogue.register("sensing", published.entries)  # what the open data catalogue lists
        from konzeptk.core.front_door_registry import register_front_door
        from konzeptk.sensing import front_door

        register_front_door("sensing", front_door.contribution)  # live figures on the home page
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
        register_companion("sensing.mqtt_bridge", _start_mqtt_bridge)  # beside `konzeptk demo`
        # Production settings refuse to start with anonymous SensorThings writes (KONZEPTK_STA_OPEN_WRITE=1).
        checks.refuse_open_write_in_production()


def _start_mqtt_bridge(out: Out) -> None:
    """The SensorThings MQTT bridge as a child process of ``konzeptk demo``, when a broker is set."""
    from django.conf import settings

    if settings.MQTT_URL:
        from konzeptk.sensing.mqtt_bridge import start_bridge_process

        start_bridge_process(out)


def _partitions_ahead(using: str = "default", **kwargs: object) -> None:
    """Every ``migrate`` creates the observation partitions of this month and the next ones (PostgreSQL)."""
    from django.db import connections

    from konzeptk.sensing import partitions

    partitions.ensure_ahead(connections[using])
