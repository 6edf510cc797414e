"""Accessible server-side SVG line charts (a data table always goes beside them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.formats import number_format


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    path: str
    band: str
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    empty: bool


def line_chart(
    points: list[tuple[dt.datetime, float, float | None, float | None]],
    *,
    width: int = 720,
    height: int = 280,
) -> Chart:
    """points: (time, mean, min, max). Returns coordinates for the template to draw."""
    left, right, top, bottom = 56, 16, 16, 36
    if not points:
        return Chart(width, height, "", "", [], [], True)
    values = [p[1] for p in points] + [v for p in points for v in (p[2], p[3]) if v is not None]
    low, high = min(values), max(values)
    if high == low:
        high, low = high + 1, low - 1
    span = high - low
    low, high = low - span * 0.05, high + span * 0.05
    t0, t1 = points[0][0].timestamp(), points[-1][0].timestamp()
    t_span = max(t1 - t0, 1)
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(t: dt.datetime) -> float:
        return round(left + (t.timestamp() - t0) / t_span * plot_w, 1)

    def y(v: float) -> float:
        return round(top + (high - v) / (high - low) * plot_h, 1)

    path = " ".join(f"{'M' if i == 0 else 'L'}{x(t)},{y(v)}" for i, (t, v, _a, _b) in enumerate(points))
    band = ""
    if all(p[2] is not None and p[3] is not None for p in points) and len(points) > 1:
        upper = [f"{x(t)},{y(hi)}" for t, _v, _lo, hi in points if hi is not None]
        lower = [f"{x(t)},{y(lo)}" for t, _v, lo, _hi in reversed(points) if lo is not None]
        band = "M" + " L".join(upper + lower) + " Z"
    y_ticks = [
        (y(low + (high - low) * i / 4), number_format(low + (high - low) * i / 4, 1)) for i in range(5)
    ]
    step = max(len(points) // 6, 1)
    x_ticks = [
        (x(t), t.strftime("%d.%m.") if t1 - t0 < 400 * 86400 else t.strftime("%m/%Y"))
        for t, *_ in points[::step]
    ]
    return Chart(width, height, path, band, x_ticks, y_ticks, False)
