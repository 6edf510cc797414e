"""The matching engine (pure) and the rent split: ranking with reasons, array and per-pair
arithmetic agree, splits always sum to the rent."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from konzeptk.interimuse.matching import NeedFacts, UnitFacts, _matrix, match_all, needs_for, rate, units_for
from konzeptk.interimuse.split import SplitError, rent_split

SHARE = Decimal(20)


def unit(uid: int, **kw: object) -> UnitFacts:
    values: dict[str, object] = {
        "id": uid,
        "area": 80.0,
        "district_id": 1,
        "rent": Decimal("1000"),
        "allowed_uses": frozenset({"art_culture"}),
        "step_free": True,
    }
    values.update(kw)
    return UnitFacts(**values)  # type: ignore[arg-type]


def need(nid: int = 1, **kw: object) -> NeedFacts:
    values: dict[str, object] = {
        "id": nid,
        "area_min": 50.0,
        "area_max": 120.0,
        "district_ids": frozenset({1}),
        "budget": Decimal("250"),
        "use": "art_culture",
        "needs_step_free": False,
    }
    values.update(kw)
    return NeedFacts(**values)  # type: ignore[arg-type]


def test_a_perfect_unit_scores_100_with_a_reason_for_each_criterion() -> None:
    points, suitable, reasons = rate(need(), unit(1), tenant_share=SHARE)
    assert (points, suitable) == (100, True)
    assert [(r.code, r.fit) for r in reasons] == [
        ("use", "full"),
        ("area", "full"),
        ("district", "full"),
        ("budget", "full"),
    ]
    assert reasons[3].detail == "200.00 € / 250.00 €"  # 20 % of 1000 € against the budget


def test_ranking_puts_unsuitable_units_last_and_explains_why() -> None:
    units = [
        unit(1, allowed_uses=frozenset({"gastronomy"})),  # use not allowed: unsuitable
        unit(2, area=200.0),  # too large
        unit(3),  # fits
        unit(4, district_id=2, rent=Decimal("2000")),  # other district, 400 € > 250 €
        unit(5, step_free=False),
    ]
    ranked = units_for(need(needs_step_free=True), units, tenant_share=SHARE)
    assert [m.other_id for m in ranked] == [3, 2, 4, 5, 1]  # unsuitable last, by points
    assert not ranked[-2].suitable
    assert ("step_free", "none") in [(r.code, r.fit) for r in ranked[-2].reasons]
    assert ("use", "none") in [(r.code, r.fit) for r in ranked[-1].reasons]
    budget = next(r for r in ranked[2].reasons if r.code == "budget")
    assert budget.fit == "partial"
    assert budget.points == 12


def test_applications_ranked_for_a_unit() -> None:
    needs = [need(1, budget=Decimal("100")), need(2), need(3, use="gastronomy")]
    ranked = needs_for(unit(7), needs, tenant_share=SHARE)
    assert [m.other_id for m in ranked] == [2, 1, 3]


def test_unknown_values_give_half_points() -> None:
    points, suitable, reasons = rate(
        need(area_min=None, area_max=None, district_ids=frozenset(), budget=None),
        unit(1, rent=None, allowed_uses=frozenset()),
        tenant_share=SHARE,
    )
    assert suitable
    assert points == 10 + 30 + 20 + 15
    assert {r.code: r.fit for r in reasons}["use"] == "unknown"


def test_match_all_equals_the_pairwise_lists() -> None:
    units = [unit(i, area=float(20 * i), rent=Decimal(300 * i), district_id=i % 3) for i in range(1, 12)]
    needs = [need(j, budget=Decimal(60 * j), area_min=float(10 * j)) for j in range(1, 9)]
    table = match_all(needs, units, tenant_share=SHARE, limit=None)
    for n in needs:
        assert [(m.other_id, m.points) for m in table.by_need[n.id]] == [
            (m.other_id, m.points) for m in units_for(n, units, tenant_share=SHARE)
        ]
    for u in units:
        assert [(m.other_id, m.points) for m in table.by_unit[u.id]] == [
            (m.other_id, m.points) for m in needs_for(u, needs, tenant_share=SHARE)
        ]


def test_match_all_with_nothing() -> None:
    assert match_all([], [unit(1)], tenant_share=SHARE).by_unit == {1: []}
    assert match_all([need()], [], tenant_share=SHARE).by_need == {1: []}


areas = st.one_of(st.none(), st.floats(min_value=0, max_value=5000, allow_nan=False))
money = st.one_of(st.none(), st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            areas,
            st.one_of(st.none(), st.integers(1, 4)),
            money,
            st.booleans(),
            st.sets(st.sampled_from("abc")),
        ),
        min_size=1,
        max_size=6,
    ),
    st.lists(
        st.tuples(areas, areas, st.sets(st.integers(1, 4)), money, st.sampled_from("abcd"), st.booleans()),
        min_size=1,
        max_size=6,
    ),
    st.decimals(min_value=0, max_value=100, places=2, allow_nan=False),
)
def test_the_arrays_agree_with_rate_on_any_input(units_in: list, needs_in: list, share: Decimal) -> None:
    units = [
        UnitFacts(i, area, d, rent, frozenset(uses), sf)
        for i, (area, d, rent, sf, uses) in enumerate(units_in, 1)
    ]
    needs = [
        NeedFacts(j, lo, hi, frozenset(ds), budget, use, sf)
        for j, (lo, hi, ds, budget, use, sf) in enumerate(needs_in, 1)
    ]
    points, suitable = _matrix(needs, units, share)
    for i, n in enumerate(needs):
        for j, u in enumerate(units):
            expected, fits, reasons = rate(n, u, tenant_share=share)
            assert (int(points[i, j]), bool(suitable[i, j])) == (expected, fits)
            assert 0 <= expected <= 100
            assert sum(r.points for r in reasons) == expected


@settings(max_examples=200, deadline=None)
@given(
    st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False),
    st.integers(0, 10000),
    st.integers(0, 10000),
)
def test_the_split_sums_to_the_rent_within_a_cent_of_each_share(rent: Decimal, a: int, b: int) -> None:
    owner, funding = sorted((a, b))
    shares = (Decimal(owner) / 100, Decimal(funding - owner) / 100, Decimal(10000 - funding) / 100)
    split = rent_split(rent=rent, owner_share=shares[0], funding_share=shares[1], tenant_share=shares[2])
    assert split.total == rent
    for amount, share in zip((split.owner, split.funding, split.tenant), shares, strict=True):
        assert abs(amount - rent * share / 100) < Decimal("0.01")
        assert amount == amount.quantize(Decimal("0.01"))


def test_the_split_of_the_krefeld_programme() -> None:
    split = rent_split(
        rent=Decimal("1000"), owner_share=Decimal(30), funding_share=Decimal(50), tenant_share=Decimal(20)
    )
    assert (split.owner, split.funding, split.tenant) == (
        Decimal("300.00"),
        Decimal("500.00"),
        Decimal("200.00"),
    )


def test_the_split_refuses_bad_input() -> None:
    import pytest

    for kwargs in (
        {
            "rent": Decimal("100"),
            "owner_share": Decimal(30),
            "funding_share": Decimal(50),
            "tenant_share": Decimal(21),
        },
        {
            "rent": Decimal("-1"),
            "owner_share": Decimal(30),
            "funding_share": Decimal(50),
            "tenant_share": Decimal(20),
        },
        {
            "rent": Decimal("1.005"),
            "owner_share": Decimal(30),
            "funding_share": Decimal(50),
            "tenant_share": Decimal(20),
        },
    ):
        with pytest.raises(SplitError):
            rent_split(**kwargs)


def test_tiny_and_huge_numbers_do_not_overflow() -> None:
    units = [unit(1, area=5000.0), unit(2, area=5e-324, rent=Decimal("99999999.99"))]
    needs = [need(1, area_min=5e-324, area_max=5e-324, budget=Decimal("0.01")), need(2, area_min=1e308)]
    points, _suitable = _matrix(needs, units, SHARE)
    for i, n in enumerate(needs):
        for j, u in enumerate(units):
            assert int(points[i, j]) == rate(n, u, tenant_share=SHARE)[0]
