"""JSON API of the city profile under /api/v1/city/: profile, layers, districts as GeoJSON, lookup.

Reading is public. Every list is paginated (``limit``/``offset``); errors are JSON
``{"code", "message"}`` with a German message.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from konzeptk.city import selectors
from konzeptk.city.models import CityProfile, DistrictLayer
from konzeptk.core.errors import DomainError
from konzeptk.core.pagination import Limit, Offset, Pagination

router = Router(tags=["Stadtprofil"])


class ErrorOut(Schema):
    code: str
    message: str


class ProfileOut(Schema):
    slug: str
    name: str
    official_key: str
    center: dict[str, float]
    population_total: int | None
    population_source: str
    postcodes: list[str]
    boundary: dict[str, Any] = Field(description="Stadtgrenze als GeoJSON-Geometrie (WGS84)")


class LayerOut(Schema):
    slug: str
    name: str
    kind: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    provisional: bool = Field(description="Zuschnitt nicht vollständig amtlich belegt")
    schematic: bool = Field(description="Grenzen berechnet, nicht amtlich")
    source: str
    district_count: int


class PointOut(Schema):
    category: str
    name: str
    address: str
    lat: float
    lon: float


class DistrictRef(Schema):
    code: str
    name: str
    population: int | None


class LayerRef(Schema):
    slug: str
    name: str
    schematic: bool
    provisional: bool


class DistrictForOut(Schema):
    lat: float
    lon: float
    on: dt.date
    inside_city: bool
    label: str
    district: DistrictRef | None
    layer: LayerRef | None


def _profile_or_404() -> CityProfile:
    profile = selectors.active_profile()
    if profile is None:
        raise DomainError("no_profile", status=404, message="Es ist kein Stadtprofil geladen.")
    return profile


def _layer_or_404(profile: CityProfile, slug: str) -> DistrictLayer:
    layer = profile.layers.filter(slug=slug).first()
    if layer is None:
        raise DomainError("unknown_layer", status=404, message=f"Die Gebietsebene „{slug}“ gibt es nicht.")
    return layer


@router.get("/profile", response={200: ProfileOut, 404: ErrorOut}, summary="Das Stadtprofil")
def profile_detail(request: HttpRequest) -> dict[str, Any]:
    profile = _profile_or_404()
    return {
        "slug": profile.slug,
        "name": profile.name,
        "official_key": profile.official_key,
        "center": {"lat": profile.center_lat, "lon": profile.center_lon},
        "population_total": profile.population_total,
        "population_source": profile.population_source,
        "postcodes": profile.postcodes,
        "boundary": profile.boundary,
    }


@router.get("/layers", response=list[LayerOut], summary="Gebietsebenen mit Gültigkeitszeitraum")
@paginate(Pagination)
def layer_list(request: HttpRequest) -> Any:
    profile = _profile_or_404()
    from django.db.models import Count

    return (
        profile.layers.annotate(district_count=Count("districts"))
        .order_by("kind", "-valid_from", "slug")
        .values(
            "slug",
            "name",
            "kind",
            "valid_from",
            "valid_until",
            "provisional",
            "schematic",
            "source",
            "district_count",
        )
    )


@router.get(
    "/layers/{slug}/districts",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="Gebiete einer Ebene als GeoJSON-FeatureCollection (seitenweise)",
)
def layer_districts(request: HttpRequest, slug: str, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    layer = _layer_or_404(_profile_or_404(), slug)
    districts = selectors.districts_of(layer)
    count = districts.count()
    features = [
        {
            "type": "Feature",
            "id": d.code,
            "geometry": d.geometry,
            "properties": {
                "code": d.code,
                "name": d.name,
                "population": d.population,
                "population_year": d.population_year,
                "note": d.note,
            },
        }
        for d in districts[offset : offset + limit]
    ]
    return {
        "type": "FeatureCollection",
        "layer": {
            "slug": layer.slug,
            "name": layer.name,
            "valid_from": layer.valid_from,
            "valid_until": layer.valid_until,
            "schematic": layer.schematic,
            "provisional": layer.provisional,
        },
        "count": count,
        "limit": limit,
        "offset": offset,
        "features": features,
    }


@router.get("/points", response=list[PointOut], summary="Orte (Bürgerbüros, Schulen, Bibliotheken, …)")
@paginate(Pagination)
def point_list(request: HttpRequest, category: str = "") -> Any:
    profile = _profile_or_404()
    return selectors.points_of(profile, category=category)


def _coordinate(raw: str | None, name: str, low: float, high: float) -> float:
    if raw is None or raw.strip() == "":
        raise DomainError("missing_parameter", status=400, message=f"Der Parameter „{name}“ fehlt.")
    try:
        value = float(raw.strip().replace(",", "."))
    except ValueError:
        raise DomainError(
            "invalid_number", status=400, message=f"„{name}“ muss eine Zahl sein, nicht „{raw[:40]}“."
        ) from None
    if not math.isfinite(value) or not low <= value <= high:
        raise DomainError(
            "out_of_range", status=400, message=f"„{name}“ muss zwischen {low:g} und {high:g} liegen."
        )
    return value


@router.get(
    "/district-for",
    response={200: DistrictForOut, 400: ErrorOut, 404: ErrorOut},
    summary="In welchem Gebiet liegt ein Punkt (WGS84) an einem Tag?",
)
def district_for(
    request: HttpRequest,
    lat: str,
    lon: str,
    on: str | None = None,
    kind: str = DistrictLayer.Kind.ADMINISTRATIVE,
) -> dict[str, Any]:
    latitude = _coordinate(lat, "lat", -90, 90)
    longitude = _coordinate(lon, "lon", -180, 180)
    if kind not in DistrictLayer.Kind.values:
        allowed = ", ".join(DistrictLayer.Kind.values)
        raise DomainError(
            "invalid_kind", status=400, message=f"„kind“ muss einer dieser Werte sein: {allowed}."
        )
    if on:
        try:
            day = dt.date.fromisoformat(on)
        except ValueError:
            raise DomainError(
                "invalid_date", f"„on“ muss ein Datum im Format JJJJ-MM-TT sein, nicht „{on[:40]}“.", 400
            ) from None
    else:
        from django.utils import timezone

        day = timezone.localdate()
    answer = selectors.district_for(latitude, longitude, on=day, profile=_profile_or_404(), kind=kind)
    return {
        "lat": latitude,
        "lon": longitude,
        "on": day,
        "inside_city": answer.inside_city,
        "label": answer.label,
        "district": (
            {
                "code": answer.district.code,
                "name": answer.district.name,
                "population": answer.district.population,
            }
            if answer.district
            else None
        ),
        "layer": (
            {
                "slug": answer.layer.slug,
                "name": answer.layer.name,
                "schematic": answer.layer.schematic,
                "provisional": answer.layer.provisional,
            }
            if answer.layer
            else None
        ),
    }
