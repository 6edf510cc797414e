"""Polis export files: read a ``votes.csv`` into a :class:`~.votes.VoteMatrix`, write one.

The file has a header row naming at least ``voter-id``, ``comment-id`` and ``vote`` (``_`` instead of
``-`` and any letter case are accepted; other columns such as ``timestamp`` are ignored). A vote is
``1`` (agree), ``-1`` (disagree) or ``0`` (pass); ``+1``, ``1.0`` and the like are read too. When a
participant voted on the same statement more than once, the last row in the file wins and the number
of overwritten rows is reported.

Every problem raises :class:`VotesError` with a German message meant for people, never a bare
traceback: the command line prints it and exits non-zero.

A file is read by a vectorised reader (pyarrow's multi-threaded CSV parser, ids and votes
dictionary-encoded, so Python touches each distinct id once instead of each row). Anything it does
not expect of a regular export – quotes, a blank first line, rows with more or fewer columns,
an unknown vote, an empty or overlong id, broken UTF-8 – sends the file to the line reader, which
accepts what it accepts and names the line of what it does not: both readers give the same matrix
(``tests/test_votes_reader.py``). A module of its own, so that the matrix and the services using it
do not load pyarrow.
"""

from __future__ import annotations

import csv
import io
import os
from array import array
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

from .errors import VotesError
from .votes import VoteMatrix, matrix_from_arrays, renumber

__all__ = ["VotesError", "read_votes", "write_votes"]

REQUIRED_COLUMNS = ("voter-id", "comment-id", "vote")
_VOTE_VALUES = {"1": 1, "-1": -1, "0": 0, "+1": 1, "1.0": 1, "-1.0": -1, "0.0": 0, "-0": 0}
_SNIFF_BYTES = 64 * 1024
_MAX_FIELD = 10_000


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
            matrix = _read_vectorised(path)
            if matrix is not None:
                return matrix
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


def _header(data: bytes) -> list[str] | None:
    """The cells of the first line, or None when it is not a plain header (blank, quoted, no end)."""
    end = data.find(b"\n")
    if end < 0 or b'"' in data:
        return None  # quotes: the two parsers may differ on odd quoting, the line reader decides
    try:
        first = data[:end].decode("utf-8-sig").removesuffix("\r")
    except UnicodeDecodeError:
        return None
    cells = first.split(",")
    if "\r" in first or not any(cell.strip() for cell in cells):
        return None
    return cells


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _encoded(column: pa.ChunkedArray) -> tuple[list[str], np.ndarray]:
    """The distinct values of a dictionary-encoded column (in order of first appearance) and each
    row's index into them."""
    column = column.unify_dictionaries()
    values = [str(v) for v in column.chunk(0).dictionary.to_pylist()]
    codes = np.concatenate([np.asarray(chunk.indices, dtype=np.int32) for chunk in column.chunks])
    return values, codes


def _ids(column: pa.ChunkedArray) -> tuple[list[str], np.ndarray] | None:
    """Distinct stripped ids in order of first appearance and each row's index into them."""
    raw, codes = _encoded(column)
    ids: dict[str, int] = {}
    index = np.empty(len(raw), dtype=np.int32)
    for i, value in enumerate(raw):
        value = value.strip()
        if not value or len(value) > _MAX_FIELD:
            return None
        index[i] = ids.setdefault(value, len(ids))
    return list(ids), index[codes]


def _read_vectorised(path: Path) -> VoteMatrix | None:
    """Read a regular Polis export in bulk; None when the line reader has to look at it."""
    data = path.read_bytes()
    header = _header(data)
    if header is None or not _is_utf8(data):
        return None
    names = [_normalise(h) for h in header]
    if any(c not in names for c in REQUIRED_COLUMNS):
        return None
    wanted = [f"c{names.index(c)}" for c in REQUIRED_COLUMNS]
    irregular = False

    def invalid_row(row: pa_csv.InvalidRow) -> str:
        nonlocal irregular
        irregular = irregular or bool(row.text.strip())
        return "skip"

    text = pa.dictionary(pa.int32(), pa.string())
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(data),
            read_options=pa_csv.ReadOptions(
                column_names=[f"c{i}" for i in range(len(names))], skip_rows=1, block_size=1 << 24
            ),
            parse_options=pa_csv.ParseOptions(quote_char=False, invalid_row_handler=invalid_row),
            convert_options=pa_csv.ConvertOptions(
                include_columns=wanted, column_types=dict.fromkeys(wanted, text), strings_can_be_null=False
            ),
        )
    except pa.ArrowException:
        return None  # whatever it is, the line reader says where
    if irregular or table.num_rows == 0:
        return None
    voters = _ids(table.column(wanted[0]))
    statements = _ids(table.column(wanted[1]))
    raw_votes, vote_codes = _encoded(table.column(wanted[2]))
    vote_values = [_vote_value(v) for v in raw_votes]
    if voters is None or statements is None or None in vote_values:
        return None
    values = np.asarray(vote_values, dtype=np.int8)[vote_codes]
    voter_ids, row_idx = renumber(voters[1], voters[0])
    statement_ids, col_idx = renumber(statements[1], statements[0])
    return matrix_from_arrays(voter_ids, statement_ids, row_idx, col_idx, values)


def _vote_value(raw: str) -> int | None:
    vote = _VOTE_VALUES.get(raw)
    return _VOTE_VALUES.get(raw.strip()) if vote is None else vote


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
    voter_ids, row_idx = renumber(np.frombuffer(rows, dtype=np.int32), list(voters))
    statement_ids, col_idx = renumber(np.frombuffer(cols, dtype=np.int32), list(statements))
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
