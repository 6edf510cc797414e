"""Cool places: saving them with their weekly open intervals (writes) and finding them, with "jetzt
geöffnet" as a query over the stored intervals (reads).

Opening hours are in the OpenStreetMap syntax and parsed once, when a place is saved
(:mod:`konzeptk.core.opening_hours`): a page asks the interval table, never the parser. Public holidays
are those of North Rhine-Westphalia; a place's holiday rows say when it opens on one. The moment and the
error message for hours that do not parse are the ones the business directory uses (``economy``), so
"open now" means the same everywhere on the platform.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.city.models import District
from konzeptk.city.selectors import active_profile, current_layer, district_for, districts_of
from konzeptk.core import opening_hours as hours
from konzeptk.core.errors import DomainError
from konzeptk.core.opening_hours import Moment, moment
from konzeptk.core.opening_hours import error_message as hours_error_message
from konzeptk.resilience.models import CoolPlace, CoolPlaceInterval

__all__ = [
    "CoolPlaceFilter",
    "DayHours",
    "Moment",
    "cool_places",
    "coolplace_hours_refresh",
    "coolplace_save",
    "district_choices",
    "mark_open",
    "moment",
    "open_intervals",
    "open_places_near",
    "place_by_pk",
    "today_spans",
    "week_table",
]

#: the latitude of the Lower Rhine: a degree of longitude is about cos(51.3°) ≈ 0.625 of a degree of latitude
_LON_SCALE = 0.625


# --- writes -----------------------------------------------------------------------------------------


def _hours_domain_error(error: hours.HoursError) -> DomainError:
    return DomainError("invalid_opening_hours", fields=[("opening_hours", hours_error_message(error))])


def _store_intervals(place: CoolPlace, *, on: dt.date) -> None:
    CoolPlaceInterval.objects.filter(place=place).delete()
    if not place.opening_hours:
        return
    try:
        weekly = hours.weekly_intervals(place.opening_hours, on=on)
    except hours.HoursError as exc:
        raise _hours_domain_error(exc) from None
    CoolPlaceInterval.objects.bulk_create(
        CoolPlaceInterval(
            place=place,
            weekday=i.weekday,
            holiday=i.holiday,
            start_minute=i.start_minute,
            end_minute=i.end_minute,
        )
        for i in weekly.intervals
    )


def coolplace_save(*, place: CoolPlace, on: dt.date | None = None) -> CoolPlace:
    """Create or change a cool place (staff, admin, demo): the district from the point, the weekly
    intervals from the opening hours. Hours that do not parse and a point outside the city are refused
    (``DomainError`` with the field)."""
    place.opening_hours = place.opening_hours.strip()
    if place.opening_hours:
        try:
            hours.parse(place.opening_hours)
        except hours.HoursError as exc:
            raise _hours_domain_error(exc) from None
    answer = district_for(place.lat, place.lon)
    if not answer.inside_city:
        raise DomainError("outside_city", fields=[("lat", _("Der Ort liegt nicht in der Stadt."))])
    with transaction.atomic():
        place.district = answer.district
        place.save()
        _store_intervals(place, on=on or timezone.localdate())
    return place


def coolplace_hours_refresh(*, on: dt.date | None = None) -> int:
    """Renew the weekly table of every place whose hours change over the year (nightly, ``konzeptk
    refresh_cool_places``); returns how many were renewed."""
    day = on or timezone.localdate()
    count = 0
    for place in CoolPlace.objects.exclude(opening_hours="").iterator():
        try:
            varies = hours.weekly_intervals(place.opening_hours, on=day).varies
        except hours.HoursError:
            continue  # saved before the check existed: staff see it in the admin
        if varies:
            with transaction.atomic():
                _store_intervals(place, on=day)
            count += 1
    return count


# --- reads ------------------------------------------------------------------------------------------


def open_intervals(when: Moment) -> QuerySet[CoolPlaceInterval]:
    """The stored intervals that contain ``when`` (one index range: weekday, holiday, start)."""
    return CoolPlaceInterval.objects.filter(
        weekday=when.weekday,
        holiday=when.holiday,
        start_minute__lte=when.minute,
        end_minute__gt=when.minute,
    )


@dataclass(frozen=True)
class CoolPlaceFilter:
    kind: str = ""
    open_now: bool = False
    step_free: bool = False
    district: int | None = None  # a district of the current layer, by id


def cool_places(flt: CoolPlaceFilter, *, when: Moment | None = None) -> QuerySet[CoolPlace]:
    """The places matching the filter, by name; whether each is open says :func:`mark_open`."""
    when = when or moment()
    qs = CoolPlace.objects.select_related("district").order_by("name", "pk")
    if flt.kind in CoolPlace.Kind.values:
        qs = qs.filter(kind=flt.kind)
    if flt.open_now:
        qs = qs.filter(pk__in=open_intervals(when).values("place_id"))
    if flt.step_free:
        qs = qs.filter(step_free=True)
    if flt.district is not None:
        qs = qs.filter(district_id=flt.district)
    return qs


def _spans_today(ids: list[int], when: Moment) -> dict[int, list[tuple[int, int]]]:
    spans: dict[int, list[tuple[int, int]]] = {}
    for row in CoolPlaceInterval.objects.filter(
        place_id__in=ids, weekday=when.weekday, holiday=when.holiday
    ).order_by("start_minute"):
        spans.setdefault(row.place_id, []).append((row.start_minute, row.end_minute))
    return spans


def mark_open(places: list[CoolPlace], *, when: Moment) -> list[CoolPlace]:
    """Set ``is_open`` and ``today`` (today's open spans) on the places of a page (two queries)."""
    ids = [p.pk for p in places]
    found = set(open_intervals(when).filter(place_id__in=ids).values_list("place_id", flat=True))
    spans = _spans_today(ids, when)
    for place in places:
        place.is_open = place.pk in found  # type: ignore[attr-defined]
        place.today = today_spans(spans.get(place.pk, []))  # type: ignore[attr-defined]
    return places


def today_spans(spans: list[tuple[int, int]]) -> list[str]:
    return [f"{hours.minutes_label(a)}–{hours.minutes_label(b)}" for a, b in spans]


def open_places_near(*, lat: float, lon: float, when: Moment, limit: int) -> list[CoolPlace]:
    """The places open at ``when`` nearest to a point (the city centre for the banner), nearest first.

    The distance is the flat one on a small map (longitude scaled for the latitude of the Lower Rhine);
    it orders a city's places right, and both databases compute it in SQL."""
    d_lat = F("lat") - lat
    d_lon = (F("lon") - lon) * _LON_SCALE
    places: list[CoolPlace] = list(
        CoolPlace.objects.filter(pk__in=open_intervals(when).values("place_id"))
        .select_related("district")
        .annotate(distance=d_lat * d_lat + d_lon * d_lon)
        .order_by("distance", "name", "pk")[:limit]
    )
    spans = _spans_today([p.pk for p in places], when)
    for place in places:
        place.is_open = True  # type: ignore[attr-defined]
        place.today = today_spans(spans.get(place.pk, []))  # type: ignore[attr-defined]
    return places


def place_by_pk(pk: int, *, when: Moment) -> CoolPlace | None:
    return (
        CoolPlace.objects.filter(pk=pk)
        .select_related("district")
        .prefetch_related(
            Prefetch(
                "intervals",
                queryset=CoolPlaceInterval.objects.order_by("holiday", "weekday", "start_minute"),
            )
        )
        .annotate(is_open=Exists(open_intervals(when).filter(place=OuterRef("pk"))))
        .first()
    )


@dataclass(frozen=True)
class DayHours:
    weekday: int
    spans: tuple[str, ...]
    holiday_spans: tuple[str, ...]


def week_table(place: CoolPlace) -> list[DayHours]:
    """The normal week and the holiday rows per weekday, from the prefetched intervals."""
    normal: dict[int, list[tuple[int, int]]] = {i: [] for i in range(7)}
    holiday: dict[int, list[tuple[int, int]]] = {i: [] for i in range(7)}
    for interval in place.intervals.all():
        (holiday if interval.holiday else normal)[interval.weekday].append(
            (interval.start_minute, interval.end_minute)
        )
    return [DayHours(i, tuple(today_spans(normal[i])), tuple(today_spans(holiday[i]))) for i in range(7)]


def district_choices() -> list[District]:
    """The districts of the layer valid today (for the filter)."""
    profile = active_profile()
    layer = current_layer(profile) if profile is not None else None
    return list(districts_of(layer)[:100]) if layer is not None else []
