"""Write everything stored about a person as JSON (for a written request under DSGVO Art. 15)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from konzeptk.accounts.export import collect_export
from konzeptk.accounts.models import User


class Command(BaseCommand):
    help = "Print the personal-data export of the account with the given e-mail address as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"Kein Konto mit der Adresse {email}.")
        self.stdout.write(
            json.dumps(collect_export(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
