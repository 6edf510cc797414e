"""Reads of the urban data platform: aggregations of a datastream and the dashboards' data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Avg, Count, Max, Min, QuerySet, Sum
from django.db.models.functions import Substr, TruncDay, TruncHour, TruncMonth

from konzeptk.sensing import models as m

INTERVALS = {"hour": TruncHour, "day": TruncDay, "month": TruncMonth}
STATISTICS = ("mean", "min", "max", "count")


@dataclass(frozen=True)
class Bucket:
    start: dt.datetime
    mean: float | None
    min: float | None
    max: float | None
    count: int


def observations_between(
    datastream: m.Datastream, start: dt.datetime, end: dt.datetime
) -> QuerySet[m.Observation]:
    """Uses the (datastream, phenomenon_time_start) index: one range scan."""
    return m.Observation.objects.filter(
        datastream=datastream, phenomenon_time_start__gte=start, phenomenon_time_start__lt=end
    )


def _hourly_partials(
    datastream: m.Datastream, start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, int, float, float, float]]:
    """(UTC hour, count, sum, min, max) with native SQL only (no per-row Python functions on SQLite)."""
    qs = observations_between(datastream, start, end).filter(result_number__isnull=False)
    if connection.vendor == "sqlite":
        key: Any = Substr("phenomenon_time_start", 1, 13)  # stored as "YYYY-MM-DD HH:MM:SS" in UTC
    else:
        key = TruncHour("phenomenon_time_start", tzinfo=dt.UTC)
    rows = (
        qs.annotate(hour=key)
        .values("hour")
        .annotate(
            n=Count("id"), total=Sum("result_number"), low=Min("result_number"), high=Max("result_number")
        )
        .order_by()
        .values_list("hour", "n", "total", "low", "high")
    )
    result = []
    for hour, n, total, low, high in rows:
        if isinstance(hour, str):
            hour = dt.datetime.strptime(hour, "%Y-%m-%d %H").replace(tzinfo=dt.UTC)
        result.append((hour, n, total, low, high))
    return result


def _local_bucket(hour: dt.datetime, interval: str, tz: ZoneInfo) -> dt.datetime:
    local = hour.astimezone(tz)
    if interval == "hour":
        return local
    if interval == "day":
        return local.replace(hour=0)
    return local.replace(day=1, hour=0)


def aggregate_series(
    *, datastream: m.Datastream, interval: str, start: dt.datetime, end: dt.datetime
) -> list[Bucket]:
    """Hourly, daily or monthly mean/min/max/count in local time (Europe/Berlin) between start and end.

    The database groups by UTC hour (an indexed range scan, native functions only); hours are then
    merged into local days or months – exact for time zones with whole-hour offsets.
    """
    if interval not in INTERVALS:
        raise ValueError(f"unknown interval {interval}")
    tz = ZoneInfo(settings.TIME_ZONE)
    merged: dict[dt.datetime, list[float]] = {}
    for hour, n, total, low, high in _hourly_partials(datastream, start, end):
        bucket = _local_bucket(hour, interval, tz)
        acc = merged.get(bucket)
        if acc is None:
            merged[bucket] = [n, total, low, high]
        else:
            acc[0] += n
            acc[1] += total
            acc[2] = min(acc[2], low)
            acc[3] = max(acc[3], high)
    return [
        Bucket(bucket.replace(tzinfo=None).replace(tzinfo=tz), total / n, low, high, int(n))
        for bucket, (n, total, low, high) in sorted(merged.items())
    ]


def aggregate_value(
    *, datastream: m.Datastream, statistic: str, start: dt.datetime, end: dt.datetime
) -> float | None:
    """One figure for an indicator, e.g. the annual mean NO₂ or the yearly sum of passers-by ("sum")."""
    functions: dict[str, Any] = {"mean": Avg, "min": Min, "max": Max, "count": Count, "sum": Sum}
    if statistic not in functions:
        raise ValueError(f"unknown statistic {statistic}")
    qs = observations_between(datastream, start, end).filter(result_number__isnull=False)
    value = qs.aggregate(v=functions[statistic]("result_number"))["v"]
    return None if value is None else float(value)


def latest_observations(datastreams: list[m.Datastream]) -> dict[int, m.Observation]:
    """The newest observation of each datastream (one indexed query per datastream, bounded by the list)."""
    latest: dict[int, m.Observation] = {}
    for ds in datastreams:
        obs = ds.observations.order_by("-phenomenon_time_start").first()
        if obs is not None:
            latest[ds.pk] = obs
    return latest


def topic_datastreams(topic: str) -> list[m.Datastream]:
    return list(
        m.Datastream.objects.filter(properties__topic=topic)
        .select_related("thing", "observed_property")
        .prefetch_related("thing__locations")
        .order_by("name")
    )
