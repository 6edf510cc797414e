"""Raking: weight participants so that they match the population on several margins at once.

Iterative proportional fitting (IPF): starting from equal weights, the weights are multiplied, margin
by margin (e.g. district, then age band, then gender), by *population share / weighted participant
share* of each person's category, and the cycle repeats until every margin matches to ``tol``.

Weights are then trimmed to ``[lower · mean, upper · mean]`` (default 0.2 … 5) so that a few people
from a rare group do not carry a whole result, and raking runs again; trim and rake alternate until
the weights stay inside the bounds and the margins match, or ``max_rounds`` is reached or trimming
stops making progress (bounds the margins cannot live with, e.g. a district with 20 % of the
participants but 4 % of the residents and a lower bound of 0.2): then the report says
``converged=False`` and gives the remaining margin error. Weights are scaled to mean 1.

The Kish effective sample size ``(Σw)² / Σw²`` says how many unweighted answers the weighted result
is worth.

A population category nobody from the participants belongs to cannot be reached by any weighting:
:class:`RakingError` names every such group (and every participant group the population lacks) instead
of dividing by zero.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .errors import RakingError


@dataclass(frozen=True)
class Margin:
    """One raking dimension: each participant's category index and the population per category."""

    name: str
    codes: np.ndarray
    population: np.ndarray
    labels: tuple[str, ...] = ()

    def label(self, index: int) -> str:
        return self.labels[index] if index < len(self.labels) else str(index)


def margin_from_values(name: str, values: Sequence[Hashable], population: Mapping[Hashable, float]) -> Margin:
    """Build a :class:`Margin` from each participant's category value and population counts by value.

    Participants whose value the population does not know raise :class:`RakingError`.
    """
    keys = list(population)
    index = {key: i for i, key in enumerate(keys)}
    unknown = sorted({str(v) for v in values if v not in index})
    if unknown:
        raise RakingError(
            f"Merkmal {name}: Die Gruppen {', '.join(unknown)} kommen in der Bevölkerungsstatistik nicht vor."
        )
    codes = np.fromiter((index[v] for v in values), dtype=np.int64, count=len(values))
    return Margin(
        name=name,
        codes=codes,
        population=np.array([float(population[k]) for k in keys]),
        labels=tuple(str(k) for k in keys),
    )


@dataclass(frozen=True)
class MarginReport:
    name: str
    category: str
    population_share: float
    raw_share: float
    weighted_share: float


@dataclass
class RakingResult:
    weights: np.ndarray
    iterations: int
    rounds: int
    converged: bool
    max_margin_error: float  # largest |weighted share - population share| over all categories
    trimmed: int  # weights at a trimming bound after the last round
    effective_sample_size: float
    margins: list[MarginReport] = field(default_factory=list)

    @property
    def design_effect(self) -> float:
        n = self.weights.size
        return n / self.effective_sample_size if self.effective_sample_size else float("inf")


def kish_effective_sample_size(weights: np.ndarray) -> float:
    w = np.asarray(weights, dtype=float)
    sq = float(np.dot(w, w))
    return float(w.sum() ** 2 / sq) if sq > 0 else 0.0


def _check(margins: Sequence[Margin], n: int) -> list[tuple[np.ndarray, np.ndarray, int]]:
    if not margins:
        raise RakingError("Für die Gewichtung braucht es mindestens ein Merkmal mit Bevölkerungszahlen.")
    if n == 0:
        raise RakingError("Es gibt keine Teilnehmenden, die gewichtet werden könnten.")
    prepared = []
    problems: list[str] = []
    for margin in margins:
        codes = np.asarray(margin.codes)
        pop = np.asarray(margin.population, dtype=float)
        k = pop.size
        if codes.shape != (n,):
            raise RakingError(f"Merkmal {margin.name}: {codes.size} Angaben für {n} Teilnehmende.")
        if not np.issubdtype(codes.dtype, np.integer) or (n and (codes.min() < 0 or codes.max() >= k)):
            raise RakingError(f"Merkmal {margin.name}: Gruppennummern außerhalb von 0 bis {k - 1}.")
        if not np.all(np.isfinite(pop)) or np.any(pop < 0) or pop.sum() <= 0:
            raise RakingError(
                f"Merkmal {margin.name}: Die Bevölkerungszahlen müssen endlich, nicht negativ und nicht alle 0 sein."
            )
        present = np.bincount(codes, minlength=k)
        for i in np.flatnonzero((pop > 0) & (present == 0)):
            problems.append(
                f"{margin.name} „{margin.label(int(i))}“ hat {pop[i]:g} Einwohner:innen, aber keine Teilnehmenden"
            )
        for i in np.flatnonzero((pop == 0) & (present > 0)):
            problems.append(
                f"{margin.name} „{margin.label(int(i))}“ hat {present[i]} Teilnehmende, aber keine Einwohner:innen"
            )
        prepared.append((codes.astype(np.intp), pop / pop.sum(), k))
    if problems:
        raise RakingError(
            "Die Bevölkerungsränder lassen sich nicht erreichen: "
            + "; ".join(problems)
            + ". Fassen Sie diese Gruppen mit einer Nachbargruppe zusammen oder beteiligen Sie dort gezielt Menschen."
        )
    return prepared


