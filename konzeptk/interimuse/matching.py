"""Matching of applications and vacant units: pure, typed functions (no Django, no database).

Facts go in as frozen dataclasses (:class:`UnitFacts`, :class:`NeedFacts`); ranked lists with the
reason for each rank come out (:class:`Match`). The caller loads the facts with a fixed number of
queries (``selectors.matching_facts``), so the work here grows with the sizes, the queries do not.

How a pair is rated (100 points at most, every part a :class:`Reason` with its points):

- **use** – the wanted use is among the unit's allowed uses (20), otherwise the unit is *unsuitable*;
  a unit without any recorded allowed use counts as "open to ask" (10).
- **area** – inside the wanted range (30); outside it the points fall with the relative distance
  (half the range's bound away: 0).
- **district** – in one of the wanted districts (20); no district wanted: 20 for every unit.
- **budget** – the tenant's share of the monthly rent (rent × the call's tenant share) within the
  monthly budget (30); above it the points fall with the overshoot (twice the budget: 0). A unit
  without a rent gets 15 ("rent to be agreed").
- **step_free** – needed but the unit is not step-free: *unsuitable* (0 points, no other change).

Suitable pairs rank before unsuitable ones, then by points (higher first), then by the smaller id,
so the order is total and the same on every database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

AREA_POINTS = 30
DISTRICT_POINTS = 20
BUDGET_POINTS = 30
USE_POINTS = 20
MAX_POINTS = AREA_POINTS + DISTRICT_POINTS + BUDGET_POINTS + USE_POINTS


@dataclass(frozen=True, slots=True)
class UnitFacts:
    """What matching needs to know about a vacant unit."""

    id: int
    area: float | None  # m²
    district_id: int | None
    rent: Decimal | None  # monthly rent in euros, before the programme's split
    allowed_uses: frozenset[str]
    step_free: bool


@dataclass(frozen=True, slots=True)
class NeedFacts:
    """What an application asks for."""

    id: int
    area_min: float | None
    area_max: float | None
    district_ids: frozenset[int]
    budget: Decimal | None  # monthly euros the applicant can pay
    use: str
    needs_step_free: bool


class Reason(NamedTuple):
    """One part of a rating: ``code`` names the criterion, ``fit`` says how well it is met."""

    code: str  # "use", "area", "district", "budget", "step_free"
    fit: str  # "full", "partial", "none", "unknown"
    points: int
    detail: str = ""  # figures for the sentence shown (e.g. "64.00 € / 120.00 €")


class Match(NamedTuple):
    """A rated pair; ``other_id`` is the unit's id in a list for an application and vice versa.

    The reasons are worked out when they are read (only for the pairs a page shows)."""

    other_id: int
    points: int
    suitable: bool
    need: NeedFacts
    unit: UnitFacts
    tenant_share: Decimal

    @property
    def reasons(self) -> tuple[Reason, ...]:
        return rate(self.need, self.unit, tenant_share=self.tenant_share)[2]


def rate(need: NeedFacts, unit: UnitFacts, *, tenant_share: Decimal) -> tuple[int, bool, tuple[Reason, ...]]:
    """The points, suitability and reasons of one pair; ``tenant_share`` in percent (e.g. 20)."""
    suitable = True
    reasons: list[Reason] = []
    if not unit.allowed_uses:
        reasons.append(Reason("use", "unknown", USE_POINTS // 2))
    elif need.use in unit.allowed_uses:
        reasons.append(Reason("use", "full", USE_POINTS))
    else:
        suitable = False
        reasons.append(Reason("use", "none", 0))
    area_points = _area_points(need.area_min, need.area_max, unit.area)
    area_detail = "" if unit.area is None else f"{unit.area:g} m²"
    reasons.append(
        Reason("area", _fit(area_points, AREA_POINTS, unit.area is None), area_points, area_detail)
    )
    if not need.district_ids:
        reasons.append(Reason("district", "full", DISTRICT_POINTS, "any"))
    elif unit.district_id is not None and unit.district_id in need.district_ids:
        reasons.append(Reason("district", "full", DISTRICT_POINTS))
    else:
        reasons.append(Reason("district", "none", 0))
    cost = None if unit.rent is None else float(unit.rent) * (float(tenant_share) / 100)
    budget = None if need.budget is None else float(need.budget)
    budget_points = _budget_points(budget, cost)
    detail = "" if cost is None else f"{cost:.2f} €"
    if cost is not None and budget is not None:
        detail += f" / {budget:.2f} €"
    reasons.append(
        Reason(
            "budget",
            _fit(budget_points, BUDGET_POINTS, cost is None or budget is None),
            budget_points,
            detail,
        )
    )
    if need.needs_step_free:
        if unit.step_free:
            reasons.append(Reason("step_free", "full", 0))
        else:
            suitable = False
            reasons.append(Reason("step_free", "none", 0))
    return sum(r.points for r in reasons), suitable, tuple(reasons)


def _fit(points: int, full: int, unknown: bool) -> str:
    if unknown:
        return "unknown"
    return "full" if points == full else "partial" if points else "none"


def _area_points(low: float | None, high: float | None, area: float | None) -> int:
    if area is None:
        return AREA_POINTS // 2
    if (low is None or area >= low) and (high is None or area <= high):
        return AREA_POINTS
    if low is not None and area < low:
        miss = (low - area) / (low / 2) if low / 2 > 0 else 1.0
    elif high is not None:
        miss = (area - high) / (high / 2) if high / 2 > 0 else 1.0
    else:  # pragma: no cover - inside the range above
        miss = 0.0
    return max(0, round(AREA_POINTS * (1 - min(miss, 1.0))))  # a miss of 1 or more: 0 points


def _budget_points(budget: float | None, cost: float | None) -> int:
    if cost is None or budget is None:
        return BUDGET_POINTS // 2
    if cost <= budget:
        return BUDGET_POINTS
    if budget <= 0:
        return 0
    return max(0, round(BUDGET_POINTS * (1 - min((cost - budget) / budget, 1.0))))


def _key(match: Match) -> tuple[bool, int, int]:
    return (not match.suitable, -match.points, match.other_id)


def units_for(
    need: NeedFacts, units: Iterable[UnitFacts], *, tenant_share: Decimal, limit: int | None = None
) -> list[Match]:
    """The units ranked for one application."""
    matches = [
        Match(u.id, *rate(need, u, tenant_share=tenant_share)[:2], need, u, tenant_share) for u in units
    ]
    matches.sort(key=_key)
    return matches if limit is None else matches[:limit]


def needs_for(
    unit: UnitFacts, needs: Iterable[NeedFacts], *, tenant_share: Decimal, limit: int | None = None
) -> list[Match]:
    """The applications ranked for one unit."""
    matches = [
        Match(n.id, *rate(n, unit, tenant_share=tenant_share)[:2], n, unit, tenant_share) for n in needs
    ]
    matches.sort(key=_key)
    return matches if limit is None else matches[:limit]


@dataclass(frozen=True, slots=True)
class MatchTable:
    """Both directions of one run: per application its ranked units, per unit its applications."""

    by_need: dict[int, list[Match]]
    by_unit: dict[int, list[Match]]


def match_all(
    needs: Sequence[NeedFacts],
    units: Sequence[UnitFacts],
    *,
    tenant_share: Decimal,
    limit: int | None = 10,
) -> MatchTable:
    """Rate every pair and rank in both directions, ``limit`` entries per list.

    The points of all pairs are computed at once as arrays (numpy, the same float arithmetic as
    :func:`rate`, which a test holds equal); a match works out its reasons when they are read."""
    needs = sorted(needs, key=lambda n: n.id)
    units = sorted(units, key=lambda u: u.id)
    if not needs or not units:
        return MatchTable({n.id: [] for n in needs}, {u.id: [] for u in units})
    points, suitable = _matrix(needs, units, tenant_share)
    order_key = -(points + np.where(suitable, 1000, 0))  # suitable first, then points; stable: by id
    total, fits = points.tolist(), suitable.tolist()
    by_need: dict[int, list[Match]] = {}
    for i, order in enumerate(np.argsort(order_key, axis=1, kind="stable")[:, :limit].tolist()):
        need = needs[i]
        by_need[need.id] = [
            Match(units[j].id, total[i][j], fits[i][j], need, units[j], tenant_share) for j in order
        ]
    by_unit: dict[int, list[Match]] = {}
    for j, order in enumerate(np.argsort(order_key.T, axis=1, kind="stable")[:, :limit].tolist()):
        unit = units[j]
        by_unit[unit.id] = [
            Match(needs[i].id, total[i][j], fits[i][j], needs[i], unit, tenant_share) for i in order
        ]
    return MatchTable(by_need=by_need, by_unit=by_unit)


def _matrix(
    needs: Sequence[NeedFacts], units: Sequence[UnitFacts], tenant_share: Decimal
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Points and suitability of every (need, unit) pair as two arrays of shape (needs, units)."""
    nan = float("nan")
    # use: one bit per use seen in the units
    bits = {use: 1 << k for k, use in enumerate(sorted({x for u in units for x in u.allowed_uses}))}
    mask = np.array([sum(bits[x] for x in u.allowed_uses) for u in units], dtype=object)
    need_bit = np.array([bits.get(n.use, 0) for n in needs], dtype=object)
    allowed = (need_bit[:, None] & mask[None, :]).astype(bool)
    no_uses = np.array([not u.allowed_uses for u in units])
    use_points = np.where(no_uses[None, :], USE_POINTS // 2, np.where(allowed, USE_POINTS, 0))
    suitable = no_uses[None, :] | allowed
    # step-free access
    step_free = np.array([u.step_free for u in units])
    wants_step_free = np.array([n.needs_step_free for n in needs])
    suitable &= ~(wants_step_free[:, None] & ~step_free[None, :])
    # area
    area = np.array([nan if u.area is None else u.area for u in units])[None, :]
    low = np.array([nan if n.area_min is None else n.area_min for n in needs])[:, None]
    high = np.array([nan if n.area_max is None else n.area_max for n in needs])[:, None]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        below = ~np.isnan(low) & (area < low)
        above = ~np.isnan(high) & (area > high) & ~below
        miss_low = np.where(low / 2 > 0, (low - area) / (low / 2), 1.0)
        miss_high = np.where(high / 2 > 0, (area - high) / (high / 2), 1.0)
        miss = np.minimum(np.where(below, miss_low, miss_high), 1.0)
        partial = np.maximum(0, np.round(AREA_POINTS * (1 - miss)))
    area_points = np.where(np.isnan(area), AREA_POINTS // 2, np.where(below | above, partial, AREA_POINTS))
    # district
    district_index: dict[int, int] = {}
    for u in units:
        if u.district_id is not None:
            district_index.setdefault(u.district_id, len(district_index))
    wanted = np.zeros((len(needs), len(district_index) + 1), dtype=bool)  # last column: no district
    for i, n in enumerate(needs):
        for d in n.district_ids:
            if d in district_index:
                wanted[i, district_index[d]] = True
    unit_col = np.array(
        [len(district_index) if u.district_id is None else district_index[u.district_id] for u in units]
    )
    any_wanted = np.array([bool(n.district_ids) for n in needs])[:, None]
    district_points = np.where(~any_wanted | wanted[:, unit_col], DISTRICT_POINTS, 0)
    # budget against the tenant's share of the rent
    share = float(tenant_share) / 100
    cost = np.array([nan if u.rent is None else float(u.rent) * share for u in units])[None, :]
    budget = np.array([nan if n.budget is None else float(n.budget) for n in needs])[:, None]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        over = np.maximum(0, np.round(BUDGET_POINTS * (1 - np.minimum((cost - budget) / budget, 1.0))))
    budget_points = np.where(
        np.isnan(cost) | np.isnan(budget),
        BUDGET_POINTS // 2,
        np.where(cost <= budget, BUDGET_POINTS, np.where(budget <= 0, 0, over)),
    )
    total = (use_points + area_points + district_points + budget_points).astype(np.int64)
    return total, suitable
