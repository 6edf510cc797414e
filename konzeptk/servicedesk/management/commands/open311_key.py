from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from konzeptk.core.errors import DomainError
from konzeptk.servicedesk.models import ApiKey
from konzeptk.servicedesk.services import api_key_create


class Command(BaseCommand):
    help = "Open311-API-Schlüssel verwalten: create NAME (gibt den Schlüssel als letzte Zeile aus), list, revoke PREFIX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("name", nargs="?", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        action, name = options["action"], options["name"]
        if action == "create":
            try:
                key, raw = api_key_create(name=name)
            except DomainError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"API-Schlüssel für „{key.name}“ angelegt. Er wird nur jetzt angezeigt:")
            self.stdout.write(raw)
        elif action == "list":
            for key in ApiKey.objects.order_by("name"):
                state = "aktiv" if key.active else "gesperrt"
                self.stdout.write(f"{key.prefix}…  {state:8}  {key.name}")
        else:
            if not name:
                raise CommandError("revoke braucht den Anfang des Schlüssels (PREFIX).")
            count = ApiKey.objects.filter(prefix=name, active=True).update(active=False)
            if not count:
                raise CommandError(f"Kein aktiver Schlüssel beginnt mit „{name}“.")
            self.stdout.write(f"{count} Schlüssel gesperrt.")
