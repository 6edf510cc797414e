from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Group
from PIL import Image

from konzeptk.accounts.models import User
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.city.models import CityProfile
from konzeptk.city.selectors import forget_active_profile
from konzeptk.city.tests.factories import split_city
from konzeptk.innercity.models import Unit
from konzeptk.innercity.rules import COORDINATION_GROUP
from konzeptk.innercity.services import owner_register, owner_verify, unit_create

# a small rectangular city around Krefeld's centre with a west and an east district
WEST, EAST, SOUTH, NORTH, MID = 6.50, 6.62, 51.30, 51.38, 6.56
INSIDE = (51.333, 6.555)  # west district
INSIDE_EAST = (51.334, 6.565)
OUTSIDE = (51.50, 6.80)


@pytest.fixture
def city(db: Any) -> Iterator[CityProfile]:
    profile, _west, _east = split_city(bounds=(WEST, SOUTH, EAST, NORTH), split=MID, center=(51.334, 6.562))
    yield profile
    forget_active_profile()


@pytest.fixture
def coordinator(db: Any) -> User:
    user: User = UserFactory(email="koordination@beispiel.invalid")
    group, _ = Group.objects.get_or_create(name=COORDINATION_GROUP)
    user.groups.add(group)
    return user


@pytest.fixture
def owner_user(db: Any) -> User:
    user: User = UserFactory(email="eigentuemerin@beispiel.invalid")
    owner_register(user=user, contact_name="Erika Eigen", organisation="Eigen GbR", phone="02151 12345")
    return user


@pytest.fixture
def verified_owner(owner_user: User, coordinator: User) -> User:
    owner_verify(owner=owner_user.innercity_owner, by=coordinator)
    return owner_user


def unit_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title_de": "Ladenlokal mit Schaufenster",
        "description_de": "Helle Fläche im Erdgeschoss.",
        "street": "Hochstraße",
        "house_number": "42",
        "postcode": "47798",
        "lat": INSIDE[0],
        "lon": INSIDE[1],
        "area_m2": Decimal("85.0"),
        "shop_window_m": Decimal("6.5"),
        "floor": 0,
        "step_free": True,
        "rent_per_month": Decimal("1200.00"),
        "owner_consent_public": True,
    }
    values.update(overrides)
    return values


@pytest.fixture
def make_unit(city: CityProfile) -> Callable[..., Unit]:
    def make(
        *,
        owner: User | None = None,
        uses: tuple[str, ...] = ("retail",),
        staff: bool = False,
        **overrides: Any,
    ) -> Unit:
        return unit_create(values=unit_values(**overrides), uses=uses, owner=owner, by_staff=staff)

    return make


def jpeg_with_gps(size: tuple[int, int] = (40, 30)) -> bytes:
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "Kamera GmbH"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 20.0, 0.0), 3: "E", 4: (6.0, 33.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()
