"""Demo of economy: the Schatzkarte's example shops (Beispielinhalt), the offers of KREFELD.BUSINESS, and
simulated pedestrian counters at the four real hystreet locations with three years of hourly counts.

The counters go in through the hystreet importer (``hystreet.hystreet_import``) as answers in hystreet's
format, so the demo uses the same path as real data. Level: Hochstraße (Mitte) about 5.54 million a year
(5.9 million in 2019, 5.62 million in 2022, −1.5 % in 2023; krefeld-facts.md 2.4); the other locations
are shares of it. Rain (a simulated precipitation datastream), hot days (sensing's temperature, if the
sensing demo is there), public holidays and event days of the calendar change the simulated footfall.
Everything is labelled "simuliert" or "Beispielinhalt". Idempotent.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, TextIO
from zoneinfo import ZoneInfo

import numpy as np

from konzeptk.city.demo_data import demo_data
from konzeptk.core import opening_hours as hours
from konzeptk.economy import footfall
from konzeptk.economy.hystreet import hystreet_import
from konzeptk.economy.models import Business, Category, Offer
from konzeptk.economy.services import business_save
from konzeptk.events.selectors import event_dates
from konzeptk.sensing.bulk import observations_create_bulk
from konzeptk.sensing.services import Writer, entity_create
from konzeptk.sensing.sta.schema import ENTITY_TYPES

BERLIN = ZoneInfo("Europe/Berlin")
YEARS = 3


def load_directory(data: dict[str, Any]) -> int:
    categories = {}
    for c in data["categories"]:
        categories[c["slug"]], _ = Category.objects.get_or_create(
            slug=c["slug"], defaults={"name": c["name"], "name_de": c["name"], "order": c["order"]}
        )
    created = 0
    for b in data["businesses"]:
        if Business.objects.filter(slug=b["slug"]).exists():
            continue
        business = Business(
            slug=b["slug"],
            name=b["name"],
            category=categories[b["category"]],
            description_de=b["description"],
            street=b["street"],
            postcode=b["postcode"],
            lat=b["lat"],
            lon=b["lon"],
            step_free=b["step_free"],
            opening_hours=b["opening_hours"],
            delivery=b.get("delivery", False),
            click_collect=b.get("click_collect", False),
            online_shop=b.get("online_shop", False),
            card_payment=b.get("card_payment", False),
            simulated=True,
        )
        business_save(business=business)
        created += 1
    for i, o in enumerate(data["offers"]):
        Offer.objects.get_or_create(
            title_de=o["title"],
            defaults={
                "kind": o["kind"],
                "title": o["title"],
                "summary": o["summary"],
                "summary_de": o["summary"],
                "provider": o["provider"],
                "url": o["url"],
                "order": i,
                "simulated": not o["real"],
            },
        )
    return created


def _rain_stream(writer: Writer) -> int:
    thing = entity_create(
        entity=ENTITY_TYPES["Thing"],
        data={
            "name": "Niederschlag Krefeld-Mitte",
            "description": "Regenmesser auf dem Dach des Rathauses (simuliert)",
            "properties": {"demo": "economy", "simulated": True, "bezirk": "Mitte"},
            "Locations": [
                {
                    "name": "Rathaus Krefeld",
                    "description": "Von-der-Leyen-Platz",
                    "encodingType": "application/geo+json",
                    "location": {"type": "Point", "coordinates": [6.5603, 51.3331]},
                }
            ],
            "Datastreams": [
                {
                    "name": "Niederschlag Krefeld-Mitte – simuliert",
                    "description": "Niederschlag je Stunde (simuliert)",
                    "unitOfMeasurement": {"name": "Millimeter", "symbol": "mm", "definition": "ucum:mm"},
                    "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
                    "properties": {
                        "topic": "klima",
                        "kind": "precipitation",
                        "simulated": True,
                        "source": "Niederschlag (simuliert)",
                    },
                    "Sensor": {
                        "name": "Kippwaage",
                        "description": "Niederschlagsmesser",
                        "encodingType": "text/html",
                        "metadata": "https://example.org/rain-gauge",
                    },
                    "ObservedProperty": {
                        "name": "Niederschlag",
                        "description": "Niederschlagshöhe",
                        "definition": "http://vocab.nerc.ac.uk/collection/P07/current/CFSN0030/",
                    },
                }
            ],
        },
        writer=writer,
    )
    return int(thing.datastreams.get().pk)  # type: ignore[attr-defined]


def _hour_grid(today: dt.date) -> list[dt.datetime]:
    first = dt.datetime.combine(today - dt.timedelta(days=YEARS * 365), dt.time(), tzinfo=BERLIN).astimezone(
        dt.UTC
    )
    end = dt.datetime.combine(today, dt.time(), tzinfo=BERLIN).astimezone(dt.UTC)
    return [first + dt.timedelta(hours=h) for h in range(int((end - first).total_seconds() // 3600))]


def load_counters(data: dict[str, Any], *, today: dt.date, out: TextIO) -> int:
    wanted = {c["location_id"] for c in data["counters"]}
    have = {(s.properties or {}).get("hystreet_location_id") for s in footfall.counters()}
    if wanted <= have:
        return 0
    rng = np.random.default_rng(1705)
    writer = Writer(None, open_write=True)
    times = _hour_grid(today)
    local = [t.astimezone(BERLIN) for t in times]
    days = sorted({t.date() for t in local})
    wet = {d: float(rng.gamma(0.8, 5.0)) if rng.random() < 0.45 else 0.0 for d in days}
    temp_stream, rain_stream = footfall.weather_streams()
    if rain_stream is None:
        rain_id = _rain_stream(writer)
        rain_rows = []
        for t, lt in zip(times, local, strict=True):
            amount = wet[lt.date()]
            if amount and 6 <= lt.hour <= 21:
                rain_rows.append([t.isoformat(), round(amount / 16, 2)])
            else:
                rain_rows.append([t.isoformat(), 0.0])
        for start in range(0, len(rain_rows), 5000):
            observations_create_bulk(
                payload=[{"Datastream": {"@iot.id": rain_id}, "components": ["phenomenonTime", "result"],
                          "dataArray": rain_rows[start : start + 5000]}],
                writer=writer,
            )  # fmt: skip
    heat = footfall._max_per_day(temp_stream, days[0], days[-1] + dt.timedelta(days=1), total=False)
    events = event_dates(days[0], days[-1], "Mitte")
    hour = np.array([lt.hour for lt in local], dtype=float)
    weekday = np.array([lt.weekday() for lt in local])
    doy = np.array([lt.timetuple().tm_yday for lt in local], dtype=float)
    holiday = np.array([hours.is_public_holiday(lt.date()) for lt in local])
    season = -np.cos(2 * math.pi * (doy - 15) / 365.0)
    shop = np.exp(-((hour - 14.5) ** 2) / 10.0) * ((hour >= 8) & (hour <= 21)) + 0.03
    day_factor = np.select([holiday, weekday == 6, weekday == 5], [0.12, 0.12, 1.35], 1.0)
    december = 1.0 + 0.35 * np.exp(-((doy - 350) ** 2) / 200.0) + 0.08 * season
    rain = np.array([0.88 if wet[lt.date()] >= 1.0 else 1.0 for lt in local])
    hot = np.array([0.9 if heat.get(lt.date(), 0.0) >= 30.0 else 1.0 for lt in local])
    event = np.array([1.25 if lt.date() in events and 11 <= lt.hour <= 20 else 1.0 for lt in local])
    profile = shop * day_factor * december * rain * hot * event
    full_year = today.year - 1
    in_year = np.array([lt.year == full_year for lt in local])
    per_year = data["hochstrasse_per_year"]
    level = float(per_year.get(str(full_year), per_year[max(per_year)]))
    base = profile[in_year].sum() if in_year.any() else profile.sum() * 8760 / len(profile)
    scale = level / base  # the previous calendar year sums to the level (or a year's worth of hours)
    stored = 0
    for counter in data["counters"]:
        counts = rng.poisson(profile * scale * counter["share"])
        payload = {
            "location_id": counter["location_id"],
            "name": counter["name"],
            "city": "Krefeld",
            "local_timezone": "Europe/Berlin",
            "measurement_period": {"from": times[0].isoformat(), "to": times[-1].isoformat()},
            "resolution": "hour",
            "measurements": [
                {
                    "measured_at": t.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                    "measured_at_local_time": lt.isoformat(timespec="milliseconds"),
                    "total_count": int(n),
                    "counts": [],
                    "weather_conditions": {"description": "rain" if wet[lt.date()] >= 1.0 else "clear-day",
                                           "temperature": None, "min_temperature": None},
                }
                for t, lt, n in zip(times, local, counts.tolist(), strict=True)
            ],
        }  # fmt: skip
        report = hystreet_import(payload=payload, writer=writer, simulated=True)
        stored += report.stored
    out.write(f"  Lokale Wirtschaft: {stored} simulierte Zählungen an {len(data['counters'])} Zählstellen.\n")
    return stored


def load_demo(*, out: TextIO) -> None:
    data = demo_data("economy")
    if data is None:
        return
    created = load_directory(data)
    out.write(f"  Lokale Wirtschaft: {created} Beispiel-Geschäfte angelegt.\n")
    today = dt.datetime.now(BERLIN).date()
    load_counters(data, today=today, out=out)
