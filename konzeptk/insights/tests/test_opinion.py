"""Opinion groups on simulated planted-group data: recovery, stability, consensus and bridging."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from konzeptk.insights.engine.bridging import bridging_scores, group_support, outside_support_share
from konzeptk.insights.engine.opinion import align_labels, opinion_groups
from konzeptk.insights.engine.synthetic import planted_votes
from konzeptk.insights.engine.votes import matrix_from_arrays


@pytest.fixture(scope="module")
def planted():
    return planted_votes(n_participants=1500, n_statements=100, n_votes=90_000, n_groups=4, seed=3)


@pytest.fixture(scope="module")
def result(planted):
    return opinion_groups(planted.matrix, seed=0)


@pytest.mark.parametrize("n_groups", [2, 3, 5])
def test_planted_groups_are_recovered(n_groups):
    data = planted_votes(
        n_participants=1200, n_statements=100, n_votes=72_000, n_groups=n_groups, seed=n_groups
    )
    found = opinion_groups(data.matrix, seed=0)
    assert found.k == n_groups
    assert adjusted_rand_score(data.groups, found.labels) >= 0.9


def test_four_planted_groups_are_recovered(planted, result):
    assert result.k == 4
    assert adjusted_rand_score(planted.groups, result.labels) >= 0.9
    assert result.ungrouped == 0
    assert result.coords.shape == (1500, 2)


def test_groups_are_numbered_by_size(result):
    sizes = result.group_sizes
    assert sizes == sorted(sizes, reverse=True)
    assert sum(sizes) == 1500


def test_recomputation_gives_identical_groups(planted, result):
    again = opinion_groups(planted.matrix, seed=0)
    assert np.array_equal(again.labels, result.labels)
    assert np.allclose(again.coords, result.coords)
    assert np.allclose(again.bridging, result.bridging)


def test_previous_labels_keep_group_numbers():
    labels = np.array([0, 0, 1, 1, 2, 2, -1])
    previous = np.array([2, 2, 0, 0, 1, 1, 1])
    assert align_labels(labels, previous, 3).tolist() == [2, 2, 0, 0, 1, 1, -1]


def test_previous_labels_are_honoured_by_the_pipeline(planted, result):
    # An earlier run called the groups differently: the new run adopts those numbers.
    permutation = np.array([2, 0, 3, 1])
    previous = permutation[result.labels]
    aligned = opinion_groups(planted.matrix, seed=0, previous_labels=previous)
    assert np.array_equal(aligned.labels, previous)


def test_consensus_and_bridging_find_the_statements_every_group_agrees_with(planted, result):
    planted_ids = {planted.matrix.statement_ids[j] for j in planted.consensus_statements}
    top_consensus = [s.statement for s in result.top_consensus(5)]
    top_bridging = [s.statement for s in result.top_bridging(5)]
    assert set(top_consensus) <= planted_ids
    assert set(top_bridging) <= planted_ids
    scores = [s.score for s in result.top_bridging(5)]
    assert scores == sorted(scores, reverse=True)


def test_representative_statements_point_the_way_of_the_planted_group(planted, result):
    ids = planted.matrix.statement_ids
    for g in range(result.k):
        true_group = np.bincount(planted.groups[result.labels == g]).argmax()
        reps = result.representative[g]
        assert reps
        for rep in reps:
            assert rep.significant
            lean = planted.leaning[true_group, ids.index(rep.statement)]
            assert lean == (1 if rep.direction == "agree" else -1)


def test_group_informed_consensus_is_the_product_of_smoothed_agree_rates(result):
    expected = np.prod((result.agree + 1) / (result.seen + 2), axis=0)
    assert np.allclose(result.consensus, expected)


def test_bridging_is_the_least_supportive_group():
    support = np.array([[9, 9], [18, 0], [5, 0]])
    trials = np.array([[10, 10], [20, 10], [10, 0]])
    scores = bridging_scores(support, trials)
    assert scores[0] == pytest.approx(10 / 12)
    assert scores[1] == pytest.approx(1 / 12)  # one group against it: no bridge
    assert np.isnan(scores[2])  # only one group saw it
    geo = bridging_scores(support, trials, method="geomean")
    assert geo[1] == pytest.approx(np.sqrt(19 / 22 * 1 / 12))


def test_bridging_across_districts_for_ideas():
    # idea 0 supported in both districts, idea 1 only in district 0; 10 participants per district
    item = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    district = np.array([0, 0, 1, 1, 0, 0, 0, 0])
    counts = group_support(item, district, n_items=2, n_groups=2)
    assert counts.tolist() == [[2, 2], [4, 0]]
    scores = bridging_scores(counts, np.full((2, 2), 10))
    assert scores[0] > scores[1]
    share = outside_support_share(item, district, np.array([0, 0]))
    assert share.tolist() == [0.5, 0.0]


def test_outside_share_ignores_unknown_districts_and_unsupported_ideas():
    share = outside_support_share(np.array([0, 0]), np.array([-1, 2]), np.array([1, 0]))
    assert share[0] == 1.0
    assert np.isnan(share[1])


def test_bridging_rejects_impossible_counts():
    with pytest.raises(ValueError):
        bridging_scores(np.array([[5, 1]]), np.array([[3, 2]]))


def test_participants_with_too_few_votes_keep_coordinates_but_no_group(planted):
    m = planted.matrix
    extra = matrix_from_arrays(
        (*m.voter_ids, "neu"),
        m.statement_ids,
        np.r_[m.rows, len(m.voter_ids), len(m.voter_ids)],
        np.r_[m.cols, 0, 1],
        np.r_[m.values, 1, -1],
    )
    found = opinion_groups(extra, seed=0)
    assert found.labels[-1] == -1
    assert found.ungrouped == 1
    assert np.all(np.isfinite(found.coords[-1]))
