"""``hooks_paused``: sensing's benchmark measures sensing alone in a database with only its own tables."""

from __future__ import annotations

import datetime as dt

import pytest

from konzeptk.sensing import ingest_hook_registry


@pytest.mark.django_db
def test_no_hook_is_asked_or_run_while_paused_and_all_are_back_afterwards() -> None:
    asked: list[str] = []

    def watched() -> list[int]:
        asked.append("watched")
        return [1]

    ingest_hook_registry.register_ingest_hook("test.paused", lambda written: None, watched=watched)
    try:
        with ingest_hook_registry.hooks_paused():
            assert not ingest_hook_registry.watches(1)
            ingest_hook_registry.observations_written({1: (dt.datetime.now(dt.UTC), dt.datetime.now(dt.UTC))})
            assert asked == []
        assert ingest_hook_registry.watches(1)
        assert asked == ["watched"]
    finally:
        ingest_hook_registry.unregister_ingest_hook("test.paused")
