"""What ``konzeptk opinion_groups`` makes of the opinion groups of a Polis votes file: the JSON it
prints and the labels file it writes. Touches no database and no model.

Light on purpose (the engine's types only for the type checker): the command imports it at once,
and loads numpy, scipy, scikit-learn and pyarrow only when it reads a file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from konzeptk.core.csv import write_csv

if TYPE_CHECKING:
    from konzeptk.insights.engine.opinion import OpinionResult

__all__ = ["labels_write", "result_json"]


def labels_write(path: Path, result: OpinionResult) -> None:
    """``voter-id,group`` for every participant (empty group: not grouped). Raises ``OSError``."""
    matrix = result.matrix
    with path.open("w", encoding="utf-8", newline="") as handle:
        # voter ids come from the input file: the one CSV writer neutralises formulas; a file for
        # programs, never served, so without the byte order mark
        write_csv(
            handle,
            bom=False,
            header=["voter-id", "group"],
            rows=(
                [voter, label if label >= 0 else ""]
                for voter, label in zip(matrix.voter_ids, result.labels.tolist(), strict=True)
            ),
        )


def result_json(result: OpinionResult, *, seconds: float, top: int) -> dict[str, Any]:
    """The command's JSON: sizes, groups with their representative statements, consensus, bridging."""
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
