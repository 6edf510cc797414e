"""Schemathesis over the whole OpenAPI schema of /api/v1/ (issue 11, finding 5).

Every operation of ``/api/v1/openapi.json`` is called with generated parameters (positive and
negative: out-of-bounds numbers, wrong types), then the stateful run follows the schema's links
(a list's first item to its detail, a process to its ideas, an idea to its comments, …). All
checks of Schemathesis must pass: no server error, status codes, content type and bodies as the
schema declares them. Examples are bounded and derandomized (fixed seed), so a run is
reproducible and takes well under a minute on SQLite, against the Krefeld demo content.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

EXAMPLES = 12
SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def api_schema(demo_site: None, db: None) -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


# district-for parses lat/lon leniently on purpose (a decimal comma is accepted, so they are strings
# in the schema) and answers its own codes (invalid_number, out_of_range, invalid_date, invalid_kind):
# a schema-valid string may still be refused with a 400 there.
LENIENT = {"GET /api/v1/city/district-for"}


def _operations(api_schema: Any) -> list[Any]:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 15  # the whole API, not an empty schema
    return operations


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
        try:
            _fuzz(operation, mode)
        except Unsatisfiable:
            # only free-text strings (a slug in the path): nothing can be sent that the schema forbids
            assert mode == GenerationMode.NEGATIVE, operation.label
            continue
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
