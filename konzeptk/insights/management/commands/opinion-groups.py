"""``konzeptk opinion-groups VOTES.csv``: opinion groups, consensus and bridging statements of a Polis
votes export, printed as JSON. Reads only the file; the database is not touched."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from konzeptk.core.csv import write_csv
from konzeptk.insights.engine.errors import EngineError
from konzeptk.insights.engine.opinion import OpinionResult, opinion_groups
from konzeptk.insights.engine.votes import read_votes


def result_json(result: OpinionResult, *, seconds: float, top: int) -> dict[str, Any]:
    matrix = result.matrix
    return {
        "participants": matrix.n_participants,
        "statements": matrix.n_statements,
        "votes": matrix.n_votes,
        "duplicate_votes_replaced": matrix.duplicates,
        "ungrouped_participants": result.ungrouped,
        "k": result.k,
        "silhouettes": {str(k): round(v, 4) for k, v in sorted(result.silhouettes.items())},
        "groups": [
            {
                "group": g,
                "size": size,
                "representative": [
                    {
                        "statement": rep.statement,
                        "direction": rep.direction,
                        "rate_in_group": round(rep.rate_in_group, 4),
                        "rate_in_rest": round(rep.rate_in_rest, 4),
                        "significant": rep.significant,
                    }
                    for rep in result.representative[g]
                ],
            }
            for g, size in enumerate(result.group_sizes)
        ],
        "consensus": [
            {"statement": s.statement, "score": round(s.score, 6)} for s in result.top_consensus(top)
        ],
        "bridging": [
            {"statement": s.statement, "score": round(s.score, 6)} for s in result.top_bridging(top)
        ],
        "seconds": round(seconds, 3),
    }


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
        try:
            matrix = read_votes(options["votes"])
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
                with out.open("w", encoding="utf-8", newline="") as handle:
                    # voter ids come from the input file: the one CSV writer neutralises formulas
                    write_csv(
                        handle,
                        header=["voter-id", "group"],
                        rows=(
                            [voter, label if label >= 0 else ""]
                            for voter, label in zip(matrix.voter_ids, result.labels.tolist(), strict=True)
                        ),
                    )
            except OSError as exc:
                raise CommandError(
                    f"Die Gruppenzuordnung kann nicht nach {out} geschrieben werden ({exc.strerror}).",
                    returncode=2,
                ) from None
        payload = result_json(result, seconds=time.perf_counter() - started, top=options["top"])
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
