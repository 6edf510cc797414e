"""Is an indicator on course? A plain calculation on baseline, targets and the latest value.

The method, also shown on every indicator page: draw a straight line from the baseline (value, year)
to the next target that lies at or after the year of the latest measured value. Read off the value
that line expects for the latest measurement's year. Compare: how far is the measurement behind the
line, as a share of the whole change the target asks for (baseline → target)?

- *auf Kurs*: not behind, or behind by at most 10 % of the planned change (or the target is already met)
- *gefährdet*: behind by more than 10 % and at most 25 %
- *nicht auf Kurs*: behind by more than 25 %
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

ON_TRACK_TOLERANCE = 0.10
AT_RISK_TOLERANCE = 0.25


class Status(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"


STATUS_LABELS = {
    Status.ON_TRACK: _("auf Kurs"),
    Status.AT_RISK: _("gefährdet"),
    Status.OFF_TRACK: _("nicht auf Kurs"),
    Status.NO_DATA: _("keine Bewertung möglich"),
}


@dataclass(frozen=True)
class Assessment:
    status: Status
    expected: float | None = None
    latest: float | None = None
    latest_year: float | None = None
    target_value: float | None = None
    target_year: int | None = None
    behind_share: float | None = None  # >0 means behind the line, as share of planned change
    latest_date: dt.date | None = None  # the day of the latest value, shown beside it


def year_fraction(day: dt.date) -> float:
    start = dt.date(day.year, 1, 1)
    length = (dt.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


def assess(
    *,
    baseline_value: float,
    baseline_year: int,
    direction: str,
    targets: Sequence[tuple[float, int]],
    values: Sequence[tuple[float, dt.date]],
) -> Assessment:
    """``targets`` as (value, year), ``values`` as (value, date); ``direction`` "up" or "down"."""
    if not values:
        return Assessment(status=Status.NO_DATA)
    latest_value, latest_day = max(values, key=lambda item: item[1])
    if not targets:
        return Assessment(status=Status.NO_DATA, latest=latest_value, latest_date=latest_day)
    # A value of year Y is taken as of the middle of that year for values dated 1 January (yearly figures).
    t = latest_day.year + 0.0 if (latest_day.month, latest_day.day) == (1, 1) else year_fraction(latest_day)
    ordered = sorted(targets, key=lambda item: item[1])
    target_value, target_year = next(((v, y) for v, y in ordered if y >= t), ordered[-1])
    sign = 1.0 if direction == "up" else -1.0
    planned = target_value - baseline_value
    if planned == 0 or target_year <= baseline_year:
        met = sign * (latest_value - target_value) >= 0
        return Assessment(
            status=Status.ON_TRACK if met else Status.OFF_TRACK,
            latest=latest_value,
            latest_year=t,
            latest_date=latest_day,
            target_value=target_value,
            target_year=target_year,
        )
    share_of_time = min(max((t - baseline_year) / (target_year - baseline_year), 0.0), 1.0)
    expected = baseline_value + planned * share_of_time
    behind = sign * (expected - latest_value) / abs(planned)
    if sign * (latest_value - target_value) >= 0 or behind <= ON_TRACK_TOLERANCE:
        status = Status.ON_TRACK
    elif behind <= AT_RISK_TOLERANCE:
        status = Status.AT_RISK
    else:
        status = Status.OFF_TRACK
    return Assessment(
        status=status,
        expected=expected,
        latest=latest_value,
        latest_year=t,
        target_value=target_value,
        target_year=target_year,
        behind_share=behind,
        latest_date=latest_day,
    )
