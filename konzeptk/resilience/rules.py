"""The maths of the city's own triggers, without the database: which values a rule looks at, when its
condition holds, and how runs of observations become episodes. (Also the permissions of the staff pages,
as in every room's ``rules.py``.)

Every rule kind turns observations into a series of points ``(time, value)``:

- **heat**, **level above/below**, **rain in mm/h**: the observations themselves;
- **rain in mm** (amount per observation interval): the sum over the 60 minutes up to each observation;
- **tropical night**: one point per night (18:00 to 06:00 UTC, as the DWD counts a *Tropennacht*), its
  lowest value, at the end of the night – only for nights that are over and covered by data in at least
  :data:`NIGHT_MIN_HOURS` of their 12 hours;
- **felt temperature**: the heat index of the US National Weather Service (:func:`heat_index_c`) from each
  temperature and the humidity measured nearest to it (at most :data:`PAIR_MINUTES` apart).

Each point is classed: **1** the condition holds (over the threshold; at least the threshold for a tropical
night; under it for "level below"), **-1** cleared (beyond the threshold by the hysteresis the other way),
**0** in between. An episode starts with a point of class 1, is raised once its points of class 1 span the
minimum duration without a point of another class in between, and – once raised – ends only at a point of
class -1 (the hysteresis keeps a value that hovers around the threshold from raising alert after alert).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rules.permissions import add_perm
from rules.predicates import predicate

HEAT = "heat"
TROPICAL_NIGHT = "tropical_night"
FELT_HEAT = "felt_heat"
RAIN = "rain"
LEVEL_ABOVE = "level_above"
LEVEL_BELOW = "level_below"

NIGHT_START_HOUR_UTC = 18
NIGHT_HOURS = 12
NIGHT_MIN_HOURS = 9
PAIR_MINUTES = 30
RAIN_WINDOW = dt.timedelta(minutes=60)

Point = tuple[dt.datetime, float]


@dataclass(frozen=True)
class KindSpec:
    """What a rule kind measures: the units it accepts and the thresholds that are physically plausible."""

    direction: Literal["above", "below"]
    inclusive: bool  # "at least" instead of "over"
    units: tuple[str, ...]  # accepted unit symbols (normalised: see unit_key)
    low: float  # plausible thresholds (in the first unit; other units are converted)
    high: float


TEMPERATURE_UNITS = ("°c", "degc", "cel", "c")
KINDS: dict[str, KindSpec] = {
    HEAT: KindSpec("above", False, TEMPERATURE_UNITS, -40.0, 60.0),
    TROPICAL_NIGHT: KindSpec("above", True, TEMPERATURE_UNITS, -40.0, 45.0),
    FELT_HEAT: KindSpec("above", False, TEMPERATURE_UNITS, -40.0, 70.0),
    RAIN: KindSpec("above", False, ("mm/h", "mm"), 0.0, 300.0),
    LEVEL_ABOVE: KindSpec("above", False, ("m", "cm"), -500.0, 5000.0),
    LEVEL_BELOW: KindSpec("below", False, ("m", "cm"), -500.0, 5000.0),
}
HUMIDITY_UNITS = ("%", "percent", "%rh")
#: the units of each kind as staff read them (form errors)
KIND_UNIT_LABELS = {
    HEAT: ("°C",),
    TROPICAL_NIGHT: ("°C",),
    FELT_HEAT: ("°C",),
    RAIN: ("mm/h", "mm"),
    LEVEL_ABOVE: ("m", "cm"),
    LEVEL_BELOW: ("m", "cm"),
}
#: factor to the first unit of a kind's list (for the plausibility check)
UNIT_FACTORS = {"cm": 0.01}


def unit_key(symbol: str) -> str:
    """A unit symbol compared loosely: lower case, without spaces ("° C" = "°C" = "°c")."""
    return "".join(str(symbol).split()).lower().replace("[", "").replace("]", "")


def threshold_plausible(kind: str, threshold: float, unit: str) -> bool:
    spec = KINDS[kind]
    if not math.isfinite(threshold):
        return False
    value = threshold * UNIT_FACTORS.get(unit_key(unit), 1.0)
    if kind == RAIN and value <= 0:
        return False
    return spec.low <= value <= spec.high


# --- felt temperature --------------------------------------------------------------------------


def heat_index_c(temp_c: float, humidity: float) -> float:
    """The heat index (felt temperature in heat) in °C after the US National Weather Service.

    Method as published by the NWS (Technical Attachment SR 90-23, Rothfusz 1990; the NWS Weather Prediction
    Center's "Heat Index Equation"): first Steadman's simple formula; if its mean with the temperature is
    80 °F or more, the Rothfusz regression with the NWS adjustments for low humidity (below 13 % at 80–112 °F)
    and high humidity (above 85 % at 80–87 °F). Below 80 °F the simple formula is the result.
    """
    t = temp_c * 9 / 5 + 32
    rh = min(max(humidity, 0.0), 100.0)
    simple = 0.5 * (t + 61.0 + (t - 68.0) * 1.2 + rh * 0.094)
    if (simple + t) / 2 < 80:
        hi = simple
    else:
        hi = (
            -42.379
            + 2.04901523 * t
            + 10.14333127 * rh
            - 0.22475541 * t * rh
            - 0.00683783 * t * t
            - 0.05481717 * rh * rh
            + 0.00122874 * t * t * rh
            + 0.00085282 * t * rh * rh
            - 0.00000199 * t * t * rh * rh
        )
        if rh < 13 and 80 <= t <= 112:
            hi -= ((13 - rh) / 4) * math.sqrt((17 - abs(t - 95.0)) / 17)
        elif rh > 85 and 80 <= t <= 87:
            hi += ((rh - 85) / 10) * ((87 - t) / 5)
    return (hi - 32) * 5 / 9


def felt_points(temperatures: Sequence[Point], humidities: Sequence[Point]) -> list[Point]:
    """The heat index at each temperature with the humidity nearest in time (none within PAIR_MINUTES: left out)."""
    if not humidities:
        return []
    hums = sorted(humidities)
    out: list[Point] = []
    j = 0
    limit = dt.timedelta(minutes=PAIR_MINUTES)
    for at, temp in sorted(temperatures):
        while j + 1 < len(hums) and abs(hums[j + 1][0] - at) <= abs(hums[j][0] - at):
            j += 1
        near_at, humidity = hums[j]
        if abs(near_at - at) <= limit:
            out.append((at, heat_index_c(temp, humidity)))
    return out


# --- derived series ----------------------------------------------------------------------------


def rain_hourly(points: Sequence[Point]) -> list[Point]:
    """Amounts per interval (mm) → the sum over the 60 minutes up to each point (mm/h)."""
    ordered = sorted(points)
    out: list[Point] = []
    total = 0.0
    first = 0
    for at, amount in ordered:
        total += amount
        while ordered[first][0] <= at - RAIN_WINDOW:
            total -= ordered[first][1]
            first += 1
        out.append((at, round(total, 6)))
    return out


def night_of(at: dt.datetime) -> dt.datetime:
    """The start (18:00 UTC) of the night a time belongs to, or of the last night before a daytime moment."""
    utc = at.astimezone(dt.UTC)
    start = utc.replace(hour=NIGHT_START_HOUR_UTC, minute=0, second=0, microsecond=0)
    if utc < start:
        start -= dt.timedelta(days=1)
    return start


def night_minima(points: Sequence[Point], *, now: dt.datetime) -> list[Point]:
    """Per night that is over and covered: (end of the night, lowest value in it)."""
    nights: dict[dt.datetime, tuple[float, set[int]]] = {}
    for at, value in points:
        start = night_of(at)
        offset = at.astimezone(dt.UTC) - start
        if offset >= dt.timedelta(hours=NIGHT_HOURS):
            continue  # daytime
        low, hours = nights.get(start, (value, set()))
        hours.add(int(offset.total_seconds() // 3600))
        nights[start] = (min(low, value), hours)
    out: list[Point] = []
    for start, (low, hours) in sorted(nights.items()):
        end = start + dt.timedelta(hours=NIGHT_HOURS)
        if end <= now and len(hours) >= NIGHT_MIN_HOURS:
            out.append((end, low))
    return out


# --- classes, runs and episodes ----------------------------------------------------------------


def classify(kind: str, value: float, threshold: float, hysteresis: float) -> int:
    """1: the condition holds; -1: cleared (past threshold and hysteresis the other way); 0: in between."""
    spec = KINDS[kind]
    if spec.direction == "above":
        if value > threshold or (spec.inclusive and value >= threshold):
            return 1
        return -1 if value < threshold - hysteresis else 0
    if value < threshold:
        return 1
    return -1 if value > threshold + hysteresis else 0


@dataclass(frozen=True)
class Run:
    """Consecutive points of one class: first and last time, the extreme value (highest or lowest)."""

    cls: int
    start: dt.datetime
    end: dt.datetime
    peak: float


def runs_of(points: Iterable[Point], *, kind: str, threshold: float, hysteresis: float) -> list[Run]:
    """The runs of a time-ordered series (the database computes the same for raw series: evaluation.py)."""
    below = KINDS[kind].direction == "below"
    runs: list[Run] = []
    for at, value in points:
        cls = classify(kind, value, threshold, hysteresis)
        if runs and runs[-1].cls == cls:
            last = runs[-1]
            peak = min(last.peak, value) if below else max(last.peak, value)
            runs[-1] = Run(cls, last.start, at, peak)
        else:
            runs.append(Run(cls, at, at, value))
    return runs


@dataclass
class SimEpisode:
    start: dt.datetime
    peak: float
    last: dt.datetime
    raised_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    carried: bool = False  # the open episode the replay started with


def episodes_of(
    runs: Sequence[Run],
    *,
    kind: str,
    min_duration: dt.timedelta,
    raised_through: dt.datetime | None = None,
    raised_since: dt.datetime | None = None,
    ongoing: SimEpisode | None = None,
) -> list[SimEpisode]:
    """Replay runs into episodes. ``ongoing``: the open episode the runs continue (its data is not replayed
    again). ``raised_since``/``raised_through``: an alert raised already, whose data reached
    ``raised_through``; a cleared value from before then (arriving late) does not end it – late data never
    splits an alert in two."""
    below = KINDS[kind].direction == "below"
    out: list[SimEpisode] = []
    current: SimEpisode | None = None
    if ongoing is not None:
        current = SimEpisode(
            start=ongoing.start,
            peak=ongoing.peak,
            last=ongoing.last,
            raised_at=ongoing.raised_at,
            carried=True,
        )
        out.append(current)
        if ongoing.raised_at is not None and raised_since is None:
            raised_since = ongoing.start
    for run in runs:
        if current is None:
            if run.cls != 1:
                continue
            current = SimEpisode(start=run.start, peak=run.peak, last=run.end)
            out.append(current)
        elif run.cls == 1:
            current.peak = min(current.peak, run.peak) if below else max(current.peak, run.peak)
            current.last = max(current.last, run.end)
        else:
            already = raised_since is not None and current.start <= raised_since
            if current.raised_at is None and not already:
                out.pop()  # broken before the minimum duration: never an alert
                current = None
                continue
            if run.cls == -1 and not (already and raised_through is not None and run.end <= raised_through):
                current.raised_at = current.raised_at or current.start + min_duration
                current.ended_at = run.start
                current = None
            continue
        if current is not None and current.raised_at is None and current.last - current.start >= min_duration:
            current.raised_at = current.start + min_duration
    return out


# --- permissions -------------------------------------------------------------------------------


def is_platform_staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_platform_staff)


add_perm("resilience.manage_alerts", predicate(is_platform_staff))  # type: ignore[no-untyped-call, unused-ignore]
