from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from konzeptk.opendata.harvest.run import harvest
from konzeptk.opendata.models import HarvestSource


class Command(BaseCommand):
    help = "Erntet die Datensätze anderer Portale (CKAN, DCAT) in den Open-Data-Katalog."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", type=int, help="nur diese Erntequelle (Nummer); sonst alle aktiven")

    def handle(self, *args: Any, **options: Any) -> None:
        sources = HarvestSource.objects.filter(is_active=True)
        if options["source"] is not None:
            sources = HarvestSource.objects.filter(pk=options["source"])
            if not sources.exists():
                raise CommandError(f"Die Erntequelle {options['source']} gibt es nicht.")
        for source in sources.order_by("pk"):
            run = harvest(source)
            state = "FEHLGESCHLAGEN" if run.failed else "fertig"
            self.stdout.write(
                f"{source.name}: {state} – neu {run.created}, geändert {run.updated}, unverändert {run.unchanged}, "
                f"entfernt {run.deleted}, Fehler {len(run.errors)}"
            )
