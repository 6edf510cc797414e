"""SensorThings API under attack (issue 11, finding 5): never a 500, always the STA error JSON.

Reproduces the two RecursionErrors found by probing (a ``$skiptoken`` of nested brackets, a JSON
body of 100,000 ``[``), checks the bounds of ``$skip`` and of expression depth, and fuzzes every
query option and POST/PATCH bodies with Hypothesis (fixed seed, bounded examples).
"""

from __future__ import annotations

import base64
import json
import string
from typing import Any

import pytest
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from konzeptk.sensing.odata.parser import MAX_DEPTH, MAX_SKIP, MAX_TERMS

SETTINGS = settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _token(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _assert_sta_error(response: Any, status: int | None = None) -> dict[str, Any]:
    assert response.status_code < 500, response.content[:300]
    if status is not None:
        assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["type"] == "error"
    assert data["code"] == response.status_code
    assert data["message"]
    return dict(data)


@pytest.fixture
def thing(sta: Any, thing_payload: dict[str, Any]) -> int:
    response = sta.post("Things", thing_payload)
    assert response.status_code == 201
    return int(response.json()["@iot.id"])


# --- the findings ---------------------------------------------------------------------------
def test_a_skiptoken_of_nested_brackets_is_a_400(anon: Any) -> None:
    for raw in (b"[" * 100_000, b"[" * 50 + b"1" + b"]" * 50, b"[[1], 2]", b'["x", true]'):
        _assert_sta_error(anon.get("Observations", **{"$skiptoken": _token(raw)}), 400)


def test_a_json_body_of_100000_brackets_is_a_400(sta: Any, thing: int) -> None:
    deep = "[" * 100_000
    for path, method in (("Things", sta.post), ("CreateObservations", sta.post)):
        data = _assert_sta_error(method(path, deep, raw=True), 400)
        assert "verschachtelt" in data["message"]
    deep_object = '{"name": ' * 5000 + '"x"' + "}" * 5000
    _assert_sta_error(sta.post("Things", deep_object, raw=True), 400)
    _assert_sta_error(sta.patch(f"Things({thing})", json.loads("[" * 10 + "]" * 10)), 400)


def test_skip_is_bounded_and_top_is_capped(anon: Any) -> None:
    data = _assert_sta_error(anon.get("Things", **{"$skip": str(MAX_SKIP + 1)}), 400)
    assert "$skip" in data["message"]
    assert anon.get("Things", **{"$skip": str(MAX_SKIP)}).status_code == 200
    for value in ("9223372036854775808", "-1", "1e3"):
        _assert_sta_error(anon.get("Things", **{"$skip": value}), 400)
        _assert_sta_error(anon.get("Things", **{"$top": value}), 400)


def test_expressions_too_deep_or_too_long_are_400(anon: Any) -> None:
    chain = " add ".join(["1"] * (MAX_DEPTH + 2)) + " eq 1"
    assert "verschachtelt" in _assert_sta_error(anon.get("Things", **{"$filter": chain}), 400)["message"]
    terms = " or ".join(["id eq 1"] * (MAX_TERMS + 2))
    _assert_sta_error(anon.get("Things", **{"$filter": terms}), 400)
    nested = "(" * 5000 + "id eq 1" + ")" * 5000
    _assert_sta_error(anon.get("Things", **{"$filter": nested}), 400)
    assert anon.get("Things", **{"$filter": " or ".join(["id eq 1"] * 100)}).status_code == 200


def test_django_errors_under_sta_are_sta_json(client: Client, sta: Any) -> None:
    _assert_sta_error(client.get("/sta/gibt-es-nicht"), 404)
    _assert_sta_error(client.get("/sta/v1.1/Gibtesnicht"), 404)
    _assert_sta_error(client.delete("/sta/v1.1/"), 405)
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000):
        response = sta.post("Things", "x" * 5000, raw=True)
    _assert_sta_error(response, 413)


# --- fuzzing --------------------------------------------------------------------------------
NAMES = [
    "id",
    "@iot.id",
    "name",
    "description",
    "result",
    "phenomenonTime",
    "resultTime",
    "properties/bezirk",
    "Datastream/name",
    "Datastreams/Observations/result",
    "Thing/Locations/location",
    "unitOfMeasurement/symbol",
    "location",
    "gibtesnicht",
]
LITERALS = [
    "1",
    "-1",
    "0.5",
    "1e308",
    "1e999",
    "99999999999999999999999",
    "9223372036854775808",
    "'Ostwall'",
    "'a''b'",
    "''",
    "null",
    "true",
    "2024-07-01T12:00:00Z",
    "2024-13-45T99:00:00Z",
    "2024-07-01",
    "12:00:00",
    "geography'POINT(6.56 51.33)'",
    "geography'POLYGON((0 0,1 0,1 1,0 0))'",
    "geography'kaputt'",
]
OPERATORS = ["eq", "ne", "gt", "ge", "lt", "le", "and", "or", "not", "add", "sub", "mul", "div", "mod"]
FUNCTIONS = [
    "substringof(",
    "startswith(",
    "length(",
    "year(",
    "round(",
    "geo.distance(",
    "st_within(",
    "now(",
    "tolower(",
    "concat(",
    "unknown(",
]
PUNCTUATION = ["(", ")", ",", " ", "/", "'", "$", ";", "="]

