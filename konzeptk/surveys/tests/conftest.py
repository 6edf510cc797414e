"""Fixtures of the survey tests: participation's (a process needs its city, editors and frozen time)."""

from konzeptk.participation.tests.conftest import (  # noqa: F401 – fixtures are found by name
    _fresh_cache,
    city,
    editor,
    frozen,
    now,
)
