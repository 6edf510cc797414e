"""Who takes part compared with who lives here: representation ratios, small-cell suppression,
dissimilarity index.

**Representation ratio** of a group (a district, an age band, a combination): its share among the
participants divided by its share in the population. 1 means "as many as expected", 0.5 "half as
many". The 95 % interval is the Wilson score interval of the participant share divided by the
population share (official statistics are taken as exact). A group is flagged ``under`` when the
ratio is below 0.8 and ``clearly_under`` when even the upper end of the interval is below 0.8.

**Small-cell suppression.** Every published cell (group counts and totals) with 1 to 4 people is
suppressed (*primary suppression*); zeros are published, because they tell nothing about a person
and "nobody from Ost aged 65+" is exactly what outreach needs to know. Then *complementary
suppression* hides further cells until no suppressed small cell can be worked out from the
published cells and totals: a primary cell leaks when the smallest and largest value consistent with
every published number (all row and column sums, counts ≥ 0) coincide – with only positive cells
suppressed that is a rank test on the equations, otherwise a linear programme computes both bounds;
while a cell leaks, the smallest unsuppressed cell in the same row or column (preferring non-zero
inner cells) is suppressed too. Because tables with fixed margins are totally unimodular, the linear
bounds are also the integer bounds, so "min < max" means at least two whole-number answers.
Ratios and intervals of suppressed cells are suppressed as well; their ``under`` flags are computed
from the largest count consistent with the published numbers, so a flag never narrows a hidden cell.

**Dissimilarity index** (Duncan & Duncan): ``D = ½ Σ_d |p_d/P − q_d/Q|`` with participants p and
population q by district – the share of participants who would have to come from another district
for participation to mirror the population (0 = even, 1 = completely segregated).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np

from .errors import RepresentationError

MIN_COUNT = 5
UNDER = 0.8


def wilson_interval(successes: float, trials: float, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for a proportion; (0, 1) when there are no trials."""
    if trials <= 0:
        return 0.0, 1.0
    p = successes / trials
    denom = 1.0 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class SuppressedTable:
    """A count table with its totals (``extended``) and which cells must not be published."""

    extended: np.ndarray  # cells plus a totals column (row_totals) and/or totals row (col_totals)
    suppressed: np.ndarray  # bool, same shape
    primary: np.ndarray  # bool, the small cells themselves
    row_totals: bool
    col_totals: bool

    def published(self) -> list[list[int | None]]:
        return [
            [None if s else int(v) for v, s in zip(row, srow, strict=True)]
            for row, srow in zip(self.extended, self.suppressed, strict=True)
        ]


def _extend(cells: np.ndarray, row_totals: bool, col_totals: bool) -> np.ndarray:
    ext = cells
    if row_totals:
        ext = np.hstack([ext, ext.sum(axis=1, keepdims=True)])
    if col_totals:
        ext = np.vstack([ext, ext.sum(axis=0, keepdims=True)])
    return ext


def _equations(
    shape: tuple[int, int], row_totals: bool, col_totals: bool
) -> list[list[tuple[int, int, float]]]:
    """Linear equations (lists of (i, j, coefficient), sum = 0) tying the extended table together."""
    r, c = shape
    eqs: list[list[tuple[int, int, float]]] = []
    inner_c = c - 1 if row_totals else c
    inner_r = r - 1 if col_totals else r
    if row_totals:
        for i in range(r):
            eqs.append([(i, j, 1.0) for j in range(inner_c)] + [(i, c - 1, -1.0)])
    if col_totals:
        for j in range(c):
            eqs.append([(i, j, 1.0) for i in range(inner_r)] + [(r - 1, j, -1.0)])
    return eqs


def _system(
    extended: np.ndarray, suppressed: np.ndarray, row_totals: bool, col_totals: bool
) -> tuple[dict[tuple[int, int], int], np.ndarray, np.ndarray]:
    """Equations ``A x = b`` over the suppressed cells, given the published ones."""
    unknown = list(zip(*np.nonzero(suppressed), strict=True))
    index = {(int(i), int(j)): k for k, (i, j) in enumerate(unknown)}
    rows, rhs = [], []
    for eq in _equations(extended.shape, row_totals, col_totals):
        coeffs = np.zeros(len(unknown))
        known = 0.0
        for i, j, a in eq:
            k = index.get((i, j))
            if k is None:
                known += a * float(extended[i, j])
            else:
                coeffs[k] += a
        if coeffs.any():
            rows.append(coeffs)
            rhs.append(-known)
    a_eq = np.array(rows) if rows else np.zeros((0, len(unknown)))
    return index, a_eq, np.array(rhs)


