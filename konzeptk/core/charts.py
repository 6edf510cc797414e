"""The one chart module: coordinates for server-rendered SVG charts.

Every chart of the platform is drawn on the server as SVG, so it shows without JavaScript, and
always goes with a visible table of the same numbers (the template renders both; the SVG has
``role="img"`` and a title or caption that says where the table is). The SVG keeps its natural size
(``width``/``height`` attributes = its viewBox), so its text shows at the designed size (at least 12 px)
on every screen, and sits in a labelled, focusable scroll region
(``<div class="kk-table-wrap kk-chart-scroll" role="region" aria-labelledby="…" tabindex="0">``) that
scrolls on a narrow screen instead of the page (WCAG 1.4.10). Colour is never the only cue:
points of different groups differ in shape (:data:`MARKS`), lines in dash and markers.

The functions here only compute coordinates and labels; the rooms' templates draw them:

* :func:`bars` – horizontal bars whose labels stay text of the page (surveys, ballots);
* :func:`line_chart` – labelled values (e.g. weeks) on a 0..top scale, gaps stay gaps (insights);
* :func:`ratio_chart` – a small chart of a representation ratio with its interval (insights);
* :func:`scatter` – people's positions with a marker shape per group (insights' opinion groups);
* :func:`time_series_chart` – means over time with a min–max band (sensing);
* :func:`indicator_chart` – measured values and the planned path from baseline to targets (strategy).

Numbers in labels are written as the active language writes them (``konzeptk.core.numbers``: 0,25 and
1.234 in German, 0.25 and 1,234 in English; whole numbers without decimals). Value axes have round
ticks (:func:`nice_ticks`: 0, 1.000, 2.000 … – never -199,0 … 4224,0).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from konzeptk.core import numbers

#: marker shape per group: shapes differ, so colour is never the only cue
MARKS = ("circle", "square", "triangle", "diamond", "cross")


def number(value: float, digits: int) -> str:
    """A number as the active language writes it with ``digits`` decimals (0,25 and 0,50 in German,
    0.25 in English), a whole number without them (858, not 858,0)."""
    return numbers.number(value, digits, fixed=True)


def path_d(points: Sequence[tuple[float, float] | None]) -> str:
    """SVG path data through the points in order; ``None`` is a gap (the line starts anew after it)."""
    parts = []
    previous_known = False
    for point in points:
        if point is None:
            previous_known = False
            continue
        parts.append(("L" if previous_known else "M") + f"{point[0]},{point[1]}")
        previous_known = True
    return " ".join(parts)


def nice_step(span: float) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that cuts ``span`` into about five parts."""
    raw = span / 5 or 1.0
    magnitude: float = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def nice_ticks(low: float, high: float) -> list[float]:
    """Round ticks from at most ``low`` to at least ``high`` with a :func:`nice_step` (about five)."""
    if high <= low:
        high = low + 1
    step = nice_step(high - low)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    count = round((last - first) / step)
    return [round(first + i * step, 10) for i in range(count + 1)]


def tick_digits(step: float) -> int:
    """Decimals a tick label needs for a step (0 for 1, 5, 100; 1 for 0.5; 2 for 0.25)."""
    for digits in range(6):
        if abs(round(step, digits) - step) < 1e-9:
            return digits
    return 6


# --- Horizontal bars with their labels as text of the page ------------------------------------
@dataclass(frozen=True)
class Bar:
    label: str
    #: the value as the page writes it
    text: str
    #: length of the bar in per cent of the longest one (0..100)
    percent: float


def bars(rows: Sequence[tuple[str, float, str]]) -> list[Bar]:
    """Bars for (label, value, value as text). The template ``core/_bars.html`` draws each bar as its
    own small SVG that holds only the bar; labels and values are text of the page, so they keep the
    page's font size on every screen (never below 12 px at 320 px, where a scaled SVG shrinks them)."""
    top = max((value for _label, value, _text in rows), default=0.0) or 1.0
    return [Bar(label, text, round(100 * max(value, 0.0) / top, 1)) for label, value, text in rows]


# --- Labelled values on a fixed scale -----------------------------------------------------------
@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    path: str
    points: list[tuple[float, float, str, str]]  # x, y, label, value
    y_ticks: list[tuple[float, str]]
    x_left: int
    x_right: int
    y_bottom: float


