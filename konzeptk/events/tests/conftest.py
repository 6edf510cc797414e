from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from konzeptk.accounts.models import User
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.city.models import CityProfile, District
from konzeptk.city.selectors import forget_active_profile
from konzeptk.city.tests.factories import split_city
from konzeptk.events.models import Event, Feed
from konzeptk.events.services import EventData, event_create

DATA = Path(__file__).parent / "data"
# the recorded feeds lie in March/April 2027; the importer's horizon is counted from this day
FEED_TODAY = dt.date(2027, 2, 20)


def feed_bytes(name: str) -> bytes:
    return (DATA / name).read_bytes()


@pytest.fixture
def city(db: Any) -> Iterator[tuple[CityProfile, District, District]]:
    # west district 1 (lon < 6.56, the Stadtgarten), east district 2 (the market, the Mediothek)
    result = split_city(bounds=(6.45, 51.28, 6.70, 51.40), split=6.56, center=(51.33, 6.56))
    yield result
    forget_active_profile()


@pytest.fixture
def staff(db: Any) -> User:
    return UserFactory(staff=True)


@pytest.fixture
def organiser(db: Any) -> User:
    return UserFactory()


@pytest.fixture
def feeds(db: Any) -> tuple[Feed, Feed]:
    return (
        Feed.objects.create(title="Stadt", url="https://krefeld.example/kalender.ics"),
        Feed.objects.create(title="Kulturbüro", url="https://kultur.example/termine.ics"),
    )


def at(days: int, hour: int = 18) -> dt.datetime:
    return dt.datetime.combine(
        timezone.localdate() + dt.timedelta(days=days), dt.time(hour), tzinfo=timezone.get_current_timezone()
    )


def event_data(**overrides: Any) -> EventData:
    values: dict[str, Any] = {
        "title": "Lesung",
        "description": "Eine Lesung.",
        "start": at(3),
        "end": at(3, 20),
        "topic": "kultur",
        "venue_name": "Mediothek",
        "address": "Theaterplatz 2",
        "lat": 51.335,
        "lon": 6.563,
        "step_free": True,
        "is_free": True,
        "organiser_name": "Mediothek",
    }
    values.update(overrides)
    return EventData(**values)


@pytest.fixture
def make_event(city: Any) -> Callable[..., Event]:
    def make(**overrides: Any) -> Event:
        return event_create(data=event_data(**overrides))

    return make
