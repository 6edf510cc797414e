"""Resilience: official warnings in, the city's own alerts out (CAP, Atom, notifications), heat protection."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResilienceConfig(AppConfig):
    name = "konzeptk.resilience"
    label = "resilience"
    verbose_name = _("Warnungen und Hitzeschutz")

    def ready(self) -> None:
        self._ready_alerts()
        self._ready_heat()
        self._ready_catalogue()

    def _ready_catalogue(self) -> None:
        """The city's own alerts (CAP 1.2 and Atom) are open data (core's catalogue registry)."""
        from konzeptk.core import catalogue
        from konzeptk.resilience import catalogue as published

        catalogue.register("resilience", published.entries)

    def _ready_heat(self) -> None:
        """Heat protection (res-heat): open cool places on the home page while a heat warning is in force."""
        from konzeptk.core.front_door_registry import register_front_door
        from konzeptk.resilience import front_door

        register_front_door("resilience", front_door.contribution)

    def _ready_alerts(self) -> None:
        """The city's own alerts (res-alerts): the ingest hook in sensing, the notification kind, permissions."""
        from konzeptk.notifications.registry import kinds
        from konzeptk.resilience import evaluation
        from konzeptk.resilience import rules as _rules  # noqa: F401 – registers the permissions
        from konzeptk.resilience.models import ALERT_KIND
        from konzeptk.sensing.ingest_hook_registry import register_ingest_hook

        register_ingest_hook(
            "resilience.rules", evaluation.on_observations_written, watched=evaluation.watched_datastream_ids
        )
        kinds.register(ALERT_KIND, _("Warnungen der Stadt für meine Stadtteile"), app="resilience", order=60)
