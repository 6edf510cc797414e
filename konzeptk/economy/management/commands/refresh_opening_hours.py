"""``konzeptk refresh_opening_hours``: renew the weekly intervals of entries whose hours change over the year."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from konzeptk.economy.services import opening_hours_refresh


class Command(BaseCommand):
    help = "Berechnet die Öffnungszeiten der Woche neu, wo sie im Jahr wechseln (nachts; mit Celery geplant als economy.refresh_opening_hours)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{opening_hours_refresh()} Einträge neu berechnet.")
