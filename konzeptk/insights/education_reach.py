"""Who the education offers reach, compared with who lives here – published through the one
disclosure control of the platform.

:mod:`konzeptk.education.reach_selectors` hands over the people reached in a year (by stable id, with
the district and age band they chose to give on booking). Every count of people here is a cell of the
cell-key method (:mod:`konzeptk.insights.engine.disclosure`, secret from :mod:`.privacy`): the same
people give the same number in every table (district × age band, district, age band, kind of offer,
DigComp area, the strategy indicator), on every page and every day, so subtracting one table from
another, or yesterday's number from today's, does not isolate a booking. The reach per 1,000 residents
is computed from the published count and shown only for groups published as
:data:`~.privacy.MIN_DESCRIBED` or more; smaller cells say "zu wenige Angaben".

Districts: people's districts (any layer of the profile) are mapped onto the reference layer of
insights (:func:`.selectors.district_mapping`) and compared with its population (6–17, 18–64, 65+;
children under 6 and people without a band count only in the totals).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from konzeptk.education import digcomp, reach_selectors
from konzeptk.education.models import Offer
from konzeptk.insights import privacy, selectors
from konzeptk.insights.engine.disclosure import Keyring
from konzeptk.insights.models import POPULATION_BANDS

#: how long a computed report stays in the cache (its key changes with every booking that could count)
CACHE_SECONDS = 6 * 3600

#: at most this many years in the yearly series of seniors reached
SERIES_YEARS = 5

SENIOR_BAND = "65+"

#: the strategy indicator value source registered from ``InsightsConfig.ready()``
INDICATOR_SOURCE = "insights.education_seniors_reached"


@dataclass(frozen=True)
class Figure:
    """A published count of people, the population it is compared with and, when the published
    count is large enough, the reach per 1,000 residents."""

    published: int
    population: float | None = None

    @property
    def described(self) -> bool:
        return privacy.large_enough(self.published)

    @property
    def per_thousand(self) -> float | None:
        if not self.described or not self.population:
            return None
        return 1000 * self.published / self.population


@dataclass(frozen=True)
class DistrictRow:
    district_id: int
    name: str
    total: Figure
    bands: tuple[Figure, ...]  # in the order of POPULATION_BANDS


@dataclass(frozen=True)
class ReachReport:
    year: int
    total: Figure
    rows: tuple[DistrictRow, ...]
    band_totals: tuple[Figure, ...]
    unknown_district: int  # published count of people without a (mappable) district
    by_kind: tuple[tuple[str, int], ...]  # (label, published)
    by_area: tuple[tuple[str, int], ...]
    population_year: int | None
    derived_from: str

    @property
    def bands(self) -> tuple[str, ...]:
        return POPULATION_BANDS


def reach_years() -> list[int]:
    """Years with counted bookings, newest first; this year always included."""
    years = set(reach_selectors.reach_years())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def _cells(members: dict[Hashable, list[str]], keyring: Keyring) -> dict[Hashable, int]:
    return {key: keyring.cell(people) for key, people in members.items()}


def _cache_key(kind: str, year: int) -> str | None:
    """Key of a computed figure: the bookings' fingerprint, the reference layer and profile load, the
    secret (a new secret gives new numbers) and the language of the labels."""
    layer = selectors.reference_layer()
    if layer is None:
        return None
    secret = hashlib.sha256(privacy.keyring().secret).hexdigest()[:12]
    return (
        f"insights:education-reach:{kind}:{year}:{reach_selectors.reach_fingerprint()}:{layer.pk}:"
        f"{layer.profile.loaded_at.isoformat()}:{secret}:{get_language()}"
    )


def reach_report(*, year: int) -> ReachReport | None:
    """The published reach of ``year`` (kept in the cache until a booking changes); None without a
    city profile with population statistics."""
    key = _cache_key("report", year)
    if key is None:
        return None
    cached: ReachReport | None = cache.get(key)
    if cached is None:
        cached = compute_reach_report(year=year)
        if cached is not None:
            cache.set(key, cached, CACHE_SECONDS)
    return cached


def compute_reach_report(*, year: int) -> ReachReport | None:
    """The published reach of ``year``, computed afresh."""
    layer = selectors.reference_layer()
    population = selectors.population(layer) if layer is not None else None
    if layer is None or population is None:
        return None
    mapping = selectors.district_mapping(layer)
    people = reach_selectors.reached_people(year=year)
    keyring = privacy.keyring()

    everybody = [p.person for p in people]
    by_cell: dict[Hashable, list[str]] = defaultdict(list)
    by_district: dict[Hashable, list[str]] = defaultdict(list)
    by_band: dict[Hashable, list[str]] = defaultdict(list)
    unknown: list[str] = []
    by_kind: dict[Hashable, list[str]] = defaultdict(list)
    by_area: dict[Hashable, list[str]] = defaultdict(list)
    for p in people:
        district = mapping.get(p.district_id) if p.district_id is not None else None
        band = p.band if p.band in POPULATION_BANDS else None
        if district is None:
            unknown.append(p.person)
        else:
            by_district[district].append(p.person)
        if band is not None:
            by_band[band].append(p.person)
        if district is not None and band is not None:
            by_cell[(district, band)].append(p.person)
        for kind in p.kinds:
            by_kind[kind].append(p.person)
        for area in p.areas:
            by_area[area].append(p.person)

    cells, districts, bands = _cells(by_cell, keyring), _cells(by_district, keyring), _cells(by_band, keyring)
    residents = population.by_district_band()
    residents_district = population.by_district()
    residents_band = population.by_band()
    rows = tuple(
        DistrictRow(
            district_id=d,
            name=name,
            total=Figure(districts.get(d, 0), residents_district.get(d)),
            bands=tuple(Figure(cells.get((d, b), 0), residents.get((d, b))) for b in POPULATION_BANDS),
        )
        for d, name in population.districts
    )
    kinds = _cells(by_kind, keyring)
    areas = _cells(by_area, keyring)
    return ReachReport(
        year=year,
        total=Figure(keyring.cell(everybody), sum(residents_band.values())),
        rows=rows,
        band_totals=tuple(Figure(bands.get(b, 0), residents_band.get(b)) for b in POPULATION_BANDS),
        unknown_district=keyring.cell(unknown),
        by_kind=tuple((str(label), kinds.get(value, 0)) for value, label in Offer.Kind.choices),
        by_area=tuple((str(area), areas.get(number, 0)) for number, area in sorted(digcomp.AREAS.items())),
        population_year=population.year,
        derived_from=population.derived_from,
    )


def seniors_reached(*, year: int) -> int | None:
    """Published number of people aged 65 and over reached in ``year``; None when nobody was reached
    that year (nothing to measure yet). Kept in the cache like the report."""
    key = _cache_key("seniors", year)
    if key is not None:
        hit: tuple[int | None] | None = cache.get(key)
        if hit is not None:
            return hit[0]
    people = reach_selectors.reached_people(year=year)
    value = privacy.keyring().cell([p.person for p in people if p.band == SENIOR_BAND]) if people else None
    if key is not None:
        cache.set(key, (value,), CACHE_SECONDS)
    return value


def seniors_series() -> list[tuple[int, int | None]]:
    """(year, published seniors reached) for the last years with data, newest first."""
    return [(year, seniors_reached(year=year)) for year in reach_years()[:SERIES_YEARS]]


def seniors_reached_this_year() -> float | None:
    """The value of the strategy indicator source ``insights.education_seniors_reached``."""
    value = seniors_reached(year=timezone.localdate().year)
    return None if value is None else float(value)
