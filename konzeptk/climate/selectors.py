"""Reads of climate: the figures of the dashboard ``/klima/`` and the values of the strategy sources.

Every function here runs a fixed number of queries, whatever the number of units, stations or years
(sums and counts are grouped in the database)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from django.core.cache import cache, caches
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from konzeptk.climate.models import (
    STATUS_DECOMMISSIONED,
    SUSTAINABLE_MODES,
    BudgetBasis,
    ChargingStation,
    EmissionYear,
    ImportRun,
    ModalShare,
    Mode,
    PathPoint,
    Sector,
    SolarUnit,
)


@dataclass(frozen=True)
class BalanceRow:
    year: int
    population: int
    total_t: float
    per_capita: float
    path_per_capita: float | None
    sectors: dict[str, float]
    source: str
    licence: str
    simulated: bool

    @property
    def sector_list(self) -> list[float]:
        """The sectors' tonnes in the order of :class:`Sector` (for the table)."""
        return [self.sectors[s] for s in Sector.values]


def path_points() -> list[PathPoint]:
    return list(PathPoint.objects.order_by("year"))


def path_value(points: list[PathPoint], year: int) -> float | None:
    """The path's value for ``year``: straight lines between its points; None outside them."""
    for before, after in itertools.pairwise(points):
        if before.year <= year <= after.year:
            share = (year - before.year) / (after.year - before.year)
            return round(before.per_capita + share * (after.per_capita - before.per_capita), 3)
    if len(points) == 1 and points[0].year == year:
        return points[0].per_capita
    return None


def balances(points: list[PathPoint] | None = None) -> list[BalanceRow]:
    """Every yearly balance with its total, per resident and the path's value that year (two queries)."""
    points = path_points() if points is None else points
    rows = []
    for balance in EmissionYear.objects.prefetch_related("figures").order_by("year"):
        sectors = {f.sector: f.tonnes for f in balance.figures.all()}
        total = sum(sectors.values())
        rows.append(
            BalanceRow(
                year=balance.year,
                population=balance.population,
                total_t=total,
                per_capita=round(total / balance.population, 3),
                path_per_capita=path_value(points, balance.year),
                sectors={s: sectors.get(s, 0.0) for s in Sector.values},
                source=balance.source,
                licence=balance.licence,
                simulated=balance.simulated,
            )
        )
    return rows


@dataclass(frozen=True)
class Budget:
    basis: BudgetBasis
    city_budget_t: float
    used_t: float
    remaining_t: float
    measured_years: list[int]
    estimated_years: list[int]
    years_left: float | None  # at the latest year's emissions
    simulated: bool


def budget(rows: list[BalanceRow]) -> Budget | None:
    """The remaining budget of the active basis: the city's share minus the emissions since its start year.
    Years without a balance up to last year count with the latest balance before them (or the first one
    after the start); stated on the page. None without basis or balance."""
    basis = BudgetBasis.objects.filter(is_active=True).order_by("-pk").first()
    if basis is None or not rows:
        return None
    by_year = {r.year: r for r in rows}
    last_year = timezone.localdate().year - 1
    used = 0.0
    measured, estimated = [], []
    for year in range(basis.start_year, max(last_year, max(by_year)) + 1):
        if year in by_year:
            used += by_year[year].total_t
            measured.append(year)
            continue
        earlier = [r for r in rows if r.year < year]
        stand_in = earlier[-1] if earlier else rows[0]
        used += stand_in.total_t
        estimated.append(year)
    city_budget = basis.city_budget_t
    remaining = city_budget - used
    latest = rows[-1].total_t
    return Budget(
        basis=basis,
        city_budget_t=city_budget,
        used_t=used,
        remaining_t=remaining,
        measured_years=measured,
        estimated_years=estimated,
        years_left=round(remaining / latest, 1) if latest > 0 else None,
        simulated=any(by_year[y].simulated for y in measured)
        or bool(estimated and any(r.simulated for r in rows)),
    )


