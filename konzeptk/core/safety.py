"""Refuse to run a production installation in an unsafe state."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def refuse_unsafe_production() -> None:
    """Raise if this is not a demo but demo accounts with their well-known passwords exist."""
    if settings.DEMO_MODE:
        return
    from konzeptk.accounts.demo import demo_accounts_with_known_password

    try:
        unsafe = demo_accounts_with_known_password()
    except Exception:  # database not migrated yet: nothing to check
        return
    if unsafe:
        raise ImproperlyConfigured(
            f"Demo-Konten mit bekannten Passwörtern gefunden ({', '.join(unsafe)}). "
            "Produktion startet nicht: Konten löschen oder Passwörter ändern."
        )
