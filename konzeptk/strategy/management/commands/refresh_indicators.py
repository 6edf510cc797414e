"""`konzeptk refresh_indicators`: update indicators bound to the urban data platform (e.g. from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from konzeptk.strategy import services


class Command(BaseCommand):
    help = "Aktualisiert alle an Datenreihen der Stadtdatenplattform gebundenen Indikatoren."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="auch ohne neue Beobachtungen neu berechnen")

    def handle(self, *args: Any, **options: Any) -> None:
        for binding in services.indicators_refresh_all(force=options["force"]):
            self.stdout.write(f"{binding.indicator.slug}: {binding.get_state_display()}\n")
