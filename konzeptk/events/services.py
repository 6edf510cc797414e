"""Writing events: organisers submit, staff moderate and register feeds (keyword-only, in transactions)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.accounts.models import User
from konzeptk.core.errors import DomainError
from konzeptk.core.images import ImageRejected, reencode_as_jpeg
from konzeptk.events.matching import normalise
from konzeptk.events.models import MODERATION_KIND, Event, Feed, Topic, Venue
from konzeptk.events.places import venue_resolve
from konzeptk.notifications.services import notify

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_DURATION = dt.timedelta(days=62)
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class EventData:
    """What an organiser enters (the form's cleaned data)."""

    title: str
    description: str
    start: dt.datetime
    end: dt.datetime | None
    topic: str
    venue_name: str
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    step_free: bool | None = None
    accessible_toilet: bool | None = None
    induction_loop: bool | None = None
    seating: bool | None = None
    sign_language: bool = False
    organiser_name: str = ""
    link: str = ""
    is_free: bool = False
    price: Decimal | None = None
    image: bytes | None = None
    image_alt: str = ""
    all_day: bool = False


def _check(data: EventData) -> None:
    problems: list[tuple[str, str]] = []
    if not data.title.strip():
        problems.append(("title", _("Bitte geben Sie einen Titel an.")))
    if not EARLIEST <= data.start <= LATEST:
        problems.append(("start", _("Der Beginn muss zwischen den Jahren 2000 und 2100 liegen.")))
    if data.end is not None and data.end < data.start:
        problems.append(("end", _("Das Ende liegt vor dem Beginn. Bitte prüfen Sie die Angaben.")))
    elif data.end is not None and data.end - data.start > MAX_DURATION:
        problems.append(("end", _("Eine Veranstaltung dauert höchstens 62 Tage.")))
    if data.topic not in Topic.values:
        problems.append(("topic", _("Bitte wählen Sie ein Thema aus der Liste.")))
    if data.price is not None and data.price < 0:
        problems.append(("price", _("Der Preis kann nicht negativ sein.")))
    if data.is_free and data.price:
        problems.append(("price", _("Eine Veranstaltung mit freiem Eintritt hat keinen Preis.")))
    if (data.lat is None) != (data.lon is None):
        problems.append(("lat", _("Bitte geben Sie Breite und Länge an, oder keins von beiden.")))
    if data.image and not data.image_alt.strip():
        problems.append(("image_alt", _("Bitte beschreiben Sie das Bild für Menschen, die es nicht sehen.")))
    if problems:
        raise DomainError("invalid_event", status=400, fields=problems)


def _venue(data: EventData) -> Venue | None:
    venue = venue_resolve(name=data.venue_name, lat=data.lat, lon=data.lon, address=data.address)
    if venue is None:
        return None
    changed = []
    for name in ("step_free", "accessible_toilet", "induction_loop", "seating"):
        given = getattr(data, name)
        if given is not None and getattr(venue, name) is None:  # an organiser fills what is unknown
            setattr(venue, name, given)
            changed.append(name)
    if changed:
        venue.save(update_fields=changed)
    return venue


def _image(event: Event, data: EventData) -> None:
    if not data.image:
        return
    if len(data.image) > MAX_IMAGE_BYTES:
        raise DomainError("invalid_event", fields=[("image", _("Das Bild ist größer als 10 MB."))])
    try:
        jpeg = reencode_as_jpeg(data.image, max_side=1600)
    except ImageRejected as exc:
        raise DomainError("invalid_event", fields=[("image", exc.message)]) from exc
    if event.image:
        event.image.delete(save=False)
    event.image.save("bild.jpg", ContentFile(jpeg), save=False)


def set_german(obj: Event, field: str, value: str) -> None:
    """Write the German original of a translatable field and nothing else.

    The plain attribute would also fill the column of the *active* language (modeltranslation), so a
    person submitting in English would seem to have translated the text; the base column is set
    directly and the translations stay as they are."""
    obj.__dict__[field] = value
    setattr(obj, f"{field}_de", value)


def _fill(event: Event, data: EventData) -> None:
    set_german(event, "title", data.title.strip())
    set_german(event, "description", data.description.strip())
    event.start, event.end, event.all_day = data.start, data.end, data.all_day
    event.topic = data.topic
    event.venue = _venue(data)
    event.organiser_name = data.organiser_name.strip()
    event.link = data.link
    event.is_free = data.is_free
    event.price = None if data.is_free else data.price
    event.sign_language = data.sign_language
    event.image_alt = data.image_alt.strip()
    event.match_key = normalise(data.title)


@transaction.atomic
def event_submit(*, by: User, data: EventData) -> Event:
    """An organiser (with an account) submits an event; it waits for staff."""
    if not by.is_authenticated or not by.is_active:
        raise DomainError(
            "not_allowed", _("Bitte melden Sie sich an, um eine Veranstaltung einzureichen."), 403
        )
    _check(data)
    event = Event(submitted_by=by, source=Event.Source.SUBMITTED, status=Event.Status.PENDING)
    _fill(event, data)
    _image(event, data)
    event.save()
    return event


@transaction.atomic
def event_create(*, data: EventData, simulated: bool = False, source_note: str = "") -> Event:
    """An event the city's editors enter themselves (and the demo): published at once."""
    _check(data)
    event = Event(
        source=Event.Source.STAFF,
        status=Event.Status.PUBLISHED,
        moderated_at=timezone.now(),
        simulated=simulated,
        source_note=source_note[:300],
    )
    _fill(event, data)
    _image(event, data)
    event.save()
    return event


@transaction.atomic
def event_update(*, event: Event, by: User, data: EventData) -> Event:
    """The organiser changes their event; a published or rejected one goes back to the moderation."""
    if event.submitted_by_id != by.pk and not by.is_platform_staff:
        raise DomainError("not_allowed", _("Das ist nicht Ihre Veranstaltung."), 403)
    if event.source == Event.Source.IMPORTED:
        raise DomainError("imported", _("Importierte Termine werden in ihrem Kalender geändert."), 409)
    _check(data)
    _fill(event, data)
    _image(event, data)
    if not by.is_platform_staff:
        event.status, event.rejection_reason = Event.Status.PENDING, ""
    event.save()
    return event


def _tell(event: Event, subject: str, body: str) -> None:
    if event.submitted_by is None:
        return
    url = reverse("events:mine")
    notify(kind=MODERATION_KIND, subject=subject, body=body, url=url, recipients=[event.submitted_by])


@transaction.atomic
def event_publish(*, event: Event, by: User) -> Event:
    if not by.is_platform_staff:
        raise DomainError("not_allowed", _("Nur die Redaktion prüft Veranstaltungen."), 403)
    event.status, event.rejection_reason = Event.Status.PUBLISHED, ""
    event.moderated_by, event.moderated_at = by, timezone.now()
    event.save(update_fields=["status", "rejection_reason", "moderated_by", "moderated_at", "updated_at"])
    _tell(
        event,
        _("Ihre Veranstaltung ist veröffentlicht: %(title)s") % {"title": event.title},
        _("Die Redaktion hat Ihre Veranstaltung geprüft. Sie steht jetzt im Veranstaltungskalender."),
    )
    return event


@transaction.atomic
def event_reject(*, event: Event, by: User, reason: str) -> Event:
    if not by.is_platform_staff:
        raise DomainError("not_allowed", _("Nur die Redaktion prüft Veranstaltungen."), 403)
    reason = reason.strip()
    if not reason:
        raise DomainError(
            "reason_missing", fields=[("reason", _("Bitte nennen Sie den Grund der Ablehnung."))]
        )
    event.status, event.rejection_reason = Event.Status.REJECTED, reason[:2000]
    event.moderated_by, event.moderated_at = by, timezone.now()
    event.save(update_fields=["status", "rejection_reason", "moderated_by", "moderated_at", "updated_at"])
    _tell(
        event,
        _("Ihre Veranstaltung wurde nicht veröffentlicht: %(title)s") % {"title": event.title},
        _("Die Redaktion hat Ihre Veranstaltung nicht veröffentlicht. Grund: %(reason)s")
        % {"reason": reason},
    )
    return event


@transaction.atomic
def feed_register(*, by: User, title: str, url: str, topic: str = Topic.OTHER, licence: str = "") -> Feed:
    if not by.is_platform_staff:
        raise DomainError("not_allowed", _("Nur die Redaktion verwaltet Kalender-Feeds."), 403)
    if not url.startswith(("https://", "http://")):
        raise DomainError(
            "invalid_url", fields=[("url", _("Die Adresse muss mit https:// oder http:// beginnen."))]
        )
    if topic not in Topic.values:
        raise DomainError("invalid_topic", fields=[("topic", _("Bitte wählen Sie ein Thema aus der Liste."))])
    return Feed.objects.create(
        title=title.strip()[:200], url=url, topic=topic, licence=licence or "dl-zero-de/2.0"
    )
