from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from konzeptk.city.models import CityProfile, District, DistrictLayer
from konzeptk.city.selectors import forget_active_profile

# A small square "city" around Krefeld with two districts split at lon 6.57.
WEST, SOUTH, EAST, NORTH, SPLIT = 6.45, 51.28, 6.70, 51.40, 6.57
INSIDE_WEST = (51.33, 6.50)
INSIDE_EAST = (51.33, 6.62)
OUTSIDE = (51.23, 6.78)  # Düsseldorf


def _square(w: float, s: float, e: float, n: float) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    forget_active_profile()
    yield
    cache.clear()
    forget_active_profile()


@pytest.fixture
def city(db: None) -> dict[str, District]:
    profile = CityProfile.objects.create(
        slug="krefeld",
        name="Krefeld",
        boundary=_square(WEST, SOUTH, EAST, NORTH),
        center_lat=51.33,
        center_lon=6.56,
        postcodes=["47798", "47829"],
    )
    layer = DistrictLayer.objects.create(
        profile=profile, slug="bezirke", name="Bezirke", kind=DistrictLayer.Kind.ADMINISTRATIVE
    )
    west = District.objects.create(
        layer=layer, code="1", name="West", geometry=_square(WEST, SOUTH, SPLIT, NORTH)
    )
    east = District.objects.create(
        layer=layer, code="2", name="Ost", geometry=_square(SPLIT, SOUTH, EAST, NORTH)
    )
    forget_active_profile()
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
