"""Votes on statements: read a Polis export (``votes.csv``) and hold them as a sparse matrix.

The file has a header row naming at least ``voter-id``, ``comment-id`` and ``vote`` (``_`` instead of
``-`` and any letter case are accepted; other columns such as ``timestamp`` are ignored). A vote is
``1`` (agree), ``-1`` (disagree) or ``0`` (pass). When a participant voted on the same statement more
than once, the last row in the file wins and the number of overwritten rows is reported.

Participants and statements are numbered in a deterministic order (numerically when every id is an
integer, else as text), so the same file always gives the same matrix whatever the row order.

Every problem raises :class:`VotesError` with a German message meant for people, never a bare
traceback: the command line prints it and exits non-zero.
"""

from __future__ import annotations

import csv
import io
import os
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .errors import VotesError

__all__ = ["VoteMatrix", "VotesError", "matrix_from_arrays", "read_votes", "write_votes"]

AGREE, PASS, DISAGREE = 1, 0, -1
REQUIRED_COLUMNS = ("voter-id", "comment-id", "vote")
_VOTE_VALUES = {"1": 1, "-1": -1, "0": 0, "+1": 1, "1.0": 1, "-1.0": -1, "0.0": 0, "-0": 0}
_SNIFF_BYTES = 64 * 1024
_MAX_FIELD = 10_000


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

    def csr(self) -> sp.csr_matrix:
        """Participant × statement matrix of vote values (passes and missing votes are both 0 here)."""
        return sp.csr_matrix(
            (self.values.astype(np.float64), (self.rows, self.cols)),
            shape=(self.n_participants, self.n_statements),
        )


def _sort_ids(ids: Sequence[str]) -> np.ndarray:
    """Order in which ids are numbered: numeric if every id is an integer, else lexicographic."""
    try:
        keys = np.array([int(i) for i in ids], dtype=np.int64)
    except (ValueError, OverflowError):
        return np.argsort(np.array(ids, dtype=object), kind="stable")
    return np.argsort(keys, kind="stable")


def _renumber(first_seen: np.ndarray, ids: list[str]) -> tuple[tuple[str, ...], np.ndarray]:
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


def _normalise(name: str) -> str:
    return name.strip().strip("\ufeff").lower().replace("_", "-").replace(" ", "-")


def _check_text(head: bytes) -> None:
    """Fail fast on binary data: NUL bytes or invalid UTF-8 in the first block."""
    if not head.strip():
        raise VotesError("Die Datei ist leer.")
    if b"\x00" in head:
        raise VotesError(
            "Die Datei ist keine Textdatei (sie enthält Null-Bytes). Erwartet wird eine CSV-Datei im Polis-Exportformat."
        )
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character may be cut at the end of the block; only complain about earlier errors.
        if exc.start < len(head) - 4:
            raise VotesError(
                "Die Datei ist keine UTF-8-Textdatei. Erwartet wird eine CSV-Datei im Polis-Exportformat."
            ) from None


def read_votes(source: str | os.PathLike[str] | Iterable[str]) -> VoteMatrix:
    """Read a Polis votes CSV from a path (or from lines of text) into a :class:`VoteMatrix`."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            with path.open("rb") as raw:
                _check_text(raw.read(_SNIFF_BYTES))
            with path.open(encoding="utf-8-sig", newline="") as handle:
                return _read_lines(handle)
        except FileNotFoundError:
            raise VotesError(f"Die Datei {path} gibt es nicht.") from None
        except IsADirectoryError:
            raise VotesError(f"{path} ist ein Verzeichnis, keine Datei.") from None
        except PermissionError:
            raise VotesError(f"Die Datei {path} darf nicht gelesen werden.") from None
    if isinstance(source, io.BufferedIOBase | io.RawIOBase):
        raise TypeError("read_votes erwartet einen Pfad oder Textzeilen.")
    return _read_lines(source)


def _read_lines(lines: Iterable[str]) -> VoteMatrix:
    reader = csv.reader(lines)
    line = 1
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)
            line += 1
        if header is None:
            raise VotesError("Die Datei ist leer.")
        names = [_normalise(h) for h in header]
        missing = [c for c in REQUIRED_COLUMNS if c not in names]
        if missing:
            shown = ", ".join(h[:40] for h in header[:8])
            raise VotesError(
                "In der Kopfzeile fehlen die Spalten "
                + ", ".join(missing)
                + f" (gefunden: {shown or 'nichts'}). Erwartet wird mindestens voter-id,comment-id,vote."
            )
        vi, ci, vo = (names.index(c) for c in REQUIRED_COLUMNS)
        width = max(vi, ci, vo) + 1
        voters: dict[str, int] = {}
        statements: dict[str, int] = {}
        rows = array("i")
        cols = array("i")
        values = array("b")
        vote_values = _VOTE_VALUES
        first = line + 1
        for line, record in enumerate(reader, start=first):
            if len(record) < width:
                if not any(cell.strip() for cell in record):
                    continue
                raise VotesError(
                    f"Zeile {line} hat zu wenige Spalten ({len(record)} statt mindestens {width})."
                )
            voter = record[vi].strip()
            statement = record[ci].strip()
            raw_vote = record[vo]
            vote = vote_values.get(raw_vote)
            if vote is None:
                vote = vote_values.get(raw_vote.strip())
                if vote is None:
                    shown = raw_vote[:20]
                    raise VotesError(
                        f"Zeile {line}: „{shown}“ ist keine gültige Stimme. Erlaubt sind 1 (Zustimmung), "
                        "-1 (Ablehnung) und 0 (Enthaltung)."
                    )
            if not voter or not statement:
                raise VotesError(f"Zeile {line}: voter-id und comment-id dürfen nicht leer sein.")
            if len(voter) > _MAX_FIELD or len(statement) > _MAX_FIELD:
                raise VotesError(
                    f"Zeile {line}: Die Kennung ist unplausibel lang – ist das eine Votes-Datei?"
                )
            r = voters.get(voter)
            if r is None:
                r = voters[voter] = len(voters)
            c = statements.get(statement)
            if c is None:
                c = statements[statement] = len(statements)
            rows.append(r)
            cols.append(c)
            values.append(vote)
    except csv.Error as exc:
        raise VotesError(f"Zeile {line}: Die Datei ist kein lesbares CSV ({exc}).") from None
    except UnicodeDecodeError:
        raise VotesError(
            f"Ab etwa Zeile {line} ist die Datei keine UTF-8-Textdatei. Erwartet wird eine CSV-Datei im Polis-Exportformat."
        ) from None
    if not rows:
        raise VotesError("Die Datei enthält eine Kopfzeile, aber keine einzige Stimme.")
    voter_ids, row_idx = _renumber(np.frombuffer(rows, dtype=np.int32), list(voters))
    statement_ids, col_idx = _renumber(np.frombuffer(cols, dtype=np.int32), list(statements))
    return matrix_from_arrays(
        voter_ids, statement_ids, row_idx, col_idx, np.frombuffer(values, dtype=np.int8)
    )


def write_votes(path: str | os.PathLike[str], matrix: VoteMatrix) -> None:
    """Write a matrix as a Polis-style votes CSV (used by the benchmark and tests)."""
    voter = np.array(matrix.voter_ids, dtype=object)[matrix.rows]
    statement = np.array(matrix.statement_ids, dtype=object)[matrix.cols]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("timestamp,datetime,comment-id,voter-id,vote\n")
        handle.writelines(
            f"{i},,{c},{v},{int(x)}\n"
            for i, (c, v, x) in enumerate(zip(statement, voter, matrix.values, strict=True))
        )
