"""Votes on statements held as a sparse participant × statement matrix (coordinate arrays).

A vote is ``1`` (agree), ``-1`` (disagree) or ``0`` (pass). When a participant voted on the same
statement more than once, the last vote wins and the number of overwritten votes is kept.
Participants and statements are numbered in a deterministic order (numerically when every id is an
integer, else as text), so the same votes always give the same matrix whatever their order.

Reading and writing Polis export files is :mod:`.polis`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .errors import VotesError

__all__ = ["VoteMatrix", "VotesError", "matrix_from_arrays", "renumber"]

AGREE, PASS, DISAGREE = 1, 0, -1


@dataclass(frozen=True)
class VoteMatrix:
    """Deduplicated votes: one entry per (participant, statement).

    ``rows``/``cols`` index ``voter_ids``/``statement_ids``; ``values`` holds 1, 0 (pass) or -1.
    A pass is a vote (the statement was seen), a missing entry is not.
    """

    voter_ids: tuple[str, ...]
    statement_ids: tuple[str, ...]
    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray
    duplicates: int = 0

    @property
    def n_participants(self) -> int:
        return len(self.voter_ids)

    @property
    def n_statements(self) -> int:
        return len(self.statement_ids)

    @property
    def n_votes(self) -> int:
        return int(self.values.shape[0])


def _sort_ids(ids: Sequence[str]) -> np.ndarray:
    """Order in which ids are numbered: numeric if every id is an integer, else lexicographic."""
    try:
        keys = np.array([int(i) for i in ids], dtype=np.int64)
    except (ValueError, OverflowError):
        return np.argsort(np.array(ids, dtype=object), kind="stable")
    return np.argsort(keys, kind="stable")


def renumber(first_seen: np.ndarray, ids: list[str]) -> tuple[tuple[str, ...], np.ndarray]:
    """Renumber indices given in order of first appearance into sorted-id order."""
    order = _sort_ids(ids)
    new_index = np.empty(len(ids), dtype=np.int32)
    new_index[order] = np.arange(len(ids), dtype=np.int32)
    return tuple(ids[i] for i in order), new_index[first_seen]


def matrix_from_arrays(
    voter_ids: Sequence[str],
    statement_ids: Sequence[str],
    rows: np.ndarray,
    cols: np.ndarray,
    values: np.ndarray,
) -> VoteMatrix:
    """Build a :class:`VoteMatrix` from index arrays in vote order; later duplicates win."""
    rows = np.asarray(rows, dtype=np.int32)
    cols = np.asarray(cols, dtype=np.int32)
    values = np.asarray(values, dtype=np.int8)
    if not (rows.shape == cols.shape == values.shape):
        raise VotesError("Stimmen, Teilnehmende und Aussagen haben unterschiedlich viele Einträge.")
    if rows.size == 0:
        raise VotesError("Die Datei enthält keine einzige Stimme.")
    bad = ~np.isin(values, (AGREE, PASS, DISAGREE))
    if bad.any():
        raise VotesError(
            f"Ungültiger Stimmwert {int(values[bad][0])}: erlaubt sind 1 (Zustimmung), -1 (Ablehnung) und 0 (Enthaltung)."
        )
    n_cols = len(statement_ids)
    keys = rows.astype(np.int64) * n_cols + cols
    # Last one wins: a stable sort keeps file order within equal keys, so the last of each run of
    # equal keys is the last vote. The result is ordered by (participant, statement).
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    last = np.ones(keys.size, dtype=bool)
    last[:-1] = sorted_keys[1:] != sorted_keys[:-1]
    keep = order[last]
    duplicates = int(keys.size - keep.size)
    return VoteMatrix(
        voter_ids=tuple(voter_ids),
        statement_ids=tuple(statement_ids),
        rows=rows[keep],
        cols=cols[keep],
        values=values[keep],
        duplicates=duplicates,
    )
