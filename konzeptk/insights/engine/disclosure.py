"""Disclosure control for every published count of people: the cell-key method.

This is the one place where a number of people becomes a number that may be published
(representation tables and their daily snapshots, weekly participation counts, survey answers,
weighted results, cohesion figures, opinion groups, later the reach of education offers). It is the
method the statistical offices of the Federation and the Länder use for the 2022 census (Zensus
2022, "Cell-Key-Methode", after the Australian Bureau of Statistics' TableBuilder): a *consistent*
random perturbation of every cell.

How it works
============

1. **Record key.** Every person gets a fixed pseudo-random number, the record key, in
   ``[0, 2**32)`` (read as a fraction of ``2**32``, i.e. a number in [0, 1)). It is an HMAC-SHA256 of
   the person's stable id (``"u<account id>"``, ``"o<offline contribution id>"``, ``"r<survey response
   id>"``) under a secret the operator keeps (:func:`record_key`). Without the secret nobody can
   compute a key; with the same secret the key never changes.
2. **Cell key.** A cell (a group of people: "Mitte, 65+", "all participants", "answered yes") gets
   the sum of its members' record keys modulo ``2**32`` (:func:`cell_key`). The same set of people
   always has the same cell key – in every table, every process, on every day. Integers make the sum
   exact whatever the order of the people.
3. **Perturbation.** The published value is the true count plus a deviation read from a fixed
   table of probabilities, the *p-table* (:data:`PTABLE`), at the row of the true count's class and
   the position of the cell key in ``[0, 1)`` (:func:`protect`). Totals are cells like any other.

What this gives:

* **Same people, same number.** Asking again, on another page, in another table or on another day
  returns exactly the same value for the same set of people. Averaging many answers (the classic
  attack on noise) learns nothing, because there is only one answer.
* **Differencing does not work.** Parts and totals are perturbed independently, so "total minus the
  other parts" gives the hidden part only up to the sum of several deviations of up to ``±D`` each.
* **Small counts are never published as themselves.** A true count of 1 to 4 is always published as
  a different value (possibly 0); true zeros stay 0 (that nobody from a group took part tells
  nothing about a person, and outreach needs to know it). So no published value is ever the true
  small count; an attacker who sees "3" does not know whether 1, 2, 4 or 5 people are meant.
* **Small, public deviation.** Every published value is within ``±MAX_DEVIATION`` (2) of the truth;
  on average it is exact (every row of the p-table has mean deviation 0). Shares, ratios, Wilson
  intervals and "under-represented" flags are computed from the published counts, never from the
  true ones, so they reveal nothing beyond them. The price: parts need not add up to the published
  total, and a share can be off by a few percentage points in small groups.

P-table (deviation: probability)::

    true 0     0: 1
    true 1    -1: 0.55   +1: 0.35   +2: 0.10            → 0, 2 or 3
    true 2    -2: 0.10   -1: 0.40   +1: 0.40   +2: 0.10 → 0, 1, 3 or 4
    true 3    -2: 0.10   -1: 0.40   +1: 0.40   +2: 0.10 → 1, 2, 4 or 5
    true 4    -2: 0.10   -1: 0.40   +1: 0.40   +2: 0.10 → 2, 3, 5 or 6
    true ≥ 5  -2: 0.05   -1: 0.20    0: 0.50   +1: 0.20   +2: 0.05

Every published value 0–6 can come from at least two different true counts, so no published value
names a true small count either.

The secret must not change (a new secret gives new, independent deviations of the same cells, and
two independent noisy copies of a number can be averaged); the platform takes it from the setting
``DISCLOSURE_KEY`` and falls back to ``SECRET_KEY``.

This module is pure Python (no Django), like the whole engine; the Django layer computes the record
keys with the operator's secret and hands them in.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

#: record and cell keys are integers in [0, KEY_SPACE), i.e. fractions of KEY_SPACE in [0, 1)
KEY_SPACE = 2**32

#: the largest deviation of a published count from the true count (public)
MAX_DEVIATION = 2

#: true counts of 1 up to (not including) this value are never published as themselves
SMALL = 5

#: p-table: true count class → ((deviation, probability), …); the class of counts ≥ SMALL is SMALL
PTABLE: dict[int, tuple[tuple[int, float], ...]] = {
    0: ((0, 1.0),),
    1: ((-1, 0.55), (1, 0.35), (2, 0.10)),
    2: ((-2, 0.10), (-1, 0.40), (1, 0.40), (2, 0.10)),
    3: ((-2, 0.10), (-1, 0.40), (1, 0.40), (2, 0.10)),
    4: ((-2, 0.10), (-1, 0.40), (1, 0.40), (2, 0.10)),
    SMALL: ((-2, 0.05), (-1, 0.20), (0, 0.50), (1, 0.20), (2, 0.05)),
}


def _cumulative(row: tuple[tuple[int, float], ...]) -> tuple[tuple[int, int], ...]:
    """(deviation, upper end of its interval as an integer key) for each entry of a p-table row."""
    out, running = [], 0.0
    for deviation, probability in row:
        running += probability
        out.append((deviation, min(KEY_SPACE, round(running * KEY_SPACE))))
    out[-1] = (out[-1][0], KEY_SPACE)
    return tuple(out)


_LOOKUP = {count: _cumulative(row) for count, row in PTABLE.items()}


def record_key(secret: bytes, person: str) -> int:
    """The fixed record key of a person (HMAC-SHA256 of their stable id under ``secret``)."""
    digest = hmac.digest(secret, person.encode(), hashlib.sha256)
    return int.from_bytes(digest[:4], "big")


def cell_key(record_keys: Iterable[int]) -> int:
    """Sum of the record keys modulo 2**32: the same people give the same key, in any order."""
    return sum(record_keys) % KEY_SPACE


def deviation(count: int, key: int) -> int:
    """The deviation the p-table gives a true ``count`` with cell key ``key``."""
    if count < 0:
        raise ValueError("Anzahlen können nicht negativ sein.")
    for dev, upper in _LOOKUP[min(count, SMALL)]:
        if key < upper:
            return dev
    return _LOOKUP[min(count, SMALL)][-1][0]  # pragma: no cover - the last upper end is KEY_SPACE


def protect(count: int, key: int) -> int:
    """The value to publish for a cell of ``count`` people with cell key ``key``."""
    return count + deviation(count, key)


def protect_cell(record_keys: Collection[int]) -> int:
    """The value to publish for a cell made of these people (one record key per person)."""
    return protect(len(record_keys), cell_key(record_keys))


def protect_groups(members: Mapping[K, Collection[int]]) -> dict[K, int]:
    """Published value of every group, given the record keys of its members."""
    return {group: protect_cell(keys) for group, keys in members.items()}


@dataclass(frozen=True)
class Keyring:
    """Record keys of people under one secret, computed once per person and kept in memory.

    The Django layer makes one from the operator's secret (``DISCLOSURE_KEY`` or ``SECRET_KEY``)."""

    secret: bytes

    def _table(self, people: Iterable[str]) -> dict[str, int]:
        """The kept keys of this secret, with every one of ``people`` in it."""
        table = _TABLES.setdefault(self.secret, {})
        missing = [p for p in people if p not in table]
        if missing:
            if len(table) + len(missing) > _CACHE_MAX:
                table.clear()
                missing = list(people)
            for person in missing:
                table[person] = record_key(self.secret, person)
        return table

    def key(self, person: str) -> int:
        return self._table([person])[person]

    def keys(self, people: Iterable[str]) -> list[int]:
        people = list(people)
        return list(map(self._table(people).__getitem__, people))

    def cell(self, people: Collection[str]) -> int:
        """Published value of the cell made of these people (by stable id)."""
        total: int | None = None
        table = _TABLES.get(self.secret)
        if table is not None:
            try:
                total = sum(map(table.__getitem__, people))  # one pass in C when all keys are known
            except KeyError:
                total = None
        if total is None:
            total = sum(map(self._table(people).__getitem__, people))
        return protect(len(people), total % KEY_SPACE)

    def groups(self, members: Mapping[K, Collection[str]]) -> dict[K, int]:
        """Published value of every group, given the stable ids of its members."""
        return {group: self.cell(people) for group, people in members.items()}


