"""Importing registered iCalendar feeds: fetch, read (``ical_read``), store, find duplicates, report.

Every run leaves an :class:`ImportRun` with its counts and the errors per record. A feed that cannot be
fetched or parsed gives a failed run and changes nothing; the other feeds go on.
"""

from __future__ import annotations

import datetime as dt
import urllib.request
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from konzeptk.events.ical_read import FeedError, Occurrence, parse_feed
from konzeptk.events.matching import Candidate, is_duplicate, normalise
from konzeptk.events.models import Event, Feed, ImportRun, Topic, Venue
from konzeptk.events.places import venue_resolve
from konzeptk.events.services import set_german

Fetch = Callable[[str], bytes]
TIMEOUT = 20
MAX_ERRORS_STORED = 200
TOPIC_WORDS: dict[str, str] = {
    "markt": Topic.MARKET,
    "wochenmarkt": Topic.MARKET,
    "konzert": Topic.MUSIC,
    "musik": Topic.MUSIC,
    "theater": Topic.THEATRE,
    "film": Topic.THEATRE,
    "kino": Topic.THEATRE,
    "ausstellung": Topic.CULTURE,
    "kultur": Topic.CULTURE,
    "museum": Topic.CULTURE,
    "kinder": Topic.FAMILY,
    "familie": Topic.FAMILY,
    "vortrag": Topic.EDUCATION,
    "bildung": Topic.EDUCATION,
    "workshop": Topic.EDUCATION,
    "sport": Topic.SPORT,
    "fuhrung": Topic.TOURS,
    "stadtfuhrung": Topic.TOURS,
    "beteiligung": Topic.PARTICIPATION,
    "wirtschaft": Topic.ECONOMY,
    "fest": Topic.FESTIVAL,
    "stadtfest": Topic.FESTIVAL,
}


