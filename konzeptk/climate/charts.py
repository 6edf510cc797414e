"""The dashboard's charts through core/charts.py (the page shows the same numbers as tables)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from konzeptk.climate.models import PathPoint
from konzeptk.climate.selectors import BalanceRow, YearPoint
from konzeptk.core.charts import IndicatorChart, indicator_chart


def _year(day: dt.date) -> float:
    return float(day.year)


def emissions_chart(rows: Sequence[BalanceRow], points: Sequence[PathPoint]) -> IndicatorChart | None:
    """Tonnes per resident against the path from its first point (baseline) through the others (targets)."""
    if not rows and len(points) < 2:
        return None
    values = [(r.per_capita, dt.date(r.year, 1, 1)) for r in rows]
    if points:
        baseline = (points[0].per_capita, points[0].year)
        targets = [(p.per_capita, p.year) for p in points[1:]]
    else:
        baseline = (rows[0].per_capita, rows[0].year)
        targets = []
    return indicator_chart(baseline=baseline, targets=targets, values=values, year_of=_year)


def growth_chart(points: Sequence[YearPoint], *, scale: float = 1.0) -> IndicatorChart | None:
    """A total at the end of each year (e.g. kWp / 1000 = MWp); None below two years."""
    if len(points) < 2:
        return None
    values = [(round(p.total * scale, 3), dt.date(p.year, 1, 1)) for p in points]
    return indicator_chart(baseline=(values[0][0], points[0].year), targets=[], values=values, year_of=_year)
