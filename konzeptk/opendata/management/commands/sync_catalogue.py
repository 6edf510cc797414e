from typing import Any

from django.core.management.base import BaseCommand

from konzeptk.opendata.services import catalogue_sync


class Command(BaseCommand):
    help = "Bringt die Datensätze der Plattform im Open-Data-Katalog auf den Stand dessen, was die Apps veröffentlichen."

    def handle(self, *args: Any, **options: Any) -> None:
        report = catalogue_sync()
        self.stdout.write(
            f"neu {report.created}, geändert {report.updated}, unverändert {report.unchanged}, entfernt {report.deleted}"
        )
