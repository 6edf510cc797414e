"""Base templates, accessibility pages, health and shared UI pieces."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "konzeptk.core"
    label = "core"
    verbose_name = _("Grundlagen")

    def ready(self) -> None:
        from konzeptk.core import checks  # noqa: F401 – registers the system checks
        from konzeptk.core.errors import json_error, register_api_errors
        from konzeptk.core.ratelimits import use_shared_cache_for_allauth

        # allauth's login, sign-up and reset limits count in the shared cache, as django-ratelimit does.
        use_shared_cache_for_allauth()

        # The JSON API (konzeptk/api.py) answers every error as {"code", "message"}.
        register_api_errors("/api/v1/", json_error)
