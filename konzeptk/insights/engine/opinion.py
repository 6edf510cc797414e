"""Opinion landscape (Polis-style): projection, opinion groups, representative statements, consensus.

The pipeline, step by step:

1. **Projection with missing votes.** Votes are 1/0/-1 (agree/pass/disagree); a statement a person
   did not see is *missing*, not 0. Each statement's column is centred on the mean of its observed
   votes, and missing votes are imputed with that mean – i.e. they become 0 after centring – which
   keeps the matrix sparse. A randomized truncated SVD of that sparse matrix gives the principal
   components; a participant's coordinates are their centred votes times the loadings, multiplied by
   ``sqrt(n_statements / n_votes_of_participant)`` as Polis does, so people who voted on few
   statements are not pulled into the centre. Signs are fixed (largest loading positive) so repeated
   runs agree.
2. **Base clusters.** k-means with up to 100 centres on the first ``cluster_dims`` components
   (default 4; Polis uses 2, but k groups need k-1 dimensions to lie apart: on simulated data with
   four planted groups the 2-D map merged two of them, adjusted Rand index 0.88 instead of 0.99).
   Above 20,000 participants the centres are fitted on a fixed random sample of 20,000 and everybody
   is assigned to the nearest centre. Only participants with at least ``min(7, n_statements)``
   votes are clustered (as in Polis); the others keep coordinates but get group ``-1``.
3. **Opinion groups.** k-means over the base-cluster centres weighted by their sizes, for k = 2…5;
   k is chosen by the silhouette score on a fixed random sample of at most 3,000 participants.
   Finally a few Lloyd steps at participant level (from the group centres) split base clusters
   that straddle a group boundary. Groups are numbered by size (largest first; ties by position). With ``previous_labels`` the
   numbers are matched to an earlier run (Hungarian assignment on shared members), so group "A"
   stays group "A" when votes come in. Everything is seeded: the same votes give the same groups.
4. **Representative statements** per group (Polis repness): with a = agrees, d = disagrees, s = votes
   seen in the group and a', s' in the rest, ``pa = (a+1)/(s+2)``, ``ra = pa / ((a'+1)/(s'+2))``, a
   one-proportion z-test of pa against 1/2 and a two-proportion z-test against the rest; the same for
   disagreement. A statement represents a group in the direction with the higher
   ``ra · z_rest · pa · z_group`` when both z-scores exceed 1.2816 (90 % one-sided).
5. **Group-informed consensus** per statement: ``∏_g (a_g+1)/(s_g+2)`` over opinion groups.
6. **Bridging** per statement: ``min_g (a_g+1)/(s_g+2)`` – the agreement of the least agreeing group
   (:func:`.bridging.bridging_scores`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist
from sklearn.cluster import KMeans
from sklearn.utils.extmath import randomized_svd
from threadpoolctl import threadpool_limits

from .bridging import bridging_scores
from .errors import VotesError
from .votes import VoteMatrix

Z_90 = 1.2816
BASE_FIT_SAMPLE = 20_000


@dataclass(frozen=True)
class RepresentativeStatement:
    statement: str
    direction: str  # "agree" or "disagree"
    rate_in_group: float  # smoothed share agreeing (or disagreeing) in the group
    rate_in_rest: float
    ratio: float
    z_group: float
    z_rest: float
    significant: bool

    @property
    def metric(self) -> float:
        return self.ratio * self.z_rest * self.rate_in_group * self.z_group


@dataclass(frozen=True)
class ScoredStatement:
    statement: str
    score: float


@dataclass
class OpinionResult:
    matrix: VoteMatrix
    coords: np.ndarray  # participants × 2 (for the scatter plot)
    labels: np.ndarray  # participants, group number or -1 (too few votes to be grouped)
    k: int
    silhouettes: dict[int, float]
    agree: np.ndarray  # groups × statements
    disagree: np.ndarray
    seen: np.ndarray
    consensus: np.ndarray  # per statement
    bridging: np.ndarray  # per statement
    explained_variance: np.ndarray
    representative: list[list[RepresentativeStatement]] = field(default_factory=list)

    @property
    def group_sizes(self) -> list[int]:
        return [int(x) for x in np.bincount(self.labels[self.labels >= 0], minlength=self.k)]

    @property
    def ungrouped(self) -> int:
        return int((self.labels < 0).sum())

    def top(self, scores: np.ndarray, n: int = 10) -> list[ScoredStatement]:
        order = np.lexsort((np.arange(scores.size), -np.nan_to_num(scores, nan=-np.inf)))
        ids = self.matrix.statement_ids
        return [ScoredStatement(ids[j], float(scores[j])) for j in order[:n] if not math.isnan(scores[j])]

    def top_consensus(self, n: int = 10) -> list[ScoredStatement]:
        return self.top(self.consensus, n)

    def top_bridging(self, n: int = 10) -> list[ScoredStatement]:
        return self.top(self.bridging, n)


def project(
    matrix: VoteMatrix, *, n_components: int = 2, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """PCA projection with missing votes handled; returns (coordinates, votes per participant,
    explained-variance share per component)."""
    n, m = matrix.n_participants, matrix.n_statements
    rows, cols = matrix.rows, matrix.cols
    values = matrix.values.astype(np.float64)
    col_count = np.bincount(cols, minlength=m)
    col_mean = np.bincount(cols, weights=values, minlength=m) / np.maximum(col_count, 1)
    centred = sp.csr_matrix((values - col_mean[cols], (rows, cols)), shape=(n, m))
    d = max(1, min(n_components, n - 1, m - 1))
    u, s, vt = randomized_svd(
        centred, n_components=d, n_oversamples=10, n_iter=4, random_state=seed, flip_sign=False
    )
    signs = np.sign(vt[np.arange(d), np.abs(vt).argmax(axis=1)])
    signs[signs == 0] = 1.0
    u *= signs
    total = float(np.dot(centred.data, centred.data))
    explained = (s**2) / total if total > 0 else np.zeros_like(s)
    votes_per_row = np.bincount(rows, minlength=n)
    scale = np.sqrt(m / np.maximum(votes_per_row, 1))
    coords = (u * s) * scale[:, None]
    if coords.shape[1] < n_components:
        coords = np.hstack([coords, np.zeros((n, n_components - coords.shape[1]))])
    return coords, votes_per_row, explained


def _nearest(points: np.ndarray, centres: np.ndarray, chunk: int = 50_000) -> np.ndarray:
    """Index of the nearest centre for every point (chunked, BLAS)."""
    c2 = (centres**2).sum(axis=1)
    out = np.empty(points.shape[0], dtype=np.int64)
    for start in range(0, points.shape[0], chunk):
        block = points[start : start + chunk]
        out[start : start + chunk] = (c2 - 2.0 * block @ centres.T).argmin(axis=1)
    return out


def _base_clusters(points: np.ndarray, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """k-means base clusters; above ``BASE_FIT_SAMPLE`` points the centres are fitted on a fixed
    random sample and every point is then assigned to its nearest centre."""
    n = points.shape[0]
    fit_on = points
    if n > BASE_FIT_SAMPLE:
        rng = np.random.default_rng(seed + 1)
        fit_on = points[np.sort(rng.choice(n, size=BASE_FIT_SAMPLE, replace=False))]
    with threadpool_limits(limits=1, user_api="openmp"):
        model = KMeans(n_clusters=k, n_init=1, max_iter=50, random_state=seed).fit(fit_on)
    centres = model.cluster_centers_
    return centres, _nearest(points, centres)


def _refine(points: np.ndarray, labels: np.ndarray, k: int, rounds: int = 10) -> np.ndarray:
    """Lloyd steps at participant level from the group centres: a base cluster straddling a group
    boundary is split instead of assigned wholesale. Group numbers are kept."""
    for _ in range(rounds):
        sizes = np.bincount(labels, minlength=k)
        if (sizes == 0).any():
            break
        centres: np.ndarray = np.vstack(
            [np.bincount(labels, weights=points[:, d], minlength=k) for d in range(points.shape[1])]
        ).T
        centres = centres / sizes[:, None].astype(np.float64)
        new = _nearest(points, centres)
        if np.array_equal(new, labels) or np.unique(new).size < k:
            break
        labels = new
    return labels


def _silhouette(distances: np.ndarray, labels: np.ndarray, k: int) -> float:
    """Mean silhouette from a precomputed distance matrix (same definition as scikit-learn)."""
    n = labels.size
    onehot = np.zeros((n, k))
    onehot[np.arange(n), labels] = 1.0
    sums = distances @ onehot
    counts = onehot.sum(axis=0)
    own = counts[labels]
    a = sums[np.arange(n), labels] / np.maximum(own - 1.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        means = np.where(counts > 0, sums / np.where(counts > 0, counts, 1.0), np.inf)
    means[np.arange(n), labels] = np.inf
    b = means.min(axis=1)
    denom = np.maximum(a, b)
    s = np.where((own > 1) & (denom > 0), (b - a) / np.where(denom > 0, denom, 1.0), 0.0)
    return float(s.mean())


def _order_by_size(labels: np.ndarray, centres: np.ndarray, k: int) -> np.ndarray:
    sizes = np.bincount(labels, minlength=k)
    keys = [centres[:, i] for i in reversed(range(centres.shape[1]))] + [-sizes]
    order = np.lexsort(keys)
    rank = np.empty(k, dtype=np.int64)
    rank[order] = np.arange(k)
    return rank


def align_labels(labels: np.ndarray, previous: np.ndarray, k: int) -> np.ndarray:
    """Renumber ``labels`` (0..k-1, -1 = none) to agree as much as possible with ``previous``."""
    both = (labels >= 0) & (previous >= 0) & (previous < k)
    if not both.any():
        return labels
    overlap = np.bincount(labels[both] * k + previous[both], minlength=k * k).reshape(k, k)
    new, old = linear_sum_assignment(-overlap)
    mapping = np.arange(k)
    mapping[new] = old
    return np.where(labels >= 0, mapping[np.maximum(labels, 0)], -1)


def _prop_test(succ: np.ndarray, n: np.ndarray) -> np.ndarray:
    return 2.0 * np.sqrt(n + 1.0) * ((succ + 1.0) / (n + 1.0) - 0.5)


def _two_prop_test(s1: np.ndarray, n1: np.ndarray, s2: np.ndarray, n2: np.ndarray) -> np.ndarray:
    s1, n1, s2, n2 = s1 + 1.0, n1 + 1.0, s2 + 1.0, n2 + 1.0
    p1, p2 = s1 / n1, s2 / n2
    pi = (s1 + s2) / (n1 + n2)
    denom = np.sqrt(pi * (1.0 - pi) * (1.0 / n1 + 1.0 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denom > 0, (p1 - p2) / np.where(denom > 0, denom, 1.0), 0.0)


def representative_statements(
    agree: np.ndarray, disagree: np.ndarray, seen: np.ndarray, statement_ids: tuple[str, ...], *, top: int = 5
) -> list[list[RepresentativeStatement]]:
    """Polis repness per group (see module docstring)."""
    out: list[list[RepresentativeStatement]] = []
    a_tot, d_tot, s_tot = agree.sum(axis=0), disagree.sum(axis=0), seen.sum(axis=0)
    for g in range(agree.shape[0]):
        a, d, s = agree[g], disagree[g], seen[g]
        ra_, rd_, rs_ = a_tot - a, d_tot - d, s_tot - s
        found = []
        for direction, x, xr in (("agree", a, ra_), ("disagree", d, rd_)):
            p = (x + 1.0) / (s + 2.0)
            pr = (xr + 1.0) / (rs_ + 2.0)
            ratio = p / pr
            zg = _prop_test(x, s)
            zr = _two_prop_test(x, s, xr, rs_)
            found.append((direction, p, pr, ratio, zg, zr, ratio * zr * p * zg))
        pick_agree = found[0][6] >= found[1][6]
        chosen = []
        for j in range(agree.shape[1]):
            direction, p, pr, ratio, zg, zr, metric = found[0] if pick_agree[j] else found[1]
            if s[j] == 0:
                continue
            significant = bool(zg[j] > Z_90 and zr[j] > Z_90 and ratio[j] > 1.0)
            chosen.append(
                (
                    significant,
                    float(metric[j]),
                    RepresentativeStatement(
                        statement=statement_ids[j],
                        direction=direction,
                        rate_in_group=float(p[j]),
                        rate_in_rest=float(pr[j]),
                        ratio=float(ratio[j]),
                        z_group=float(zg[j]),
                        z_rest=float(zr[j]),
                        significant=significant,
                    ),
                )
            )
        chosen.sort(key=lambda t: (not t[0], -t[1], t[2].statement))
        significant_ones = [rep for sig, _, rep in chosen if sig][:top]
        out.append(significant_ones or [rep for _, _, rep in chosen[:1]])
    return out


def group_counts(matrix: VoteMatrix, labels: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Agrees, disagrees and votes seen (incl. passes) per group × statement."""
    m = matrix.n_statements
    lab = labels[matrix.rows]
    keep = lab >= 0
    keys = lab[keep].astype(np.int64) * m + matrix.cols[keep]
    vals = matrix.values[keep]
    size = k * m
    seen = np.bincount(keys, minlength=size).reshape(k, m).astype(float)
    agree = np.bincount(keys, weights=(vals == 1), minlength=size).reshape(k, m)
    disagree = np.bincount(keys, weights=(vals == -1), minlength=size).reshape(k, m)
    return agree, disagree, seen


