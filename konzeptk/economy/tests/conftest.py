from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from konzeptk.accounts.models import User
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.city.models import CityProfile
from konzeptk.city.selectors import forget_active_profile
from konzeptk.city.tests.factories import split_city
from konzeptk.economy.models import Business, Category
from konzeptk.economy.services import business_save

# A small rectangular test city around Krefeld's centre: "Mitte" west of 6.60, "Ost" east of it.
INSIDE = (51.3329, 6.5626)


@pytest.fixture
def city(db: Any) -> Iterator[CityProfile]:
    profile, _mitte, _ost = split_city(bounds=(6.50, 51.30, 6.70, 51.40), split=6.60, names=("Mitte", "Ost"))
    yield profile
    forget_active_profile()


@pytest.fixture
def category(db: Any) -> Category:
    return Category.objects.create(slug="einzelhandel", name="Einzelhandel", name_de="Einzelhandel")


@pytest.fixture
def make_business(city: CityProfile, category: Category) -> Callable[..., Business]:
    counter = iter(range(1, 1_000_000))

    def make(opening_hours: str = "Mo-Sa 09:00-18:00; PH off", **fields: Any) -> Business:
        n = next(counter)
        values: dict[str, Any] = {
            "slug": f"geschaeft-{n}",
            "name": f"Geschäft {n:05d}",
            "category": category,
            "street": f"Hochstraße {n}",
            "postcode": "47798",
            "lat": INSIDE[0],
            "lon": INSIDE[1],
            "opening_hours": opening_hours,
        }
        values.update(fields)
        return business_save(business=Business(**values))

    return make


@pytest.fixture
def staff(db: Any) -> User:
    return UserFactory(platform_role=User.PlatformRole.STAFF)


@pytest.fixture
def owner(db: Any) -> User:
    return UserFactory()