def active_units() -> QuerySet[SolarUnit]:
    """Units in operation or temporarily shut down (not finally decommissioned)."""
    return SolarUnit.objects.exclude(status_code=STATUS_DECOMMISSIONED).filter(decommissioned_on__isnull=True)


@dataclass(frozen=True)
class YearPoint:
    year: int
    added: float
    removed: float
    total: float


def _cumulative(added: dict[int, float], removed: dict[int, float], until: int) -> list[YearPoint]:
    years = sorted(set(added) | set(removed))
    if not years:
        return []
    total = 0.0
    result = []
    for year in range(years[0], max(until, years[-1]) + 1):
        total += added.get(year, 0.0) - removed.get(year, 0.0)
        result.append(YearPoint(year, added.get(year, 0.0), removed.get(year, 0.0), round(total, 3)))
    return result


def solar_over_time() -> list[YearPoint]:
    """Installed capacity (kWp) at the end of each year: commissioned minus finally decommissioned (two
    grouped queries)."""
    added = dict(
        SolarUnit.objects.filter(commissioned_on__isnull=False)
        .annotate(y=ExtractYear("commissioned_on"))
        .values_list("y")
        .annotate(kw=Sum("capacity_kw"))
        .values_list("y", "kw")
    )
    removed = dict(
        SolarUnit.objects.filter(commissioned_on__isnull=False, decommissioned_on__isnull=False)
        .annotate(y=ExtractYear("decommissioned_on"))
        .values_list("y")
        .annotate(kw=Sum("capacity_kw"))
        .values_list("y", "kw")
    )
    return _cumulative(added, removed, timezone.localdate().year)


@dataclass(frozen=True)
class AreaRow:
    name: str
    count: int
    amount: float


def _by_district(queryset: QuerySet[SolarUnit] | QuerySet[ChargingStation], amount: str) -> list[AreaRow]:
    rows = (
        queryset.values_list("district__name")
        .annotate(n=Count("pk"), amount=Sum(amount))
        .order_by("district__name")
    )
    return [AreaRow(name or "", n, float(a or 0)) for name, n, a in rows]


def solar_by_district() -> list[AreaRow]:
    """Units and kWp per district (units without coordinates, most small ones, under an empty name)."""
    return _by_district(active_units(), "capacity_kw")


@dataclass(frozen=True)
class SolarTotals:
    units: int
    capacity_kw: float
    with_position: int
    simulated: int

    @property
    def capacity_mwp(self) -> float:
        return self.capacity_kw / 1000


def solar_totals() -> SolarTotals:
    totals = active_units().aggregate(
        n=Count("pk"),
        kw=Sum("capacity_kw"),
        located=Count("pk", filter=Q(lat__isnull=False)),
        simulated=Count("pk", filter=Q(simulated=True)),
    )
    return SolarTotals(totals["n"], float(totals["kw"] or 0), totals["located"], totals["simulated"])


def charging_over_time() -> list[YearPoint]:
    added = dict(
        ChargingStation.objects.filter(commissioned_on__isnull=False)
        .annotate(y=ExtractYear("commissioned_on"))
        .values_list("y")
        .annotate(p=Sum("points"))
        .values_list("y", "p")
    )
    return _cumulative({y: float(p) for y, p in added.items()}, {}, timezone.localdate().year)


def charging_by_district() -> list[AreaRow]:
    return _by_district(ChargingStation.objects.all(), "points")


@dataclass(frozen=True)
class ChargingTotals:
    stations: int
    points: int
    fast_points: int
    simulated: int


def charging_totals() -> ChargingTotals:
    totals = ChargingStation.objects.aggregate(
        n=Count("pk"),
        p=Sum("points"),
        fast=Sum("points", filter=Q(fast=True)),
        simulated=Count("pk", filter=Q(simulated=True)),
    )
    return ChargingTotals(totals["n"], int(totals["p"] or 0), int(totals["fast"] or 0), totals["simulated"])


@dataclass
class ModalYear:
    year: int
    shares: dict[str, float] = field(default_factory=dict)
    source: str = ""
    licence: str = ""
    simulated: bool = False

    @property
    def share_list(self) -> list[float | None]:
        return [self.shares.get(m) for m in Mode.values]

    @property
    def sustainable(self) -> float:
        return round(sum(self.shares.get(m, 0.0) for m in SUSTAINABLE_MODES), 1)


