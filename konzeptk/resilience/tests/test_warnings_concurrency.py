"""Imports at the same time (beat, the command, DWD and NINA) on PostgreSQL: each message is stored once
and the event that both sources bring is shown once."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection

from konzeptk.city.selectors import forget_active_profile
from konzeptk.resilience import selectors
from konzeptk.resilience.models import ImportRun, Warning
from konzeptk.resilience.tests.warnings_support import DASHBOARD, HEAT_DAY_NOON, dwd, make_city, nina

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def city(transactional_db: Any) -> Iterator[Any]:
    yield make_city()
    forget_active_profile()


def test_concurrent_imports_from_both_sources_store_each_message_and_event_once(city: Any) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    jobs: list[Callable[[], object]] = [
        lambda: dwd("heat_alert.xml"),
        lambda: dwd("heat_alert.xml"),
        lambda: nina(DASHBOARD),
        lambda: nina(DASHBOARD),
    ]
    errors: list[BaseException] = []
    start = threading.Barrier(len(jobs))

    def run(job: Callable[[], object]) -> None:
        try:
            start.wait()
            job()
        except BaseException as exc:  # pragma: no cover – reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert Warning.objects.count() == 4  # DWD's heat warning, and NINA's three (one a copy of it)
    assert all(r.status == ImportRun.Status.OK for r in ImportRun.objects.all())
    shown = [w for w in selectors.current_warnings(at=HEAT_DAY_NOON) if "HITZE" in w.headline]
    assert len(shown) == 1
    assert Warning.objects.filter(duplicate_of__isnull=False).count() == 1
