"""The city JSON API under /api/v1/city/: profile, layers, districts as GeoJSON, lookups, bad input."""

from __future__ import annotations

import pytest
from django.test import Client

from konzeptk.city.models import CityProfile
from konzeptk.city.selectors import forget_active_profile

BASE = "/api/v1/city"


def test_profile(client: Client, krefeld: CityProfile) -> None:
    data = client.get(f"{BASE}/profile").json()
    assert data["slug"] == "krefeld"
    assert data["official_key"] == "05114000"
    assert data["boundary"]["type"] in ("Polygon", "MultiPolygon")
    assert data["population_total"] == 230666


def test_no_profile_is_a_json_404(client: Client, db: None) -> None:
    CityProfile.objects.all().delete()  # rolled back after the test
    forget_active_profile()
    response = client.get(f"{BASE}/profile")
    assert response.status_code == 404
    assert response.json() == {"code": "no_profile", "message": "Es ist kein Stadtprofil geladen."}


def test_layers_are_paginated(client: Client, krefeld: CityProfile) -> None:
    data = client.get(f"{BASE}/layers").json()
    assert data["count"] == 3
    by_slug = {item["slug"]: item for item in data["items"]}
    assert by_slug["stadtbezirke-1975"]["district_count"] == 9
    assert by_slug["stadtbezirke-1975"]["valid_until"] == "2025-10-31"
    assert by_slug["stadtbezirke-2025"]["provisional"] is True
    assert by_slug["stadtteile"]["schematic"] is True
    page = client.get(f"{BASE}/layers?limit=1&offset=1").json()
    assert page["count"] == 3
    assert len(page["items"]) == 1


def test_districts_as_geojson(client: Client, krefeld: CityProfile, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(6):
        data = client.get(f"{BASE}/layers/stadtteile/districts").json()
    assert data["type"] == "FeatureCollection"
    assert data["count"] == 19
    assert len(data["features"]) == 19
    feature = data["features"][0]
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert {"code", "name", "population"} <= set(feature["properties"])
    assert data["layer"]["schematic"] is True
    page = client.get(f"{BASE}/layers/stadtteile/districts?limit=5&offset=15").json()
    assert [f["properties"]["code"] for f in page["features"]] == ["160", "170", "180", "190"]


def test_unknown_layer_is_a_json_404(client: Client, krefeld: CityProfile) -> None:
    response = client.get(f"{BASE}/layers/atlantis/districts")
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_layer"


def test_points_are_paginated_and_filtered(client: Client, krefeld: CityProfile) -> None:
    data = client.get(f"{BASE}/points?limit=10").json()
    assert data["count"] == 260
    assert len(data["items"]) == 10
    admin = client.get(f"{BASE}/points?category=administration&limit=200").json()
    assert admin["count"] > 0
    assert {p["category"] for p in admin["items"]} == {"administration"}


@pytest.mark.parametrize(
    ("on", "name", "layer"),
    [("2020-06-01", "Uerdingen", "stadtbezirke-1975"), ("2026-01-15", "Ost", "stadtbezirke-2025")],
)
def test_district_for(client: Client, krefeld: CityProfile, on: str, name: str, layer: str) -> None:
    response = client.get(f"{BASE}/district-for?lat=51.3450&lon=6.6650&on={on}")
    assert response.status_code == 200
    data = response.json()
    assert data["inside_city"] is True
    assert data["district"]["name"] == name
    assert data["layer"]["slug"] == layer
    assert data["on"] == on


def test_district_for_outside(client: Client, krefeld: CityProfile) -> None:
    data = client.get(f"{BASE}/district-for?lat=51.2277&lon=6.7735&on=2026-01-15").json()
    assert data["inside_city"] is False
    assert data["district"] is None
    assert data["label"] == "außerhalb des Stadtgebiets"


def test_district_for_accepts_a_decimal_comma_and_defaults_to_today(
    client: Client, krefeld: CityProfile
) -> None:
    data = client.get(f"{BASE}/district-for?lat=51,3335&lon=6,5630").json()
    assert data["district"]["name"] == "Mitte"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("lon=6.5", "missing_parameter"),
        ("lat=&lon=6.5", "missing_parameter"),
        ("lat=abc&lon=6.5", "invalid_number"),
        ("lat=51.3&lon=sechs", "invalid_number"),
        ("lat=91&lon=6.5", "out_of_range"),
        ("lat=51.3&lon=-180.5", "out_of_range"),
        ("lat=nan&lon=6.5", "out_of_range"),
        ("lat=inf&lon=6.5", "out_of_range"),
        ("lat=51.3&lon=6.5&on=2026-13-01", "invalid_date"),
        ("lat=51.3&lon=6.5&on=gestern", "invalid_date"),
        ("lat=51.3&lon=6.5&kind=landkreis", "invalid_kind"),
    ],
)
def test_district_for_bad_input(client: Client, krefeld: CityProfile, query: str, code: str) -> None:
    response = client.get(f"{BASE}/district-for?{query}")
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == code
    assert data["message"]


def test_openapi_lists_the_city_routes(client: Client, db: None) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for route in ("profile", "layers", "layers/{slug}/districts", "points", "district-for"):
        assert f"{BASE}/{route}" in paths
