"""Representation ratios from published counts, Wilson intervals, dissimilarity index. (The
protection of the counts themselves is tested in test_disclosure.py and, against the API, in
test_attacker.py.)"""

from __future__ import annotations

import pytest

from konzeptk.insights.engine.errors import RepresentationError
from konzeptk.insights.engine.representation import (
    dissimilarity_index,
    representation,
    wilson_interval,
)


def test_wilson_interval():
    lo, hi = wilson_interval(10, 100)
    assert lo == pytest.approx(0.0552, abs=1e-4)
    assert hi == pytest.approx(0.1744, abs=1e-4)
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_representation_ratios_and_flags_from_published_counts():
    rows = {
        r.group: r
        for r in representation(
            {"Mitte": 120, "Nord": 40, "Ost": 3, "Süd": 0},
            {"Mitte": 5000, "Nord": 3000, "Ost": 1000, "Süd": 800},
            total=164,  # the published total is a cell of its own: it need not be the sum of the parts
        )
    }
    mitte = rows["Mitte"]
    assert mitte.ratio == pytest.approx((120 / 164) / (5000 / 9800))
    assert mitte.ci_low < mitte.ratio < mitte.ci_high
    assert not mitte.under
    # Ost is published as 3 (the true count is something else: 1–4 are never shown as themselves)
    assert rows["Ost"].participants == 3
    assert rows["Ost"].under
    # Nobody from Süd: published as 0 and clearly flagged.
    assert rows["Süd"].participants == 0
    assert rows["Süd"].under
    assert rows["Süd"].clearly_under
    assert rows["Mitte"].population_share == pytest.approx(5000 / 9800)


def test_shares_stay_within_one_when_a_part_exceeds_the_published_total():
    rows = representation({"a": 6, "b": 0}, {"a": 1.0, "b": 1.0}, total=5)
    assert rows[0].participant_share == 1.0
    assert rows[0].ci_high is not None
    assert rows[0].ci_high <= 2.0 + 1e-9


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


def test_a_published_total_of_zero_is_an_error_not_a_crash():
    with pytest.raises(RepresentationError):
        representation({"a": 2, "b": 0}, {"a": 10.0, "b": 10.0}, total=0)
