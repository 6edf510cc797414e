"""Coordinates for the server-rendered SVG charts (every chart has a table with the same numbers)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format


def _num(value: float, digits: int) -> str:
    """A number as the active language writes it (0,25 in German, 0.25 in English)."""
    return str(number_format(round(value, digits), digits))


#: marker shape and colour class per opinion group: shapes differ, so colour is never the only cue
GROUP_MARKS = ("circle", "square", "triangle", "diamond", "cross")
GROUP_NAMES = ("A", "B", "C", "D", "E")


@dataclass(frozen=True)
class Line:
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
) -> Line | None:
    """A line through the known values (label, value in 0..top); gaps stay gaps."""
    known = [(i, label, v) for i, (label, v) in enumerate(values) if v is not None]
    if len(known) < 2:
        return None
    left, right, upper, lower = 48, width - 16, 16, height - 32
    n = max(len(values) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return round(left + (right - left) * i / n, 1), round(lower - (lower - upper) * min(v, top) / top, 1)

    path_parts = []
    prev = None
    points = []
    for i, label, v in known:
        x, y = xy(i, v)
        path_parts.append(("L" if prev == i - 1 else "M") + f"{x},{y}")
        prev = i
        points.append((x, y, label, _num(v, 2)))
    ticks = [(round(lower - (lower - upper) * t, 1), _num(t * top, 2)) for t in (0, 0.25, 0.5, 0.75, 1.0)]
    return Line(width, height, " ".join(path_parts), points, ticks, left, right, lower)


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    group: int
    mark: str


def scatter(points: list[list[float]], *, width: int = 640, height: int = 420) -> dict[str, Any]:
    """Participants' positions (x, y, group) fitted into the box; ungrouped people are grey rings."""
    if not points:
        return {"width": width, "height": height, "dots": []}
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    pad = 16
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    dots = []
    for x, y, g in points:
        g = int(g)
        dots.append(
            Dot(
                x=round(pad + (x - min(xs)) / span_x * (width - 2 * pad), 1),
                y=round(pad + (max(ys) - y) / span_y * (height - 2 * pad), 1),
                group=g,
                mark=GROUP_MARKS[g % len(GROUP_MARKS)] if g >= 0 else "none",
            )
        )
    return {"width": width, "height": height, "dots": dots}


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

    parts, points, whiskers = [], [], []
    prev = None
    for i, (label, v, lo, hi) in enumerate(values):
        if v is None:
            continue
        x, y = x_of(i), y_of(v)
        parts.append(("L" if prev == i - 1 else "M") + f"{x},{y}")
        prev = i
        points.append((x, y, label, _num(v, 2)))
        if lo is not None and hi is not None:
            whiskers.append((x, y_of(hi), y_of(lo)))
    step = max(1, len(values) // 4)
    x_labels = [(x_of(i), label) for i, (label, *_rest) in enumerate(values) if i % step == 0]
    ticks = [(y_of(t), _num(t, 1)) for t in (0.0, 0.5, 1.0, 1.5, 2.0) if t <= top]
    return RatioChart(
        width,
        height,
        " ".join(parts),
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
