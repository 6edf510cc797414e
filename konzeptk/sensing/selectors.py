"""Reads of the urban data platform: aggregations of a datastream and the dashboards' data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Avg, Count, Max, Min, QuerySet
from django.db.models.functions import TruncDay, TruncHour, TruncMonth

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


def aggregate_series(
    *, datastream: m.Datastream, interval: str, start: dt.datetime, end: dt.datetime
) -> list[Bucket]:
    """Hourly, daily or monthly mean/min/max/count in local time (Europe/Berlin) between start and end."""
    trunc = INTERVALS[interval]
    tz = ZoneInfo(settings.TIME_ZONE)
    rows = (
        observations_between(datastream, start, end)
        .filter(result_number__isnull=False)
        .annotate(bucket=trunc("phenomenon_time_start", tzinfo=tz))
        .values("bucket")
        .annotate(
            mean=Avg("result_number"), low=Min("result_number"), high=Max("result_number"), n=Count("id")
        )
        .order_by("bucket")
    )
    return [Bucket(r["bucket"], r["mean"], r["low"], r["high"], r["n"]) for r in rows]


def aggregate_value(
    *, datastream: m.Datastream, statistic: str, start: dt.datetime, end: dt.datetime
) -> float | None:
    """One figure for an indicator, e.g. the annual mean NO₂ or the yearly sum of passers-by ("sum")."""
    from django.db.models import Sum

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
