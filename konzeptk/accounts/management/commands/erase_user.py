"""Erase (anonymise) a person on a written request, the same way the account page does."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from konzeptk.accounts.models import User
from konzeptk.accounts.services import user_erase


class Command(BaseCommand):
    help = "Anonymise the account with the given e-mail address (contributions stay, anonymised)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args: Any, email: str, yes: bool, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email.strip(), anonymised_at__isnull=True).first()
        if user is None:
            raise CommandError(f"Kein Konto mit der Adresse {email}.")
        if (
            not yes
            and input(f"Konto {user.email} (Nr. {user.pk}) endgültig anonymisieren? [j/N] ").lower() != "j"
        ):
            raise CommandError("Abgebrochen, nichts geändert.")
        user_erase(user=user)
        self.stdout.write(f"Konto Nr. {user.pk} ist anonymisiert.")
