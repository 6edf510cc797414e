"""Reads behind the white spots (:mod:`konzeptk.education.white_spots`): the districts' anchor points,
the published offers with a place and their next session, and the city's venues – a fixed number of
queries whatever the number of offers and sessions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import OuterRef, Subquery
from shapely.geometry import Point, shape

from konzeptk.city.models import District, DistrictLayer, PointOfInterest
from konzeptk.city.selectors import active_profile, current_layer, districts_of
from konzeptk.education.models import Competence, Offer, Session
from konzeptk.education.white_spots import (
    AGE_GROUPS,
    ON_SITE_KINDS,
    AgeGroup,
    Anchor,
    Criteria,
    Place,
    Spot,
    Venue,
    Window,
    coverage,
    white_spots,
)


def anchors() -> list[Anchor]:
    """The anchor points of the districts of the administrative layer valid today, in code order
    (cached per profile load). A district with its own anchor point in the city profile (a Bürgerbüro,
    an estimated centre) is measured from it; a district made of older districts (Krefeld's five from
    1.11.2025) from the anchor points of the older districts that lie in it; any other from the centre
    of its area."""
    profile = active_profile()
    if profile is None:
        return []
    layer = current_layer(profile)
    if layer is None:
        return []
    key = f"education:anchors:{layer.pk}:{profile.loaded_at.isoformat()}"
    cached: list[Anchor] | None = cache.get(key)
    if cached is not None:
        return cached
    older = [
        (code, name, lat, lon, label)
        for code, name, lat, lon, label in District.objects.filter(
            layer__profile=profile,
            layer__kind=DistrictLayer.Kind.ADMINISTRATIVE,
            anchor_lat__isnull=False,
            anchor_lon__isnull=False,
        )
        .exclude(layer=layer)
        .order_by("code", "pk")
        .values_list("code", "name", "anchor_lat", "anchor_lon", "anchor_name")
        if lat is not None and lon is not None
    ]
    found = []
    for district in districts_of(layer):
        if district.anchor_lat is not None and district.anchor_lon is not None:
            found.append(
                Anchor(
                    district_id=district.pk,
                    name=district.name,
                    lat=district.anchor_lat,
                    lon=district.anchor_lon,
                    anchor_name=district.anchor_name,
                    key=district.code,
                )
            )
            continue
        area = shape(district.geometry)
        parts = [row for row in older if area.covers(Point(row[3], row[2]))]
        if len(parts) > 1:
            found.extend(
                Anchor(
                    district_id=district.pk,
                    name=f"{district.name} ({name})",
                    lat=lat,
                    lon=lon,
                    anchor_name=label,
                    key=f"{district.code}-{code}",
                )
                for code, name, lat, lon, label in parts
            )
        elif parts:
            _code, _name, lat, lon, label = parts[0]
            found.append(
                Anchor(
                    district_id=district.pk,
                    name=district.name,
                    lat=lat,
                    lon=lon,
                    anchor_name=label,
                    key=district.code,
                )
            )
        else:
            point = area.representative_point()
            found.append(
                Anchor(
                    district_id=district.pk, name=district.name, lat=point.y, lon=point.x, key=district.code
                )
            )
    cache.set(key, found, 3600)
    return found


def places(*, now: dt.datetime) -> list[Place]:
    """Published on-site offers with a place, with their next session from ``now`` (two queries)."""
    offers = Offer.objects.filter(
        status=Offer.Status.PUBLISHED,
        online=False,
        kind__in=ON_SITE_KINDS,
        lat__isnull=False,
        lon__isnull=False,
    )
    next_session = (
        Session.objects.filter(offer=OuterRef("pk"), cancelled=False, start__gte=now)
        .order_by("start")
        .values("start")[:1]
    )
    rows = list(
        offers.annotate(next_session=Subquery(next_session))
        .order_by("pk")
        .values_list(
            "pk",
            "slug",
            "title",
            "provider_id",
            "provider__name",
            "kind",
            "lat",
            "lon",
            "age_min",
            "age_max",
            "languages",
            "next_session",
            "opening_hours",
        )
    )
    areas: dict[int, set[int]] = {}
    for offer_id, area in (
        Competence.objects.filter(offer__in=offers).order_by().values_list("offer_id", "area").distinct()
    ):
        areas.setdefault(offer_id, set()).add(area)
    return [
        Place(
            offer_id=pk,
            slug=slug,
            title=title,
            provider_id=provider_id,
            provider_name=provider_name,
            kind=kind,
            lat=lat,
            lon=lon,
            age_min=age_min,
            age_max=age_max,
            languages=frozenset(code for code in languages.split("|") if code),
            areas=frozenset(areas.get(pk, ())),
            next_start=next_start,
            opening_hours=opening_hours,
        )
        for (
            pk,
            slug,
            title,
            provider_id,
            provider_name,
            kind,
            lat,
            lon,
            age_min,
            age_max,
            languages,
            next_start,
            opening_hours,
        ) in rows
        if lat is not None and lon is not None
    ]


def venues(categories: tuple[str, ...]) -> list[Venue]:
    """The active city profile's places of these categories (one query)."""
    profile = active_profile()
    if profile is None:
        return []
    return [
        Venue(name=name, category=category, lat=lat, lon=lon)
        for name, category, lat, lon in PointOfInterest.objects.filter(
            profile=profile, category__in=categories
        ).values_list("name", "category", "lat", "lon")
    ]


def offer_languages() -> list[str]:
    """The teaching languages of published on-site offers (ISO 639-1 codes, sorted; one query)."""
    codes: set[str] = set()
    for value in (
        Offer.objects.filter(status=Offer.Status.PUBLISHED, online=False)
        .order_by()
        .values_list("languages", flat=True)
        .distinct()
    ):
        codes.update(code for code in value.split("|") if code)
    return sorted(codes)


@dataclass(frozen=True)
class WhiteSpotReport:
    criteria: Criteria
    window: Window
    spots: list[Spot]  # one per district, for the chosen age group
    overview: list[tuple[Anchor, list[tuple[AgeGroup, int]]]]  # suitable offers in reach per age group

    @property
    def white(self) -> list[Spot]:
        return [s for s in self.spots if s.white]


def white_spot_report(criteria: Criteria, *, now: dt.datetime) -> WhiteSpotReport:
    """The white spots of every district for the criteria, and the overview of all age groups with
    the same language, area, radius and weeks (a fixed number of queries)."""
    window = Window.weeks(now, criteria.weeks)
    found = anchors()
    offered = places(now=window.now)
    spots = white_spots(
        anchors=found,
        places=offered,
        need=criteria.need(),
        window=window,
        radius_km=criteria.radius_km,
        venues=venues(criteria.age.venue_categories),
    )
    counts = coverage(
        anchors=found,
        places=offered,
        needs=[criteria.need(group) for group in AGE_GROUPS],
        window=window,
        radius_km=criteria.radius_km,
    )
    overview = [(a, [(g, counts.get((a.key, g.key), 0)) for g in AGE_GROUPS]) for a in found]
    return WhiteSpotReport(criteria=criteria, window=window, spots=spots, overview=overview)
