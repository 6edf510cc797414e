from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from konzeptk.city.models import District
from konzeptk.city.selectors import forget_active_profile
from konzeptk.city.tests.factories import split_city

# A small square "city" around Krefeld with two districts split at lon 6.57.
WEST, SOUTH, EAST, NORTH, SPLIT = 6.45, 51.28, 6.70, 51.40, 6.57
INSIDE_WEST = (51.33, 6.50)
INSIDE_EAST = (51.33, 6.62)
OUTSIDE = (51.23, 6.78)  # Düsseldorf


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    forget_active_profile()
    yield
    cache.clear()
    forget_active_profile()


@pytest.fixture
def city(db: None) -> dict[str, District]:
    _profile, west, east = split_city(
        bounds=(WEST, SOUTH, EAST, NORTH),
        split=SPLIT,
        name="Krefeld",
        center=(51.33, 6.56),
        layer_name="Bezirke",
        postcodes=["47798", "47829"],
    )
    return {"west": west, "east": east}


NOW = dt.datetime(2025, 5, 15, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def now() -> dt.datetime:
    return NOW


def phases_around(
    process: Any, *types: str, start: dt.datetime = NOW - dt.timedelta(days=10), days: int = 20
) -> None:
    """Consecutive phases of the given types; the first one is running at NOW."""
    from konzeptk.participation.models import Phase

    begin = start
    for index, key in enumerate(types):
        Phase.objects.create(
            process=process, type=key, start=begin, end=begin + dt.timedelta(days=days), weight=index
        )
        begin += dt.timedelta(days=days)


@pytest.fixture
def frozen() -> Iterator[Any]:
    import time_machine

    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def editor(db: None) -> Any:
    """An editor of the organisation "Stadt Krefeld" (no platform role)."""
    from konzeptk.accounts.models import Membership
    from konzeptk.accounts.tests.factories import MembershipFactory, OrganisationFactory

    return MembershipFactory(
        organisation=OrganisationFactory(slug="stadt", name="Stadt Krefeld"), role=Membership.Role.EDITOR
    ).user
