"""The interim-use programme: calls, applications, matching, jury, contracts and the tenants' reports."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterimuseConfig(AppConfig):
    name = "konzeptk.interimuse"
    label = "interimuse"
    verbose_name = _("Zwischennutzung")

    def ready(self) -> None:
        from konzeptk.interimuse.services import STATUS_KIND
        from konzeptk.notifications.registry import kinds

        kinds.register(
            STATUS_KIND,
            _("Entscheidungen und Verträge zu meinen Bewerbungen für eine Zwischennutzung"),
            order=40,
            app="interimuse",
        )
