"""Ballots live on participation's processes, phases and ideas: its fixtures serve here too."""

from __future__ import annotations

from konzeptk.participation.tests.conftest import (  # noqa: F401 – fixtures
    _fresh_cache,
    city,
    editor,
    frozen,
    now,
)
