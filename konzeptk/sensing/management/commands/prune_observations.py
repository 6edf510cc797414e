from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from konzeptk.sensing.retention import observations_prune


class Command(BaseCommand):
    help = (
        "Aufbewahrung: behält die Rohdaten der letzten N Monate; Stundenwerte (Anzahl, Summe, Minimum, Maximum) "
        "bleiben für immer. Legt außerdem die Monatspartitionen der kommenden Monate an (PostgreSQL)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--keep-months", type=int, required=True, help="Monate mit Rohdaten (mindestens 1)"
        )
        parser.add_argument("--dry-run", action="store_true", help="nur anzeigen, nichts löschen")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["keep_months"] < 1:
            raise CommandError("--keep-months muss mindestens 1 sein.")
        result = observations_prune(keep_months=options["keep_months"], dry_run=options["dry_run"])
        verb = "würden entfernt" if options["dry_run"] else "entfernt"
        self.stdout.write(
            f"Rohdaten vor {result.cutoff:%Y-%m-%d}: {result.rows} Beobachtungen aus "
            f"{result.datastreams} Datastreams {verb}; Stundenwerte bleiben."
        )
        if result.dropped_partitions:
            self.stdout.write(f"Partitionen {verb}: {', '.join(result.dropped_partitions)}")
        if result.created_partitions:
            self.stdout.write(f"Neue Partitionen: {', '.join(result.created_partitions)}")
