"""Fixtures of the city tests.

Loading the Krefeld pack takes a second or two on a busy machine, so modules that only read it
share one load (``krefeld``): it is committed once per module and removed afterwards; each test
still runs in its own rolled-back transaction on top of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from konzeptk.city.models import CityProfile
from konzeptk.city.selectors import forget_active_profile
from konzeptk.city.services import city_profile_load


@pytest.fixture(scope="module")
def krefeld_loaded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[int]:
    with django_db_blocker.unblock():
        profile = city_profile_load(source="krefeld").profile
    yield profile.pk
    with django_db_blocker.unblock():
        CityProfile.objects.filter(pk=profile.pk).delete()
    forget_active_profile()


@pytest.fixture
def krefeld(krefeld_loaded: int, db: None) -> CityProfile:
    forget_active_profile()
    return CityProfile.objects.get(pk=krefeld_loaded)
