from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from konzeptk.opendata.services.links import links_check


class Command(BaseCommand):
    help = "Prüft, ob die Adressen der Datensätze im Open-Data-Katalog antworten (für die Metadatenqualität)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--limit", type=int, default=500, help="so viele Adressen je Lauf (die ältesten zuerst)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        checked = links_check(limit=options["limit"])
        self.stdout.write(f"{checked} Adressen geprüft")
