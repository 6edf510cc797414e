"""One way to tell people things: inbox, per-kind settings, digests, double opt-in for addresses
without an account, one-click unsubscribe; sending is a background job."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "konzeptk.notifications"
    label = "notifications"
    verbose_name = _("Benachrichtigungen")

    def ready(self) -> None:
        from konzeptk.core.companion_registry import register_companion
        from konzeptk.notifications import background
        from konzeptk.notifications.registry import OPT_IN, OTHER, kinds

        kinds.register(OTHER, _("sonstige Nachrichten"), order=1000)
        # confirmation mails go to an address before anyone has chosen anything: not a setting
        kinds.register(OPT_IN, _("Bestätigung einer E-Mail-Adresse"), configurable=False)
        register_companion("notifications.sender", background.start_companion)  # beside `konzeptk demo`
