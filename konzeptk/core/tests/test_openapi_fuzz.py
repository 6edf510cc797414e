"""Schemathesis over the whole OpenAPI schema of /api/v1/ (issue 11, finding 5).

Every operation of ``/api/v1/openapi.json`` is called with generated parameters (positive and
negative: out-of-bounds numbers, wrong types), then the stateful run follows the schema's links
(a list's first item to its detail, a process to its ideas, an idea to its comments, …). All
checks of Schemathesis must pass: no server error, status codes, content type and bodies as the
schema declares them. Examples are bounded and derandomized (fixed seed), so a run is
reproducible and takes well under a minute on SQLite, against the Krefeld demo content.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from konzeptk.api import NO_NUL_PATTERN

EXAMPLES = 12
SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def api_schema(demo_site: None, db: None) -> Iterator[Any]:
    # Schemathesis calls the WSGI handler itself; like Django's test client, keep the end of a
    # request from closing the test's database connection (PostgreSQL would lose the transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# district-for parses lat/lon leniently on purpose (a decimal comma is accepted, so they are strings
# in the schema) and answers its own codes (invalid_number, out_of_range, invalid_date, invalid_kind):
# a schema-valid string may still be refused with a 400 there.
LENIENT = {"GET /api/v1/city/district-for"}


def _operations(api_schema: Any) -> list[Any]:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 15  # the whole API, not an empty schema
    return operations


def _constrained(operation: Any) -> bool:
    """Has a parameter something can violate (a type other than free text, a bound, a format)."""
    for parameter in [*operation.path_parameters, *operation.query]:
        schema = parameter.definition.get("schema", {})
        for variant in schema.get("anyOf", [schema]):
            if variant.get("type") not in ("string", "null") or "format" in variant:
                return True
            if variant.get("pattern", NO_NUL_PATTERN) != NO_NUL_PATTERN:
                return True  # (a NUL in free text: test_a_nul_in_any_parameter_is_a_documented_400)
    return False


def _fuzz(operation: Any, mode: GenerationMode) -> None:
    excluded = [positive_data_acceptance] if operation.label in LENIENT else []

    @given(case=operation.as_strategy(generation_mode=mode))
    @SETTINGS
    def call(case: Any) -> None:
        case.call_and_validate(excluded_checks=excluded)

    call()


# (Schemathesis' own pytest plugin, ``schema.parametrize()``, does not run under pytest 9; the
# operations' Hypothesis strategies are driven directly instead.)
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_answers_as_its_schema_says(api_schema: Any, mode: GenerationMode) -> None:
    tested = 0
    for operation in _operations(api_schema):
        if mode == GenerationMode.NEGATIVE and not _constrained(operation):
            continue  # only free text (a slug): nothing can be sent that the schema forbids
        _fuzz(operation, mode)
        tested += 1
    assert tested >= (15 if mode == GenerationMode.POSITIVE else 8)


def test_stateful_links_find_no_server_error_and_no_schema_violation(api_schema: Any) -> None:
    machine = api_schema.as_state_machine()
    # links found by Schemathesis' analysis of the schema: list → detail, process → ideas → comments, …
    links = [name for name in dir(machine) if name.startswith("GET_") and "__GET_" in name]
    assert len(links) >= 10, links
    machine.run(
        settings=settings(
            SETTINGS,
            max_examples=EXAMPLES * 2,
            stateful_step_count=6,
        )
    )


def test_a_nul_in_any_parameter_is_a_documented_400(api_schema: Any) -> None:
    """Found on PostgreSQL: a NUL in a query value reached the database (PostgreSQL refuses NUL in
    text) and answered 500. The derandomized examples above need not contain one, so every
    operation gets a NUL in each of its parameters; the answer must be the schema's 400."""
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    tried = 0
    for operation in _operations(api_schema):
        path = {p.name: "1" for p in operation.path_parameters}
        for parameter in [*operation.path_parameters, *operation.query]:
            values = {parameter.name: "a\x00b"}
            case = operation.Case(
                path_parameters={**path, **values} if parameter.location == "path" else path,
                query=values if parameter.location == "query" else {},
            )
            response = case.call()
            assert response.status_code == 400, (operation.label, parameter.name, response.status_code)
            case.validate_response(
                response,
                checks=[
                    not_a_server_error,
                    status_code_conformance,
                    content_type_conformance,
                    response_schema_conformance,
                ],
            )
            tried += 1
    assert tried >= 20
