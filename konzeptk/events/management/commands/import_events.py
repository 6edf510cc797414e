"""``konzeptk import_events [--feed ID] [--file PATH]``: import the registered iCalendar feeds now."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from konzeptk.events.importer import feed_import, feeds_import
from konzeptk.events.models import Feed


class Command(BaseCommand):
    help = "Importiert die eingetragenen iCalendar-Kalender und schreibt je Kalender einen Bericht."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--feed", type=int, help="nur diesen Kalender (ID)")
        parser.add_argument(
            "--file", type=Path, help="den Inhalt aus dieser Datei lesen statt abzurufen (mit --feed)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        feed_id, path = options.get("feed"), options.get("file")
        if path is not None and feed_id is None:
            raise CommandError("--file braucht --feed.")
        if feed_id is not None:
            feed = Feed.objects.filter(pk=feed_id).first()
            if feed is None:
                raise CommandError(f"Keinen Kalender mit der ID {feed_id}.")
            content = path.read_bytes() if path is not None else None
            runs = [feed_import(feed=feed, content=content)]
        else:
            runs = feeds_import()
        for run in runs:
            self.stdout.write(
                f"{run.feed.title}: {run.get_status_display()} – gelesen {run.read}, neu {run.created}, "
                f"geändert {run.updated}, unverändert {run.unchanged}, Dubletten {run.duplicates}, "
                f"entfernt {run.removed}, Fehler {run.error_count}"
                + (f" ({run.message})" if run.message else "")
            )
