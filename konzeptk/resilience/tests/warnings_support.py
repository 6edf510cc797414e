"""Helpers of the warnings tests: the recorded files, a test city with Krefeld's keys, own alerts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from konzeptk.city.models import CityProfile, District
from konzeptk.city.tests.factories import split_city
from konzeptk.resilience.imports import warnings_import
from konzeptk.resilience.models import ImportRun, Severity, Source, Warning

DATA = Path(__file__).parent / "data"
XSD = DATA / "CAP-v1.2-schema.xsd"
BERLIN = ZoneInfo("Europe/Berlin")
#: the recorded heat warning is in force on this afternoon (onset 11:00, update 16:00, cancel 21:00)
HEAT_DAY_NOON = dt.datetime(2026, 7, 16, 12, 0, tzinfo=BERLIN)
ALERT_ID = "2.49.0.0.276.0.DWD.PVW.1784188800000.3f9d2c41-7b0e-4d55-9a1c-8e2f6b0c4d17.DEU"
UPDATE_ID = "2.49.0.0.276.0.DWD.PVW.1784210400000.a61e0b93-52c8-4f0a-8d3e-1c7b9f24e6a8.DEU"
CANCEL_ID = "2.49.0.0.276.0.DWD.PVW.1784228400000.c0d4e7a2-9b13-4e6f-b852-47a9d1f3e0c5.DEU"
DASHBOARD = DATA / "nina" / "dashboard" / "051140000000.json"


def data(name: str) -> bytes:
    return (DATA / name).read_bytes()


def make_city() -> tuple[CityProfile, District, District]:
    """The test city with Krefeld's keys (its warn cells derived from the municipality key)."""
    return split_city(
        bounds=(6.45, 51.28, 6.70, 51.40),
        split=6.56,
        center=(51.33, 6.56),
        name="Krefeld",
        official_key="05114000",
        regional_key="051140000000",
    )


def dwd(name: str) -> ImportRun:
    return warnings_import(source=Source.DWD, location=str(DATA / "dwd" / name))


def nina(path: Path) -> ImportRun:
    return warnings_import(source=Source.NINA, location=str(path))


def own_alert(*, districts: list[District] | None = None, **fields: Any) -> Warning:
    """One of the city's own alerts as res-alerts stores it: text in all six languages."""
    texts = {
        "de": ("Hitzewarnung der Stadt: über 30 °C gemessen", "Die Messstationen zeigen seit drei Stunden mehr als 30 °C.", "Trinken Sie viel Wasser."),
        "en": ("City heat alert: above 30 °C measured", "The stations have shown more than 30 °C for three hours.", "Drink plenty of water."),
        "tr": ("Şehir sıcaklık uyarısı: 30 °C üzeri ölçüldü", "İstasyonlar üç saattir 30 °C üzerinde gösteriyor.", "Bol su için."),
        "ar": ("تحذير من الحر: أكثر من 30 درجة", "تُظهر المحطات أكثر من 30 درجة منذ ثلاث ساعات.", "اشربوا الكثير من الماء."),
        "pl": ("Ostrzeżenie przed upałem: ponad 30 °C", "Stacje od trzech godzin pokazują ponad 30 °C.", "Pij dużo wody."),
        "uk": ("Попередження про спеку: понад 30 °C", "Станції три години показують понад 30 °C.", "Пийте багато води."),
    }  # fmt: skip
    values: dict[str, Any] = {
        "source": Source.OWN,
        "identifier": f"krefeld.de.warnung.{Warning.objects.count() + 1}",
        "sender": "krefeld.de",
        "sent": HEAT_DAY_NOON,
        "event": "HITZE",
        "category": "Met",
        "severity": Severity.MODERATE,
        "urgency": "Immediate",
        "certainty": "Observed",
        "onset": HEAT_DAY_NOON,
        "expires": HEAT_DAY_NOON + dt.timedelta(hours=10),
        "headline": texts["de"][0],
    }
    for lang, (headline, description, instruction) in texts.items():
        values[f"headline_{lang}"] = headline
        values[f"description_{lang}"] = description
        values[f"instruction_{lang}"] = instruction
    values.update(fields)
    warning = Warning.objects.create(**values)
    if districts:
        warning.districts.set(districts)
    return warning
