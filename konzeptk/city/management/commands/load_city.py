from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from konzeptk.city.services import ProfileError, city_profile_load


class Command(BaseCommand):
    help = "Lädt ein Stadtprofil (z. B. krefeld) oder aktualisiert es. Mehrfaches Laden verdoppelt nichts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "profile", help="Name eines mitgelieferten Profils oder Pfad zu einem Profilordner"
        )
        parser.add_argument(
            "--boundaries",
            action="append",
            default=[],
            metavar="EBENE=DATEI",
            help="amtliche Grenzen (GeoJSON mit Eigenschaft code) ersetzen die schematischen einer Ebene",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        boundaries: dict[str, Path] = {}
        for item in options["boundaries"]:
            slug, sep, file = item.partition("=")
            if not sep or not Path(file).is_file():
                raise CommandError(
                    f"--boundaries erwartet EBENE=DATEI mit vorhandener Datei, nicht „{item}“."
                )
            boundaries[slug] = Path(file)
        try:
            report = city_profile_load(source=options["profile"], boundaries=boundaries)
        except ProfileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Stadtprofil {report.profile.name} geladen."))
        for slug, count in report.layers.items():
            self.stdout.write(f"  Ebene {slug}: {count} Gebiete")
        self.stdout.write(f"  Bevölkerungszellen: {report.population_cells}")
        self.stdout.write(f"  Orte: {report.points_of_interest}")
