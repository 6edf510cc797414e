"""Property-based tests of the query-language parser: round trips, robustness, limits."""

from __future__ import annotations

import contextlib
import datetime as dt
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from konzeptk.sensing.odata import (
    MAX_LENGTH,
    ParseError,
    parse_expand,
    parse_filter,
    parse_options,
    parse_orderby,
)
from konzeptk.sensing.odata.ast import BinOp, Call, Literal, Negate, Node, Not, Path, unparse

names = st.sampled_from(
    ["name", "result", "phenomenonTime", "Datastream/Thing/name", "properties/owner", "id"]
)
literals = st.one_of(
    st.integers(min_value=-(2**62), max_value=2**62),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.booleans(),
    st.none(),
    st.datetimes(
        min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)
    ).map(lambda d: d.replace(microsecond=0)),
)


def _value(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    return st.one_of(
        st.builds(BinOp, st.sampled_from(["add", "sub", "mul", "div", "mod"]), children, children),
        st.builds(lambda a: Call("tolower", (a,)), children),
        st.builds(lambda a, b: Call("concat", (a, b)), children, children),
        st.builds(Negate, st.builds(Path, names.map(lambda n: tuple(n.split("/"))))),
    )


values = st.recursive(
    st.one_of(st.builds(Literal, literals), st.builds(Path, names.map(lambda n: tuple(n.split("/"))))),
    _value,
    max_leaves=8,
)


def _boolean(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    return st.one_of(
        st.builds(BinOp, st.sampled_from(["and", "or"]), children, children),
        st.builds(Not, children),
    )


comparisons = st.builds(BinOp, st.sampled_from(["eq", "ne", "gt", "ge", "lt", "le"]), values, values)
filters = st.recursive(
    st.one_of(comparisons, st.builds(lambda a, b: Call("startswith", (a, b)), values, values)),
    _boolean,
    max_leaves=10,
)


@given(filters)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_generated_filters_round_trip(node: Node) -> None:
    assert parse_filter(unparse(node)) == node


@given(st.text(max_size=200))
@settings(max_examples=500)
def test_garbage_gives_parse_error_or_a_tree_never_another_exception(text: str) -> None:
    with contextlib.suppress(ParseError):
        parse_filter(text)


@given(st.text(alphabet="()',;=$/ abcdeqnotr0123456789-:TZ.", max_size=120))
@settings(max_examples=500)
def test_expand_and_orderby_garbage_only_raise_parse_error(text: str) -> None:
    for parse in (parse_expand, parse_orderby):
        with contextlib.suppress(ParseError):
            parse(text)


def test_million_character_filter_is_rejected_quickly() -> None:
    start = time.perf_counter()
    with pytest.raises(ParseError, match="zu lang"):
        parse_filter("name eq 'x' or " * 70_000)
    assert time.perf_counter() - start < 0.1


def test_deep_nesting_is_a_parse_error_not_a_recursion_error() -> None:
    with pytest.raises(ParseError, match="verschachtelt"):
        parse_filter("(" * 2000 + "name eq 'a'" + ")" * 2000)
    with pytest.raises(ParseError, match="verschachtelt"):
        parse_filter("not " * 2000 + "true")
    with pytest.raises(ParseError):
        parse_expand("Datastreams($expand=" * 50 + "Thing" + ")" * 50)


def test_precedence_and_functions() -> None:
    node = parse_filter("a add b mul c eq 7 and not d or e")
    assert unparse(node) == "((((a add (b mul c)) eq 7) and not (d)) or e)"
    assert parse_filter("substringof('x', name)") == Call("substringof", (Literal("x"), Path(("name",))))
    assert parse_filter("phenomenonTime gt 2024-01-01T00:00:00+02:00") == BinOp(
        "gt",
        Path(("phenomenonTime",)),
        Literal(dt.datetime(2024, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=2)))),
    )
    assert parse_filter("'it''s' eq name") == BinOp("eq", Literal("it's"), Path(("name",)))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "name eq",
        "eq 1",
        "(name eq 1",
        "name eq 1)",
        "foo(1)",
        "length()",
        "a eq 1 eq 2",
        "name eq 'x",
        "1 2",
    ],
)
def test_invalid_filters(text: str) -> None:
    with pytest.raises(ParseError):
        parse_filter(text)


def test_expand_with_nested_options() -> None:
    [item] = parse_expand(
        "Datastreams($select=name;$top=2;$expand=Observations($filter=result gt 1;$orderby=id desc))"
    )
    assert item.path == "Datastreams"
    assert item.options.select == ["name"]
    assert item.options.top == 2
    [inner] = item.options.expand
    assert inner.path == "Observations"
    assert inner.options.orderby[0].descending
    [a] = parse_expand("Datastreams/Observations,Datastreams/Sensor")
    assert [e.path for e in a.options.expand] == ["Observations", "Sensor"]


def test_options() -> None:
    options = parse_options({"$top": "5", "$skip": "10", "$count": "true", "other": "ignored"})
    assert (options.top, options.skip, options.count) == (5, 10, True)
    for bad in (
        {"$top": "-1"},
        {"$top": "x"},
        {"$count": "ja"},
        {"$foo": "1"},
        {"$filter": "x" * (MAX_LENGTH + 1)},
    ):
        with pytest.raises(ParseError):
            parse_options(bad)


@pytest.mark.django_db
@given(filters)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_generated_filters_never_crash_the_api(client: object, node: Node) -> None:
    for entity_set in ("Observations", "Things"):
        response = client.get(f"/sta/v1.1/{entity_set}", {"$filter": unparse(node)})  # type: ignore[attr-defined]
        assert response.status_code in (200, 400, 501), response.content[:300]
        if response.status_code != 200:
            assert response.json()["type"] == "error"
