"""Two imports of the same feed at once (the beat and a click on "import now") on PostgreSQL."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from konzeptk.events.importer import feed_import
from konzeptk.events.models import Event, Feed, ImportRun
from konzeptk.events.tests.conftest import FEED_TODAY, feed_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_imports_of_one_feed_store_each_event_once(city: Any) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    feed = Feed.objects.create(title="Stadt", url="https://krefeld.example/kalender.ics")
    data = feed_bytes("stadt_krefeld.ics")
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def run() -> None:
        try:
            start.wait()
            feed_import(feed=Feed.objects.get(pk=feed.pk), content=data, today=FEED_TODAY)
        except BaseException as exc:  # pragma: no cover – reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert Event.objects.filter(feed=feed).count() == 19
    runs = list(ImportRun.objects.filter(feed=feed))
    assert len(runs) == 4
    assert sorted(r.created for r in runs) == [0, 0, 0, 19]
    assert all(r.status == ImportRun.Status.OK for r in runs)
