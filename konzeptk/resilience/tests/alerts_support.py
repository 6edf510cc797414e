"""Helpers of the tests of the city's own alerts: a two-district city, a temperature Datastream with an API
token, rules saved through the service, subscriptions and CreateObservations over the SensorThings API."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Any

from django.test import Client
from django.utils import timezone

from konzeptk.accounts.models import Organisation, User
from konzeptk.city.models import District
from konzeptk.city.tests.factories import split_city
from konzeptk.core.content import OTHER_LANGUAGES
from konzeptk.resilience import evaluation
from konzeptk.resilience.models import Rule, Subscription
from konzeptk.sensing.models import Datastream
from konzeptk.sensing.services import api_token_create
from konzeptk.sensing.tests.factories import make_datastream

#: the headline of the test rule in each language (the alert must carry all six)
HEADLINES = {
    "de": "Hitzewarnung der Stadt",
    "en": "Heat warning from the city",
    "tr": "Şehirden sıcak hava uyarısı",
    "ar": "تحذير من الحر من المدينة",
    "pl": "Ostrzeżenie przed upałem od miasta",
    "uk": "Попередження про спеку від міста",
}
INSTRUCTIONS = {
    "de": "Trinken Sie viel Wasser.",
    "en": "Drink plenty of water.",
    "tr": "Bol su için.",
    "ar": "اشرب الكثير من الماء.",
    "pl": "Pij dużo wody.",
    "uk": "Пийте багато води.",
}
MITTE_POINT = (51.35, 6.55)


def make_city() -> tuple[District, District]:
    _profile, west, east = split_city(bounds=(6.50, 51.30, 6.70, 51.40), split=6.60, names=("Mitte", "Ost"))
    return west, east


def temperature_stream(name: str = "Temperatur Ostwall") -> tuple[Datastream, str]:
    """A °C Datastream of an organisation, and an API token of that organisation."""
    org = Organisation.objects.create(slug=f"swk-{secrets.token_hex(3)}", name="SWK", short_name="SWK")
    ds = make_datastream(org, name=name)
    ds.unit_of_measurement = {"name": "Grad Celsius", "symbol": "°C", "definition": "ucum:Cel"}
    ds.save()
    return ds, api_token_create(organisation=org, name="Test")[1]


def rule_values(ds: Datastream, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "Hitze über 30 °C", "kind": Rule.Kind.HEAT, "datastream": ds, "humidity_datastream": None,
        "threshold": 30.0, "unit": "°C", "min_duration_minutes": 60, "hysteresis": 2.0, "severity": "Severe",
        "heat_checklist": True, "active": True,
    }  # fmt: skip
    values.update(overrides)
    return values


def make_rule(ds: Datastream, districts: list[District], **overrides: Any) -> Rule:
    return evaluation.rule_save(
        values=rule_values(ds, **overrides),
        texts={"headline": HEADLINES["de"], "description": "", "instruction": INSTRUCTIONS["de"]},
        translations={
            **{f"headline_{c}": HEADLINES[c] for c in OTHER_LANGUAGES},
            **{f"instruction_{c}": INSTRUCTIONS[c] for c in OTHER_LANGUAGES},
        },
        districts=list(districts),
    )


def subscribe(
    *, email: str = "", user: User | None = None, language: str = "de", districts: list[District] = (),  # type: ignore[assignment]
    confirmed: bool = True,
) -> Subscription:  # fmt: skip
    sub = Subscription.objects.create(
        email=email, user=user, language=language, by_email=bool(email), by_inbox=user is not None and not email,
        token=secrets.token_urlsafe(32), confirm_token=secrets.token_urlsafe(32),
        confirmed_at=timezone.now() if confirmed else None,
    )  # fmt: skip
    sub.districts.set(districts)
    return sub


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def post_series(client: Client, token: str, ds: Datastream, rows: list[tuple[dt.datetime, float]]) -> Any:
    """One CreateObservations request with ``rows``; returns the answer."""
    body = [
        {
            "Datastream": {"@iot.id": ds.pk},
            "components": ["phenomenonTime", "result"],
            "dataArray": [[iso(at), value] for at, value in rows],
        }
    ]
    answer = client.post(
        "/sta/v1.1/CreateObservations", data=json.dumps(body), content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )  # fmt: skip
    assert answer.status_code == 201, answer.content[:300]
    return answer


def post_one(client: Client, token: str, ds: Datastream, at: dt.datetime, value: float) -> Any:
    body = {"phenomenonTime": iso(at), "result": value, "Datastream": {"@iot.id": ds.pk}}
    answer = client.post(
        "/sta/v1.1/Observations", data=json.dumps(body), content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )  # fmt: skip
    assert answer.status_code == 201, answer.content[:300]
    return answer


def series(
    start: dt.datetime, values: list[float], step_minutes: int = 10
) -> list[tuple[dt.datetime, float]]:
    return [(start + dt.timedelta(minutes=step_minutes * i), v) for i, v in enumerate(values)]