def _recoverable(
    extended: np.ndarray, suppressed: np.ndarray, cell: tuple[int, int], *, row_totals: bool, col_totals: bool
) -> bool:
    """Can the cell's value be worked out exactly from the published numbers?

    When every suppressed value is positive, a cell is pinned down exactly when it is a linear
    combination of the equations (a rank test); any other direction of the solution space can be
    followed a little way without a count going negative. With suppressed zeros the bounds from
    the linear programme decide."""
    if np.all(extended[suppressed] > 0):
        index, a_eq, _ = _system(extended, suppressed, row_totals, col_totals)
        if a_eq.shape[0] == 0:
            return False
        unit = np.zeros(a_eq.shape[1])
        unit[index[cell]] = 1.0
        return bool(np.linalg.matrix_rank(np.vstack([a_eq, unit])) == np.linalg.matrix_rank(a_eq))
    lo, hi = cell_bounds(extended, suppressed, cell, row_totals=row_totals, col_totals=col_totals)
    return hi - lo < 0.5


def cell_bounds(
    extended: np.ndarray, suppressed: np.ndarray, cell: tuple[int, int], *, row_totals: bool, col_totals: bool
) -> tuple[float, float]:
    """Smallest and largest value of a suppressed cell given everything published (``inf`` if unbounded)."""
    from scipy.optimize import linprog  # only when a hidden cell is bounded: keeps importing the engine light

    index, a_eq, b_eq = _system(extended, suppressed, row_totals, col_totals)
    target = index[cell]
    if a_eq.shape[0] == 0:
        return 0.0, math.inf
    unknown = list(index)
    objective = np.zeros(len(unknown))
    objective[target] = 1.0
    bounds = [(0, None)] * len(unknown)
    low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    lo = float(low.fun) if low.status == 0 else 0.0
    hi = math.inf if high.status == 3 else (float(-high.fun) if high.status == 0 else math.inf)
    return lo, hi


def suppress_table(
    cells: np.ndarray | list[list[int]] | list[int],
    *,
    min_count: int = MIN_COUNT,
    row_totals: bool = True,
    col_totals: bool = True,
) -> SuppressedTable:
    """Primary and complementary suppression of a count table (see module docstring).

    A one-dimensional list is treated as one row with its total (``col_totals`` is then ignored).
    """
    arr = np.asarray(cells, dtype=np.int64)
    if arr.ndim == 1:
        arr = arr[None, :]
        col_totals = False
    if arr.ndim != 2 or arr.size == 0:
        raise RepresentationError("Eine Tabelle braucht mindestens eine Zelle.")
    if np.any(arr < 0):
        raise RepresentationError("Anzahlen können nicht negativ sein.")
    ext = _extend(arr, row_totals, col_totals)
    primary = (ext >= 1) & (ext < min_count)
    suppressed = primary.copy()
    is_total = np.zeros_like(suppressed)
    if row_totals:
        is_total[:, -1] = True
    if col_totals:
        is_total[-1, :] = True
    # Suppressing more cells only widens what an attacker must consider, so a cell found safe stays safe.
    safe: set[tuple[int, int]] = set()
    for _ in range(ext.size):
        leaking = None
        for i, j in zip(*np.nonzero(primary), strict=True):
            cell = (int(i), int(j))
            if cell in safe:
                continue
            alone = (row_totals and suppressed[i, :].sum() == 1) or (
                col_totals and suppressed[:, j].sum() == 1
            )
            if not alone and not _recoverable(
                ext, suppressed, cell, row_totals=row_totals, col_totals=col_totals
            ):
                safe.add(cell)
                continue
            leaking = cell
            break
        if leaking is None:
            break
        i, j = leaking
        line = np.zeros_like(suppressed)
        line[i, :] = True
        line[:, j] = True
        candidates = line & ~suppressed
        if not candidates.any():
            candidates = ~suppressed
        if not candidates.any():
            break
        # Prefer non-zero inner cells, then the smallest value, then the first position.
        keys = [
            (int(ext[a, b] == 0), int(is_total[a, b]), int(ext[a, b]), int(a), int(b))
            for a, b in zip(*np.nonzero(candidates), strict=True)
        ]
        _, _, _, a, b = min(keys)
        suppressed[a, b] = True
    return SuppressedTable(
        extended=ext, suppressed=suppressed, primary=primary, row_totals=row_totals, col_totals=col_totals
    )


