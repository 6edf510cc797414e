from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from konzeptk.innercity.services import vacancy_count_take


class Command(BaseCommand):
    help = (
        "Leerstand der Innenstadt zählen: hält das Register zum Stichtag fest (Standard: heute), "
        "gesamt, je Straße und je Stadtbezirk. Eine zweite Zählung am selben Tag ersetzt die erste."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", default="", help="Stichtag im Format JJJJ-MM-TT")

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options["date"]:
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("Der Stichtag muss die Form JJJJ-MM-TT haben, z. B. 2026-04-01.") from exc
        count = vacancy_count_take(on=day)
        self.stdout.write(
            f"Zählung zum {count.count_date.isoformat()}: {count.vacant} von {count.units} Ladenlokalen leer."
        )
