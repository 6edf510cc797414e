"""allauth adapter: its messages in the polite German of a public authority ("Sie", not "du").

allauth's own German translation addresses people informally; the platform speaks as the city does.
The German source strings here are translated into the other UI languages like every other string.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from konzeptk.core.siteurl import absolute_url

GERMAN_ERROR_MESSAGES = {
    "account_inactive": _("Dieses Konto ist nicht aktiv."),
    "cannot_remove_primary_email": _("Ihre Hauptadresse können Sie nicht entfernen."),
    "duplicate_email": _("Diese E-Mail-Adresse gehört bereits zu Ihrem Konto."),
    "email_password_mismatch": _(
        "E-Mail-Adresse oder Passwort stimmen nicht. Bitte prüfen Sie Ihre Eingabe."
    ),
    "email_taken": _("Mit dieser E-Mail-Adresse ist bereits ein Konto registriert."),
    "enter_current_password": _("Bitte geben Sie Ihr aktuelles Passwort ein."),
    "incorrect_code": _("Der Code stimmt nicht."),
    "incorrect_password": _("Das Passwort stimmt nicht."),
    "invalid_or_expired_key": _("Der Schlüssel ist ungültig oder abgelaufen."),
    "invalid_login": _("Die Anmeldung ist ungültig."),
    "invalid_password_reset": _("Der Link zum Zurücksetzen des Passworts ist ungültig."),
    "max_email_addresses": _("Sie können nicht mehr als %d E-Mail-Adressen hinterlegen."),
    "too_many_login_attempts": _(
        "Zu viele fehlgeschlagene Anmeldeversuche von diesem Anschluss. Bitte warten Sie einige Minuten und versuchen Sie es dann noch einmal."
    ),
    "unknown_email": _("Zu dieser E-Mail-Adresse gibt es kein Konto."),
    "unverified_primary_email": _("Ihre Hauptadresse muss bestätigt sein."),
    "select_only_one": _("Bitte wählen Sie genau eine Möglichkeit."),
    "same_as_current": _("Der neue Wert muss sich vom bisherigen unterscheiden."),
    "rate_limited": _("Sie haben in kurzer Zeit zu viele Anfragen geschickt. Bitte warten Sie einen Moment."),
}


def on_site(value: Any) -> Any:
    """An absolute address allauth built from the request's host, moved to ``SITE_URL``."""
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        parts = urlsplit(value)
        return absolute_url(urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment)))
    return value


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {**DefaultAccountAdapter.error_messages, **GERMAN_ERROR_MESSAGES}

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Every link in allauth's mails (confirmation, password reset, sign-up) starts with the
        configured ``SITE_URL``, not with the host the request happened to reach."""
        moved = {key: on_site(value) if key.endswith("_url") else value for key, value in context.items()}
        super().send_mail(template_prefix, email, moved)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """Failed logins count per (client address, account), never per account alone.

        allauth's ``login_failed`` limit ``5/5m/key`` counts per account by default, so anyone who
        knows an address could lock its owner out with five wrong passwords. With the client's
        address in the key, a stranger only locks themselves out; ``20/5m/ip`` in
        ``ACCOUNT_RATE_LIMITS`` additionally bounds what one address tries across many accounts.
        """
        from konzeptk.core.ratelimits import client_ip

        login = str(credentials.get("email", credentials.get("username", ""))).strip().lower()
        # allauth's own key starts with the request's host, which differs between the servers of
        # one installation (host:port); the account is the address alone.
        return f"{client_ip(request)}|{login}"
