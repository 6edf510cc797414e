"""``konzeptk refresh_cool_places``: renew the weekly intervals of cool places whose hours change over the year."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from konzeptk.resilience.coolplaces import coolplace_hours_refresh


class Command(BaseCommand):
    help = "Berechnet die Öffnungszeiten kühler Orte neu, wo sie im Jahr wechseln (nachts per cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{coolplace_hours_refresh()} kühle Orte neu berechnet.")