@dataclass(frozen=True)
class RepresentationRow:
    group: str
    participants: int | None  # None: suppressed (fewer than 5, or would reveal such a cell)
    population: float
    participant_share: float | None
    population_share: float
    ratio: float | None
    ci_low: float | None
    ci_high: float | None
    under: bool
    clearly_under: bool


def representation(
    participants: Mapping[Hashable, int],
    population: Mapping[Hashable, float],
    *,
    threshold: float = UNDER,
    z: float = 1.96,
    min_count: int = MIN_COUNT,
) -> list[RepresentationRow]:
    """Representation ratio per group, ready to publish (small cells suppressed, see module docstring).

    Groups are those of the population; participants in groups the population lacks raise
    :class:`RepresentationError`.
    """
    extra = [str(k) for k, v in participants.items() if v and k not in population]
    if extra:
        raise RepresentationError(f"Gruppen ohne Bevölkerungszahl: {', '.join(sorted(extra))}.")
    keys = list(population)
    counts = np.array([int(participants.get(k, 0)) for k in keys], dtype=np.int64)
    pop = np.array([float(population[k]) for k in keys])
    if np.any(counts < 0) or np.any(pop < 0) or not np.all(np.isfinite(pop)):
        raise RepresentationError("Anzahlen und Bevölkerungszahlen können nicht negativ sein.")
    total, pop_total = int(counts.sum()), float(pop.sum())
    if total == 0:
        raise RepresentationError("Es gibt noch keine Teilnehmenden mit dieser Angabe.")
    if pop_total <= 0:
        raise RepresentationError("Die Bevölkerungszahlen fehlen oder sind alle 0.")
    table = suppress_table(counts, min_count=min_count)
    hidden = table.suppressed[0, :-1]
    total_hidden = bool(table.suppressed[0, -1])
    rows = []
    for i, key in enumerate(keys):
        share_pop = pop[i] / pop_total
        lo, hi = wilson_interval(counts[i], total, z)
        share = counts[i] / total
        ratio = share / share_pop if share_pop > 0 else math.nan
        r_lo = lo / share_pop if share_pop > 0 else math.nan
        r_hi = hi / share_pop if share_pop > 0 else math.nan
        secret = bool(hidden[i]) or total_hidden
        if secret:
            # Flags of a hidden group use the largest count consistent with the published numbers,
            # so they reveal nothing beyond what the table already shows.
            # With the total hidden nothing is flagged (see below), and a published zero next to it
            # is no unknown of the system, so there is nothing to bound.
            most = 0.0
            if not total_hidden:
                _, most = cell_bounds(
                    table.extended, table.suppressed, (0, i), row_totals=True, col_totals=False
                )
                most = min(most, float(total))
            lo, hi = wilson_interval(most, total, z)
            ratio = (most / total) / share_pop if share_pop > 0 else math.nan
            r_hi = hi / share_pop if share_pop > 0 else math.nan
        rows.append(
            RepresentationRow(
                group=str(key),
                participants=None if secret else int(counts[i]),
                population=float(pop[i]),
                participant_share=None if secret else float(share),
                population_share=float(share_pop),
                ratio=None if secret else float(ratio),
                ci_low=None if secret else float(r_lo),
                ci_high=None if secret else float(r_hi),
                under=bool(share_pop > 0 and not total_hidden and ratio < threshold),
                clearly_under=bool(share_pop > 0 and not total_hidden and r_hi < threshold),
            )
        )
    return rows


def dissimilarity_index(
    participants: np.ndarray | list[float], population: np.ndarray | list[float]
) -> float:
    """Duncan's dissimilarity index between participants and population over the same districts."""
    p = np.asarray(participants, dtype=float)
    q = np.asarray(population, dtype=float)
    if p.shape != q.shape or p.ndim != 1:
        raise RepresentationError("Teilnehmende und Bevölkerung brauchen dieselben Bezirke.")
    if np.any(p < 0) or np.any(q < 0):
        raise RepresentationError("Anzahlen können nicht negativ sein.")
    if p.sum() <= 0 or q.sum() <= 0:
        raise RepresentationError("Ohne Teilnehmende oder Bevölkerung gibt es keinen Segregationsindex.")
    return float(0.5 * np.abs(p / p.sum() - q / q.sum()).sum())
