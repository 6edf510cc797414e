"""`konzeptk dump_participation`: write the daily CSV/JSON dumps of public participation data."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from konzeptk.participation.dumps import PREFIX, participation_dumps_write


class Command(BaseCommand):
    help = "Schreibt die täglichen CSV- und JSON-Dateien der öffentlichen Beteiligungsdaten (für cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        manifest = participation_dumps_write()
        for entry in manifest["files"]:
            self.stdout.write(f"{entry['name']}: {entry['rows']} Zeilen, {entry['bytes']} Bytes\n")
        self.stdout.write(f"geschrieben in den privaten Speicher unter {PREFIX}/{manifest['generation']}/\n")
