"""`konzeptk send_digests`: the daily e-mail digest for people who chose it (run once a day)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from konzeptk.notifications.digests import digests_send
from konzeptk.notifications.jobs import mails_send


class Command(BaseCommand):
    help = "Verschickt die tägliche Zusammenfassung an alle, die sie gewählt haben (einmal täglich, z. B. per cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = digests_send()
        mails_send()  # this command is a job already: send what it queued without waiting for the next run
        self.stdout.write(f"{queued} Zusammenfassungen verschickt\n")
