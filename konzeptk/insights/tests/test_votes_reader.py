"""The vectorised reader of Polis votes files gives the same matrix as the line reader, and sends
everything irregular to the line reader, which names the problem."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from konzeptk.insights.engine import polis
from konzeptk.insights.engine.errors import VotesError
from konzeptk.insights.engine.polis import read_votes, write_votes
from konzeptk.insights.engine.synthetic import planted_votes
from konzeptk.insights.engine.votes import VoteMatrix


def line_reader(path: Path) -> VoteMatrix:
    """The reader used before the vectorised one (and still for irregular files)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return polis._read_lines(handle)


def assert_same(a: VoteMatrix, b: VoteMatrix) -> None:
    assert a.voter_ids == b.voter_ids
    assert a.statement_ids == b.statement_ids
    assert a.duplicates == b.duplicates
    for field in ("rows", "cols", "values"):
        assert np.array_equal(getattr(a, field), getattr(b, field)), field


def test_planted_export_is_read_in_bulk_to_the_same_matrix(tmp_path):
    data = planted_votes(n_participants=400, n_statements=40, n_votes=6_000, seed=11)
    path = tmp_path / "votes.csv"
    write_votes(path, data.matrix)
    with path.open("a", encoding="utf-8") as handle:  # changed votes: the last one wins
        handle.write("90000,,3,0007,1\n90001,,3,0007,-1\n")
    fast = polis._read_vectorised(path)
    assert fast is not None  # a regular export takes the vectorised path
    assert_same(fast, line_reader(path))
    assert_same(read_votes(path), line_reader(path))
    assert fast.duplicates >= 1


@pytest.mark.parametrize(
    "text",
    [
        "\ufeffvoter-id,comment-id,vote\r\n2,b,1\r\n1,a,-1\r\n",  # byte order mark, CRLF
        "vote,Comment_ID,VOTER-ID,extra\n1.0,10,x,\n-1,2, x ,z\n+1,2,y,\n0,10,y,\n",  # order, spaces
        "voter-id,comment-id,vote\n07,1,1\n7,1,-1\n7,2,0\n",  # ids equal as numbers, not as text
        "voter-id,comment-id,vote\n1,1,1\n\n2,1,-1\n",  # a blank line
    ],
)
def test_regular_variants_are_read_in_bulk_to_the_same_matrix(tmp_path, text):
    path = tmp_path / "votes.csv"
    path.write_text(text, encoding="utf-8", newline="")
    fast = polis._read_vectorised(path)
    assert fast is not None
    assert_same(fast, line_reader(path))


@pytest.mark.parametrize(
    "text",
    [
        'voter-id,comment-id,vote\n"1",1,1\n2,"1",-1\n',  # quotes
        "\nvoter-id,comment-id,vote\n1,1,1\n2,1,-1\n",  # a blank line before the header
        "voter-id,comment-id,vote\n1,1,1,surplus\n2,1,-1\n",  # more columns than the header
        "voter-id,comment-id,vote,timestamp\n1,1,1,1\n2,1,-1\n",  # fewer, but enough
    ],
)
def test_irregular_files_go_to_the_line_reader_and_agree(tmp_path, text):
    path = tmp_path / "votes.csv"
    path.write_text(text, encoding="utf-8", newline="")
    assert polis._read_vectorised(path) is None
    assert_same(read_votes(path), line_reader(path))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"voter-id,statement,vote\n1,1,1\n", "In der Kopfzeile fehlen die Spalten comment-id"),
        (b"voter-id,comment-id,vote\n1,1,1\n2,1,ja\n", "Zeile 3: „ja“ ist keine gültige Stimme"),
        (b"voter-id,comment-id,vote\n1,1,1\n2,1,2\n", "„2“ ist keine gültige Stimme"),
        (b"voter-id,comment-id,vote\n1,1,1\n2\n", "Zeile 3 hat zu wenige Spalten"),
        (b"voter-id,comment-id,vote\n1,1,1\n ,1,1\n", "Zeile 3: voter-id und comment-id"),
        (b"voter-id,comment-id,vote\n1,1,1\n" + b"9," * 2 + b"\xff\n", "keine UTF-8-Textdatei"),
        (b"voter-id,comment-id,vote\n" + b"x" * 20_000 + b",1,1\n", "unplausibel lang"),
        (b"voter-id,comment-id,vote\n", "keine einzige Stimme"),
    ],
)
def test_hostile_files_get_the_line_readers_clear_message(tmp_path, content, message):
    path = tmp_path / "votes.csv"
    path.write_bytes(content)
    with pytest.raises(VotesError) as info:
        read_votes(path)
    assert message in str(info.value)


cell = st.sampled_from(["1", "2", "07", "7", " 3", "a", "b ", "", "x,y", '"q"', "-1", "+1", "0", "1.0", "ja"])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.sampled_from(
        ["voter-id,comment-id,vote", "vote,voter_id,comment_id", "Voter-ID,x,Comment-Id,Vote"]
    ),
    rows=st.lists(st.lists(cell, min_size=2, max_size=5).map(",".join), max_size=20),
)
def test_both_readers_agree_on_any_rows(tmp_path, header, rows):
    path = tmp_path / "votes.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8", newline="")
    try:
        expected: VoteMatrix | str = line_reader(path)
    except VotesError as exc:
        expected = str(exc)
    try:
        got: VoteMatrix | str = read_votes(path)
    except VotesError as exc:
        got = str(exc)
    if isinstance(expected, str) or isinstance(got, str):
        assert got == expected
    else:
        assert_same(got, expected)
