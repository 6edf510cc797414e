"""The cell-key method (insights/engine/disclosure.py): the properties the privacy of every published
count rests on."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from konzeptk.insights.engine import disclosure as dc

SECRET = b"test-secret"


def test_ptable_rows_are_distributions_with_mean_zero_and_small_counts_never_kept() -> None:
    for count, row in dc.PTABLE.items():
        assert math.isclose(sum(p for _d, p in row), 1.0)
        assert math.isclose(sum(d * p for d, p in row), 0.0, abs_tol=1e-12), count
        assert all(abs(d) <= dc.MAX_DEVIATION for d, _p in row)
        assert all(count + d >= 0 for d, _p in row)
        if 1 <= count < dc.SMALL:
            assert all(d != 0 for d, _p in row), count  # never published as itself
    assert dc.PTABLE[0] == ((0, 1.0),)  # zeros stay zero


def test_every_small_published_value_has_at_least_two_possible_true_counts() -> None:
    sources: dict[int, set[int]] = {}
    for count in range(12):
        for d, _p in dc.PTABLE[min(count, dc.SMALL)]:
            sources.setdefault(count + d, set()).add(count)
    for value in range(7):
        assert len(sources[value]) >= 2, (value, sources[value])


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 60), st.integers(0, dc.KEY_SPACE - 1))
def test_published_value_is_close_and_never_the_true_small_count(count: int, key: int) -> None:
    value = dc.protect(count, key)
    assert abs(value - count) <= dc.MAX_DEVIATION
    assert value >= 0
    if count == 0:
        assert value == 0
    if 1 <= count <= 4:
        assert value != count


def test_same_people_give_the_same_value_in_any_order_and_different_people_differ() -> None:
    ring = dc.Keyring(SECRET)
    people = [f"u{i}" for i in range(37)]
    first = ring.cell(people)
    assert ring.cell(list(reversed(people))) == first
    assert ring.cell(set(people)) == first
    assert dc.cell_key(ring.keys(people)) == dc.cell_key(reversed(ring.keys(people)))
    # the deviations of many different sets of 37 people are spread over the whole p-table
    seen = {ring.cell([f"u{i}" for i in range(start, start + 37)]) - 37 for start in range(400)}
    assert seen == {-2, -1, 0, 1, 2}


def test_record_keys_depend_on_the_secret() -> None:
    assert dc.record_key(SECRET, "u1") == dc.record_key(SECRET, "u1")
    assert dc.record_key(SECRET, "u1") != dc.record_key(b"other", "u1")
    assert 0 <= dc.record_key(SECRET, "u1") < dc.KEY_SPACE
    assert dc.secret_from("", "site") == b"site"
    assert dc.secret_from("own", "site") == b"own"


def test_deviations_follow_the_ptable() -> None:
    """Over many cells the share of each deviation matches its probability (±3 percentage points)."""
    ring = dc.Keyring(SECRET)
    for count in (1, 2, 7):
        found: dict[int, int] = {}
        n = 3000
        for i in range(n):
            d = ring.cell([f"x{i}-{j}" for j in range(count)]) - count
            found[d] = found.get(d, 0) + 1
        for d, p in dc.PTABLE[min(count, dc.SMALL)]:
            assert found.get(d, 0) / n == pytest.approx(p, abs=0.03), (count, d)


def test_groups_and_shares() -> None:
    ring = dc.Keyring(SECRET)
    groups = ring.groups({"a": ["u1", "u2"], "b": [], "c": [f"u{i}" for i in range(10, 30)]})
    assert groups["b"] == 0
    assert groups["a"] != 2
    assert dc.protect_groups({"x": ring.keys(["u1", "u2"])}) == {"x": groups["a"]}
    assert dc.share(3, 0) is None
    assert dc.share(7, 5) == 1.0
    assert dc.share(1, 4) == 0.25
    with pytest.raises(ValueError):
        dc.protect(-1, 0)


def test_a_running_cell_publishes_what_the_keyring_publishes_for_the_same_people() -> None:
    ring = dc.Keyring(SECRET)
    running = dc.RunningCell()
    people: list[str] = []
    for i in range(40):
        person = f"u{i * 7}"
        people.append(person)
        running.add(ring.key(person))
        assert running.published() == ring.cell(people)
