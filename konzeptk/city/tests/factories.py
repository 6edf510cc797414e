"""factory_boy factories for city profiles, district layers, districts and places (other apps import them).

``make_city`` builds a test city with the districts you name; ``split_city`` the small rectangular one
the apps' tests share: a box around Krefeld cut at a longitude into a west and an east district.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import factory

from konzeptk.city.models import CityProfile, District, DistrictLayer, PointOfInterest
from konzeptk.city.selectors import forget_active_profile

#: west, south, east, north of the default test city (WGS84, around Krefeld)
KREFELD_BOX = (6.45, 51.28, 6.70, 51.40)


def box(west: float, south: float, east: float, north: float) -> dict[str, Any]:
    """A GeoJSON polygon of a lon/lat rectangle."""
    return {
        "type": "Polygon",
        "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
    }


class CityProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CityProfile
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"stadt-{n}")
    name = factory.Sequence(lambda n: f"Teststadt {n}")
    boundary = factory.LazyFunction(lambda: box(*KREFELD_BOX))
    center_lat = 51.34
    center_lon = 6.56


class DistrictLayerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DistrictLayer

    profile = factory.SubFactory(CityProfileFactory)
    slug = "bezirke"
    name = "Stadtbezirke"
    kind = DistrictLayer.Kind.ADMINISTRATIVE


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    layer = factory.SubFactory(DistrictLayerFactory)
    code = factory.Sequence(lambda n: str(n + 1))
    name = factory.Sequence(lambda n: f"Bezirk {n + 1}")
    geometry = factory.LazyAttribute(lambda d: d.layer.profile.boundary)


class PointOfInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PointOfInterest

    profile = factory.SubFactory(CityProfileFactory)
    category = "school"
    name = factory.Sequence(lambda n: f"Ort {n}")
    lat = 51.335
    lon = 6.54


def make_city(
    *,
    districts: Sequence[tuple[str, str, dict[str, Any]]],
    boundary: dict[str, Any] | None = None,
    slug: str = "krefeld",
    name: str = "Teststadt",
    center: tuple[float, float] = (51.34, 6.56),
    layer_name: str = "Stadtbezirke",
    **profile: Any,
) -> tuple[CityProfile, list[District]]:
    """A city profile with one administrative layer and these districts (code, name, GeoJSON geometry).
    Forgets the cached active profile, so the new one is found."""
    forget_active_profile()
    city = CityProfileFactory.create(
        slug=slug,
        name=name,
        boundary=boundary or box(*KREFELD_BOX),
        center_lat=center[0],
        center_lon=center[1],
        **profile,
    )
    layer = DistrictLayerFactory.create(profile=city, name=layer_name)
    made = [
        DistrictFactory.create(layer=layer, code=code, name=label, geometry=geometry)
        for code, label, geometry in districts
    ]
    forget_active_profile()
    return city, made


def split_city(
    *,
    bounds: tuple[float, float, float, float] = KREFELD_BOX,
    split: float | None = None,
    names: tuple[str, str] = ("West", "Ost"),
    **city: Any,
) -> tuple[CityProfile, District, District]:
    """A rectangular city (``bounds``: west, south, east, north) with two districts, west and east of
    the longitude ``split`` (default: the middle); other keywords as for :func:`make_city`."""
    west, south, east, north = bounds
    cut = split if split is not None else (west + east) / 2
    profile, (west_district, east_district) = make_city(
        boundary=box(*bounds),
        districts=[
            ("1", names[0], box(west, south, cut, north)),
            ("2", names[1], box(cut, south, east, north)),
        ],
        **city,
    )
    return profile, west_district, east_district
