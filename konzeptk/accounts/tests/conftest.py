from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

# residency verification is tested against a small city with postcodes and processes that ask for levels
from konzeptk.participation.tests.conftest import city, frozen  # noqa: F401 – fixtures


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """allauth keeps its rate-limit counters in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()
