"""The demo cool places of the Krefeld profile: every entry loads (hours parse, places inside the city),
the profile's points are used, simulated parts are marked, and loading twice duplicates nothing."""

from __future__ import annotations

import io
from typing import Any

from konzeptk.city.demo_data import demo_data
from konzeptk.city.selectors import forget_active_profile
from konzeptk.city.services import city_profile_load
from konzeptk.resilience.heat_demo import load_cool_places
from konzeptk.resilience.models import CoolPlace


def test_demo_cool_places_load_once(db: Any) -> None:
    city_profile_load(source="krefeld")
    forget_active_profile()
    out = io.StringIO()
    count = load_cool_places(out=out)
    assert "übersprungen" not in out.getvalue()  # every point named in the file is in the profile
    data = demo_data("coolplaces")
    assert data is not None
    assert count == CoolPlace.objects.count() == len(data["from_points"]) + len(data["places"])
    assert load_cool_places(out=io.StringIO()) == count
    assert CoolPlace.objects.count() == count  # idempotent
    assert set(CoolPlace.objects.values_list("kind", flat=True)) == set(CoolPlace.Kind.values)
    assert not CoolPlace.objects.filter(district__isnull=True).exists()
    mediothek = CoolPlace.objects.get(name="Mediothek")
    assert mediothek.simulated
    assert mediothek.address.startswith("Theaterplatz 2")
    assert not CoolPlace.objects.get(name="Botanischer Garten").simulated
    assert CoolPlace.objects.filter(kind=CoolPlace.Kind.FOUNTAIN, simulated=False).count() == 0
    assert all(place.source_note for place in CoolPlace.objects.all())
    forget_active_profile()
