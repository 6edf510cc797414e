"""Who takes part compared with who lives here: representation ratios and dissimilarity index,
computed from *published* counts.

**Published counts.** Every count of people shown anywhere has passed the cell-key method of
:mod:`.disclosure` (a consistent perturbation of at most ±2; true counts of 1 to 4 are never shown as
themselves). This module only ever sees those published counts, so nothing it derives – shares,
ratios, intervals, flags – can reveal more than the counts themselves.

**Representation ratio** of a group (a district, an age band, a combination): its share among the
participants divided by its share in the population. 1 means "as many as expected", 0.5 "half as
many". The share is the group's published count divided by the table's published total (a cell of
its own, so parts need not add up to it exactly; shares are held in [0, 1]). The 95 % interval is the
Wilson score interval of that share divided by the population share (official statistics are taken
as exact). A group is flagged ``under`` when the ratio is below 0.8 and ``clearly_under`` when even
the upper end of the interval is below 0.8.

**Dissimilarity index** (Duncan & Duncan): ``D = ½ Σ_d |p_d/P − q_d/Q|`` with participants p and
population q by district – the share of participants who would have to come from another district
for participation to mirror the population (0 = even, 1 = completely segregated). The platform
computes it from published counts too.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np

from .errors import RepresentationError

#: groups with fewer published participants are not described in words (no ratio flag etc.)
MIN_COUNT = 5
UNDER = 0.8


def wilson_interval(successes: float, trials: float, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for a proportion; (0, 1) when there are no trials."""
    if trials <= 0:
        return 0.0, 1.0
    p = min(1.0, max(0.0, successes / trials))
    denom = 1.0 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class RepresentationRow:
    group: str
    participants: int  # published (perturbed) count
    population: float
    participant_share: float
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
    total: int | None = None,
    threshold: float = UNDER,
    z: float = 1.96,
) -> list[RepresentationRow]:
    """Representation ratio per group from published counts (see module docstring).

    ``participants`` are the published counts per group, ``total`` the published count of everyone
    in the table (default: the sum of the groups). Groups are those of the population; participants
    in groups the population lacks raise :class:`RepresentationError`.
    """
    extra = [str(k) for k, v in participants.items() if v and k not in population]
    if extra:
        raise RepresentationError(f"Gruppen ohne Bevölkerungszahl: {', '.join(sorted(extra))}.")
    keys = list(population)
    counts = np.array([int(participants.get(k, 0)) for k in keys], dtype=np.int64)
    pop = np.array([float(population[k]) for k in keys])
    if np.any(counts < 0) or np.any(pop < 0) or not np.all(np.isfinite(pop)):
        raise RepresentationError("Anzahlen und Bevölkerungszahlen können nicht negativ sein.")
    whole = int(counts.sum()) if total is None else int(total)
    if whole < 0:
        raise RepresentationError("Anzahlen und Bevölkerungszahlen können nicht negativ sein.")
    pop_total = float(pop.sum())
    if whole == 0:
        raise RepresentationError("Es gibt noch keine Teilnehmenden mit dieser Angabe.")
    if pop_total <= 0:
        raise RepresentationError("Die Bevölkerungszahlen fehlen oder sind alle 0.")
    rows = []
    for i, key in enumerate(keys):
        share_pop = pop[i] / pop_total
        share = min(1.0, counts[i] / whole)
        lo, hi = wilson_interval(counts[i], whole, z)
        ratio = share / share_pop if share_pop > 0 else None
        r_lo = lo / share_pop if share_pop > 0 else None
        r_hi = hi / share_pop if share_pop > 0 else None
        rows.append(
            RepresentationRow(
                group=str(key),
                participants=int(counts[i]),
                population=float(pop[i]),
                participant_share=float(share),
                population_share=float(share_pop),
                ratio=None if ratio is None else float(ratio),
                ci_low=None if r_lo is None else float(r_lo),
                ci_high=None if r_hi is None else float(r_hi),
                under=bool(ratio is not None and ratio < threshold),
                clearly_under=bool(r_hi is not None and r_hi < threshold),
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