def fetch_url(url: str) -> bytes:
    """The feed's bytes over http(s), at most 5 MB plus one byte (so the reader can refuse it)."""
    if not url.startswith(("https://", "http://")):
        raise FeedError("Nur Adressen mit http:// oder https:// werden abgerufen.")
    request = urllib.request.Request(url, headers={"User-Agent": "KonzeptK-Kalenderimport/1.0"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 – schemes checked above
            data: bytes = response.read(5 * 1024 * 1024 + 1)
            return data
    except OSError as exc:
        raise FeedError(f"Der Kalender konnte nicht abgerufen werden: {exc}") from exc


def horizon(today: dt.date | None = None, *, past_days: int | None = None) -> tuple[dt.datetime, dt.datetime]:
    """From ``EVENTS_IMPORT_PAST_DAYS`` (7) ago to ``EVENTS_IMPORT_HORIZON_DAYS`` (365) ahead."""
    day = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    past = past_days if past_days is not None else int(getattr(settings, "EVENTS_IMPORT_PAST_DAYS", 7))
    ahead = int(getattr(settings, "EVENTS_IMPORT_HORIZON_DAYS", 365))
    start = dt.datetime.combine(day - dt.timedelta(days=past), dt.time(), tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=ahead), dt.time(), tzinfo=tz)
    return start, end


def topic_for(occ: Occurrence, default: str) -> str:
    for category in occ.categories:
        for word in normalise(category).split():
            if word in TOPIC_WORDS:
                return TOPIC_WORDS[word]
    return default


def _candidate(event: Event) -> Candidate:
    venue = event.venue
    return Candidate(
        title_key=event.match_key,
        start=event.start,
        place_key=venue.key if venue else "",
        point=(venue.lat, venue.lon) if venue and venue.lat is not None and venue.lon is not None else None,
    )


def _apply(event: Event, occ: Occurrence, venue: Venue | None, topic: str) -> None:
    set_german(event, "title", occ.title)
    set_german(event, "description", occ.description)
    event.start, event.end, event.all_day = occ.start, occ.end, occ.all_day
    event.venue = venue
    event.link = occ.url
    event.organiser_name = occ.organiser
    event.recurrence = occ.recurrence
    event.topic = topic
    event.fingerprint = occ.fingerprint
    event.match_key = normalise(occ.title)


def _store(feed: Feed, run: ImportRun, occurrences: list[Occurrence], failed_uids: set[str]) -> None:
    # One import of a feed at a time (beat and "import now" may meet): the second waits here and then
    # finds the first one's rows as unchanged instead of inserting them again.
    Feed.objects.select_for_update().filter(pk=feed.pk).first()
    existing = {(e.uid, e.occurrence): e for e in Event.objects.filter(feed=feed).select_related("venue")}
    keys = {normalise(o.title) for o in occurrences}
    others: dict[str, list[Event]] = {}
    for other in (
        Event.objects.filter(match_key__in=keys, duplicate_of__isnull=True)
        .exclude(feed=feed)
        .exclude(status=Event.Status.REJECTED)
        .select_related("venue")
    ):
        others.setdefault(other.match_key, []).append(other)
    venues: dict[tuple[str, float | None, float | None], Venue | None] = {}
    seen: set[tuple[str, str]] = set()
    new: list[Event] = []
    for occ in occurrences:
        seen.add((occ.uid, occ.occurrence))
        event = existing.get((occ.uid, occ.occurrence))
        if event is not None and event.fingerprint == occ.fingerprint:
            run.unchanged += 1
            continue
        place = (occ.location, occ.lat, occ.lon)
        if place not in venues:
            venues[place] = venue_resolve(name=occ.location, lat=occ.lat, lon=occ.lon)
        if event is None:
            event = Event(
                feed=feed,
                uid=occ.uid,
                occurrence=occ.occurrence,
                source=Event.Source.IMPORTED,
                status=Event.Status.PUBLISHED,
                moderated_at=timezone.now(),
            )
            new.append(event)
            run.created += 1
        else:
            run.updated += 1
        _apply(event, occ, venues[place], topic_for(occ, feed.topic))
        mine = _candidate(event)
        candidates = others.get(event.match_key, [])
        event.duplicate_of = next(
            (o for o in candidates if o.pk != event.pk and is_duplicate(mine, _candidate(o))), None
        )
        if event.duplicate_of is not None:
            run.duplicates += 1
        if event.pk is not None:
            event.save()
    Event.objects.bulk_create(new, batch_size=500)
    # Future occurrences the feed no longer has are gone; a record that failed this time keeps its old ones.
    gone = [e.pk for key, e in existing.items() if key not in seen and key[0] not in failed_uids]
    if gone:
        run.removed = (
            Event.objects.filter(pk__in=gone, start__gte=timezone.now()).delete()[1].get("events.Event", 0)
        )


def feed_import(
    *,
    feed: Feed,
    fetch: Fetch | None = None,
    content: bytes | None = None,
    today: dt.date | None = None,
    past_days: int | None = None,
) -> ImportRun:
    """Import one feed now; the run is stored whatever happens. ``past_days`` widens the horizon
    backwards (the demo keeps a year of past dates for the footfall comparison)."""
    run = ImportRun.objects.create(feed=feed, started_at=timezone.now())
    start, end = horizon(today, past_days=past_days)
    try:
        data = content if content is not None else (fetch or fetch_url)(feed.url)
        parsed = parse_feed(data, horizon_start=start, horizon_end=end)
    except FeedError as exc:
        run.status = ImportRun.Status.FAILED
        run.message = str(exc)[:1000]
        run.finished_at = timezone.now()
        run.save()
        return run
    run.read = parsed.read
    run.errors = [{"uid": e.uid, "message": e.message} for e in parsed.errors[:MAX_ERRORS_STORED]]
    run.error_count = len(parsed.errors)
    with transaction.atomic():
        _store(feed, run, parsed.occurrences, {e.uid for e in parsed.errors})
    run.status = ImportRun.Status.PARTIAL if parsed.errors else ImportRun.Status.OK
    run.finished_at = timezone.now()
    run.save()
    return run


def feeds_import(*, feeds: Iterable[Feed] | None = None, fetch: Fetch | None = None) -> list[ImportRun]:
    """Import every active feed (or the given ones), one after the other; one failing does not stop the rest."""
    chosen = list(feeds) if feeds is not None else list(Feed.objects.filter(active=True).order_by("pk"))
    return [feed_import(feed=feed, fetch=fetch) for feed in chosen]
