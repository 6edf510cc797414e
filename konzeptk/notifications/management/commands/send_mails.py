"""``konzeptk send_mails``: send the queued e-mails that are due (cron, without a Celery worker)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from konzeptk.notifications.jobs import mails_send


class Command(BaseCommand):
    help = "Sendet die fälligen E-Mails aus der Warteschlange (auch Wiederholungen nach Fehlern)."

    def handle(self, *args: Any, **options: Any) -> None:
        run = mails_send()
        self.stdout.write(f"{run.sent} gesendet, {run.retrying} später erneut, {run.failed} fehlgeschlagen\n")
