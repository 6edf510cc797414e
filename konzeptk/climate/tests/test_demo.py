"""The demo goes in through the importers, is marked simulated and is idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.test import Client

from konzeptk.city.selectors import forget_active_profile
from konzeptk.city.services import city_profile_load
from konzeptk.climate.demo import load_demo
from konzeptk.climate.models import ChargingStation, EmissionYear, ImportRun, ModalShare, PathPoint, SolarUnit

pytestmark = pytest.mark.django_db


def test_demo_loads_twice_without_duplicates(client: Client) -> None:
    city_profile_load(source="krefeld")
    forget_active_profile()
    load_demo(out=StringIO())
    units, stations = SolarUnit.objects.count(), ChargingStation.objects.count()
    assert units == 260
    assert stations == 48
    assert not SolarUnit.objects.filter(simulated=False).exists()
    assert ImportRun.objects.get(kind="mastr").skipped == 2
    assert SolarUnit.objects.filter(district__isnull=False).exists()
    load_demo(out=StringIO())
    assert (SolarUnit.objects.count(), ChargingStation.objects.count()) == (units, stations)
    assert EmissionYear.objects.count() == 3
    assert ModalShare.objects.count() == 4
    assert list(PathPoint.objects.values_list("year", flat=True)) == [2017, 2035]
    assert all(balance.simulated for balance in EmissionYear.objects.all())
    html = client.get("/klima/").content.decode()
    assert "simuliert" in html
    assert "1,5 °C mit 50 % Wahrscheinlichkeit (SRU 2022)" in html
    forget_active_profile()
