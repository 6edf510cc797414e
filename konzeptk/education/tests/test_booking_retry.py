"""Conflicts with other writers are retried (never shown as bad input); other errors pass at once."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, OperationalError

from konzeptk.education import booking


def _failing(times: int, error: DatabaseError) -> tuple[list[int], object]:
    calls: list[int] = []

    def write() -> str:
        calls.append(1)
        if len(calls) <= times:
            raise error
        return "gespeichert"

    return calls, write


def test_a_locked_sqlite_database_is_waited_for_longer_than_other_conflicts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(booking.time, "sleep", lambda _s: None)
    calls, write = _failing(booking.ATTEMPTS + 5, OperationalError("database is locked"))
    assert booking.retrying(write) == "gespeichert"  # type: ignore[arg-type]
    assert len(calls) == booking.ATTEMPTS + 6
    calls, write = _failing(booking.LOCKED_ATTEMPTS, OperationalError("database is locked"))
    with pytest.raises(OperationalError):
        booking.retrying(write)  # type: ignore[arg-type]
    assert len(calls) == booking.LOCKED_ATTEMPTS


def test_other_database_errors_are_not_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(booking.time, "sleep", lambda _s: None)
    calls, write = _failing(1, OperationalError("no such table: education_booking"))
    with pytest.raises(OperationalError):
        booking.retrying(write)  # type: ignore[arg-type]
    assert len(calls) == 1
