"""OGC 18-088 requirement class request-data, $filter (§9.3.3.5): built-in operators and every built-in
query function of Table 23, on the database the tests run on (SQLite, or PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

from typing import Any

import pytest

BOX = "POLYGON((6.55 51.32, 6.58 51.32, 6.58 51.34, 6.55 51.34, 6.55 51.32))"


@pytest.fixture
def data(sta: Any, thing_payload: Any) -> None:
    assert sta.post("Things", thing_payload).status_code == 201
    for name, geometry in (
        ("Rheinufer", {"type": "LineString", "coordinates": [[6.6, 51.3], [6.7, 51.3]]}),
        ("Innenstadt", {"type": "Polygon", "coordinates": [[[6.55, 51.32], [6.58, 51.32], [6.58, 51.34],
                                                            [6.55, 51.34], [6.55, 51.32]]]}),
        ("Hafen", {"type": "Point", "coordinates": [6.64, 51.35]}),
    ):  # fmt: skip
        body = {
            "name": name,
            "description": "Ort",
            "encodingType": "application/geo+json",
            "location": geometry,
        }
        assert sta.post("Locations", body).status_code == 201


def _names(anon: Any, path: str, expression: str, key: str = "name") -> list[Any]:
    response = anon.get(path, **{"$filter": expression, "$orderby": "id"})
    assert response.status_code == 200, (expression, response.content)
    return [item[key] for item in response.json()["value"]]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("substringof('Ostwall', name)", ["Laterne Ostwall 12"]),
        ("startswith(name, 'Later')", ["Laterne Ostwall 12"]),
        ("endswith(name, '12')", ["Laterne Ostwall 12"]),
        ("length(name) eq 18", ["Laterne Ostwall 12"]),
        ("indexof(name, 'Ostwall') eq 8", ["Laterne Ostwall 12"]),
        ("indexof(name, 'Laterne') eq 0", ["Laterne Ostwall 12"]),
        ("indexof(name, 'fehlt') eq -1", ["Laterne Ostwall 12"]),
        ("substring(name, 8) eq 'Ostwall 12'", ["Laterne Ostwall 12"]),
        ("substring(name, 8, 7) eq 'Ostwall'", ["Laterne Ostwall 12"]),
        ("tolower(name) eq 'laterne ostwall 12'", ["Laterne Ostwall 12"]),
        ("toupper(name) eq 'LATERNE OSTWALL 12'", ["Laterne Ostwall 12"]),
        ("trim(concat(' ', name)) eq 'Laterne Ostwall 12'", ["Laterne Ostwall 12"]),
        ("concat(concat(name, ', '), 'Krefeld') eq 'Laterne Ostwall 12, Krefeld'", ["Laterne Ostwall 12"]),
        ("startswith(name, 'Nein')", []),
    ],
)
def test_req_request_data_built_in_query_functions_string(anon: Any, data: None, expression: str, expected: list[str]) -> None:  # fmt: skip
    """request-data/built-in-query-functions: the string functions of Table 23 (indexof counts from 0)."""
    assert _names(anon, "Things", expression) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (
            "year(phenomenonTime) eq 2024 and month(phenomenonTime) eq 7 and day(phenomenonTime) eq 1",
            [24.5, 26],
        ),
        ("hour(phenomenonTime) eq 13", [26]),
        ("minute(phenomenonTime) eq 0 and second(phenomenonTime) eq 0", [24.5, 26]),
        ("fractionalseconds(phenomenonTime) eq 0", [24.5, 26]),
        ("date(phenomenonTime) eq 2024-07-01", [24.5, 26]),
        ("time(phenomenonTime) eq 12:00:00", [24.5]),
        ("totaloffsetminutes(phenomenonTime) eq 0", [24.5, 26]),
        ("phenomenonTime lt now()", [24.5, 26]),
        ("phenomenonTime gt mindatetime() and phenomenonTime lt maxdatetime()", [24.5, 26]),
        ("round(result) eq 25", [24.5]),  # half away from zero
        ("floor(result) eq 24", [24.5]),
        ("ceiling(result) eq 25", [24.5]),
        ("result add 1 eq 27 or result sub 1 eq 23.5", [24.5, 26]),
        ("result mul 2 eq 49", [24.5]),
        ("result div 2 eq 13", [26]),
        ("result mod 5 eq 1", [26]),
        ("-result lt -25", [26]),
        ("not (result gt 25) and (result ge 24 or result le 0)", [24.5]),
    ],
)
def test_req_request_data_built_in_operators_and_functions(anon: Any, data: None, expression: str, expected: list[Any]) -> None:  # fmt: skip
    """request-data/built-in-filter-operations and built-in-query-functions: datetime and math functions,
    arithmetic, logical operators."""
    assert _names(anon, "Observations", expression, key="result") == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (f"st_within(location, geography'{BOX}')", ["Ostwall 12", "Innenstadt"]),  # equal lies within
        (f"geo.intersects(location, geography'{BOX}')", ["Ostwall 12", "Innenstadt"]),
        (f"st_intersects(location, geography'{BOX}')", ["Ostwall 12", "Innenstadt"]),
        ("st_contains(location, geography'POINT(6.5645 51.3331)')", ["Ostwall 12", "Innenstadt"]),
        (f"st_equals(location, geography'{BOX}')", ["Innenstadt"]),
        (f"st_disjoint(location, geography'{BOX}')", ["Rheinufer", "Hafen"]),
        ("st_touches(location, geography'POINT(6.6 51.3)')", ["Rheinufer"]),
        ("st_crosses(location, geography'LINESTRING(6.65 51.2, 6.65 51.4)')", ["Rheinufer"]),
        (
            "st_overlaps(location, geography'POLYGON((6.57 51.33, 6.6 51.33, 6.6 51.36, 6.57 51.36, 6.57 51.33))')",
            ["Innenstadt"],
        ),
        (f"st_relate(location, geography'{BOX}', 'T*F**F***')", ["Ostwall 12", "Innenstadt"]),  # within
        ("st_relate(location, geography'POINT(6.64 51.35)', 'T*F**FFF*')", ["Hafen"]),  # equals
        ("geo.distance(location, geography'POINT(6.64 51.35)') lt 0.01", ["Hafen"]),
        (
            "geo.distance(location, geography'POINT(6.64 51.35)') ge 0.01",
            ["Ostwall 12", "Rheinufer", "Innenstadt"],
        ),
        ("0.01 gt geo.distance(geography'POINT(6.64 51.35)', location)", ["Hafen"]),
        ("geo.length(location) gt 0.09", ["Rheinufer", "Innenstadt"]),  # a polygon's length: its perimeter
        ("geo.length(location) eq 0", ["Ostwall 12", "Hafen"]),
        (
            "geo.length(geography'LINESTRING(0 0, 3 4)') eq 5",
            ["Ostwall 12", "Rheinufer", "Innenstadt", "Hafen"],
        ),
        ("geo.distance(geography'POINT(0 0)', geography'POINT(3 4)') gt 6", []),
        ("geo.intersects(Things/Locations/location, geography'POINT(6.64 51.35)')", []),
    ],
)
def test_req_request_data_built_in_query_functions_geo(anon: Any, data: None, expression: str, expected: list[str]) -> None:  # fmt: skip
    """request-data/built-in-query-functions: geo.distance, geo.length, geo.intersects, the st_* functions
    and st_relate with a DE-9IM pattern, computed with shapely (no PostGIS)."""
    assert _names(anon, "Locations", expression) == expected


def test_req_request_data_geo_filter_pages_and_counts(anon: Any, data: None) -> None:
    """request-data/pagination and count with a spatial filter: the condition is a SQL ``IN`` of ids, so
    $top, nextLink and $count stay exact."""
    expression = "geo.distance(location, geography'POINT(6.64 51.35)') lt 1"
    first = anon.get("Locations", **{"$filter": expression, "$top": "2", "$count": "true"}).json()
    assert first["@iot.count"] == 4
    assert len(first["value"]) == 2
    rest = anon.client.get(first["@iot.nextLink"]).json()
    assert len(rest["value"]) == 2
    assert {v["@iot.id"] for v in first["value"]}.isdisjoint(v["@iot.id"] for v in rest["value"])
    things = anon.get("Things", **{"$filter": f"st_within(Locations/location, geography'{BOX}')"}).json()
    assert [t["name"] for t in things["value"]] == ["Laterne Ostwall 12"]


@pytest.mark.parametrize(
    "expression",
    [
        "st_relate(location, geography'POINT(1 1)', 'XYZ')",
        "st_relate(location, geography'POINT(1 1)', 3)",
        "geo.distance(location, geography'POINT(1 1)') lt 'nah'",
        "geo.distance(location, location) lt 1",
        "geo.length(location) lt result",
        "geo.intersects(location, geography'POINT(1')",
        "geo.length(name) gt 1",
    ],
)
def test_req_request_data_query_status_code_bad_geo_is_400(anon: Any, data: None, expression: str) -> None:
    """request-data/query-status-code: a wrong spatial expression is a 400, never a 501 or 500."""
    response = anon.get("Locations", **{"$filter": expression})
    assert response.status_code == 400, (expression, response.content)


def test_req_request_data_geo_many_matches_and_scan_limit(anon: Any, data: None, monkeypatch: Any) -> None:
    """built-in-query-functions at size: many matching ids go to the database as one array parameter (SQLite
    and PostgreSQL limit the parameters of a statement), and a table beyond the scan limit is refused with 501
    instead of an incomplete answer."""
    from konzeptk.sensing.sta import geo

    monkeypatch.setattr(geo, "MAX_INLINE_IDS", 1)
    expression = "geo.distance(location, geography'POINT(6.64 51.35)') lt 1"
    body = anon.get("Locations", **{"$filter": expression, "$count": "true", "$orderby": "id"}).json()
    assert body["@iot.count"] == 4
    assert [v["name"] for v in body["value"]] == ["Ostwall 12", "Rheinufer", "Innenstadt", "Hafen"]
    monkeypatch.setattr(geo, "MAX_SCAN", 3)
    refused = anon.get("Locations", **{"$filter": expression})
    assert refused.status_code == 501
    assert refused.json()["type"] == "error"