def check_matrix(matrix: VoteMatrix) -> None:
    if matrix.n_votes == 0:
        raise VotesError("Es gibt keine Stimmen.")
    if matrix.n_participants < 2:
        raise VotesError(
            "Nur eine Person hat abgestimmt. Meinungsgruppen lassen sich erst aus den Stimmen mehrerer Personen bilden."
        )
    if matrix.n_statements < 2:
        raise VotesError(
            "Es wurde nur über eine Aussage abgestimmt. Für Meinungsgruppen braucht es mindestens zwei Aussagen."
        )
    if not np.any(matrix.values):
        raise VotesError(
            "Alle Stimmen sind Enthaltungen (0). Ohne Zustimmung oder Ablehnung gibt es keine Meinungsgruppen."
        )


def opinion_groups(
    matrix: VoteMatrix,
    *,
    seed: int = 0,
    k_range: tuple[int, int] = (2, 5),
    base_clusters: int = 100,
    cluster_dims: int = 4,
    min_votes: int = 7,
    silhouette_sample: int = 3000,
    previous_labels: np.ndarray | None = None,
    threads: int | None = 1,
) -> OpinionResult:
    """Run the whole pipeline (see module docstring) on a vote matrix.

    ``threads`` limits BLAS/OpenMP threads (default 1: the matrices are thin, so more threads mostly
    add contention on a shared server; ``None`` leaves the libraries' defaults)."""
    if threads is None:
        return _opinion_groups(
            matrix,
            seed=seed,
            k_range=k_range,
            base_clusters=base_clusters,
            cluster_dims=cluster_dims,
            min_votes=min_votes,
            silhouette_sample=silhouette_sample,
            previous_labels=previous_labels,
        )
    with threadpool_limits(limits=threads):
        return _opinion_groups(
            matrix,
            seed=seed,
            k_range=k_range,
            base_clusters=base_clusters,
            cluster_dims=cluster_dims,
            min_votes=min_votes,
            silhouette_sample=silhouette_sample,
            previous_labels=previous_labels,
        )


