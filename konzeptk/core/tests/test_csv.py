"""The one CSV writer (konzeptk/core/csv.py): formulas neutralised, numbers kept, streamed."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from konzeptk.core.csv import BOM, csv_lines, csv_response, is_dangerous, neutralise, write_csv

PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2+3",
    "@SUM(1)",
    "\t=1",
    "\r=1",
    " =1",
    "\u00a0=1",
    "\u200b=1",
    "\ufeff=1",
    "\n=1",
    "\uff1dHYPERLINK(1)",
    "\uff0b1",
    "\uff0d1",
    "\uff20SUM(1)",
    "\u2212" + "1+1",
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_get_an_apostrophe(payload: str) -> None:
    assert is_dangerous(payload)
    assert neutralise(payload) == "'" + payload


@pytest.mark.parametrize(
    "value", ["Krefeld", "", "'=1", "a=1", "1+1", "-3", "+1.5", "-0,5", "42", "E-Mail", "#1", "x-y"]
)
def test_harmless_text_unchanged(value: str) -> None:
    assert neutralise(value) == value


@pytest.mark.parametrize("value", [-3, 1.5, Decimal("-2.25"), 0, True])
def test_numbers_stay_numbers(value: object) -> None:
    assert neutralise(value) is value  # type: ignore[arg-type]


def test_none_is_empty() -> None:
    assert neutralise(None) == ""


def test_header_and_rows_are_neutralised_and_parse_back() -> None:
    lines = "".join(csv_lines([["=1", -5, None], ["ok", 2.5, "@x"]], header=["=h", "b", "c"]))
    parsed = list(csv.reader(io.StringIO(lines)))
    assert parsed == [["'=h", "b", "c"], ["'=1", "-5", ""], ["ok", "2.5", "'@x"]]


def test_write_csv_counts_rows_in_the_one_format() -> None:
    handle = io.StringIO()
    assert write_csv(handle, header=["a", "b"], rows=[["1", "+1+1"], ["2", "x"]]) == 2
    assert handle.getvalue() == "\ufeffa,b\r\n1,'+1+1\r\n2,x\r\n"
    program = io.StringIO()
    assert write_csv(program, header=["a"], rows=[["1"]], bom=False) == 1
    assert program.getvalue() == "a\r\n1\r\n"
    empty = io.StringIO()
    assert write_csv(empty, rows=[]) == 0


def test_response_streams_lazily_with_bom() -> None:
    consumed: list[int] = []

    def rows() -> object:
        for i in range(3):
            consumed.append(i)
            yield [i, "=x"]

    response = csv_response(filename='a"b.csv', header=["n", "t"], rows=rows())  # type: ignore[arg-type]
    assert consumed == []  # nothing read before the body is sent
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ab.csv"'
    body = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[arg-type]
    assert body.startswith(BOM)
    assert body[1:].splitlines() == ["n,t", "0,'=x", "1,'=x", "2,'=x"]


@given(st.text())
def test_no_cell_starts_like_a_formula(text: str) -> None:
    cell = neutralise(text)
    if cell != text:
        assert cell == "'" + text
        return
    # white space, control and format characters a spreadsheet may skip (not unassigned ones)
    skipped = {"Cc", "Cf", "Zs", "Zl", "Zp"}
    visible = text.lstrip("".join(c for c in text if c.isspace() or unicodedata.category(c) in skipped))
    if visible[:1] in set("=+-@\uff1d\uff0b\uff0d\uff20\u2212\ufe62\ufe63\ufe66\ufe6b"):
        assert re.fullmatch(r"[+-][0-9.,]+", text), text  # only a plain signed number stays as it is
