"""`konzeptk announce_phases`: tell followers of a process that a new phase started (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from konzeptk.participation.notifications import phases_announce


class Command(BaseCommand):
    help = (
        "Benachrichtigt Personen, die einem Prozess folgen, über Phasen, die seit dem letzten Lauf "
        "begonnen haben (jede Phase genau einmal; z. B. stündlich per cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        phases = phases_announce()
        for phase in phases:
            self.stdout.write(f"{phase.process.slug}: {phase.display_name}\n")
        self.stdout.write(f"{len(phases)} Phasen angekündigt\n")
