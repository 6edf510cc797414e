"""``konzeptk import_ladesaeulen DATEI [--simulated]``: the city's public charging stations from the
Ladesäulenregister CSV of the Bundesnetzagentur; see ``konzeptk/climate/charging_import.py``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from konzeptk.climate.charging_import import charging_import
from konzeptk.climate.management.commands._report import write_report
from konzeptk.core.errors import DomainError


class Command(BaseCommand):
    help = "Importiert die öffentlichen Ladeeinrichtungen der Stadt aus dem Ladesäulenregister (CSV) der Bundesnetzagentur."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--simulated", action="store_true", help="die Einträge als simuliert kennzeichnen"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Datei {path} nicht gefunden.")
        try:
            run = charging_import(path=path, simulated=options["simulated"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        write_report(self.stdout, run)
