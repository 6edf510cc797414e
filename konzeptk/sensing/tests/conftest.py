from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from konzeptk.accounts.models import Organisation
from konzeptk.sensing.services import api_token_create


@pytest.fixture(autouse=True)
def _forget_process_caches() -> None:
    """The process-local caches keyed by ids (write look-ups, known (datastream, feature) pairs, known
    partitions) must not outlive a test: the next test's database reuses the ids."""
    from konzeptk.sensing import observed_area, partitions, writecache

    writecache.clear()
    observed_area.forget_cache()
    partitions.forget_cache()


@pytest.fixture
def org(db: Any) -> Organisation:
    return Organisation.objects.create(slug="swk-test", name="SWK Test", short_name="SWK")


@pytest.fixture
def other_org(db: Any) -> Organisation:
    return Organisation.objects.create(slug="andere", name="Andere", short_name="A")


@pytest.fixture
def token(org: Organisation) -> str:
    return api_token_create(organisation=org, name="Test")[1]


class StaClient:
    def __init__(self, client: Client, token: str | None) -> None:
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/sta/v1.1/{path}", params)

    def _send(self, method: str, path: str, body: Any, raw: bool = False) -> Any:
        data = body if raw else json.dumps(body)
        return getattr(self.client, method)(
            f"/sta/v1.1/{path}", data=data, content_type="application/json", **self.headers
        )

    def post(self, path: str, body: Any, raw: bool = False) -> Any:
        return self._send("post", path, body, raw)

    def patch(self, path: str, body: Any) -> Any:
        return self._send("patch", path, body)

    def put(self, path: str, body: Any) -> Any:
        return self._send("put", path, body)

    def delete(self, path: str) -> Any:
        return self.client.delete(f"/sta/v1.1/{path}", **self.headers)


@pytest.fixture
def sta(client: Client, token: str) -> StaClient:
    return StaClient(client, token)


@pytest.fixture
def anon(client: Client, db: Any) -> StaClient:
    return StaClient(client, None)


THING = {
    "name": "Laterne Ostwall 12",
    "description": "Wettersensor an einer Straßenlaterne",
    "properties": {"bezirk": "Mitte"},
    "Locations": [
        {
            "name": "Ostwall 12",
            "description": "Laternenmast",
            "encodingType": "application/geo+json",
            "location": {"type": "Point", "coordinates": [6.5645, 51.3331]},
        }
    ],
    "Datastreams": [
        {
            "name": "Lufttemperatur Ostwall",
            "description": "Lufttemperatur in 4 m Höhe",
            "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
            "unitOfMeasurement": {"name": "Grad Celsius", "symbol": "°C", "definition": "ucum:Cel"},
            "Sensor": {
                "name": "SHT31",
                "description": "Temperatur- und Feuchtesensor",
                "encodingType": "application/pdf",
                "metadata": "https://example.org/sht31.pdf",
            },
            "ObservedProperty": {
                "name": "Lufttemperatur",
                "definition": "http://vocab.nerc.ac.uk/collection/P07/current/CFSN0023/",
                "description": "Temperatur der Luft",
            },
            "Observations": [
                {"phenomenonTime": "2024-07-01T12:00:00Z", "result": 24.5},
                {"phenomenonTime": "2024-07-01T13:00:00Z", "result": 26.0},
            ],
        }
    ],
}


@pytest.fixture
def thing_payload() -> dict[str, Any]:
    return json.loads(json.dumps(THING))
