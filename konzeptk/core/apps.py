"""Base templates, accessibility pages, health and shared UI pieces."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "konzeptk.core"
    label = "core"
    verbose_name = _("Grundlagen")

    def ready(self) -> None:
        from konzeptk.core import checks  # noqa: F401 – registers the system checks
