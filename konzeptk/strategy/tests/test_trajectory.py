from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from konzeptk.core.charts import indicator_chart
from konzeptk.strategy.trajectory import Status, assess, year_fraction


def _assess(value: float, year: int, direction: str = "down") -> Status:
    return assess(
        baseline_value=9,
        baseline_year=2017,
        direction=direction,
        targets=[(2, 2035)],
        values=[(value, dt.date(year, 1, 1))],
    ).status


def test_on_track_at_risk_off_track():
    # planned change −7 over 18 years; in 2026 expected 9 − 7·9/18 = 5.5
    assert _assess(5.5, 2026) == Status.ON_TRACK
    assert _assess(6.1, 2026) == Status.ON_TRACK  # 0.6/7 ≈ 8.6 % behind
    assert _assess(6.8, 2026) == Status.AT_RISK  # ≈ 18.6 % behind
    assert _assess(8.0, 2026) == Status.OFF_TRACK  # ≈ 35.7 % behind
    assert _assess(1.5, 2026) == Status.ON_TRACK  # target already met


def test_better_up():
    status = assess(
        baseline_value=100,
        baseline_year=2020,
        direction="up",
        targets=[(200, 2030)],
        values=[(120, dt.date(2025, 1, 1))],
    ).status
    assert status == Status.OFF_TRACK  # expected 150, behind 30 %


def test_no_data_without_targets_or_values():
    assert (
        assess(baseline_value=1, baseline_year=2020, direction="up", targets=[], values=[]).status
        == Status.NO_DATA
    )


def test_next_target_is_used():
    a = assess(
        baseline_value=0,
        baseline_year=2020,
        direction="up",
        targets=[(10, 2025), (100, 2030)],
        values=[(9, dt.date(2024, 1, 1))],
    )
    assert a.target_year == 2025
    assert a.status == Status.ON_TRACK


@given(
    value=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    year=st.integers(min_value=2017, max_value=2040),
    direction=st.sampled_from(["up", "down"]),
)
def test_assess_never_fails(value, year, direction):
    a = assess(
        baseline_value=9,
        baseline_year=2017,
        direction=direction,
        targets=[(2, 2035), (1, 2040)],
        values=[(value, dt.date(year, 6, 30))],
    )
    assert a.status in set(Status)


def test_chart_has_points_for_every_value():
    chart = indicator_chart(
        baseline=(9, 2017),
        targets=[(2, 2035)],
        values=[(8.5, dt.date(2019, 1, 1)), (8, dt.date(2021, 1, 1))],
        year_of=year_fraction,
    )
    assert len(chart.dots) == 2
    assert len(chart.targets) == 1
    assert chart.values_path.startswith("M")
    assert all(chart.plot_left <= d.x <= chart.plot_right for d in chart.dots)
