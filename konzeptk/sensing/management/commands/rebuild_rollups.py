"""``konzeptk rebuild_rollups [--datastream ID]``: recompute the hourly roll-ups from the raw observations."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from konzeptk.sensing import models as m
from konzeptk.sensing.rollups import rebuild


class Command(BaseCommand):
    help = "Berechnet die stündlichen Verdichtungen der Beobachtungen neu (alle oder ein Datastream)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--datastream", type=int, help="Nur diesen Datastream (ID) neu berechnen.")

    def handle(self, *args: Any, **options: Any) -> None:
        pk = options["datastream"]
        if pk is not None and not m.Datastream.objects.filter(pk=pk).exists():
            raise CommandError(f"Datastream {pk} gibt es nicht.")
        with transaction.atomic():
            hours = rebuild(pk)
        self.stdout.write(f"{hours} Stunden neu berechnet.")
