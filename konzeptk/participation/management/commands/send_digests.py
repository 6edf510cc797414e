"""`konzeptk send_digests`: the daily e-mail digest for people who chose it (run once a day)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from konzeptk.participation.notifications import notification_digest_send


class Command(BaseCommand):
    help = "Verschickt die tägliche Zusammenfassung an alle, die sie gewählt haben (einmal täglich, z. B. per cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{notification_digest_send()} Zusammenfassungen verschickt\n")