def _opinion_groups(
    matrix: VoteMatrix,
    *,
    seed: int,
    k_range: tuple[int, int],
    base_clusters: int,
    cluster_dims: int,
    min_votes: int,
    silhouette_sample: int,
    previous_labels: np.ndarray | None,
) -> OpinionResult:
    check_matrix(matrix)
    n, m = matrix.n_participants, matrix.n_statements
    dims = max(2, cluster_dims)
    cluster_dims = max(1, cluster_dims)
    coords, votes_per_row, explained = project(matrix, n_components=dims, seed=seed)
    need = min(min_votes, m)
    grouped = np.flatnonzero(votes_per_row >= need)
    if grouped.size < 4:
        raise VotesError(
            f"Nur {grouped.size} Personen haben über mindestens {need} Aussagen abgestimmt; "
            "für Meinungsgruppen braucht es mindestens vier."
        )
    points = np.ascontiguousarray(coords[grouped, :cluster_dims])
    distinct = np.unique(np.round(points, 12), axis=0).shape[0]
    if distinct < 2:
        raise VotesError("Alle haben gleich abgestimmt – es gibt keine unterschiedlichen Meinungsgruppen.")
    n_base = min(base_clusters, distinct)
    centres, base_labels = _base_clusters(points, n_base, seed)
    weights = np.bincount(base_labels, minlength=n_base).astype(float)
    used = weights > 0
    centres, weights = centres[used], weights[used]
    remap = np.cumsum(used) - 1
    base_labels = remap[base_labels]

    rng = np.random.default_rng(seed)
    sample = np.sort(rng.choice(points.shape[0], size=min(silhouette_sample, points.shape[0]), replace=False))
    distances = cdist(points[sample], points[sample])
    k_lo, k_hi = k_range
    silhouettes: dict[int, float] = {}
    best: tuple[float, int, np.ndarray] | None = None
    for k in range(max(2, k_lo), min(k_hi, centres.shape[0]) + 1):
        with threadpool_limits(limits=1, user_api="openmp"):
            model = KMeans(n_clusters=k, n_init=10, random_state=seed)
            group_of_base = model.fit_predict(centres, sample_weight=weights)
        labels_k = group_of_base[base_labels]
        n_labels = np.unique(labels_k[sample]).size
        if n_labels < 2 or n_labels >= sample.size:
            continue
        score = _silhouette(distances, labels_k[sample], k)
        silhouettes[k] = score
        if best is None or score > best[0] + 1e-12:
            group_centres = model.cluster_centers_
            best = (score, k, _order_by_size(labels_k, group_centres, k)[labels_k])
    if best is None:
        raise VotesError("Die Stimmen lassen sich nicht in mindestens zwei Meinungsgruppen teilen.")
    _, k, grouped_labels = best
    grouped_labels = _refine(points, grouped_labels, k)
    labels = np.full(n, -1, dtype=np.int64)
    labels[grouped] = grouped_labels
    if previous_labels is not None:
        labels = align_labels(labels, np.asarray(previous_labels, dtype=np.int64), k)

    agree, disagree, seen = group_counts(matrix, labels, k)
    consensus = np.prod((agree + 1.0) / (seen + 2.0), axis=0)
    bridging = bridging_scores(agree.T, seen.T, method="min")
    return OpinionResult(
        matrix=matrix,
        coords=coords[:, :2],
        labels=labels,
        k=k,
        silhouettes=silhouettes,
        agree=agree,
        disagree=disagree,
        seen=seen,
        consensus=consensus,
        bridging=bridging,
        explained_variance=explained,
        representative=representative_statements(agree, disagree, seen, matrix.statement_ids),
    )
