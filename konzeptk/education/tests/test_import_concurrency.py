"""Four imports of the same source at once (the schedule and clicks on "import now") on PostgreSQL:
each offer is stored once, one run creates them, the others find them unchanged."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from django.db import connection

from konzeptk.education import imports
from konzeptk.education.models import ImportRun, ImportSource, Offer
from konzeptk.education.tests.conftest import make_provider

DATA = Path(__file__).parent / "data"

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_imports_of_one_source_store_each_offer_once() -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    source = ImportSource.objects.create(
        provider=make_provider(), title="Programm", format="jsonld", url="https://vhs.example/digital"
    )
    content = (DATA / "jsonld/vhs-programm.html").read_bytes()
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def run() -> None:
        try:
            start.wait()
            imports.source_import(source=ImportSource.objects.get(pk=source.pk), content=content)
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
    assert Offer.objects.filter(import_source=source).count() == 4
    runs = list(ImportRun.objects.filter(source=source))
    assert sorted(r.created for r in runs) == [0, 0, 0, 4]
    assert sorted(r.unchanged for r in runs) == [0, 4, 4, 4]
    assert all(r.status == ImportRun.Status.PARTIAL and r.error_count == 3 for r in runs)
