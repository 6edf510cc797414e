"""Reads of the city profile: the active profile, its layers, and which district a point is in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from shapely import prepared
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from konzeptk.city.models import CityProfile, District, DistrictLayer, PointOfInterest

_PROFILE_CACHE_KEY = "city:active-profile-id"
_PROFILE_NAME_CACHE_KEY = "city:active-profile-name"


def active_profile() -> CityProfile | None:
    """The profile this installation serves (``KONZEPTK_CITY``), or the only one loaded.

    The outline and source notes are large and loaded only when a caller reads them (maps).
    """
    profiles = CityProfile.objects.defer("boundary", "sources")
    profile_id = cache.get(_PROFILE_CACHE_KEY)
    if profile_id is not None:
        profile = profiles.filter(pk=profile_id).first()
        if profile is not None:
            return profile
    profile = (
        profiles.filter(slug=settings.CITY_PROFILE).first()
        or profiles.filter(is_active=True).order_by("pk").first()
    )
    if profile is not None:
        cache.set(_PROFILE_CACHE_KEY, profile.pk, 300)
    return profile


def active_profile_name() -> str | None:
    """The active profile's name without loading its outline (every page shows it)."""
    name = cache.get(_PROFILE_NAME_CACHE_KEY)
    if name is None:
        profile = active_profile()
        if profile is None:
            return None
        name = profile.name
        cache.set(_PROFILE_NAME_CACHE_KEY, name, 300)
    return str(name)


def forget_active_profile() -> None:
    cache.delete_many([_PROFILE_CACHE_KEY, _PROFILE_NAME_CACHE_KEY])
    _prepared_layer.cache_clear()
    _prepared_boundary.cache_clear()


def layers_of(profile: CityProfile, *, kind: str | None = None) -> QuerySet[DistrictLayer]:
    qs = profile.layers.all()
    return qs.filter(kind=kind) if kind else qs


def current_layer(
    profile: CityProfile, *, on: dt.date | None = None, kind: str = DistrictLayer.Kind.ADMINISTRATIVE
) -> DistrictLayer | None:
    """The layer of this kind valid on the given day (today by default)."""
    day = on or timezone.localdate()
    return (
        DistrictLayer.objects.filter(profile=profile, kind=kind).valid_on(day).order_by("-valid_from").first()
    )


def districts_of(layer: DistrictLayer) -> QuerySet[District]:
    return layer.districts.order_by("code")


def warn_cells(profile: CityProfile) -> list[str]:
    """The DWD warn cells (WARNCELLID) of the city: ``warn_cells`` of the profile, or else derived from
    the municipality key as DWD numbers them (municipality ``8`` + key, district ``1`` + first five
    digits + ``000``; Krefeld: 805114000 and 105114000)."""
    if profile.warn_cells:
        return [str(cell) for cell in profile.warn_cells]
    key = profile.official_key
    if len(key) == 8 and key.isdigit():
        return [f"8{key}", f"1{key[:5]}000"]
    return []


def points_of(profile: CityProfile, *, category: str = "") -> QuerySet[PointOfInterest]:
    """The places of a profile, of one category if given, in a stable order for paging."""
    points = PointOfInterest.objects.filter(profile=profile).order_by("category", "name", "pk")
    return points.filter(category=category) if category else points


@dataclass(frozen=True)
class DistrictAnswer:
    """Where a point lies. ``inside_city`` is False for a point outside the city outline."""

    inside_city: bool
    district: District | None
    layer: DistrictLayer | None

    @property
    def label(self) -> str:
        from django.utils.translation import gettext as _

        if not self.inside_city:
            return _("außerhalb des Stadtgebiets")
        if self.district is None:
            return _("keinem Gebiet zugeordnet")
        return self.district.name


@lru_cache(maxsize=32)
def _prepared_boundary(profile_id: int, loaded_at: str) -> BaseGeometry:
    profile = CityProfile.objects.get(pk=profile_id)
    geom = shape(profile.boundary)
    prepared.prep(geom)
    return geom


@lru_cache(maxsize=64)
def _prepared_layer(layer_id: int, loaded_at: str) -> list[tuple[int, BaseGeometry]]:
    result = []
    for district_id, geometry in District.objects.filter(layer_id=layer_id).values_list("id", "geometry"):
        geom = shape(geometry)
        prepared.prep(geom)
        result.append((district_id, geom))
    return result


def district_for(
    lat: float,
    lon: float,
    *,
    on: dt.date | None = None,
    profile: CityProfile | None = None,
    kind: str = DistrictLayer.Kind.ADMINISTRATIVE,
) -> DistrictAnswer:
    """The district of the layer valid on ``on`` that contains the point (WGS84 lat/lon)."""
    profile = profile or active_profile()
    if profile is None:
        return DistrictAnswer(inside_city=False, district=None, layer=None)
    stamp = profile.loaded_at.isoformat()
    point = Point(lon, lat)
    if not _prepared_boundary(profile.pk, stamp).covers(point):
        return DistrictAnswer(inside_city=False, district=None, layer=None)
    layer = current_layer(profile, on=on, kind=kind)
    if layer is None:
        return DistrictAnswer(inside_city=True, district=None, layer=None)
    for district_id, geom in _prepared_layer(layer.pk, stamp):
        if geom.covers(point):
            return DistrictAnswer(
                inside_city=True, district=District.objects.get(pk=district_id), layer=layer
            )
    # On the outline itself rounding can leave a point between cells: take the nearest one.
    nearest = min(_prepared_layer(layer.pk, stamp), key=lambda item: item[1].distance(point), default=None)
    district = District.objects.get(pk=nearest[0]) if nearest else None
    return DistrictAnswer(inside_city=True, district=district, layer=layer)
