"""``konzeptk opinion_groups VOTES.csv``: opinion groups, consensus and bridging statements of a Polis
votes export, printed as JSON. Reads only the file; the database is not touched, so ``konzeptk``
runs this command without setting up Django's apps (``konzeptk.cli.STANDALONE``). The old spelling
``konzeptk opinion-groups`` still works (``konzeptk.cli.ALIASES``)."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from konzeptk.insights import opinion_file
from konzeptk.insights.engine.errors import EngineError


class Command(BaseCommand):
    help = (
        "Berechnet Meinungsgruppen, Konsens- und Brückenaussagen aus einer Polis-Stimmendatei "
        "(voter-id,comment-id,vote) und gibt JSON aus."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("votes", help="CSV-Datei im Polis-Exportformat (votes.csv)")
        parser.add_argument(
            "--labels-out", metavar="DATEI", help="schreibt voter-id,group für jede teilnehmende Person"
        )
        parser.add_argument(
            "--seed", type=int, default=0, help="Startwert des Zufallsgenerators (Standard 0)"
        )
        parser.add_argument(
            "--top", type=int, default=10, help="Anzahl Konsens- und Brückenaussagen (Standard 10)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["top"] < 1:
            raise CommandError("--top muss mindestens 1 sein.", returncode=2)
        # Imported here, not at the top: `--help` and the list of commands must not load numpy, scipy,
        # scikit-learn and pyarrow (about a second); only reading a file needs them. The file is
        # parsed (pyarrow's threads, without the GIL) while scikit-learn loads (half of the
        # command's CPU time): the reader's import first, the engine's after the reading started.
        from konzeptk.insights.engine.polis import read_votes

        try:
            with ThreadPoolExecutor(max_workers=1) as pool:
                reading = pool.submit(read_votes, options["votes"])
                from konzeptk.insights.engine.opinion import opinion_groups

                matrix = reading.result()
            result = opinion_groups(matrix, seed=options["seed"])
        except EngineError as exc:
            raise CommandError(str(exc), returncode=2) from None
        except MemoryError:
            raise CommandError(
                "Die Datei ist zu groß für den verfügbaren Arbeitsspeicher.", returncode=2
            ) from None
        if options["labels_out"]:
            out = Path(options["labels_out"])
            try:
                opinion_file.labels_write(out, result)
            except OSError as exc:
                raise CommandError(
                    f"Die Gruppenzuordnung kann nicht nach {out} geschrieben werden ({exc.strerror}).",
                    returncode=2,
                ) from None
        payload = opinion_file.result_json(result, seconds=time.perf_counter() - started, top=options["top"])
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
