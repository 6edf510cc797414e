"""The vacancy history as a chart (through core/charts.py; the page shows the same numbers as a table)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from konzeptk.core.charts import IndicatorChart, indicator_chart
from konzeptk.innercity.models import VacancyCount


def year_of(day: dt.date) -> float:
    """A day on an axis of years: 1 July 2024 -> about 2024.5."""
    return day.year + (day.timetuple().tm_yday - 1) / 366


def history_chart(history: Sequence[VacancyCount]) -> IndicatorChart | None:
    """Vacant units per count date; None below two counts (the table alone says it then)."""
    if len(history) < 2:
        return None
    first = history[0]
    return indicator_chart(
        baseline=(float(first.vacant), first.count_date.year),
        targets=[],
        values=[(float(c.vacant), c.count_date) for c in history],
        year_of=year_of,
    )
