"""Accessibility test registry: the public dashboard pages with a little data to render."""

from __future__ import annotations

import datetime as dt


def seed_dashboard_data() -> None:
    from konzeptk.sensing import models as m
    from konzeptk.sensing.services import _extend_datastream_times, _feature_for
    from konzeptk.sensing.storage import Row, insert_rows

    if m.Datastream.objects.filter(name="Lufttemperatur Ostwall (Test)").exists():
        return
    location = m.Location.objects.create(
        name="Ostwall", location={"type": "Point", "coordinates": [6.5658, 51.3318]}
    )
    thing = m.Thing.objects.create(name="Laterne Ostwall", properties={"bezirk": "Mitte"})
    thing.locations.add(location)
    sensor = m.Sensor.objects.create(name="Wettersensor")
    prop = m.ObservedProperty.objects.create(name="Lufttemperatur")
    ds = m.Datastream.objects.create(
        name="Lufttemperatur Ostwall (Test)",
        unit_of_measurement={"name": "Grad Celsius", "symbol": "°C", "definition": "ucum:Cel"},
        thing=thing,
        sensor=sensor,
        observed_property=prop,
        properties={"topic": "klima", "kind": "temperature", "simulated": True, "source": "Testdaten"},
    )
    feature = _feature_for(ds)
    end = dt.datetime(2024, 7, 31, tzinfo=dt.UTC)
    rows = [
        Row(ds.pk, feature.pk, end - dt.timedelta(hours=h), result_number=15.0 + (h % 24) / 2)
        for h in range(24 * 40)
    ]
    insert_rows(rows)
    _extend_datastream_times(rows)


def a11y_pages() -> list[str]:
    seed_dashboard_data()
    return ["/daten/", "/daten/klima/", "/daten/klima/?period=1", "/daten/wasser/"]