def line_chart(
    values: list[tuple[str, float | None]], *, width: int = 640, height: int = 240, top: float = 1.0
) -> LineChart | None:
    """A line through the known values (label, value in 0..top); gaps stay gaps. None below two values."""
    if sum(v is not None for _label, v in values) < 2:
        return None
    left, right, upper, lower = 48, width - 16, 16, height - 32
    n = max(len(values) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return round(left + (right - left) * i / n, 1), round(lower - (lower - upper) * min(v, top) / top, 1)

    coords = [None if v is None else xy(i, v) for i, (_label, v) in enumerate(values)]
    points = [
        (xy_[0], xy_[1], label, number(v, 2))
        for xy_, (label, v) in zip(coords, values, strict=True)
        if xy_ is not None and v is not None
    ]
    ticks = [(round(lower - (lower - upper) * t, 1), number(t * top, 2)) for t in (0, 0.25, 0.5, 0.75, 1.0)]
    return LineChart(width, height, path_d(coords), points, ticks, left, right, lower)


# --- A ratio with its interval ------------------------------------------------------------------
@dataclass(frozen=True)
class RatioChart:
    width: int
    height: int
    path: str
    points: list[tuple[float, float, str, str]]  # x, y, day, ratio as text
    whiskers: list[tuple[float, float, float]]  # x, y of the upper and lower end of the interval
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    y_one: float  # y of ratio 1 (as many as in the population)
    y_under: float  # y of ratio 0.8 (threshold)
    x_left: int
    x_right: int
    y_bottom: float


def ratio_chart(
    values: list[tuple[str, float | None, float | None, float | None]],
    *,
    width: int = 320,
    height: int = 160,
    top: float = 2.0,
) -> RatioChart | None:
    """A small line chart of one group's representation ratio over the snapshot days (label, ratio,
    interval low, interval high); suppressed days are gaps. Ratios above ``top`` are drawn at the top."""
    if not any(v is not None for _label, v, _lo, _hi in values):
        return None
    left, right, upper, lower = 36, width - 12, 10, height - 24
    n = max(len(values) - 1, 1)

    def x_of(i: int) -> float:
        return round(left + (right - left) * (i / n if len(values) > 1 else 0.5), 1)

    def y_of(v: float) -> float:
        return round(lower - (lower - upper) * min(max(v, 0.0), top) / top, 1)

    coords: list[tuple[float, float] | None] = []
    points, whiskers = [], []
    for i, (label, v, lo, hi) in enumerate(values):
        if v is None:
            coords.append(None)
            continue
        x, y = x_of(i), y_of(v)
        coords.append((x, y))
        points.append((x, y, label, number(v, 2)))
        if lo is not None and hi is not None:
            whiskers.append((x, y_of(hi), y_of(lo)))
    step = max(1, len(values) // 4)
    x_labels = [(x_of(i), label) for i, (label, *_rest) in enumerate(values) if i % step == 0]
    ticks = [(y_of(t), number(t, 1)) for t in (0.0, 0.5, 1.0, 1.5, 2.0) if t <= top]
    return RatioChart(
        width,
        height,
        path_d(coords),
        points,
        whiskers,
        x_labels,
        ticks,
        y_of(1.0),
        y_of(0.8),
        left,
        right,
        lower,
    )


# --- Positions of people in groups --------------------------------------------------------------
@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    group: int
    mark: str


@dataclass(frozen=True)
class Scatter:
    width: int
    height: int
    dots: list[Marker]


def scatter(points: list[list[float]], *, width: int = 640, height: int = 420) -> Scatter:
    """Positions (x, y, group) fitted into the box; a negative group (none) is drawn as a grey ring."""
    if not points:
        return Scatter(width, height, [])
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    pad = 16
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    dots = []
    for x, y, g in points:
        group = int(g)
        dots.append(
            Marker(
                x=round(pad + (x - min(xs)) / span_x * (width - 2 * pad), 1),
                y=round(pad + (max(ys) - y) / span_y * (height - 2 * pad), 1),
                group=group,
                mark=MARKS[group % len(MARKS)] if group >= 0 else "none",
            )
        )
    return Scatter(width, height, dots)


# --- Means over time with their range -----------------------------------------------------------
@dataclass(frozen=True)
class TimeSeriesChart:
    width: int
    height: int
    path: str
    band: str
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    empty: bool


def time_series_chart(
    points: list[tuple[dt.datetime, float, float | None, float | None]],
    *,
    width: int = 720,
    height: int = 280,
) -> TimeSeriesChart:
    """points: (time, mean, min, max), in time order. The band from min to max is drawn when every
    point has both."""
    left, right, top, bottom = 56, 16, 16, 36
    if not points:
        return TimeSeriesChart(width, height, "", "", [], [], True)
    values = [p[1] for p in points] + [v for p in points for v in (p[2], p[3]) if v is not None]
    low, high = min(values), max(values)
    if high == low:
        high, low = high + 1, low - 1
    # the axis runs from one round tick to another (0 when every value is positive and near 0)
    if low >= 0 and low < (high - low) / 2:
        low = 0.0
    ticks = nice_ticks(low, high)
    low, high = ticks[0], ticks[-1]
    digits = tick_digits(ticks[1] - ticks[0]) if len(ticks) > 1 else 0
    t0, t1 = points[0][0].timestamp(), points[-1][0].timestamp()
    t_span = max(t1 - t0, 1)
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(t: dt.datetime) -> float:
        return round(left + (t.timestamp() - t0) / t_span * plot_w, 1)

    def y(v: float) -> float:
        return round(top + (high - v) / (high - low) * plot_h, 1)

    path = path_d([(x(t), y(v)) for t, v, _lo, _hi in points])
    band = ""
    if all(p[2] is not None and p[3] is not None for p in points) and len(points) > 1:
        upper = [(x(t), y(hi)) for t, _v, _lo, hi in points if hi is not None]
        lower = [(x(t), y(lo)) for t, _v, lo, _hi in reversed(points) if lo is not None]
        band = path_d(upper + lower) + " Z"
    y_ticks = [(y(t), numbers.number(t, digits)) for t in ticks]
    step = max(len(points) // 6, 1)
    x_ticks = [
        (x(t), t.strftime("%d.%m.") if t1 - t0 < 400 * 86400 else t.strftime("%m/%Y"))
        for t, *_ in points[::step]
    ]
    return TimeSeriesChart(width, height, path, band, x_ticks, y_ticks, False)


# --- An indicator: measured values and the planned path ---------------------------------------
INDICATOR_WIDTH, INDICATOR_HEIGHT = 640, 300
_LEFT, _RIGHT, _TOP, _BOTTOM = 64, 16, 16, 40


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class LabelledPoint:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class IndicatorChart:
    width: int
    height: int
    values_path: str
    plan_path: str
    dots: list[LabelledPoint]
    targets: list[LabelledPoint]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int


def german_number(value: float) -> str:
    """A value of an indicator as the active language writes it, at most two decimals (``12.345,5``).
    (The name stays for callers; the form follows the language since issue 13.)"""
    return numbers.number(value, 2)


def indicator_chart(
    *,
    baseline: tuple[float, int],
    targets: Sequence[tuple[float, int]],
    values: Sequence[tuple[float, dt.date]],
    year_of: Callable[[dt.date], float],
) -> IndicatorChart:
    """Measured values (value, day) and the planned path from the baseline (value, year) through the
    targets (value, year); ``year_of`` places a day on the axis of years (e.g. 2024-07-01 -> 2024.5)."""
    width, height = INDICATOR_WIDTH, INDICATOR_HEIGHT
    points = [(year_of(day), v) for v, day in values]
    xs = [baseline[1] + 0.0, *[p[0] for p in points], *[float(y) for _v, y in targets]]
    ys = [baseline[0], *[p[1] for p in points], *[v for v, _y in targets]]
    x0, x1 = min(xs), max(xs) or 1.0
    if x1 - x0 < 1:
        x1 = x0 + 1
    y_min, y_max = min(0.0, min(ys)), max(ys)
    if y_max == y_min:
        y_max = y_min + 1
    step = nice_step(y_max - y_min)
    y_top = step * (int(y_max / step) + 1)
    y_bottom = step * int(y_min / step) if y_min < 0 else 0.0

    def sx(x: float) -> float:
        return round(_LEFT + (x - x0) / (x1 - x0) * (width - _LEFT - _RIGHT), 1)

    def sy(y: float) -> float:
        return round(height - _BOTTOM - (y - y_bottom) / (y_top - y_bottom) * (height - _TOP - _BOTTOM), 1)

    dots = [
        LabelledPoint(sx(x), sy(v), f"{day.strftime('%d.%m.%Y')}: {german_number(v)}")
        for (x, v), (_v, day) in zip(points, values, strict=True)
    ]
    plan = [
        (baseline[1] + 0.0, baseline[0]),
        *sorted(((float(y), v) for v, y in targets), key=lambda p: p[0]),
    ]
    target_dots = [LabelledPoint(sx(float(y)), sy(v), f"{y}: {german_number(v)}") for v, y in targets]
    span = int(x1) - int(x0)
    year_step = max(1, span // 8 + (1 if span % 8 else 0))
    y_ticks = []
    y = y_bottom
    while y <= y_top + step / 2:
        y_ticks.append(Tick(sy(y), german_number(y)))
        y += step
    return IndicatorChart(
        width=width,
        height=height,
        values_path=path_d([(d.x, d.y) for d in dots]),
        plan_path=path_d([(sx(x), sy(y)) for x, y in plan]),
        dots=dots,
        targets=target_dots,
        x_ticks=[Tick(sx(float(y)), str(y)) for y in range(int(x0), int(x1) + 1, year_step)],
        y_ticks=y_ticks,
        plot_left=_LEFT,
        plot_right=width - _RIGHT,
        plot_top=_TOP,
        plot_bottom=height - _BOTTOM,
    )
