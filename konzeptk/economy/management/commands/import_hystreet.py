"""``konzeptk import_hystreet DATEI.json [--simulated]``: pedestrian counts of the hystreet.com API into sensing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from konzeptk.core.jsonsafe import loads
from konzeptk.economy.hystreet import HystreetError, hystreet_import


class Command(BaseCommand):
    help = "Importiert Passantenzählungen im JSON-Format der hystreet.com-API (stündlich) in die Stadtdaten."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--simulated", action="store_true", help="die Zahlen als simuliert kennzeichnen")
        parser.add_argument("--lon", type=float, help="Längengrad einer neuen Zählstelle (WGS84)")
        parser.add_argument("--lat", type=float, help="Breitengrad einer neuen Zählstelle (WGS84)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Datei {path} nicht gefunden.")
        try:
            payload = loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise CommandError(f"Die Datei ist kein gültiges JSON: {str(exc)[:200]}") from None
        try:
            place = (
                (options["lon"], options["lat"])
                if options["lon"] is not None and options["lat"] is not None
                else None
            )
            report = hystreet_import(payload=payload, simulated=options["simulated"], place=place)
        except HystreetError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"{report.name} (hystreet {report.location_id}, Datastream {report.datastream_id}"
            f"{', neu angelegt' if report.created else ''}): {report.stored} gespeichert, "
            f"{report.skipped} schon vorhanden, {len(report.rejected)} abgelehnt."
        )
        for line in report.rejected[:20]:
            self.stdout.write(f"  {line}")
