"""The demo loads through the services and the hystreet importer, is labelled and idempotent."""

from __future__ import annotations

import io

import pytest

from konzeptk.economy import demo, footfall
from konzeptk.economy.models import Business, Offer

pytestmark = pytest.mark.django_db


def test_demo_loads_once(city, monkeypatch):
    monkeypatch.setattr(demo, "YEARS", 0.05)  # a few weeks of hours instead of three years
    out = io.StringIO()
    demo.load_demo(out=out)
    assert Business.objects.count() == 20
    assert all(b.simulated for b in Business.objects.all())
    assert all(
        b.intervals.exists() for b in Business.objects.filter(hours_vary=False).exclude(opening_hours="")
    )
    assert Offer.objects.filter(title__contains="URBANWORK").exists()
    counters = footfall.counters()
    assert sorted(c.thing.properties["hystreet_location_id"] for c in counters) == [
        90001,
        90002,
        90003,
        90004,
    ]
    assert all(c.properties["simulated"] and "simuliert" in c.name for c in counters)
    assert footfall.weather_streams()[1] is not None  # the simulated rain
    demo.load_demo(out=out)
    assert Business.objects.count() == 20
    assert len(footfall.counters()) == 4
