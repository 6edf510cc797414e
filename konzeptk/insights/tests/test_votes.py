"""Reading Polis votes files: good files, duplicates, and every kind of bad input."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from konzeptk.insights.engine.errors import VotesError
from konzeptk.insights.engine.opinion import opinion_groups
from konzeptk.insights.engine.polis import read_votes
from konzeptk.insights.engine.votes import matrix_from_arrays


def write(tmp_path: Path, text: str, name: str = "votes.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_polis_export_with_extra_columns_and_bom(tmp_path):
    path = write(
        tmp_path,
        "\ufefftimestamp,datetime,comment-id,voter-id,vote\n1,x,2,10,1\n2,x,1,10,-1\n3,x,1,9,0\n4,x,2,9,1\n",
    )
    m = read_votes(path)
    assert m.voter_ids == ("9", "10")  # numeric order, not text order
    assert m.statement_ids == ("1", "2")
    assert m.n_votes == 4
    dense = np.full((2, 2), 9)
    dense[m.rows, m.cols] = m.values
    assert dense.tolist() == [[0, 1], [-1, 1]]


def test_underscore_and_case_in_header_are_accepted(tmp_path):
    m = read_votes(write(tmp_path, "Voter_ID,Comment_Id,VOTE\na,s1,1\nb,s1,-1\n"))
    assert m.voter_ids == ("a", "b")


def test_duplicate_votes_last_one_wins_and_is_counted(tmp_path):
    m = read_votes(write(tmp_path, "voter-id,comment-id,vote\n1,1,1\n1,2,1\n1,1,-1\n2,1,0\n1,1,0\n"))
    assert m.duplicates == 2
    assert m.n_votes == 3
    votes = {
        (m.voter_ids[r], m.statement_ids[c]): int(v) for r, c, v in zip(m.rows, m.cols, m.values, strict=True)
    }
    assert votes == {("1", "1"): 0, ("1", "2"): 1, ("2", "1"): 0}


def test_matrix_from_arrays_keeps_the_last_duplicate():
    m = matrix_from_arrays(
        ("a", "b"), ("x",), np.array([0, 0, 1, 0]), np.array([0, 0, 0, 0]), np.array([1, -1, 1, 0])
    )
    assert m.duplicates == 2
    assert dict(zip(m.rows.tolist(), m.values.tolist(), strict=True)) == {0: 0, 1: 1}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "leer"),
        ("\n\n  \n", "leer"),
        ("voter-id,vote\n1,1\n", "comment-id"),
        ("participant,statement,opinion\n1,1,1\n", "voter-id, comment-id, vote"),
        ("voter-id,comment-id,vote\n", "keine einzige Stimme"),
        ("voter-id,comment-id,vote\n1,1,yes\n", "Zeile 2"),
        ("voter-id,comment-id,vote\n1,1,1\n1,2,2\n", "„2“ ist keine gültige Stimme"),
        ("voter-id,comment-id,vote\n1,1,1\n1,2\n", "zu wenige Spalten"),
        ("voter-id,comment-id,vote\n,1,1\n", "nicht leer"),
    ],
)
def test_bad_files_give_a_clear_error(tmp_path, text, message):
    with pytest.raises(VotesError) as info:
        read_votes(write(tmp_path, text))
    assert message in str(info.value)


def test_50_mb_of_random_bytes_fail_fast_with_a_message(tmp_path):
    path = tmp_path / "garbage.csv"
    path.write_bytes(os.urandom(50 * 1024 * 1024))
    with pytest.raises(VotesError, match=r"keine (UTF-8-)?Textdatei"):
        read_votes(path)


def test_garbage_after_a_valid_header_is_reported(tmp_path):
    path = tmp_path / "half.csv"
    body = b"voter-id,comment-id,vote\n" + b"1,1,1\n" * 20_000 + b"\xff\xfe\x80 binary \x81\n"
    path.write_bytes(body)
    with pytest.raises(VotesError, match="keine UTF-8-Textdatei"):
        read_votes(path)


def test_huge_field_is_a_clear_error(tmp_path):
    path = write(tmp_path, "voter-id,comment-id,vote\n1,1,1\n" + '"' + "x" * 200_000 + '",1,1\n')
    with pytest.raises(VotesError, match=r"kein lesbares CSV|unplausibel lang"):
        read_votes(path)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(VotesError, match="gibt es nicht"):
        read_votes(tmp_path / "nope.csv")
    with pytest.raises(VotesError, match="Verzeichnis"):
        read_votes(tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("voter-id,comment-id,vote\n1,1,1\n1,2,-1\n1,3,1\n", "Nur eine Person"),
        ("voter-id,comment-id,vote\n1,1,1\n2,1,-1\n3,1,1\n", "nur über eine Aussage"),
        (
            "voter-id,comment-id,vote\n" + "".join(f"{v},{c},0\n" for v in range(9) for c in range(9)),
            "Enthaltungen",
        ),
        (
            "voter-id,comment-id,vote\n" + "".join(f"{v},{c},1\n" for v in range(9) for c in range(9)),
            "gleich abgestimmt",
        ),
    ],
)
def test_matrices_without_opinion_groups_give_a_clear_error(tmp_path, text, message):
    with pytest.raises(VotesError, match=message):
        opinion_groups(read_votes(write(tmp_path, text)))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=12))
def test_any_text_is_read_or_rejected_with_a_message(lines):
    text = ["voter-id,comment-id,vote\n", *(line + "\n" for line in lines)]
    try:
        m = read_votes(text)
    except VotesError as exc:
        message = str(exc)
        assert message
    else:
        assert m.n_votes == m.rows.size == m.cols.size
        assert set(np.unique(m.values).tolist()) <= {-1, 0, 1}
        assert m.n_votes + m.duplicates <= len(lines)


def test_written_votes_read_back_identically(tmp_path):
    from konzeptk.insights.engine.polis import write_votes
    from konzeptk.insights.engine.synthetic import planted_votes

    original = planted_votes(n_participants=50, n_statements=12, n_votes=300, seed=5).matrix
    write_votes(tmp_path / "v.csv", original)
    again = read_votes(tmp_path / "v.csv")
    assert again.voter_ids == original.voter_ids
    assert again.statement_ids == original.statement_ids
    assert np.array_equal(again.rows, original.rows)
    assert np.array_equal(again.cols, original.cols)
    assert np.array_equal(again.values, original.values)