def _margin_error(prepared: list[tuple[np.ndarray, np.ndarray, int]], w: np.ndarray) -> float:
    total = w.sum()
    return max(
        float(np.abs(np.bincount(c, weights=w, minlength=k) / total - s).max()) for c, s, k in prepared
    )


def _outside(w: np.ndarray, trim: tuple[float, float]) -> int:
    mean = w.mean()
    return int(((w < trim[0] * mean * (1 - 1e-9)) | (w > trim[1] * mean * (1 + 1e-9))).sum())


def _trim(w: np.ndarray, trim: tuple[float, float]) -> np.ndarray:
    """Clip weights to [lower, upper] × their mean and rescale to mean 1, until that is stable
    (clipping moves the mean, so one clip is not enough)."""
    n = w.size
    for _ in range(100):
        mean = w.mean()
        clipped: np.ndarray = np.clip(w, trim[0] * mean, trim[1] * mean)
        clipped *= n / clipped.sum()
        if np.allclose(clipped, w, rtol=1e-12, atol=0):
            return clipped
        w = clipped
    return w


def rake(
    margins: Sequence[Margin],
    *,
    base_weights: np.ndarray | None = None,
    trim: tuple[float, float] | None = (0.2, 5.0),
    tol: float = 1e-10,
    max_iter: int = 500,
    max_rounds: int = 50,
) -> RakingResult:
    """Rake participants to the margins (see module docstring)."""
    n = int(np.asarray(margins[0].codes).size) if margins else 0
    prepared = _check(margins, n)
    if base_weights is None:
        w = np.ones(n)
    else:
        w = np.array(base_weights, dtype=float)
        if w.shape != (n,) or not np.all(np.isfinite(w)) or np.any(w <= 0):
            raise RakingError("Grundgewichte müssen für jede Person endlich und größer als 0 sein.")
    targets = [(codes, share * n, k) for codes, share, k in prepared]
    iterations = 0
    rounds = 0
    error = float("inf")
    best_trimmed_error, stale = float("inf"), 0
    for rounds in range(1, max_rounds + 1):  # noqa: B007 – reported below
        for _ in range(max_iter):
            iterations += 1
            for codes, target, k in targets:
                current = np.bincount(codes, weights=w, minlength=k)
                factor = np.divide(target, current, out=np.ones(k), where=current > 0)
                w *= factor[codes]
            w *= n / w.sum()
            error = _margin_error(prepared, w)
            if error < tol:
                break
        if trim is None or error >= tol:
            # Without trimming, or when even untrimmed raking does not converge, more rounds cannot help.
            break
        if error < tol and _outside(w, trim) == 0:
            break
        w = _trim(w, trim)
        trimmed_error = _margin_error(prepared, w)
        # Bounds the margins cannot live with make trimming and raking cycle: stop when the error
        # after trimming has not improved by 1 % in five rounds.
        if trimmed_error < best_trimmed_error * 0.99:
            best_trimmed_error, stale = trimmed_error, 0
        else:
            stale += 1
            if stale >= 5:
                break
    error = _margin_error(prepared, w)
    trimmed = outside = 0
    if trim is not None:
        mean = w.mean()
        outside = _outside(w, trim)
        trimmed = int(
            (np.isclose(w, trim[0] * mean, rtol=1e-9) | np.isclose(w, trim[1] * mean, rtol=1e-9)).sum()
        )
    report: list[MarginReport] = []
    raw_total = float(n)
    for margin, (codes, share, k) in zip(margins, prepared, strict=True):
        raw = np.bincount(codes, minlength=k) / raw_total
        weighted = np.bincount(codes, weights=w, minlength=k) / w.sum()
        report.extend(
            MarginReport(margin.name, margin.label(i), float(share[i]), float(raw[i]), float(weighted[i]))
            for i in range(k)
        )
    return RakingResult(
        weights=w,
        iterations=iterations,
        rounds=rounds,
        converged=bool(error < tol and outside == 0),
        max_margin_error=error,
        trimmed=trimmed,
        effective_sample_size=kish_effective_sample_size(w),
        margins=report,
    )


def weighted_counts(item: np.ndarray, person: np.ndarray, weights: np.ndarray, *, n_items: int) -> np.ndarray:
    """Weighted number of supports per item: ``item[k]`` supported by ``person[k]`` (index into weights)."""
    return np.bincount(
        np.asarray(item, dtype=np.intp),
        weights=np.asarray(weights)[np.asarray(person, dtype=np.intp)],
        minlength=n_items,
    )
