"""Simulated vote data with planted opinion groups (for tests and the benchmark – never real people).

Each simulated participant belongs to one of ``n_groups`` planted groups and votes on a random subset
of statements. For every (group, statement) pair the group either tends to agree or to disagree
(probability ``strength``); a share of statements (``consensus_share``) is agreed on by every group,
so consensus and bridging detection can be checked. A share ``pass_rate`` of votes are passes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .votes import VoteMatrix, matrix_from_arrays


@dataclass(frozen=True)
class PlantedVotes:
    matrix: VoteMatrix
    groups: np.ndarray  # planted group of each participant, aligned with matrix.voter_ids
    consensus_statements: np.ndarray  # indices of statements every group tends to agree with
    leaning: np.ndarray  # groups × statements: +1 the group tends to agree, -1 to disagree


def planted_votes(
    *,
    n_participants: int,
    n_statements: int,
    n_votes: int,
    n_groups: int = 4,
    strength: float = 0.8,
    pass_rate: float = 0.1,
    consensus_share: float = 0.05,
    seed: int = 0,
) -> PlantedVotes:
    """Simulate ``n_votes`` distinct votes by ``n_participants`` on ``n_statements``."""
    rng = np.random.default_rng(seed)
    # Unequal group sizes (e.g. 4 groups: 40 %, 30 %, 20 %, 10 %) so size-based label order is defined.
    weights = np.arange(n_groups, 0, -1, dtype=float)
    groups = rng.choice(n_groups, size=n_participants, p=weights / weights.sum())
    # Per (group, statement): +1 the group tends to agree, -1 it tends to disagree.
    leaning = rng.choice(np.array([-1, 1], dtype=np.int8), size=(n_groups, n_statements))
    n_consensus = max(1, round(consensus_share * n_statements))
    leaning[:, rng.choice(n_statements, size=n_consensus, replace=False)] = 1
    # Planted ones plus those every group happens to lean towards.
    consensus = np.flatnonzero((leaning == 1).all(axis=0))

    # Every participant casts about the same number of votes; distinct (participant, statement) pairs.
    per = n_votes / n_participants
    draw = int(n_votes * (1.02 + per / n_statements)) + 16
    rows = np.arange(draw, dtype=np.int64) * n_participants // draw
    cols = rng.integers(0, n_statements, size=draw)
    keys = np.sort(rows * n_statements + cols)
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]]
    if keys.size > n_votes:
        keys = np.sort(rng.choice(keys, size=n_votes, replace=False))
    rows = (keys // n_statements).astype(np.int32)
    cols = (keys % n_statements).astype(np.int32)

    lean = leaning[groups[rows], cols]
    u = rng.random(rows.size)
    values = np.where(u < strength, lean, -lean).astype(np.int8)
    values[rng.random(rows.size) < pass_rate] = 0
    width = len(str(max(n_participants, n_statements)))
    matrix = matrix_from_arrays(
        tuple(f"{i:0{width}d}" for i in range(n_participants)),
        tuple(str(j) for j in range(n_statements)),
        rows,
        cols,
        values,
    )
    return PlantedVotes(matrix=matrix, groups=groups, consensus_statements=consensus, leaning=leaning)