def modal_split() -> list[ModalYear]:
    years: dict[int, ModalYear] = {}
    for share in ModalShare.objects.order_by("year", "mode"):
        entry = years.setdefault(
            share.year, ModalYear(share.year, source=share.source, licence=share.licence)
        )
        entry.shares[share.mode] = share.share
        entry.simulated = entry.simulated or share.simulated
    return [years[y] for y in sorted(years)]


def latest_run(kind: str) -> ImportRun | None:
    return ImportRun.objects.filter(kind=kind, refused="").order_by("-started_at", "-pk").first()


def import_runs() -> QuerySet[ImportRun]:
    return ImportRun.objects.order_by("-started_at", "-pk")


# --- values for the strategy's indicator sources --------------------------------------------------
def pv_capacity_mwp() -> float | None:
    totals = solar_totals()
    return round(totals.capacity_kw / 1000, 3) if totals.units else None


def charging_points() -> float | None:
    totals = charging_totals()
    return float(totals.points) if totals.stations else None


def emissions_per_capita() -> float | None:
    balance = EmissionYear.objects.order_by("-year").first()
    if balance is None:
        return None
    total = balance.figures.aggregate(t=Sum("tonnes"))["t"]
    return round(float(total or 0) / balance.population, 3)


def sustainable_share() -> float | None:
    years = modal_split()
    return years[-1].sustainable if years else None


def modes() -> list[tuple[str, str]]:
    return [(m.value, str(m.label)) for m in Mode]


def charging_stations() -> QuerySet[ChargingStation]:
    return ChargingStation.objects.select_related("district").order_by(
        "postcode", "street", "house_number", "pk"
    )


# --- the dashboard's figures, computed once per change ---------------------------------------------
GENERATION_KEY = "climate:figures:generation"
FIGURES_KEY = "climate:figures:{}:{}"
FIGURES_SECONDS = 3600


@dataclass(frozen=True)
class DashboardFigures:
    points: list[PathPoint]
    rows: list[BalanceRow]
    budget: Budget | None
    solar: list[YearPoint]
    solar_totals: SolarTotals
    solar_districts: list[AreaRow]
    solar_run: ImportRun | None
    charging: list[YearPoint]
    charging_totals: ChargingTotals
    charging_districts: list[AreaRow]
    charging_run: ImportRun | None
    modal: list[ModalYear]


def figures_changed() -> None:
    """Called after every write of climate data: the next dashboard request computes anew (in every
    process: the generation lives in the shared cache)."""
    shared = caches["shared"]
    shared.add(GENERATION_KEY, 0, timeout=None)
    try:
        shared.incr(GENERATION_KEY)
    except ValueError:  # expired between add and incr
        shared.set(GENERATION_KEY, 1, timeout=None)


def dashboard_figures() -> DashboardFigures:
    """Every figure of ``/klima/``. Kept in the process's cache until the data change (generation in the
    shared cache, bumped by :func:`figures_changed`) or an hour passes (the budget counts years up to last
    year); a request then costs one look-up. Never writes to the database."""
    generation = caches["shared"].get(GENERATION_KEY, 0)
    key = FIGURES_KEY.format(generation, timezone.localdate().year)
    cached = cache.get(key)
    if isinstance(cached, DashboardFigures):
        return cached
    points = path_points()
    rows = balances(points)
    figures = DashboardFigures(
        points=points,
        rows=rows,
        budget=budget(rows),
        solar=solar_over_time(),
        solar_totals=solar_totals(),
        solar_districts=solar_by_district(),
        solar_run=latest_run(ImportRun.Kind.MASTR),
        charging=charging_over_time(),
        charging_totals=charging_totals(),
        charging_districts=charging_by_district(),
        charging_run=latest_run(ImportRun.Kind.CHARGING),
        modal=modal_split(),
    )
    cache.set(key, figures, FIGURES_SECONDS)
    return figures
