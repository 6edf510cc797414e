"""``konzeptk opinion_groups``: JSON on stdout, labels file, clear errors with a non-zero exit code."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from sklearn.metrics import adjusted_rand_score

from konzeptk.cli import main as konzeptk_main
from konzeptk.insights.engine.polis import write_votes
from konzeptk.insights.engine.synthetic import planted_votes


@pytest.fixture(scope="module")
def planted_file(tmp_path_factory):
    data = planted_votes(n_participants=600, n_statements=60, n_votes=36_000, n_groups=3, seed=7)
    path = tmp_path_factory.mktemp("votes") / "votes.csv"
    write_votes(path, data.matrix)
    with path.open("a", encoding="utf-8") as handle:  # a changed vote: the last one wins
        handle.write("99999,,0,000,1\n")
    return path, data


def test_opinion_groups_prints_json_and_writes_labels(planted_file, tmp_path):
    path, data = planted_file
    out = io.StringIO()
    labels_path = tmp_path / "labels.csv"
    call_command("opinion_groups", str(path), "--labels-out", str(labels_path), "--seed", "1", stdout=out)
    payload = json.loads(out.getvalue())
    assert payload["participants"] == 600
    assert payload["statements"] == 60
    already_voted = any(
        r == 0 and c == 0 for r, c in zip(data.matrix.rows.tolist(), data.matrix.cols.tolist(), strict=False)
    )
    assert payload["votes"] == data.matrix.n_votes + (0 if already_voted else 1)
    assert payload["duplicate_votes_replaced"] == (1 if already_voted else 0)
    assert len(payload["groups"]) == 3
    assert sum(g["size"] for g in payload["groups"]) == 600
    assert payload["consensus"]
    assert payload["bridging"]
    assert {"statement", "score"} <= set(payload["bridging"][0])
    assert payload["seconds"] >= 0
    with labels_path.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["voter-id", "group"]
    assert len(rows) == 601
    found = [int(group) for _, group in rows[1:]]
    assert adjusted_rand_score(data.groups, found) >= 0.9


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "leer"),
        (b"voter-id,vote\n1,1\n", "comment-id"),
        (b"voter-id,comment-id,vote\n1,1,ja\n", "keine gültige Stimme"),
        (b"voter-id,comment-id,vote\n1,1,1\n1,2,1\n", "Nur eine Person"),
        (os.urandom(200_000), "Textdatei"),
    ],
)
def test_bad_files_raise_command_errors(tmp_path, content, message):
    path = tmp_path / "votes.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message) as info:
        call_command("opinion_groups", str(path), stdout=io.StringIO())
    assert info.value.returncode == 2


def test_command_line_exits_non_zero_without_traceback(tmp_path, capsys):
    path = tmp_path / "votes.csv"
    path.write_text("voter-id,comment-id,vote\n1,1,vielleicht\n", encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        konzeptk_main(["konzeptk", "opinion_groups", str(path)])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "„vielleicht“ ist keine gültige Stimme" in err
    assert "Traceback" not in err


def test_unwritable_labels_file_is_a_clear_error(planted_file, tmp_path):
    path, _ = planted_file
    with pytest.raises(CommandError, match="kann nicht nach"):
        call_command(
            "opinion_groups",
            str(path),
            "--labels-out",
            str(tmp_path / "no" / "dir.csv"),
            stdout=io.StringIO(),
        )


def test_duplicate_votes_last_one_wins_and_are_counted(tmp_path):
    data = planted_votes(n_participants=300, n_statements=30, n_votes=6_000, n_groups=3, seed=3)
    path = tmp_path / "votes.csv"
    write_votes(path, data.matrix)
    voter = data.matrix.voter_ids[int(data.matrix.rows[0])]
    statement = data.matrix.statement_ids[int(data.matrix.cols[0])]
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"99998,,{statement},{voter},1\n99999,,{statement},{voter},-1\n")
    out = io.StringIO()
    call_command("opinion_groups", str(path), stdout=out)
    payload = json.loads(out.getvalue())
    assert payload["votes"] == data.matrix.n_votes  # the same cell, not new votes
    assert payload["duplicate_votes_replaced"] == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"voter-id,comment-id,vote\n1,1,1\n2,1,-1\n3,1,1\n", "nur über eine Aussage"),
        (
            (
                "voter-id,comment-id,vote\n" + "".join(f"{v},{c},0\n" for v in range(9) for c in range(9))
            ).encode(),
            "Enthaltungen",
        ),
        (b"voter-id,comment-id,vote\n1,1,1\n2,1,1\n1,2,-1\n2,2,x\n", "Zeile 5"),
        (b"comment-id,vote\n1,1\n", "voter-id"),
    ],
)
def test_more_bad_files_raise_command_errors(tmp_path, content, message):
    path = tmp_path / "votes.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message) as info:
        call_command("opinion_groups", str(path), stdout=io.StringIO())
    assert info.value.returncode == 2


def test_50_mb_of_garbage_on_the_command_line(tmp_path, capsys):
    path = tmp_path / "garbage.csv"
    path.write_bytes(os.urandom(50 * 1024 * 1024))
    with pytest.raises(SystemExit) as info:
        konzeptk_main(["konzeptk", "opinion_groups", str(path)])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "Textdatei" in err
    assert "Traceback" not in err


def test_missing_votes_file_on_the_command_line(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        konzeptk_main(["konzeptk", "opinion_groups", str(tmp_path / "fehlt.csv")])
    assert info.value.code == 2
    assert "gibt es nicht" in capsys.readouterr().err
