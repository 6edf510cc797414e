"""Raking: margins met, weights trimmed, impossible margins reported by name."""

from __future__ import annotations

import numpy as np
import pytest

from konzeptk.insights.engine.errors import RakingError
from konzeptk.insights.engine.raking import (
    Margin,
    kish_effective_sample_size,
    margin_from_values,
    rake,
    weighted_counts,
)


def skewed_sample(n: int = 20_000, seed: int = 0) -> list[Margin]:
    rng = np.random.default_rng(seed)
    district = rng.choice(9, size=n, p=np.r_[0.3, np.full(8, 0.7 / 8)])
    age = rng.choice(6, size=n, p=[0.05, 0.15, 0.3, 0.3, 0.15, 0.05])
    gender = rng.choice(2, size=n, p=[0.6, 0.4])
    return [
        Margin(
            "Bezirk",
            district,
            np.array([20_000, 25_000, 30_000, 18_000, 22_000, 27_000, 24_000, 21_000, 40_000]),
        ),
        Margin("Alter", age, np.array([30_000, 35_000, 45_000, 50_000, 40_000, 27_000])),
        Margin("Geschlecht", gender, np.array([112_000, 115_000])),
    ]


def test_raking_hits_every_margin_to_1e_6():
    margins = skewed_sample()
    result = rake(margins, trim=None)
    assert result.converged
    w = result.weights
    for margin in margins:
        weighted = np.bincount(margin.codes, weights=w, minlength=margin.population.size)
        target = margin.population / margin.population.sum() * w.sum()
        assert np.abs(weighted - target).max() <= 1e-6
    assert result.max_margin_error < 1e-9
    assert w.mean() == pytest.approx(1.0)


@pytest.mark.parametrize(("trim", "feasible"), [((0.2, 5.0), True), ((0.5, 2.0), False)])
def test_trimming_keeps_weights_inside_the_bounds(trim, feasible):
    # District 0 has 30 % of the sample but 9 % of the population: it needs weights near 0.3.
    margins = skewed_sample(seed=1)
    result = rake(margins, trim=trim)
    w = result.weights
    assert w.min() >= trim[0] * w.mean() * (1 - 1e-9)
    assert w.max() <= trim[1] * w.mean() * (1 + 1e-9)
    assert result.converged is feasible
    assert result.trimmed > 0
    if feasible:
        assert result.max_margin_error < 1e-9
    else:
        assert result.max_margin_error > 0.01
    assert 0 < result.effective_sample_size < w.size
    assert result.design_effect > 1.0


def test_infeasible_trimming_is_reported_not_hidden():
    codes = np.array([0] * 99 + [1])
    result = rake([Margin("Bezirk", codes, np.array([50.0, 50.0]))], trim=(0.2, 5.0), max_rounds=5)
    assert not result.converged
    assert result.max_margin_error > 0.01


def test_group_without_participants_is_named_and_nothing_divides_by_zero():
    codes = np.array([0, 0, 1, 1])
    margins = [
        Margin("Bezirk", codes, np.array([10.0, 10.0, 5.0]), labels=("Mitte", "Nord", "Ost")),
        Margin("Alter", np.array([0, 1, 0, 1]), np.array([1.0, 1.0])),
    ]
    with np.errstate(all="raise"), pytest.raises(RakingError) as info:
        rake(margins)
    assert "Bezirk „Ost“" in str(info.value)
    assert "keine Teilnehmenden" in str(info.value)


def test_participants_in_a_group_the_population_lacks_are_named():
    with pytest.raises(RakingError, match="Nord"):
        rake([Margin("Bezirk", np.array([0, 1]), np.array([10.0, 0.0]), labels=("Mitte", "Nord"))])
    with pytest.raises(RakingError, match="divers"):
        margin_from_values("Geschlecht", ["w", "m", "divers"], {"w": 10, "m": 10})


@pytest.mark.parametrize(
    "margins",
    [
        [],
        [Margin("Bezirk", np.array([0, 1, 2]), np.array([1.0, 1.0]))],
        [Margin("Bezirk", np.array([0, 1]), np.array([-1.0, 1.0]))],
        [Margin("Bezirk", np.array([0, 1]), np.array([0.0, 0.0]))],
        [
            Margin("Bezirk", np.array([0, 1]), np.array([1.0, 1.0])),
            Margin("Alter", np.array([0]), np.array([1.0])),
        ],
    ],
)
def test_inconsistent_input_gives_a_raking_error(margins):
    with pytest.raises(RakingError):
        rake(margins)


def test_margin_from_values_and_weighted_counts():
    margin = margin_from_values("Geschlecht", ["w", "m", "w", "w"], {"w": 50, "m": 50})
    result = rake([margin], trim=None)
    assert result.weights.tolist() == pytest.approx([2 / 3, 2.0, 2 / 3, 2 / 3])
    support = weighted_counts(np.array([0, 0, 1]), np.array([0, 1, 2]), result.weights, n_items=2)
    assert support.tolist() == pytest.approx([8 / 3, 2 / 3])
    assert kish_effective_sample_size(np.ones(10)) == pytest.approx(10)
    report = {(m.category): m for m in result.margins}
    assert report["m"].raw_share == 0.25
    assert report["m"].weighted_share == pytest.approx(0.5)
