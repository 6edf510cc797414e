"""Indicator charts as server-rendered SVG: measured values, the path from baseline to target."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from konzeptk.strategy.trajectory import year_fraction

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 40


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    values_path: str
    plan_path: str
    dots: list[Dot]
    targets: list[Dot]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int


def _fmt(value: float) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u202f").replace(".", ",")


def _nice_step(span: float) -> float:
    raw = span / 5 or 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def build_chart(
    *,
    baseline: tuple[float, int],
    targets: Sequence[tuple[float, int]],
    values: Sequence[tuple[float, dt.date]],
) -> Chart:
    points = [(year_fraction(day), v) for v, day in values]
    xs = [baseline[1] + 0.0, *[p[0] for p in points], *[float(y) for _v, y in targets]]
    ys = [baseline[0], *[p[1] for p in points], *[v for v, _y in targets]]
    x0, x1 = min(xs), max(xs) or 1.0
    if x1 - x0 < 1:
        x1 = x0 + 1
    y_min, y_max = min(0.0, min(ys)), max(ys)
    if y_max == y_min:
        y_max = y_min + 1
    step = _nice_step(y_max - y_min)
    y_top = step * (int(y_max / step) + 1)
    y_bottom = step * int(y_min / step) if y_min < 0 else 0.0

    def sx(x: float) -> float:
        return round(LEFT + (x - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT), 1)

    def sy(y: float) -> float:
        return round(HEIGHT - BOTTOM - (y - y_bottom) / (y_top - y_bottom) * (HEIGHT - TOP - BOTTOM), 1)

    dots = [
        Dot(sx(x), sy(v), f"{day.strftime('%d.%m.%Y')}: {_fmt(v)}")
        for (x, v), (_v, day) in zip(points, values, strict=True)
    ]
    values_path = "M" + " L".join(f"{d.x},{d.y}" for d in dots) if dots else ""
    plan = [
        (baseline[1] + 0.0, baseline[0]),
        *sorted(((float(y), v) for v, y in targets), key=lambda p: p[0]),
    ]
    plan_path = "M" + " L".join(f"{sx(x)},{sy(y)}" for x, y in plan)
    target_dots = [Dot(sx(float(y)), sy(v), f"{y}: {_fmt(v)}") for v, y in targets]
    span = int(x1) - int(x0)
    year_step = max(1, span // 8 + (1 if span % 8 else 0))
    x_ticks = [Tick(sx(float(y)), str(y)) for y in range(int(x0), int(x1) + 1, year_step)]
    y_ticks = []
    y = y_bottom
    while y <= y_top + step / 2:
        y_ticks.append(Tick(sy(y), _fmt(y)))
        y += step
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        values_path=values_path,
        plan_path=plan_path,
        dots=dots,
        targets=target_dots,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=HEIGHT - BOTTOM,
    )
