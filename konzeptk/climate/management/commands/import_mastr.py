"""``konzeptk import_mastr DATEI [--simulated]``: the city's photovoltaic units from the Marktstammdatenregister
bulk export (``EinheitenSolar_*.xml`` or the whole ZIP); see ``konzeptk/climate/solar_import.py``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from konzeptk.climate.management.commands._report import write_report
from konzeptk.climate.solar_import import mastr_import
from konzeptk.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Importiert die Photovoltaik-Einheiten der Stadt aus dem Gesamtdatenexport des Marktstammdatenregisters "
        "(EinheitenSolar_*.xml oder das ZIP-Archiv)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--simulated", action="store_true", help="die Einheiten als simuliert kennzeichnen"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Datei {path} nicht gefunden.")
        try:
            run = mastr_import(path=path, simulated=options["simulated"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        write_report(self.stdout, run)
