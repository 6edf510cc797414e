"""``konzeptk send_education_reminders``: remind booked people of tomorrow's sessions now (the beat
runs the same every hour; a booking is reminded once a day at most)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from konzeptk.education.reminders import reminders_send


class Command(BaseCommand):
    help = "Erinnert alle Angemeldeten an die Termine von morgen (höchstens einmal am Tag je Anmeldung)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = reminders_send()
        self.stdout.write(f"{count} Erinnerungen verschickt.")
