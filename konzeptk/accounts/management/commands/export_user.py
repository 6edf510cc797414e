"""Write everything stored about a person as JSON, or as the same ZIP as /konto/daten/ with ``--zip``
(for a written request under DSGVO Art. 15)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from konzeptk.accounts.export_archive import write_export_archive
from konzeptk.accounts.export_registry import collect_export
from konzeptk.accounts.models import User


class Command(BaseCommand):
    help = "Print the personal-data export of the account with the given e-mail address as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument(
            "--zip", metavar="FILE", help="write the ZIP (daten.json, daten.html, images) to FILE instead"
        )

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"Kein Konto mit der Adresse {email}.")
        if options.get("zip"):
            with open(options["zip"], "wb") as out:
                write_export_archive(user, out)
            self.stdout.write(f"ZIP geschrieben: {options['zip']}")
            return
        self.stdout.write(
            json.dumps(collect_export(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
