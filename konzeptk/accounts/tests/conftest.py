from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """allauth keeps its rate-limit counters in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()
