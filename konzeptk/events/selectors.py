"""Reading events (bounded queries). ``event_days`` is read by other rooms (see docs/events.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from konzeptk.accounts.models import User
from konzeptk.city.models import District
from konzeptk.city.selectors import active_profile, current_layer, districts_of
from konzeptk.events.models import Event, Feed, ImportRun
from konzeptk.events.source_registry import ExternalEvent, external_events

MAX_EVENT_DAYS_READ = 2000
MAX_CALENDAR = 2000
MAX_SPAN_DAYS = 31


@dataclass(frozen=True)
class EventFilter:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    district: District | None = None
    topic: str = ""
    free: bool = False
    accessible: bool = False


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_current_timezone())


def published() -> QuerySet[Event]:
    """Published events, each shown once (a duplicate of another feed's event is left out)."""
    return Event.objects.filter(status=Event.Status.PUBLISHED, duplicate_of__isnull=True).select_related(
        "venue", "venue__district"
    )


def _between(qs: QuerySet[Event], start: dt.date | None, end: dt.date | None) -> QuerySet[Event]:
    if start is not None:
        since = _local_midnight(start)
        # An event lasts at most 62 days (services, importer): the bound on start lets the index narrow the scan.
        qs = qs.filter(start__gte=since - dt.timedelta(days=63)).filter(
            Q(end__gte=since) | Q(end__isnull=True, start__gte=since)
        )
    if end is not None:
        qs = qs.filter(start__lt=_local_midnight(end + dt.timedelta(days=1)))
    return qs


def events_public(flt: EventFilter) -> QuerySet[Event]:
    """The calendar's list: published events in the date range (from today by default), filtered."""
    qs = _between(published(), flt.date_from or timezone.localdate(), flt.date_to)
    if flt.district is not None:
        qs = qs.filter(venue__district=flt.district)
    if flt.topic:
        qs = qs.filter(topic=flt.topic)
    if flt.free:
        qs = qs.filter(is_free=True)
    if flt.accessible:
        qs = qs.filter(venue__step_free=True)
    return qs.order_by("start", "pk")


def event_visible(pk: int, *, user: User | None = None) -> Event | None:
    """A published event for everyone; a pending or rejected one only for its organiser and staff."""
    event = Event.objects.select_related("venue", "venue__district", "duplicate_of").filter(pk=pk).first()
    if event is None or event.status == Event.Status.PUBLISHED:
        return event
    if (
        user is not None
        and user.is_authenticated
        and (user.is_platform_staff or event.submitted_by_id == user.pk)
    ):
        return event
    return None


def calendar_events(*, district: District | None = None, topic: str = "") -> list[Event]:
    """What ``kalender.ics`` exports: published events from 30 days ago on, at most 2,000."""
    qs = _between(published(), timezone.localdate() - dt.timedelta(days=30), None)
    if district is not None:
        qs = qs.filter(venue__district=district)
    if topic:
        qs = qs.filter(topic=topic)
    return list(qs.order_by("start", "pk")[:MAX_CALENDAR])


def district_choices() -> list[District]:
    """The districts of today's administrative layer of the city profile."""
    profile = active_profile()
    layer = current_layer(profile) if profile is not None else None
    return list(districts_of(layer).order_by("code")) if layer is not None else []


def district_by_code(code: str) -> District | None:
    return next((d for d in district_choices() if d.code == code), None) if code else None


# --- for other rooms ----------------------------------------------------------------------------


@dataclass(frozen=True)
class EventSummary:
    title: str
    start: dt.datetime
    end: dt.datetime | None
    place: str
    district_code: str
    district_name: str
    topic: str
    url: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class EventDay:
    date: dt.date
    events: tuple[EventSummary, ...]


def _district(district: District | str | None) -> District | bool | None:
    if district is None or isinstance(district, District):
        return district
    found = next((d for d in district_choices() if district in (d.code, d.name)), None)
    return found if found is not None else False


def _days(start: dt.datetime, end: dt.datetime | None, tz: Any = None) -> list[dt.date]:
    tz = tz or timezone.get_current_timezone()
    first = timezone.localtime(start, tz).date()
    last = timezone.localtime(end - dt.timedelta(microseconds=1), tz).date() if end and end > start else first
    count = min((last - first).days, MAX_SPAN_DAYS - 1)
    return [first + dt.timedelta(days=i) for i in range(count + 1)]


def event_days(start: dt.date, end: dt.date, district: District | str | None = None) -> list[EventDay]:
    """One entry per date in ``start..end`` (inclusive) with at least one published event.

    ``district``: a District, its code or name; an unknown one gives no days. Items of other rooms
    (``source_registry``) count too. At most 2,000 events are read."""
    chosen = _district(district)
    if chosen is False:
        return []
    qs = _between(published(), start, end)
    if isinstance(chosen, District):
        qs = qs.filter(venue__district=chosen)
    by_day: dict[dt.date, list[EventSummary]] = {}
    base = reverse("events:list")
    tz = timezone.get_current_timezone()
    rows = qs.order_by("start", "pk").values_list(
        "pk",
        "title_de",
        "start",
        "end",
        "topic",
        "venue__name",
        "venue__district__code",
        "venue__district__name",
        "venue__lat",
        "venue__lon",
    )[:MAX_EVENT_DAYS_READ]  # plain rows: building 2,000 model instances costs more than the query
    for pk, title, begin, finish, topic, place, code, name, lat, lon in rows:
        summary = EventSummary(
            title=title,
            start=begin,
            end=finish,
            place=place or "",
            district_code=code or "",
            district_name=name or "",
            topic=topic,
            url=f"{base}{pk}/",
            lat=lat,
            lon=lon,
        )
        for day in _days(begin, finish, tz):
            if start <= day <= end:
                by_day.setdefault(day, []).append(summary)
    for item in external_events(_local_midnight(start), _local_midnight(end + dt.timedelta(days=1))):
        if isinstance(chosen, District) and item.district_code != chosen.code:
            continue
        summary = _external_summary(item)
        for day in _days(item.start, item.end):
            if start <= day <= end:
                by_day.setdefault(day, []).append(summary)
    return [EventDay(date=day, events=tuple(by_day[day])) for day in sorted(by_day)]


def _external_summary(item: ExternalEvent) -> EventSummary:
    return EventSummary(
        title=item.title,
        start=item.start,
        end=item.end,
        place=item.place,
        district_code=item.district_code,
        district_name="",
        topic=item.topic,
        url=item.url,
        lat=item.lat,
        lon=item.lon,
    )


def event_dates(start: dt.date, end: dt.date, district: District | str | None = None) -> set[dt.date]:
    return {day.date for day in event_days(start, end, district)}


# --- organisers and staff -----------------------------------------------------------------------


def events_of(user: User) -> QuerySet[Event]:
    return Event.objects.filter(submitted_by=user).select_related("venue").order_by("-created_at", "-pk")


def moderation_queue(status: str = Event.Status.PENDING) -> QuerySet[Event]:
    return (
        Event.objects.filter(status=status, source=Event.Source.SUBMITTED)
        .select_related("venue", "submitted_by")
        .order_by("start", "pk")
    )


def feeds_overview() -> QuerySet[Feed]:
    last = ImportRun.objects.filter(feed=OuterRef("pk")).order_by("-started_at", "-pk")
    return Feed.objects.annotate(
        event_count=Count("events", distinct=True),
        last_run_at=Max("runs__started_at"),
        last_status=Subquery(last.values("status")[:1]),
    ).order_by("title")


def feed_by_pk(pk: int) -> Feed | None:
    return Feed.objects.filter(pk=pk).first()


def runs_of(feed: Feed) -> QuerySet[ImportRun]:
    return ImportRun.objects.filter(feed=feed).order_by("-started_at", "-pk")


def run_by_pk(pk: int) -> ImportRun | None:
    return ImportRun.objects.select_related("feed").filter(pk=pk).first()
