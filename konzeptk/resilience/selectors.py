"""Reads of warnings: the current ones, the past ones (paged), one warning, the own alerts of the CAP feed.

A warning is **current** when it is not a cancellation, not ended (cancelled), not replaced by an
update, not a copy of a warning from the other source, and not expired. Current warnings come most
severe first; past ones (ended or expired, not replaced and not copies) newest first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from shapely.geometry import box, shape
from shapely.geometry.base import BaseGeometry

from konzeptk.resilience.models import Severity, Source, Warning

#: never more current warnings on one page than this (a crisis with more pages them as past ones)
MAX_CURRENT = 100
#: how far back the CAP feed lists the city's own alerts that are no longer current
FEED_DAYS = 30
MAX_FEED = 100
_RANK = {
    Severity.EXTREME: 0,
    Severity.SEVERE: 1,
    Severity.MODERATE: 2,
    Severity.MINOR: 3,
    Severity.UNKNOWN: 4,
}
_LIST_FIELDS_DEFERRED = ("raw", "geometry")


def _severity_rank() -> Case:
    return Case(
        *(When(severity=value, then=Value(rank)) for value, rank in _RANK.items()),
        default=Value(9),
        output_field=IntegerField(),
    )


def _current_q(now: dt.datetime) -> Q:
    return (
        Q(ended_at__isnull=True, replaced_by__isnull=True, duplicate_of__isnull=True)
        & ~Q(msg_type=Warning.MsgType.CANCEL)
        & (Q(expires__isnull=True) | Q(expires__gt=now))
    )


def _unmarked(queryset: QuerySet[Warning], *fields: str) -> QuerySet[Warning]:
    """Only rows where these foreign keys are empty. Almost every row is empty there: on SQLite (without table
    statistics) the test is written so that no index is used for it, or SQLite would walk such an index instead
    of the one that helps (the composite one of current warnings, or the order by ``sent``). PostgreSQL knows
    from its statistics that nearly all rows match a plain ``IS NULL``; the other form would hide the columns
    from its estimates (one row expected), and it would then read the whole table and sort it."""
    if connection.vendor == "postgresql":
        return queryset.filter(**{f"{name}__isnull": True for name in fields})
    aliases = {f"{name}_unset": Coalesce(F(f"{name}_id"), Value(0)) for name in fields}
    return queryset.alias(**aliases).filter(**dict.fromkeys(aliases, 0))


def current_warnings(*, at: dt.datetime | None = None) -> QuerySet[Warning]:
    """Warnings in force or announced (onset later) now, most severe first, then newest."""
    now = at or timezone.now()
    current = (
        Q(ended_at__isnull=True, replaced_by__isnull=True)
        & ~Q(msg_type=Warning.MsgType.CANCEL)
        & (Q(expires__isnull=True) | Q(expires__gt=now))
    )
    return (
        _unmarked(Warning.objects.filter(current), "duplicate_of")
        .defer("raw")
        .annotate(severity_rank=_severity_rank())
        .order_by("severity_rank", "-sent", "-pk")
    )


def past_warnings(*, at: dt.datetime | None = None) -> QuerySet[Warning]:
    """Ended (cancelled) or expired warnings, newest first; updates' predecessors and copies left out."""
    now = at or timezone.now()
    return (
        _unmarked(Warning.objects.all(), "replaced_by", "duplicate_of")
        .exclude(msg_type=Warning.MsgType.CANCEL)
        .filter(Q(ended_at__isnull=False) | Q(expires__lte=now))
        .defer(*_LIST_FIELDS_DEFERRED)
        .order_by("-sent", "-pk")
    )


def warning_get(pk: int) -> Warning | None:
    return (
        Warning.objects.defer("raw")
        .select_related("replaced_by", "duplicate_of")
        .prefetch_related("districts")
        .filter(pk=pk)
        .first()
    )


def is_current(warning: Warning, *, at: dt.datetime | None = None) -> bool:
    now = at or timezone.now()
    return (
        warning.ended_at is None
        and warning.replaced_by_id is None
        and warning.duplicate_of_id is None
        and warning.msg_type != Warning.MsgType.CANCEL
        and (warning.expires is None or warning.expires > now)
    )


def own_alert_get(pk: int) -> Warning | None:
    """One of the city's own alerts with its districts (for its CAP document)."""
    return (
        Warning.objects.filter(pk=pk, source=Source.OWN)
        .select_related("rule")
        .prefetch_related("districts__layer")
        .defer("raw")
        .first()
    )


def own_alerts_for_feed(*, at: dt.datetime | None = None) -> list[Warning]:
    """The city's own alerts of the CAP feed: the current ones and those sent in the last 30 days."""
    now = at or timezone.now()
    recent = Q(sent__gte=now - dt.timedelta(days=FEED_DAYS))
    return list(
        Warning.objects.filter(source=Source.OWN)
        .filter(_current_q(now) | recent)
        .defer("raw", "geometry")
        .order_by("-sent", "-pk")[:MAX_FEED]
    )


@dataclass(frozen=True)
class Pin:
    """A current warning on the map: at the middle of its area, or of the city when that lies outside."""

    lat: float
    lon: float
    label: str
    url: str
    mark: str


def _middle(geometry: BaseGeometry, city: BaseGeometry) -> tuple[float, float] | None:
    inside = geometry.intersection(city) if geometry.intersects(city) else None
    if inside is None or inside.is_empty:
        return None
    point = inside.representative_point()
    return point.y, point.x


def map_pins(
    warnings: list[Warning],
    *,
    bounds: tuple[float, float, float, float],
    center: tuple[float, float],
    urls: list[str],
) -> list[Pin]:
    """Pins for the map beside the list (numbered like the list): each at the middle of the part of its
    area within the city's bounding box, or at the city's centre."""
    city = box(*bounds)
    pins = []
    for number, (warning, url) in enumerate(zip(warnings, urls, strict=True), start=1):
        where = None
        if warning.geometry:
            try:
                where = _middle(shape(warning.geometry).buffer(0), city)
            except (ValueError, TypeError, AttributeError, KeyError, IndexError):
                where = None
        lat, lon = where or center
        pins.append(Pin(lat=lat, lon=lon, label=warning.headline, url=url, mark=str(number)))
    return pins
