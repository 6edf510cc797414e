from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from konzeptk.city.selectors import forget_active_profile


@pytest.fixture(autouse=True)
def _fresh(settings: Any) -> Iterator[None]:
    """Every test starts with an empty cache and no background recomputation (tests call it)."""
    settings.INSIGHTS_RECOMPUTE = "off"
    cache.clear()
    forget_active_profile()
    yield
    cache.clear()
    forget_active_profile()


@pytest.fixture
def krefeld(db: None) -> None:
    from konzeptk.city.services import city_profile_load

    city_profile_load(source="krefeld")
    forget_active_profile()


@pytest.fixture
def demo(krefeld: None) -> Any:
    """The insights demo with 60 simulated people; returns the Meinungsbild phase."""
    from konzeptk.insights import demo as insights_demo
    from konzeptk.participation.models import Phase

    insights_demo.load_demo(out=io.StringIO(), simulated_people=60, snapshot_days=(14, 7, 0))
    return Phase.objects.select_related("process").get(
        process__slug="meinungsbild-digitales-krefeld", type="meinungsbild"
    )


def published(users: Any) -> int:
    """The value the platform publishes for a group of these accounts (cell-key method)."""
    from konzeptk.insights import privacy

    return privacy.keyring().cell([f"u{u.pk}" for u in users])
