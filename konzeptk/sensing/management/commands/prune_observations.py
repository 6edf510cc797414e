from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from konzeptk.sensing.archive import ArchiveError
from konzeptk.sensing.retention import observations_prune


class Command(BaseCommand):
    help = (
        "Aufbewahrung: behält die Rohdaten der letzten N Monate; Stundenwerte (Anzahl, Summe, Minimum, Maximum) "
        "bleiben für immer. Mit --archive wird jeder Monat vorher als Parquet-Datei gesichert und geprüft. "
        "Legt außerdem die Monatspartitionen der kommenden Monate an (PostgreSQL)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--keep-months", type=int, required=True, help="Monate mit Rohdaten (mindestens 1)"
        )
        parser.add_argument("--dry-run", action="store_true", help="nur anzeigen, nichts löschen")
        parser.add_argument(
            "--archive",
            metavar="VERZEICHNIS",
            default=settings.SENSING_ARCHIVE_DIR or None,
            help="vor dem Löschen je Monat eine Parquet-Datei hier ablegen und prüfen "
            "(Standard: KONZEPTK_SENSING_ARCHIVE_DIR)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["keep_months"] < 1:
            raise CommandError("--keep-months muss mindestens 1 sein.")
        archive = Path(options["archive"]) if options["archive"] else None
        try:
            result = observations_prune(
                keep_months=options["keep_months"], dry_run=options["dry_run"], archive=archive
            )
        except ArchiveError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"Archiv nicht schreibbar ({exc}); nichts wurde gelöscht.") from exc
        verb = "würden entfernt" if options["dry_run"] else "entfernt"
        self.stdout.write(
            f"Rohdaten vor {result.cutoff:%Y-%m-%d}: {result.rows} Beobachtungen aus "
            f"{result.datastreams} Datastreams {verb}; Stundenwerte bleiben."
        )
        if options["dry_run"] and result.archive_months:
            months = ", ".join(f"{month:%Y-%m}" for month in result.archive_months)
            self.stdout.write(f"Würden archiviert nach {archive}: {months}")
        for item in result.archived:
            self.stdout.write(f"Archiviert und geprüft: {item.path} ({item.rows} Beobachtungen)")
        if result.dropped_partitions:
            self.stdout.write(f"Partitionen {verb}: {', '.join(result.dropped_partitions)}")
        if result.created_partitions:
            self.stdout.write(f"Neue Partitionen: {', '.join(result.created_partitions)}")