token = st.sampled_from(NAMES + LITERALS + OPERATORS + FUNCTIONS + PUNCTUATION)
expression = st.one_of(
    st.lists(token, max_size=25).map(" ".join),
    st.lists(token, max_size=25).map("".join),
    st.text(max_size=60),
)
NAVS = [
    "Datastreams",
    "Locations",
    "HistoricalLocations",
    "Thing",
    "Sensor",
    "ObservedProperty",
    "Observations",
]
expand = st.one_of(
    st.lists(st.sampled_from(NAVS), min_size=1, max_size=4).map("/".join),
    st.builds(
        lambda nav, opt, value: f"{nav}({opt}={value})",
        st.sampled_from(NAVS),
        st.sampled_from(["$filter", "$top", "$skip", "$orderby", "$select", "$expand", "$count", "$x"]),
        st.one_of(expression, st.sampled_from(NAVS)),
    ),
    st.text(alphabet=string.ascii_letters + "()/;=$,", max_size=40),
)
number = st.one_of(
    st.integers(min_value=-10, max_value=10**20).map(str),
    st.sampled_from(["", " 5", "1.5", "abc", "0", str(MAX_SKIP), str(MAX_SKIP + 1)]),
)
skiptoken = st.one_of(
    st.binary(max_size=40).map(_token),
    st.recursive(
        st.one_of(st.integers(), st.text(max_size=10), st.booleans(), st.none()),
        lambda inner: st.lists(inner, max_size=3),
        max_leaves=8,
    ).map(lambda value: _token(json.dumps(value).encode())),
    st.integers(min_value=1, max_value=3000).map(lambda n: _token(b"[" * n)),
    st.text(max_size=20),
)
options = st.fixed_dictionaries(
    {},
    optional={
        "$filter": expression,
        "$orderby": expression,
        "$expand": expand,
        "$select": st.one_of(
            st.lists(st.sampled_from(NAMES), max_size=4).map(",".join), st.text(max_size=20)
        ),
        "$top": number,
        "$skip": number,
        "$skiptoken": skiptoken,
        "$count": st.sampled_from(["true", "false", "TRUE", "1", ""]),
        "$resultFormat": st.sampled_from(["dataArray", "csv", ""]),
        "$unbekannt": st.just("1"),
    },
)
PATHS = [
    "Things",
    "Datastreams",
    "Observations",
    "Locations",
    "Sensors",
    "ObservedProperties",
    "FeaturesOfInterest",
    "HistoricalLocations",
    "Things({thing})",
    "Things({thing})/Datastreams",
    "Things({thing})/Locations",
    "Datastreams({datastream})/Observations",
    "Datastreams({datastream})/Thing",
    "Things(99999999999999999999)",
    "Things({thing})/name/$value",
]


@given(path=st.sampled_from(PATHS), params=options)
@SETTINGS
def test_fuzzed_query_options_never_give_a_server_error(
    anon: Any, thing: int, path: str, params: dict[str, str]
) -> None:
    from konzeptk.sensing.models import Datastream

    datastream = Datastream.objects.filter(thing_id=thing).values_list("pk", flat=True).first()
    response = anon.get(path.format(thing=thing, datastream=datastream), **params)
    assert response.status_code < 500, (path, params, response.content[:300])
    if response.status_code >= 400:
        _assert_sta_error(response)
    elif "$value" not in path:
        json.loads(response.content)


json_value = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=20),
        st.sampled_from(["2024-07-01T12:00:00Z", "2024-07-01T12:00:00Z/2024-07-01T13:00:00Z", "gestern"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "name",
                    "description",
                    "properties",
                    "result",
                    "phenomenonTime",
                    "Datastream",
                    "Thing",
                    "Locations",
                    "location",
                    "encodingType",
                    "@iot.id",
                    "unitOfMeasurement",
                    "components",
                    "dataArray",
                    "Observations",
                ]
            ),
            inner,
            max_size=5,
        ),
    ),
    max_leaves=20,
)
raw_body = st.one_of(
    json_value.map(json.dumps),
    st.text(max_size=50),
    st.integers(min_value=1, max_value=5000).map(lambda n: "[" * n),
    st.integers(min_value=1, max_value=5000).map(lambda n: '{"a":' * n + "1" + "}" * n),
    st.sampled_from(["NaN", '{"result": NaN}', '{"result": Infinity}', "", "null"]),
)
TARGETS = [
    ("post", "Things"),
    ("post", "Observations"),
    ("post", "Datastreams"),
    ("post", "CreateObservations"),
    ("post", "Things({thing})/Locations"),
    ("patch", "Things({thing})"),
    ("put", "Things({thing})"),
    ("patch", "Datastreams({datastream})"),
]


@given(target=st.sampled_from(TARGETS), body=raw_body)
@settings(SETTINGS, max_examples=120)
def test_fuzzed_bodies_never_give_a_server_error(
    sta: Any, thing: int, target: tuple[str, str], body: str
) -> None:
    from konzeptk.sensing.models import Datastream

    method, path = target
    datastream = Datastream.objects.filter(thing_id=thing).values_list("pk", flat=True).first()
    url = path.format(thing=thing, datastream=datastream)
    response = sta.client.generic(
        method.upper(),
        f"/sta/v1.1/{url}",
        body.encode("utf-8", "surrogatepass"),
        content_type="application/json",
        **sta.headers,
    )
    assert response.status_code < 500, (method, url, body[:200], response.content[:300])
    if response.status_code >= 400:
        _assert_sta_error(response)
