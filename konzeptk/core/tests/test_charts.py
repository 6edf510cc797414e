"""The one chart module: coordinates stay inside the plot, gaps stay gaps, labels follow the language."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import translation

from konzeptk.core import charts


def test_path_starts_anew_after_a_gap() -> None:
    assert charts.path_d([(1, 2), (3, 4), None, (5, 6), (7, 8)]) == "M1,2 L3,4 M5,6 L7,8"
    assert charts.path_d([None, None]) == ""


@pytest.mark.parametrize(("span", "step"), [(1, 0.2), (7, 2), (12, 2.5), (40, 10), (0, 1), (1800, 500)])
def test_nice_steps(span: float, step: float) -> None:
    assert charts.nice_step(span) == pytest.approx(step)


def test_line_chart_keeps_gaps_and_writes_numbers_in_the_language() -> None:
    assert charts.line_chart([("a", 0.5), ("b", None)]) is None  # one value is no line
    values = [("1.", 0.1), ("2.", None), ("3.", 0.25), ("4.", 0.5)]
    with translation.override("de"):
        chart = charts.line_chart(values)
    assert chart is not None
    assert chart.path.count("M") == 2  # the missing week is a gap, not a line across it
    assert [p[3] for p in chart.points] == ["0,10", "0,25", "0,50"]
    assert all(chart.x_left <= x <= chart.x_right and 0 <= y <= chart.y_bottom for x, y, *_ in chart.points)
    with translation.override("en"):
        chart = charts.line_chart(values)
    assert chart is not None
    assert chart.points[1][3] == "0.25"


def test_ratio_chart_draws_intervals_and_clips_at_the_top() -> None:
    chart = charts.ratio_chart([("1.", 1.0, 0.8, 1.2), ("2.", None, None, None), ("3.", 5.0, 4.0, 6.0)])
    assert chart is not None
    assert len(chart.points) == 2
    assert len(chart.whiskers) == 2
    top_y = min(y for y, _label in chart.y_ticks)
    assert chart.points[1][1] == top_y  # 5 is drawn at the top (2)
    assert chart.y_under > chart.y_one  # 0.8 is below 1
    assert charts.ratio_chart([("1.", None, None, None)]) is None


def test_scatter_marks_groups_by_shape_and_people_without_group_as_rings() -> None:
    scatter = charts.scatter([[0, 0, 0], [1, 1, 1], [2, 0.5, -1], [3, 3, 5]])
    assert [d.mark for d in scatter.dots] == ["circle", "square", "none", "circle"]
    assert all(0 <= d.x <= scatter.width and 0 <= d.y <= scatter.height for d in scatter.dots)
    assert charts.scatter([]).dots == []


def test_time_series_band_only_when_every_point_has_min_and_max() -> None:
    t0 = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    points = [(t0 + dt.timedelta(hours=i), 10.0 + i, 9.0 + i, 11.0 + i) for i in range(4)]
    chart = charts.time_series_chart(points)
    assert chart.path.startswith("M")
    assert chart.path.count("L") == 3
    assert chart.band.endswith(" Z")
    chart = charts.time_series_chart([*points[:3], (points[3][0], 13.0, None, None)])
    assert chart.band == ""
    assert charts.time_series_chart([]).empty


def test_indicator_chart_path_from_baseline_through_targets() -> None:
    chart = charts.indicator_chart(
        baseline=(9000, 2017),
        targets=[(2000, 2035), (5000, 2030)],
        values=[(8500.5, dt.date(2019, 7, 2))],
        year_of=lambda day: day.year + (day.timetuple().tm_yday - 1) / 365,
    )
    assert chart.plan_path.count("L") == 2  # baseline -> 2030 -> 2035, in year order
    assert chart.dots[0].label == "02.07.2019: 8.500,5"
    assert chart.x_ticks[0].label == "2017"
    assert chart.x_ticks[-1].label <= "2035"
    assert all(chart.plot_top <= t.pos <= chart.plot_bottom for t in chart.y_ticks)


def test_time_series_axis_has_round_ticks_in_the_language_of_the_page() -> None:
    """Issue 13: the axis read "-199,0 … 4224,0"; now round ticks, whole numbers without ",0"."""
    from django.utils import translation

    t0 = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    points = [
        (t0 + dt.timedelta(hours=i), v, None, None) for i, v in enumerate([-3.0, 1200.0, 4024.0, 800.0])
    ]
    with translation.override("de"):
        labels = [label for _y, label in charts.time_series_chart(points).y_ticks]
    assert labels == ["-1.000", "0", "1.000", "2.000", "3.000", "4.000", "5.000"]
    with translation.override("en"):
        labels = [label for _y, label in charts.time_series_chart(points).y_ticks]
    assert labels[-1] == "5,000"
    small = [(t0 + dt.timedelta(hours=i), v, None, None) for i, v in enumerate([0.12, 0.4, 0.31])]
    with translation.override("de"):
        labels = [label for _y, label in charts.time_series_chart(small).y_ticks]
    assert labels == ["0", "0,1", "0,2", "0,3", "0,4"]  # one decimal is enough for a step of 0.1


@pytest.mark.parametrize(
    ("low", "high", "ticks"), [(0, 4224, [0, 1000, 2000, 3000, 4000, 5000]), (12.3, 17.9, [12, 14, 16, 18])]
)
def test_nice_ticks(low: float, high: float, ticks: list[float]) -> None:
    assert charts.nice_ticks(low, high) == ticks


def test_bars_keep_their_text_outside_the_svg() -> None:
    """Issue 13: bar labels shrank to about 4 px on a phone because the whole SVG was scaled; now the
    SVG holds only the bar, labels and values are text of the page."""
    from django.template.loader import render_to_string

    bars = charts.bars(
        [("Sehr lange Beschriftung einer Antwort", 40, "40"), ("kurz", 10, "10"), ("nie", 0, "0")]
    )
    assert [b.percent for b in bars] == [100.0, 25.0, 0.0]
    html = render_to_string("core/_bars.html", {"bars": bars, "caption": "Stimmen"})
    for svg in re.findall(r"<svg.*?</svg>", html, flags=re.S):
        assert "<text" not in svg
    assert "Sehr lange Beschriftung einer Antwort</span>" in html
    assert charts.bars([]) == []


def test_chart_text_keeps_its_designed_size() -> None:
    """A chart SVG scaled to a 320-pixel column shrank its text below 12 px (issue of the browser sweep).
    Every SVG with text in a template (except the map fallback of ``core/_map.html``) therefore has its
    natural size (width and height attributes) and sits in a labelled, focusable scroll region
    (``kk-table-wrap kk-chart-scroll``, core CSS); test_browser_sweep measures the pixels."""
    from pathlib import Path

    root = Path(charts.__file__).resolve().parent.parent
    checked = []
    for template in sorted(root.glob("*/templates/**/*.html")):
        if template.name == "_map.html":
            continue
        html = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<svg\b[^>]*>.*?</svg>", html, flags=re.S):
            if "<text" not in match.group(0):
                continue
            tag = match.group(0).split(">", 1)[0]
            region = html[max(0, match.start() - 300) : match.start()]
            assert 'width="' in tag, template
            assert 'height="' in tag, template
            assert re.search(
                r'class="kk-table-wrap kk-chart-scroll" role="region" aria-labelledby="[^"]+" tabindex="0"',
                region,
            ), template
            checked.append(template.name)
    assert len(checked) >= 8
