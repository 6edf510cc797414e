"""Representation ratios, small-cell suppression (never leaks a small cell), dissimilarity index."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from konzeptk.insights.engine.errors import RepresentationError
from konzeptk.insights.engine.representation import (
    dissimilarity_index,
    representation,
    suppress_table,
    wilson_interval,
)


def attacker_bounds(
    published: list[list[int | None]], row_totals: bool, col_totals: bool, cell: tuple[int, int]
):
    """An attacker's view, written independently of the engine: every cell of the published table
    (totals included) is a variable ≥ 0, published cells are fixed, all row/column sums hold.
    Returns the smallest and largest value the attacker can deduce for ``cell``."""
    r, c = len(published), len(published[0])
    index = {(i, j): i * c + j for i in range(r) for j in range(c)}
    eqs, rhs = [], []
    inner_r = r - 1 if col_totals else r
    inner_c = c - 1 if row_totals else c
    if row_totals:
        for i in range(r):
            row = np.zeros(r * c)
            for j in range(inner_c):
                row[index[i, j]] = 1
            row[index[i, c - 1]] = -1
            eqs.append(row)
            rhs.append(0)
    if col_totals:
        for j in range(c):
            row = np.zeros(r * c)
            for i in range(inner_r):
                row[index[i, j]] = 1
            row[index[r - 1, j]] = -1
            eqs.append(row)
            rhs.append(0)
    bounds = [
        (published[i][j], published[i][j]) if published[i][j] is not None else (0, None)
        for i in range(r)
        for j in range(c)
    ]
    objective = np.zeros(r * c)
    objective[index[cell]] = 1
    low = linprog(objective, A_eq=np.array(eqs), b_eq=np.array(rhs), bounds=bounds, method="highs")
    high = linprog(-objective, A_eq=np.array(eqs), b_eq=np.array(rhs), bounds=bounds, method="highs")
    assert low.status == 0
    return low.fun, (math.inf if high.status == 3 else -high.fun)


tables = st.integers(1, 4).flatmap(
    lambda r: st.integers(1, 4).flatmap(
        lambda c: st.lists(
            st.lists(st.one_of(st.integers(0, 6), st.integers(0, 40)), min_size=c, max_size=c),
            min_size=r,
            max_size=r,
        )
    )
)


@settings(max_examples=60, deadline=None)
@given(tables, st.booleans())
def test_suppression_never_leaks_a_small_cell(cells, one_way):
    if one_way:
        cells = cells[0]
    result = suppress_table(cells)
    published = result.published()
    ext = result.extended
    for i in range(ext.shape[0]):
        for j in range(ext.shape[1]):
            value = int(ext[i, j])
            shown = published[i][j]
            if shown is not None:
                assert shown == value  # published cells are true
                assert value == 0 or value >= 5  # no small cell is ever published
            elif 1 <= value < 5:
                lo, hi = attacker_bounds(published, result.row_totals, result.col_totals, (i, j))
                assert hi - lo >= 1 - 1e-7, (cells, published, (i, j), lo, hi)
                assert lo - 1e-7 <= value <= hi + 1e-7


def test_complementary_suppression_in_a_one_way_table():
    result = suppress_table([3, 10, 0, 7])
    assert result.published() == [[None, 10, 0, None, 20]]


def test_tables_without_small_cells_are_published_whole():
    assert suppress_table([[5, 6], [7, 0]]).published() == [[5, 6, 11], [7, 0, 7], [12, 6, 18]]


def test_wilson_interval():
    lo, hi = wilson_interval(10, 100)
    assert lo == pytest.approx(0.0552, abs=1e-4)
    assert hi == pytest.approx(0.1744, abs=1e-4)
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_representation_ratios_flags_and_suppression():
    rows = {
        r.group: r
        for r in representation(
            {"Mitte": 120, "Nord": 40, "Ost": 3, "Süd": 0},
            {"Mitte": 5000, "Nord": 3000, "Ost": 1000, "Süd": 800},
        )
    }
    mitte = rows["Mitte"]
    assert mitte.ratio == pytest.approx((120 / 163) / (5000 / 9800))
    assert mitte.ci_low < mitte.ratio < mitte.ci_high
    assert not mitte.under
    # Ost (3 people) is suppressed, and so is a second cell, so Ost cannot be worked out from the total.
    assert rows["Ost"].participants is None
    assert rows["Ost"].ratio is None
    assert sum(r.participants is None for r in rows.values()) >= 2
    # Nobody from Süd: published as 0 and clearly flagged.
    assert rows["Süd"].participants == 0
    assert rows["Süd"].under
    assert rows["Süd"].clearly_under
    assert rows["Mitte"].population_share == pytest.approx(5000 / 9800)


def test_representation_bad_input():
    with pytest.raises(RepresentationError):
        representation({"Mitte": 0}, {"Mitte": 10})
    with pytest.raises(RepresentationError, match="Atlantis"):
        representation({"Atlantis": 3}, {"Mitte": 10})
    with pytest.raises(RepresentationError):
        representation({"Mitte": 3}, {"Mitte": 0})


def test_dissimilarity_index():
    assert dissimilarity_index([10, 20, 30], [100, 200, 300]) == pytest.approx(0.0)
    assert dissimilarity_index([10, 0], [0, 10]) == pytest.approx(1.0)
    assert dissimilarity_index([30, 10], [50, 50]) == pytest.approx(0.25)
    with pytest.raises(RepresentationError):
        dissimilarity_index([0, 0], [1, 1])
    with pytest.raises(RepresentationError):
        dissimilarity_index([1, 2], [1, 2, 3])


def test_hidden_total_with_published_zeros_does_not_crash():
    """Two people in one of three groups: the total is hidden, the zeros stay published."""
    from konzeptk.insights.engine.representation import representation

    rows = representation({"a": 2, "b": 0, "c": 0}, {"a": 10.0, "b": 10.0, "c": 10.0})
    assert [r.participants for r in rows] == [None, None, None]
    assert not any(r.under for r in rows)
