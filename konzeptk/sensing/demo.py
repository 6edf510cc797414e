"""Demo data: simulated but realistic Krefeld series, labelled *simuliert*: the whole previous calendar year
and the current year up to now (yearly figures of indicators are then whole years, the current one partial).

Patterns (see SOURCES.md): lamp-post weather sensors with a heat-island offset in dense districts;
NO₂ at LANUV-like stations (Hafen, Linn, Kölner Straße, Oranierring) with daily and weekly cycles;
passers-by on Hochstraße scaled to about 5.6 million a year (hystreet 2022: 5.62 m), Rheinstraße and
Königstraße smaller; bike counters on the Krefelder Promenade; groundwater every 15 minutes.
Idempotent: nothing is created when the demo Things exist.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, TextIO
from zoneinfo import ZoneInfo

import numpy as np

from konzeptk.accounts.models import Organisation
from konzeptk.sensing import models as m
from konzeptk.sensing.services import _extend_datastream_times, _feature_for
from konzeptk.sensing.storage import Row, insert_rows

BERLIN = ZoneInfo("Europe/Berlin")
SIMULATED = "simuliert (Demo von Konzept K)"

WEATHER = [  # name, district, lon, lat, heat-island offset °C
    ("Laterne Ostwall", "Mitte", 6.5658, 51.3318, 1.8),
    ("Laterne Dionysiusplatz", "Mitte", 6.5616, 51.3339, 1.6),
    ("Laterne Uerdingen Markt", "Ost", 6.6560, 51.3556, 1.0),
    ("Laterne Fischeln Marienplatz", "Süd", 6.5870, 51.3050, 0.6),
    ("Laterne Hüls Markt", "Nord", 6.5090, 51.3720, 0.2),
    ("Laterne Forstwald", "West", 6.5150, 51.3140, -0.3),
]
NO2 = [  # name, lon, lat, base µg/m³, traffic share
    ("Luftmessstation Hafen", 6.6400, 51.3400, 20.0, 0.3),
    ("Luftmessstation Linn", 6.6280, 51.3330, 17.0, 0.3),
    ("Verkehrsmessstation Kölner Straße", 6.5760, 51.3200, 27.0, 0.8),
    ("Verkehrsmessstation Oranierring", 6.5700, 51.3260, 25.0, 0.8),
]
PEDESTRIANS = [  # name, lon, lat, share of Hochstraße
    ("Passantenzähler Hochstraße", 6.5626, 51.3329, 1.0),
    ("Passantenzähler Rheinstraße", 6.5585, 51.3312, 0.45),
    ("Passantenzähler Königstraße", 6.5650, 51.3345, 0.35),
]
BIKES = [
    ("Radzähler Promenade Forstwald", 6.5230, 51.3180, 650),
    ("Radzähler Promenade Oppum", 6.6050, 51.3260, 900),
]
GROUNDWATER = [
    ("Grundwassermessstelle GW-017 Bockum", 6.5900, 51.3500, 31.4),
    ("Grundwassermessstelle GW-112 Gellep", 6.6750, 51.3400, 28.9),
]


def _hours(now: dt.datetime) -> tuple[list[dt.datetime], np.ndarray, np.ndarray, np.ndarray]:
    """Every hour from 1 January of the previous year (local time) up to now: one whole calendar year, so a
    yearly figure (e.g. passers-by on Hochstraße) is a real year's value, and the current year so far."""
    end = now.replace(minute=0, second=0, microsecond=0)
    first = dt.datetime(now.astimezone(BERLIN).year - 1, 1, 1, tzinfo=BERLIN).astimezone(dt.UTC)
    times = [first + dt.timedelta(hours=h) for h in range(int((end - first).total_seconds() // 3600))]
    local = [t.astimezone(BERLIN) for t in times]
    hour = np.array([t.hour for t in local], dtype=float)
    weekday = np.array([t.weekday() for t in local], dtype=float)
    doy = np.array([t.timetuple().tm_yday for t in local], dtype=float)
    return times, hour, weekday, doy


def _thing(org: Organisation | None, name: str, lon: float, lat: float, district: str = "") -> m.Thing:
    location = m.Location.objects.create(
        name=name, description=name, location={"type": "Point", "coordinates": [lon, lat]}
    )
    props: dict[str, Any] = {"demo": "sensing", "simulated": True}
    if district:
        props["bezirk"] = district
    thing = m.Thing.objects.create(
        name=name, description=f"{name} ({SIMULATED})", properties=props, organisation=org
    )
    thing.locations.add(location)
    historical = m.HistoricalLocation.objects.create(thing=thing, time=dt.datetime(2023, 5, 1, tzinfo=dt.UTC))
    historical.locations.add(location)
    return thing


def _stream(
    thing: m.Thing, name: str, sensor: m.Sensor, prop: m.ObservedProperty, unit: dict[str, str], topic: str,
    kind: str, source: str,
) -> m.Datastream:  # fmt: skip
    return m.Datastream.objects.create(
        name=name,
        description=f"{name} – {SIMULATED}",
        unit_of_measurement=unit,
        thing=thing,
        sensor=sensor,
        observed_property=prop,
        properties={"topic": topic, "kind": kind, "simulated": True, "source": source},
    )


def _store(ds: m.Datastream, times: list[dt.datetime], values: np.ndarray) -> int:
    feature = _feature_for(ds)
    rows = [
        Row(ds.pk, feature.pk, t, result_number=v)
        for t, v in zip(times, np.round(values, 2).tolist(), strict=True)
    ]
    insert_rows(rows)
    _extend_datastream_times([rows[0], rows[-1]])
    return len(rows)


def load_demo(*, out: TextIO) -> None:
    if m.Thing.objects.filter(properties__demo="sensing").exists():
        out.write("  Stadtdaten: Demo-Daten sind schon da.\n")
        return
    rng = np.random.default_rng(2035)
    swk = Organisation.objects.filter(slug="swk").first()
    city = Organisation.objects.filter(slug="stadt-krefeld-wdi").first()
    now = dt.datetime.now(dt.UTC)
    times, hour, weekday, doy = _hours(now)
    n = len(times)
    season = -np.cos(2 * math.pi * (doy - 15) / 365.0)  # -1 mid-January … +1 mid-July
    total = 0

    sht = m.Sensor.objects.create(
        name="Wettersensor (LoRaWAN)", description="Temperatur, Feuchte, Niederschlag", metadata=""
    )
    air_temp = m.ObservedProperty.objects.create(
        name="Lufttemperatur", definition="http://vocab.nerc.ac.uk/collection/P07/current/CFSN0023/"
    )
    celsius = {
        "name": "Grad Celsius",
        "symbol": "°C",
        "definition": "http://unitsofmeasure.org/ucum.html#para-30",
    }
    for name, district, lon, lat, offset in WEATHER:
        thing = _thing(swk, name, lon, lat, district)
        ds = _stream(thing, f"Lufttemperatur {name.removeprefix('Laterne ')}", sht, air_temp, celsius, "klima", "temperature",
                     "SWK-LoRaWAN-Wettersensoren")  # fmt: skip
        noise = np.zeros(n)
        shocks = rng.normal(0, 0.6, n)
        for i in range(1, n):
            noise[i] = 0.95 * noise[i - 1] + shocks[i]
        daily = -np.cos(2 * math.pi * (hour - 3) / 24.0)
        night_island = offset * (1.0 + 0.5 * (daily < 0))  # heat islands are strongest at night
        values = 10.8 + 8.5 * season + (4.0 + 2.0 * season) * daily + night_island + noise
        total += _store(ds, times, values)

    no2_sensor = m.Sensor.objects.create(
        name="Chemilumineszenz-Analysator", description="NO₂-Messgerät", metadata=""
    )
    no2 = m.ObservedProperty.objects.create(
        name="Stickstoffdioxid (NO₂)", definition="http://dd.eionet.europa.eu/vocabulary/aq/pollutant/8"
    )
    ugm3 = {"name": "Mikrogramm pro Kubikmeter", "symbol": "µg/m³", "definition": "ucum:ug/m3"}
    for name, lon, lat, base, traffic in NO2:
        thing = _thing(city, name, lon, lat)
        ds = _stream(thing, f"NO₂ {name.split(' ', 1)[1]}", no2_sensor, no2, ugm3, "klima", "no2",
                     "nach dem Muster der LANUV-Stationen")  # fmt: skip
        rush = np.exp(-((hour - 8) ** 2) / 3.0) + 0.8 * np.exp(-((hour - 17.5) ** 2) / 4.0)
        weekly = np.where(weekday >= 5, 0.65, 1.0)
        values = base * (1 - 0.25 * season) * (0.7 + traffic * rush * weekly + 0.3 * weekly)
        values = values * rng.lognormal(0, 0.25, n)
        total += _store(ds, times, np.clip(values, 1, None))

    counter = m.Sensor.objects.create(
        name="Laserscanner-Passantenzähler", description="zählt Passant:innen je Stunde", metadata=""
    )
    passers = m.ObservedProperty.objects.create(name="Passant:innen", definition="https://hystreet.com/")
    count_unit = {"name": "Anzahl pro Stunde", "symbol": "1/h", "definition": "ucum:/h"}
    shop = np.exp(-((hour - 14.5) ** 2) / 10.0) * ((hour >= 8) & (hour <= 21)) + 0.03
    day_factor = np.select([weekday == 5, weekday == 6], [1.35, 0.12], 1.0)
    december = 1.0 + 0.35 * np.exp(-((doy - 350) ** 2) / 200.0) + 0.08 * season
    profile = shop * day_factor * december
    last_year = np.array([t.astimezone(BERLIN).year == now.astimezone(BERLIN).year - 1 for t in times])
    hochstrasse_scale = 5_600_000 / profile[last_year].sum()  # the whole previous year: about 5.6 million
    for name, lon, lat, share in PEDESTRIANS:
        thing = _thing(city, name, lon, lat, "Mitte")
        ds = _stream(thing, name.replace("Passantenzähler", "Passant:innen"), counter, passers, count_unit, "innenstadt",
                     "pedestrians", "nach dem Muster der hystreet-Zählungen")  # fmt: skip
        total += _store(ds, times, rng.poisson(profile * hochstrasse_scale * share).astype(float))

    bike_sensor = m.Sensor.objects.create(
        name="Induktionsschleife Radzählung", description="zählt Fahrräder", metadata=""
    )
    bikes = m.ObservedProperty.objects.create(name="Radfahrende", definition="https://example.org/bicycles")
    commute = (
        np.exp(-((hour - 7.5) ** 2) / 1.5)
        + np.exp(-((hour - 17) ** 2) / 2.5)
        + 0.5 * np.exp(-((hour - 14) ** 2) / 8)
    )
    leisure = np.exp(-((hour - 14) ** 2) / 8)
    for name, lon, lat, per_day in BIKES:
        thing = _thing(city, name, lon, lat)
        ds = _stream(thing, name.replace("Radzähler", "Radverkehr"), bike_sensor, bikes, count_unit, "mobilitaet",
                     "bikes", "Krefelder Promenade")  # fmt: skip
        shape = np.where(weekday >= 5, 1.2 * leisure, commute) * (1 + 0.45 * season)
        total += _store(ds, times, rng.poisson(shape / shape.mean() * per_day / 24).astype(float))

    probe = m.Sensor.objects.create(name="Drucksonde (LoRaWAN)", description="Grundwasserstand", metadata="")
    level = m.ObservedProperty.objects.create(
        name="Grundwasserstand", definition="https://example.org/groundwater-level"
    )
    metre = {"name": "Meter über Normalhöhennull", "symbol": "m NHN", "definition": "ucum:m"}
    quarter = [times[0] + dt.timedelta(minutes=15 * i) for i in range(n * 4)]
    q_doy = np.repeat(doy, 4)
    for name, lon, lat, mean_level in GROUNDWATER:
        thing = _thing(swk, name, lon, lat)
        ds = _stream(thing, name.replace("Grundwassermessstelle", "Grundwasserstand"), probe, level, metre, "wasser",
                     "groundwater", "SWK-Grundwassermonitoring")  # fmt: skip
        walk = np.cumsum(rng.normal(0, 0.002, len(quarter)))
        values = mean_level + 0.6 * np.cos(2 * math.pi * (q_doy - 60) / 365.0) + walk - walk.mean()
        total += _store(ds, quarter, values)
        device = m.Device.objects.create(
            network="ttn", dev_eui=f"70B3D57ED00{ds.pk:05X}", name=name, thing=thing
        )
        m.DeviceField.objects.create(device=device, field="level_cm", datastream=ds, scale=0.01)
    m.UnknownDevice.objects.get_or_create(
        network="chirpstack",
        dev_eui="A84041000181C0DE",
        defaults={"uplink_count": 3, "last_payload": {"object": {"temperature": 17.2}}},
    )
    out.write(f"  Stadtdaten: {total} simulierte Beobachtungen angelegt.\n")
