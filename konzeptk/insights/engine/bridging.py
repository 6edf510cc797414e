"""Bridging: how evenly something is supported across groups (opinion groups, districts, …).

For an item *i* (a statement, an idea) and a group *g* let ``s[i, g]`` be the number of people in *g*
who support it (agree with a statement, support an idea) and ``n[i, g]`` the number of people in *g*
who could have (saw/voted on the statement, took part in the district). The smoothed support rate is

    r[i, g] = (s[i, g] + 1) / (n[i, g] + 2)        (Laplace smoothing, as Polis does)

and the **bridging score** is the support of the *least* supportive group:

    bridging[i] = min over groups g with n[i, g] >= min_trials of r[i, g]

An item only bridges when every group supports it; a large group cannot outvote a small one.
``method="geomean"`` gives the geometric mean instead (a softer version; ``geomean ** G`` is Polis'
group-informed consensus). Items seen by fewer than two eligible groups get ``nan`` (no bridge to
measure).
"""

from __future__ import annotations

from typing import Literal

import numpy as np

Method = Literal["min", "geomean"]


def smoothed_rates(successes: np.ndarray, trials: np.ndarray) -> np.ndarray:
    """(s + 1) / (n + 2), elementwise; never divides by zero."""
    s = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    if np.any(s < 0) or np.any(n < s):
        raise ValueError("Unterstützungen müssen zwischen 0 und der Zahl der Beteiligten liegen.")
    return (s + 1.0) / (n + 2.0)


def bridging_scores(
    successes: np.ndarray,
    trials: np.ndarray,
    *,
    method: Method = "min",
    min_trials: int = 1,
) -> np.ndarray:
    """Bridging score per item (rows) over groups (columns); see the module docstring."""
    s = np.atleast_2d(np.asarray(successes, dtype=float))
    n = np.atleast_2d(np.asarray(trials, dtype=float))
    if s.shape != n.shape:
        raise ValueError("Unterstützungen und Beteiligte brauchen dieselbe Form (Einträge × Gruppen).")
    rates = smoothed_rates(s, n)
    eligible = n >= max(min_trials, 0)
    count = eligible.sum(axis=1)
    out = np.full(s.shape[0], np.nan)
    ok = count >= 2
    if method == "min":
        masked = np.where(eligible, rates, np.inf)
        out[ok] = masked.min(axis=1)[ok]
    elif method == "geomean":
        logs = np.where(eligible, np.log(rates), 0.0).sum(axis=1)
        out[ok] = np.exp(logs[ok] / count[ok])
    else:
        raise ValueError(f"Unbekannte Methode {method!r}.")
    return out


def group_support(
    item: np.ndarray,
    person_group: np.ndarray,
    *,
    n_items: int,
    n_groups: int,
) -> np.ndarray:
    """Count supports per (item, group) from one row per support: ``item[k]`` supported by a person in
    group ``person_group[k]``. Returns an ``n_items × n_groups`` integer array."""
    item = np.asarray(item, dtype=np.int64)
    grp = np.asarray(person_group, dtype=np.int64)
    if item.size and (item.min() < 0 or item.max() >= n_items or grp.min() < 0 or grp.max() >= n_groups):
        raise ValueError("Eintrag oder Gruppe außerhalb des erlaubten Bereichs.")
    flat = np.bincount(item * n_groups + grp, minlength=n_items * n_groups)
    return flat.reshape(n_items, n_groups)


def outside_support_share(
    item: np.ndarray,
    supporter_district: np.ndarray,
    item_district: np.ndarray,
) -> np.ndarray:
    """Share of each item's supports that come from people outside the item's own district.

    ``item[k]`` is the item of support *k*, ``supporter_district[k]`` the supporter's district code
    (negative: unknown, left out); ``item_district[i]`` the district of item *i*. Items without any
    support of known district get ``nan``.
    """
    item = np.asarray(item, dtype=np.int64)
    dist = np.asarray(supporter_district, dtype=np.int64)
    own = np.asarray(item_district, dtype=np.int64)
    known = dist >= 0
    n_items = own.size
    total = np.bincount(item[known], minlength=n_items).astype(float)
    outside = np.bincount(item[known], weights=(dist[known] != own[item[known]]), minlength=n_items)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, outside / np.maximum(total, 1), np.nan)
