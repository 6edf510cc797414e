"""Deploy check: production refuses anonymous SensorThings writes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_open_write(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from konzeptk.sensing.sta.auth import OPEN_WRITE_ENV, open_write_enabled

    if open_write_enabled() and not (settings.DEBUG or settings.DEMO_MODE):
        return [
            checks.Error(
                f"{OPEN_WRITE_ENV}=1 erlaubt anonymes Schreiben in die SensorThings-API.",
                hint="Nur für Konformitätstests an einem lokalen Server setzen, nie in Produktion.",
                id="sensing.E001",
            )
        ]
    return []


def refuse_open_write_in_production() -> None:
    """Raise at start-up of long-running processes (bridge, server) when the check fails."""
    from django.core.exceptions import ImproperlyConfigured

    errors = check_open_write()
    if errors:
        raise ImproperlyConfigured(errors[0].msg)
