"""``konzeptk import_education``: import the providers' feeds now (what the schedule does), one source,
or a file for a provider."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from konzeptk.core.errors import DomainError
from konzeptk.education import imports
from konzeptk.education.models import ImportRun, ImportSource, Provider


class Command(BaseCommand):
    help = "Importiert die Bildungsangebote aus den Quellen der Anbieter (oder aus einer Datei)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", type=int, help="nur diese Quelle (Nummer)")
        parser.add_argument("--file", type=Path, help="eine Datei importieren (mit --provider und --format)")
        parser.add_argument("--provider", help="Kennung des Anbieters (bei --file)")
        parser.add_argument(
            "--format", choices=ImportSource.Format.values, help="Format der Datei (bei --file)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["file"] is not None:
            runs = [self._file(options["file"], options["provider"], options["format"])]
        elif options["source"] is not None:
            source = ImportSource.objects.select_related("provider").filter(pk=options["source"]).first()
            if source is None:
                raise CommandError(f"Die Quelle {options['source']} gibt es nicht.")
            runs = [imports.source_import(source=source)]
        else:
            runs = imports.sources_import()
        for run in runs:
            self.stdout.write(
                f"{run.source.title}: {run.get_status_display()} – gelesen {run.read}, neu {run.created}, "
                f"geändert {run.updated}, unverändert {run.unchanged}, Fehler {run.error_count}"
                + (f" – {run.message}" if run.message else "")
            )
            for error in run.errors[:20]:
                self.stdout.write(f"  {error['record']} {error['field']}: {error['message']}")
        if any(run.status == ImportRun.Status.FAILED for run in runs):
            raise CommandError("Mindestens ein Import ist fehlgeschlagen.")

    def _file(self, path: Path, slug: str | None, fmt: str | None) -> ImportRun:
        if not slug or not fmt:
            raise CommandError("Zu --file gehören --provider und --format.")
        provider = Provider.objects.filter(slug=slug).first()
        if provider is None:
            raise CommandError(f"Den Anbieter „{slug}“ gibt es nicht.")
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Die Datei ist nicht lesbar: {exc}") from exc
        try:
            return imports.file_import(provider=provider, fmt=fmt, content=content)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
