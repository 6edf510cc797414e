"""CSV import of historical series: ``konzeptk import_observations <datastream-id> datei.csv``."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from konzeptk.sensing import models as m
from konzeptk.sensing.bulk import observations_create_bulk
from konzeptk.sensing.services import Writer

CHUNK = 5000


class Command(BaseCommand):
    help = "Importiert eine Zeitreihe aus einer CSV-Datei (Spalten Zeit und Wert) in einen Datastream."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("datastream", type=int)
        parser.add_argument("csv_file", type=Path)
        parser.add_argument("--time-column", default="time")
        parser.add_argument("--value-column", default="value")
        parser.add_argument("--delimiter", default=",")

    def handle(self, *args: Any, **options: Any) -> None:
        datastream = m.Datastream.objects.filter(pk=options["datastream"]).first()
        if datastream is None:
            raise CommandError(f"Datastream {options['datastream']} gibt es nicht.")
        path: Path = options["csv_file"]
        if not path.is_file():
            raise CommandError(f"Datei {path} nicht gefunden.")
        total = max(sum(1 for _ in path.open(encoding="utf-8")) - 1, 1)
        stored = failed = done = 0
        writer = Writer(None, open_write=True)  # the operator at the command line
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter=options["delimiter"])
            fields = reader.fieldnames or []
            for column in (options["time_column"], options["value_column"]):
                if column not in fields:
                    raise CommandError(f"Spalte {column!r} fehlt (vorhanden: {', '.join(fields)}).")
            chunk: list[list[Any]] = []
            for row in reader:
                chunk.append([row[options["time_column"]], _number(row[options["value_column"]])])
                if len(chunk) >= CHUNK:
                    s, f = self._store(datastream, chunk, writer)
                    stored, failed, done = stored + s, failed + f, done + len(chunk)
                    chunk = []
                    self._progress(done, total)
            if chunk:
                s, f = self._store(datastream, chunk, writer)
                stored, failed, done = stored + s, failed + f, done + len(chunk)
                self._progress(done, total)
        sys.stderr.write("\n")
        self.stdout.write(f"{stored} Beobachtungen gespeichert, {failed} Zeilen abgelehnt.")

    def _store(self, datastream: m.Datastream, rows: list[list[Any]], writer: Writer) -> tuple[int, int]:
        payload = [
            {
                "Datastream": {"@iot.id": datastream.pk},
                "components": ["phenomenonTime", "result"],
                "dataArray": rows,
            }
        ]
        results = observations_create_bulk(payload=payload, writer=writer)
        ok = sum(1 for r in results if isinstance(r, int))
        return ok, len(results) - ok

    def _progress(self, done: int, total: int) -> None:
        share = min(done / total, 1.0)
        bar = "#" * int(share * 30)
        sys.stderr.write(f"\r[{bar:<30}] {share:6.1%} ({done}/{total})")
        sys.stderr.flush()


def _number(text: str) -> Any:
    try:
        return float(text.replace(",", ".")) if text.strip() else None
    except ValueError:
        return text