@dataclass
class RunningCell:
    """A cell that grows person by person (e.g. everyone who had taken part by the end of each
    week): its published value at any moment is the one :meth:`Keyring.cell` gives the same people."""

    count: int = 0
    key_sum: int = 0

    def add(self, record_key: int) -> None:
        self.count += 1
        self.key_sum += record_key

    def published(self) -> int:
        return protect(self.count, self.key_sum % KEY_SPACE)


#: kept record keys per secret (bounded: emptied when it would grow past _CACHE_MAX people)
_TABLES: dict[bytes, dict[str, int]] = {}
_CACHE_MAX = 300_000  # about 50 MB; more people than Krefeld has residents


def share(part: int, whole: int) -> float | None:
    """A share of published counts, held in [0, 1] (a perturbed part may exceed a perturbed whole);
    ``None`` when the published whole is 0."""
    if whole <= 0:
        return None
    return max(0.0, min(1.0, part / whole))


def secret_from(disclosure_key: str, secret_key: str) -> bytes:
    """The secret of the record keys: the dedicated setting if set, else the site's secret key."""
    return (disclosure_key or secret_key).encode()


#: figures that are not counts (shares, means, weighted results, scores) describe a group only when
#: its published count is at least this: a true group of 1 to 4 is published as at most 6, so it is
#: never described, and the decision rests on the published number alone, so it reveals nothing more
MIN_DESCRIBED = SMALL + MAX_DEVIATION


def large_enough(published: int | None) -> bool:
    """May figures other than the count itself be shown for a group with this published count?"""
    return published is not None and published >= MIN_DESCRIBED
