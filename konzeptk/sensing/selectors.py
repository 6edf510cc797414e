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

from konzeptk.accounts.models import Organisation, User
from konzeptk.accounts.rules import is_administrator
from konzeptk.city.models import CityProfile, District
from konzeptk.city.selectors import current_layer, districts_of
from konzeptk.sensing import models as m
from konzeptk.sensing import rollups

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


def _edges(start: dt.datetime, end: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The whole UTC hours [first, last) inside [start, end); first >= last if there are none."""
    first = rollups.floor_hour(start)
    if first < start:
        first += rollups.ONE_HOUR
    return first, rollups.floor_hour(end)


def _partials(
    datastream: m.Datastream, start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, int, float, float, float]]:
    """Whole UTC hours from the roll-ups (``ObservationHour``); partial hours at the edges from the raw rows."""
    first, last = _edges(start, end)
    if first >= last:
        return _hourly_partials(datastream, start, end)
    result = rollups.hours_between(datastream.pk, first, last)
    if start < first:
        result += _hourly_partials(datastream, start, first)
    if last < end:
        result += _hourly_partials(datastream, last, end)
    return result


def _bucket_partials(
    datastream: m.Datastream, start: dt.datetime, end: dt.datetime, interval: str, tz: ZoneInfo
) -> list[tuple[dt.datetime, int, float, float, float]]:
    """(naive local bucket start, count, sum, min, max); days and months are grouped by the database."""
    first, last = _edges(start, end)
    if interval == "hour" or first >= last:
        return [
            (_local_bucket(hour, interval, tz).replace(tzinfo=None), n, total, low, high)
            for hour, n, total, low, high in _partials(datastream, start, end)
        ]
    result = rollups.local_buckets(datastream.pk, first, last, interval, tz)
    edges = []
    if start < first:
        edges += _hourly_partials(datastream, start, first)
    if last < end:
        edges += _hourly_partials(datastream, last, end)
    for hour, n, total, low, high in edges:
        result.append((_local_bucket(hour, interval, tz).replace(tzinfo=None), n, total, low, high))
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

    Whole hours come from the hourly roll-ups (UTC hours), which the database groups into local days or
    months (PostgreSQL: AT TIME ZONE; SQLite: one query per stretch of constant UTC offset) – exact for
    time zones with whole-hour offsets. Partial hours at the edges come from the raw rows.
    """
    if interval not in INTERVALS:
        raise ValueError(f"unknown interval {interval}")
    tz = ZoneInfo(settings.TIME_ZONE)
    merged: dict[dt.datetime, list[float]] = {}
    for bucket, n, total, low, high in _bucket_partials(datastream, start, end, interval, tz):
        acc = merged.get(bucket)
        if acc is None:
            merged[bucket] = [n, total, low, high]
        else:
            acc[0] += n
            acc[1] += total
            acc[2] = min(acc[2], low)
            acc[3] = max(acc[3], high)
    return [
        Bucket(bucket.replace(tzinfo=tz), total / n, low, high, int(n))
        for bucket, (n, total, low, high) in sorted(merged.items())
    ]


def aggregate_value(
    *, datastream: m.Datastream, statistic: str, start: dt.datetime, end: dt.datetime
) -> float | None:
    """One figure for an indicator, e.g. the annual mean NO₂ or the yearly sum of passers-by ("sum")."""
    if statistic not in ("mean", "min", "max", "count", "sum"):
        raise ValueError(f"unknown statistic {statistic}")
    parts = _partials(datastream, start, end)
    if not parts:
        return 0.0 if statistic == "count" else None
    n = sum(p[1] for p in parts)
    total = sum(p[2] for p in parts)
    figures = {
        "mean": total / n,
        "min": min(p[3] for p in parts),
        "max": max(p[4] for p in parts),
        "count": n,
        "sum": total,
    }
    return float(figures[statistic])


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


def api_token_organisations(user: User) -> list[Organisation]:
    """The organisations (at most 100) whose API tokens this person may manage: the ones they
    administer, or every one for a platform administrator."""
    candidates = Organisation.objects.filter(memberships__user=user, memberships__role="admin")
    if is_administrator(user):
        candidates = Organisation.objects.all()
    return [o for o in candidates[:100] if user.has_perm("sensing.manage_api_tokens", o)]


def api_tokens_of(organisation: Organisation) -> QuerySet[m.ApiToken]:
    """The tokens of an organisation, the valid ones first, newest first."""
    return m.ApiToken.objects.filter(organisation=organisation).order_by("revoked_at", "-created_at", "-pk")


def profile_and_districts(profile_id: int) -> tuple[CityProfile, list[District]]:
    """A city profile with the districts of its current administrative layer, by code."""
    profile = CityProfile.objects.get(pk=profile_id)
    layer = current_layer(profile)
    return profile, list(districts_of(layer)) if layer else []


@dataclass(frozen=True)
class LiveFigure:
    """A figure for the home page: the value, when it was measured, whether the data are simulated."""

    value: float
    as_of: dt.datetime | dt.date
    simulated: bool
    topic: str


def _streams_of_kind(kind: str) -> list[dict[str, Any]]:
    rows = m.Datastream.objects.filter(properties__kind=kind, phenomenon_time_end__isnull=False).values(
        "pk", "properties", "phenomenon_time_end"
    )
    return [dict(row) for row in rows]


def live_temperature() -> LiveFigure | None:
    """The mean of the air temperature sensors over the hour before their newest reading. Two queries."""
    streams = _streams_of_kind("temperature")
    if not streams:
        return None
    newest = max(s["phenomenon_time_end"] for s in streams)
    mean = (
        m.Observation.objects.filter(
            datastream_id__in=[s["pk"] for s in streams],
            phenomenon_time_start__gt=newest - dt.timedelta(hours=1),
            phenomenon_time_start__lte=newest,
            result_number__isnull=False,
        )
        .aggregate(mean=Avg("result_number"))
        .get("mean")
    )
    if mean is None:
        return None
    props = streams[0]["properties"] or {}
    return LiveFigure(
        float(mean),
        newest,
        any((s["properties"] or {}).get("simulated") for s in streams),
        props.get("topic", "klima"),
    )


def passers_by_on_latest_day() -> LiveFigure | None:
    """Passers-by counted by all pedestrian counters on the latest local day with counts (today while
    the counters report). Two queries."""
    streams = _streams_of_kind("pedestrians")
    if not streams:
        return None
    tz = ZoneInfo(settings.TIME_ZONE)
    day = max(s["phenomenon_time_end"] for s in streams).astimezone(tz).date()
    start = dt.datetime.combine(day, dt.time(), tzinfo=tz)
    total = m.Observation.objects.filter(
        datastream_id__in=[s["pk"] for s in streams],
        phenomenon_time_start__gte=start,
        phenomenon_time_start__lt=start + dt.timedelta(days=1),
    ).aggregate(total=Sum("result_number"))["total"]
    props = streams[0]["properties"] or {}
    return LiveFigure(
        float(total or 0),
        day,
        any((s["properties"] or {}).get("simulated") for s in streams),
        props.get("topic", "innenstadt"),
    )
