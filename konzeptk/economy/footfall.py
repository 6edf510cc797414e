"""Passer-by analytics for retailers and the city marketing, read from sensing's pedestrian counters.

Every figure comes from sensing's selectors (hourly roll-ups grouped into local days by the database);
event days come from the events room (``event_days``). Nothing here writes.

- **days**: the daily totals of the counter over the last three years (one grouped query);
- **week**: the chosen week day by day, next to the same week of last year (364 days earlier, so
  weekdays match);
- **weeks**: weekly totals of the last twelve weeks; **years**: yearly totals;
- **weekday profile**: the mean day per weekday over the last 52 weeks;
- **hours**: the hourly figures of one day;
- **events**: each event day of the last year against comparable days – the same weekday within four
  weeks before or after (the same season), without events and public holidays;
- **weather**: rain days (≥ 1 mm), summer days (≥ 25 °C) and hot days (≥ 30 °C) against the mean of
  their weekday, from the weather datastreams (kind ``precipitation`` and ``temperature``).
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings

from konzeptk.core.opening_hours import is_public_holiday
from konzeptk.events.selectors import EventDay, event_days
from konzeptk.sensing import models as sm
from konzeptk.sensing.selectors import aggregate_series, topic_datastreams

TOPIC = "innenstadt"
KIND = "pedestrians"
RAIN_MM = 1.0
SUMMER_C = 25.0
HOT_C = 30.0
COMPARE_WEEKS = 4
YEARS_SHOWN = 4  # yearly totals: this calendar year and the three before


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=_tz())


def counters() -> list[sm.Datastream]:
    """The pedestrian counters (datastreams of topic ``innenstadt`` and kind ``pedestrians``)."""
    return [ds for ds in topic_datastreams(TOPIC) if (ds.properties or {}).get("kind") == KIND]


def weather_streams() -> tuple[sm.Datastream | None, sm.Datastream | None]:
    """(temperature, precipitation) of the inner city: a stream in district Mitte first."""
    streams = topic_datastreams("klima")

    def pick(kind: str) -> sm.Datastream | None:
        found = [ds for ds in streams if (ds.properties or {}).get("kind") == kind]
        central = [ds for ds in found if (ds.thing.properties or {}).get("bezirk") == "Mitte"]
        chosen = central or found
        return chosen[0] if chosen else None

    return pick("temperature"), pick("precipitation")


def daily_totals(datastream: sm.Datastream, start: dt.date, end: dt.date) -> dict[dt.date, float]:
    """Sum per local day in [start, end)."""
    buckets = aggregate_series(
        datastream=datastream, interval="day", start=_midnight(start), end=_midnight(end)
    )
    return {b.start.date(): (b.mean or 0.0) * b.count for b in buckets}


@dataclass(frozen=True)
class DayRow:
    day: dt.date
    total: float | None
    last_year: float | None

    @property
    def change(self) -> float | None:
        if self.total is None or not self.last_year:
            return None
        return (self.total - self.last_year) / self.last_year * 100


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date
    total: float


@dataclass(frozen=True)
class EventRow:
    day: dt.date
    titles: tuple[str, ...]
    total: float
    comparable: float
    comparable_days: int

    @property
    def change(self) -> float:
        return (self.total - self.comparable) / self.comparable * 100 if self.comparable else 0.0


@dataclass(frozen=True)
class WeatherRow:
    key: str
    days: int
    ratio: float | None  # mean footfall relative to the mean of the same weekday, in per cent


@dataclass(frozen=True)
class Dashboard:
    counter: sm.Datastream
    first_day: dt.date | None
    last_day: dt.date | None
    week: list[DayRow]
    week_start: dt.date
    weeks: list[Period]
    years: list[Period]
    profile: list[tuple[int, float | None]]  # weekday, mean day
    hours: list[tuple[dt.datetime, float]]
    hours_day: dt.date
    events: list[EventRow]
    event_mean_change: float | None
    weather: list[WeatherRow]
    weather_available: bool


def _weekday_means(days: dict[dt.date, float], start: dt.date, end: dt.date) -> dict[int, float]:
    per: dict[int, list[float]] = {i: [] for i in range(7)}
    for day, total in days.items():
        if start <= day < end and not is_public_holiday(day):
            per[day.weekday()].append(total)
    return {i: statistics.fmean(v) for i, v in per.items() if v}


def _event_rows(
    days: dict[dt.date, float], found: list[EventDay], limit: int = 30
) -> tuple[list[EventRow], float | None]:
    event_dates = {e.date for e in found}
    rows = []
    for entry in reversed(found):
        total = days.get(entry.date)
        if total is None:
            continue
        similar = [
            days[d]
            for k in range(-COMPARE_WEEKS, COMPARE_WEEKS + 1)
            if k
            and (d := entry.date + dt.timedelta(weeks=k)) in days
            and d not in event_dates
            and not is_public_holiday(d)
        ]
        if not similar:
            continue
        rows.append(
            EventRow(
                day=entry.date,
                titles=tuple(e.title for e in entry.events[:3]),
                total=total,
                comparable=statistics.fmean(similar),
                comparable_days=len(similar),
            )
        )
        if len(rows) >= limit:
            break
    mean = statistics.fmean(r.change for r in rows) if rows else None
    return rows, mean


def _weather_rows(
    days: dict[dt.date, float],
    means: dict[int, float],
    temperature: dict[dt.date, float],
    rain: dict[dt.date, float],
) -> list[WeatherRow]:
    groups: dict[str, list[float]] = {"rain": [], "dry": [], "summer": [], "hot": []}
    for day, total in days.items():
        base = means.get(day.weekday())
        if not base or is_public_holiday(day):
            continue
        ratio = total / base * 100
        if day in rain:
            groups["rain" if rain[day] >= RAIN_MM else "dry"].append(ratio)
        high = temperature.get(day)
        if high is not None and high >= SUMMER_C:
            groups["summer"].append(ratio)
        if high is not None and high >= HOT_C:
            groups["hot"].append(ratio)
    return [WeatherRow(k, len(v), statistics.fmean(v) if v else None) for k, v in groups.items()]


def _max_per_day(
    datastream: sm.Datastream | None, start: dt.date, end: dt.date, *, total: bool
) -> dict[dt.date, float]:
    if datastream is None:
        return {}
    buckets = aggregate_series(
        datastream=datastream, interval="day", start=_midnight(start), end=_midnight(end)
    )
    return {
        b.start.date(): ((b.mean or 0.0) * b.count if total else (b.max if b.max is not None else 0.0))
        for b in buckets
    }


def dashboard(
    counter: sm.Datastream,
    *,
    today: dt.date,
    week_start: dt.date | None = None,
    hours_day: dt.date | None = None,
) -> Dashboard:
    """Everything the passer-by page shows for one counter (a bounded number of queries).

    Days are read for the last year and four weeks only (the profile, the weeks, events and weather
    need no more); the years come from monthly sums; a week chosen further back is read on its own."""
    tz = _tz()
    first_day = counter.phenomenon_time_start.astimezone(tz).date() if counter.phenomenon_time_start else None
    last = counter.phenomenon_time_end.astimezone(tz).date() if counter.phenomenon_time_end else None
    anchor = min(last, today) if last else today
    year_ago = anchor - dt.timedelta(weeks=52)
    days = daily_totals(
        counter, year_ago - dt.timedelta(weeks=COMPARE_WEEKS + 1), anchor + dt.timedelta(days=1)
    )
    if week_start is None:
        week_start = anchor - dt.timedelta(days=anchor.weekday())
    week_start -= dt.timedelta(days=week_start.weekday())
    wanted = [week_start + dt.timedelta(days=i) for i in range(7)]
    before = [d - dt.timedelta(days=364) for d in wanted]
    lookup = dict(days)
    for span in (wanted, before):
        if any(d not in days and first_day is not None and first_day <= d <= anchor for d in span):
            lookup.update(daily_totals(counter, span[0], span[-1] + dt.timedelta(days=1)))
    week = [DayRow(d, lookup.get(d), lookup.get(b)) for d, b in zip(wanted, before, strict=True)]
    this_monday = anchor - dt.timedelta(days=anchor.weekday())
    weeks = []
    for k in range(11, -1, -1):
        monday = this_monday - dt.timedelta(weeks=k)
        total = sum(days.get(monday + dt.timedelta(days=i), 0.0) for i in range(7))
        iso = monday.isocalendar()
        weeks.append(Period(f"{iso.week}/{iso.year}", monday, total))
    by_year: dict[int, float] = {}
    months = aggregate_series(
        datastream=counter,
        interval="month",
        start=_midnight(dt.date(anchor.year - YEARS_SHOWN + 1, 1, 1)),
        end=_midnight(anchor + dt.timedelta(days=1)),
    )
    for month in months:
        by_year[month.start.year] = by_year.get(month.start.year, 0.0) + (month.mean or 0.0) * month.count
    years = [Period(str(y), dt.date(y, 1, 1), t) for y, t in sorted(by_year.items())]
    means = _weekday_means(days, year_ago, anchor + dt.timedelta(days=1))
    profile = [(i, means.get(i)) for i in range(7)]
    hours_day = hours_day or anchor
    hour_buckets = aggregate_series(
        datastream=counter,
        interval="hour",
        start=_midnight(hours_day),
        end=_midnight(hours_day + dt.timedelta(days=1)),
    )
    hours = [(b.start, (b.mean or 0.0) * b.count) for b in hour_buckets]
    district = (counter.thing.properties or {}).get("bezirk") or None
    found = event_days(year_ago, anchor, district)
    events, mean_change = _event_rows(days, found)
    temp_stream, rain_stream = weather_streams()
    temperature = _max_per_day(temp_stream, year_ago, anchor + dt.timedelta(days=1), total=False)
    rain = _max_per_day(rain_stream, year_ago, anchor + dt.timedelta(days=1), total=True)
    recent = {d: v for d, v in days.items() if d >= year_ago}
    weather = _weather_rows(recent, means, temperature, rain)
    return Dashboard(
        counter=counter,
        first_day=first_day,
        last_day=last,
        week=week,
        week_start=week_start,
        weeks=weeks,
        years=years,
        profile=profile,
        hours=hours,
        hours_day=hours_day,
        events=events,
        event_mean_change=mean_change,
        weather=weather,
        weather_available=bool(temperature or rain),
    )
