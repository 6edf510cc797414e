"""Which district a point lies in: Krefeld on both dates, outside points, and any point inside."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, shape

from konzeptk.city.models import CityProfile, DistrictLayer
from konzeptk.city.selectors import district_for

BEFORE = dt.date(2020, 6, 1)  # the nine Stadtbezirke
AFTER = dt.date(2026, 1, 15)  # the five Stadtbezirke


@pytest.mark.parametrize(
    ("lat", "lon", "before", "after"),
    [
        (51.3335, 6.5630, "Mitte", "Mitte"),  # Bürgerbüro Mitte, Theaterplatz
        (51.3450, 6.6650, "Uerdingen", "Ost"),  # Bürgerbüro Uerdingen
        (51.2980, 6.5780, "Fischeln", "Süd"),  # Bürgerbüro Fischeln
        (51.3800, 6.5120, "Hüls", "Nord"),  # Bürgerbüro Hüls
        (51.3345, 6.5150, "West", "West"),
    ],
)
def test_district_for_known_points_on_both_dates(
    krefeld: CityProfile, lat: float, lon: float, before: str, after: str
) -> None:
    old = district_for(lat, lon, on=BEFORE)
    new = district_for(lat, lon, on=AFTER)
    assert old.inside_city
    assert new.inside_city
    assert old.district is not None
    assert old.district.name == before
    assert old.layer is not None
    assert old.layer.slug == "stadtbezirke-1975"
    assert new.district is not None
    assert new.district.name == after
    assert new.layer is not None
    assert new.layer.slug == "stadtbezirke-2025"


def test_district_for_the_statistical_layer(krefeld: CityProfile) -> None:
    answer = district_for(51.3330, 6.6370, on=AFTER, kind=DistrictLayer.Kind.STATISTICAL)
    assert answer.district is not None
    assert answer.district.name == "Linn"


@pytest.mark.parametrize(
    ("lat", "lon"), [(51.2277, 6.7735), (51.40, 6.40), (0.0, 0.0), (-89.9, 179.9)]
)  # Düsseldorf, west of Krefeld, far away
def test_district_for_outside_the_city(krefeld: CityProfile, lat: float, lon: float) -> None:
    answer = district_for(lat, lon, on=AFTER)
    assert answer.inside_city is False
    assert answer.district is None
    assert str(answer.label) == "außerhalb des Stadtgebiets"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_point_inside_the_outline_gets_a_district(krefeld: CityProfile, data: st.DataObject) -> None:
    outline = shape(krefeld.boundary)
    min_lon, min_lat, max_lon, max_lat = outline.bounds
    lat = data.draw(st.floats(min_value=min_lat, max_value=max_lat, allow_nan=False))
    lon = data.draw(st.floats(min_value=min_lon, max_value=max_lon, allow_nan=False))
    day = data.draw(st.sampled_from([BEFORE, AFTER]))
    kind = data.draw(st.sampled_from(DistrictLayer.Kind.values))
    answer = district_for(lat, lon, on=day, kind=kind)
    inside = outline.covers(Point(lon, lat))
    assert answer.inside_city is inside
    if inside:
        assert answer.district is not None
        assert answer.layer is not None
        assert answer.district.layer_id == answer.layer.pk
