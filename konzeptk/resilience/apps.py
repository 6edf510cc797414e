"""Resilience: official warnings in, the city's own alerts out (CAP, Atom, notifications), heat protection."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResilienceConfig(AppConfig):
    name = "konzeptk.resilience"
    label = "resilience"
    verbose_name = _("Warnungen und Hitzeschutz")

    def ready(self) -> None:
        pass
