"""Users, organisations and roles, consent records, data export and erasure."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "konzeptk.accounts"
    label = "accounts"
    verbose_name = _("Konten")

    def ready(self) -> None:
        # residency verification: its export and erasure sections (the registries live in this app)
        # and its admin page
        from konzeptk.accounts.verification import admin, personal_data  # noqa: F401
