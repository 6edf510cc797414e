"""System checks of the platform (run with ``konzeptk check --deploy`` before going live)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured


@register(Tags.security, deploy=True)
def demo_accounts_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Outside demo mode, demo accounts with their published password must not exist."""
    from konzeptk.core.safety import refuse_unsafe_production

    try:
        refuse_unsafe_production()
    except ImproperlyConfigured as exc:
        return [
            Error(
                str(exc),
                hint="Die Demo-Konten im Verwaltungsbereich löschen oder ihre Passwörter ändern.",
                id="konzeptk.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def secret_key_source_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Production takes SECRET_KEY from the environment so that every web process shares it."""
    if settings.DEMO_MODE or getattr(settings, "SECRET_KEY_FROM_ENV", True):
        return []
    return [
        Warning(
            "SECRET_KEY ist nicht gesetzt; der Schlüssel wurde im Datenverzeichnis erzeugt.",
            hint="Für den Betrieb mit mehreren Servern SECRET_KEY in der Umgebung setzen (docs/operations.md).",
            id="konzeptk.W001",
        )
    ]
