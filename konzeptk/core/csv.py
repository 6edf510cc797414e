"""The one CSV writer of the platform: every CSV served or written anywhere goes through here.

Why one writer: spreadsheet programs (Excel, LibreOffice Calc, Google Sheets) run a cell that starts
with ``=``, ``+``, ``-`` or ``@`` as a formula (OWASP "CSV Injection"), so a project title like
``=HYPERLINK("http://evil.example","Klick")`` typed by one person becomes a live link or a DDE call
on the computer of the person who opens the export. Every text cell is therefore checked by
:func:`neutralise`; a dangerous one gets a leading apostrophe (``'=HYPERLINK(...)``), which the
spreadsheet shows as text and which a program reading the file can strip again. Numbers
(``int``, ``float``, ``Decimal``) stay numbers, and so does a text that is nothing but a plain number
(``"-3"``, ``"+1.5"``): a spreadsheet reads those as values, not as formulas.

A text counts as dangerous when, after any leading white space, control or invisible format
characters (tab, carriage return, line feed, no-break space, zero-width space, byte order mark …),
its first character is ``=``, ``+``, ``-`` or ``@`` or one of their full-width forms (``＝＋－＠``,
which some spreadsheets fold to the ASCII ones), or when it starts with a tab or carriage return
at all.

Three ways out, all streaming one row at a time (bounded memory, whatever the size):

- :func:`csv_response` – a ``StreamingHttpResponse`` for a download;
- :func:`write_csv` – into an open text file (open it with ``newline=""``);
- :func:`csv_lines` – the formatted lines themselves, for anything else.

One format for every CSV the platform serves (issue 13; documented in ``docs/data.md``): comma as
delimiter, UTF-8 with a byte order mark (so Excel detects UTF-8; every CSV reader that knows
``utf-8-sig`` skips it), a header row naming the columns, one record per line, no comment lines –
what a file says about itself (unit, simulated data) is a column. There is no delimiter to choose;
only :func:`write_csv` may leave out the byte order mark, for a file handed to a program and never
served (the labels file of ``konzeptk opinion_groups``).
"""

from __future__ import annotations

import csv as _stdlib_csv
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TextIO

from django.http import StreamingHttpResponse

__all__ = [
    "BOM",
    "CONTENT_TYPE",
    "DELIMITER",
    "Cell",
    "csv_lines",
    "csv_response",
    "is_dangerous",
    "neutralise",
    "write_csv",
]

#: what a cell may hold; ``None`` becomes an empty cell
Cell = str | int | float | Decimal | bool | dt.date | dt.datetime | None

CONTENT_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"
DELIMITER = ","

#: characters that start a formula, with their full-width and small forms and the minus sign
_FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b\u2212")
#: a text that is only a number is read as a number, not as a formula
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)")


def _invisible(char: str) -> bool:
    """White space, control and format characters a spreadsheet may skip before the formula sign."""
    return char.isspace() or unicodedata.category(char) in {"Cc", "Cf", "Zs", "Zl", "Zp"}


def is_dangerous(text: str) -> bool:
    """True when a spreadsheet could run ``text`` as a formula."""
    if not text or text[0].isalnum():  # the common case: a word or a number
        return False
    if text[0] in "\t\r":
        return True
    index = 0
    while index < len(text) and _invisible(text[index]):
        index += 1
    if index == len(text) or text[index] not in _FORMULA_STARTS:
        return False
    return not (index == 0 and _PLAIN_NUMBER.fullmatch(text))


def neutralise(value: Cell) -> Cell:
    """The cell as it may go into a CSV: a dangerous text gets a leading apostrophe; anything else,
    and every number, comes back unchanged; ``None`` becomes ``""``."""
    if value is None:
        return ""
    if isinstance(value, str) and is_dangerous(value):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose ``write`` hands the formatted line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Sequence[Cell]], *, header: Sequence[str] | None = None) -> Iterator[str]:
    """The formatted lines (comma-separated, with ``\\r\\n``) of ``header`` (if given) and ``rows``, every
    cell neutralised. Lazy: a row is read from ``rows`` only when its line is asked for."""
    writer = _stdlib_csv.writer(_Echo(), delimiter=DELIMITER)
    if header is not None:
        yield writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def csv_response(
    *,
    filename: str,
    rows: Iterable[Sequence[Cell]],
    header: Sequence[str],
) -> StreamingHttpResponse:
    """A download of ``rows`` under ``header`` streamed to the client as ``filename``
    (``Content-Disposition: attachment``), in the one format: comma, UTF-8 with BOM. ``rows`` should be
    lazy (a generator over ``QuerySet.iterator()``) so a large export never sits in memory; it is read
    while the response is sent."""

    def stream() -> Iterator[str]:
        yield BOM
        yield from csv_lines(rows, header=header)

    response = StreamingHttpResponse(stream(), content_type=CONTENT_TYPE)
    safe_name = filename.replace('"', "").replace("\r", "").replace("\n", "")
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    return response


def write_csv(
    handle: TextIO,
    *,
    rows: Iterable[Sequence[Cell]],
    header: Sequence[str] | None = None,
    bom: bool = True,
) -> int:
    """Write ``header`` (if given) and ``rows`` into ``handle`` in the one format, every cell neutralised;
    returns the number of rows written (without the header). Open files with ``newline=""``.
    ``bom=False`` only for a file a program reads and the platform never serves."""
    if bom:
        handle.write(BOM)
    count = -1 if header is not None else 0
    for line in csv_lines(rows, header=header):
        handle.write(line)
        count += 1
    return max(count, 0)
