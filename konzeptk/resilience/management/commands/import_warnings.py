"""``konzeptk import_warnings --source dwd|nina FILE_OR_URL``: import official warnings now.

Without an address it imports every address configured in ``RESILIENCE_WARNING_FEEDS`` (what the
schedule runs). Each import prints its report; a refused document ends the command with an error.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from konzeptk.resilience.imports import scheduled_import, warnings_import
from konzeptk.resilience.models import ImportRun, Source


class Command(BaseCommand):
    help = "Importiert amtliche Warnungen (DWD als CAP 1.2, NINA als JSON) und schreibt einen Bericht."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", choices=[Source.DWD.value, Source.NINA.value], help="Quelle")
        parser.add_argument("location", nargs="?", help="Datei oder Adresse (http/https)")

    def handle(self, *args: Any, **options: Any) -> None:
        source, location = options.get("source"), options.get("location")
        if location and not source:
            raise CommandError("Bitte geben Sie mit --source an, ob die Datei vom DWD oder von NINA kommt.")
        if source and not location:
            raise CommandError("Bitte geben Sie eine Datei oder Adresse an.")
        runs = (
            [warnings_import(source=source, location=location)] if source and location else scheduled_import()
        )
        if not runs:
            self.stdout.write("Keine Adressen in RESILIENCE_WARNING_FEEDS eingetragen; nichts importiert.")
        failed = False
        for run in runs:
            self.stdout.write(
                f"{run.get_source_display()} {run.location}: {run.get_status_display()} – gelesen {run.read}, "
                f"neu {run.created}, Aktualisierungen {run.updated}, Aufhebungen {run.cancelled}, "
                f"unverändert {run.unchanged}, andere Region {run.other_region}, Dubletten {run.duplicates}, "
                f"Fehler {run.error_count}" + (f" ({run.message})" if run.message else "")
            )
            for error in run.errors[:20]:
                self.stdout.write(f"  {error.get('identifier', '')}: {error.get('message', '')}")
            failed = failed or run.status == ImportRun.Status.FAILED
        if failed:
            raise CommandError("Mindestens ein Import wurde abgelehnt.")
