from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from konzeptk.accounts.models import User
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.city.models import CityProfile
from konzeptk.city.selectors import forget_active_profile
from konzeptk.city.tests.factories import split_city

DATA = Path(__file__).parent / "data"


@pytest.fixture
def city(db: Any) -> Iterator[CityProfile]:
    """A rectangular Krefeld ("West" and "Ost" of 6.60) with the real municipality key."""
    profile, _west, _east = split_city(
        bounds=(6.45, 51.28, 6.72, 51.42),
        split=6.60,
        names=("West", "Ost"),
        name="Krefeld",
        official_key="05114000",
    )
    yield profile
    forget_active_profile()


@pytest.fixture
def staff(db: Any) -> User:
    user: User = UserFactory.create(staff=True)
    return user
