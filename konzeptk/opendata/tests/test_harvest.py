"""Harvesting: a recorded answer of Krefeld's regional CKAN portal, a live CKAN API (our own), DCAT with Hydra
paging; idempotent, with change detection, deletion, and a report per run that one bad record does not stop."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from konzeptk.accounts.tests.factories import OrganisationFactory
from konzeptk.opendata import views
from konzeptk.opendata.harvest.records import Recorded
from konzeptk.opendata.harvest.run import harvest
from konzeptk.opendata.models import Dataset, HarvestSource
from konzeptk.opendata.tests.conftest import make_dataset

pytestmark = pytest.mark.django_db
RECORDING = (
    Path(__file__).resolve().parents[2]
    / "city/profiles/krefeld/demo/opendata-offenesdatenportal-krefeld.json"
)
PORTAL = "https://www.offenesdatenportal.de"


@pytest.fixture
def portal_source(city: Any) -> HarvestSource:
    publisher = OrganisationFactory(slug="odp", name="Stadt Krefeld (Offenes Datenportal)")
    return HarvestSource.objects.create(
        name="Offenes Datenportal",
        url=PORTAL,
        kind=HarvestSource.Kind.CKAN,
        organisation_filter="krefeld",
        publisher=publisher,
    )


def test_recorded_krefeld_portal(portal_source: HarvestSource) -> None:
    fetch = Recorded({f"{PORTAL}/api/3/action/package_search*": RECORDING.read_bytes()})
    run = harvest(portal_source, fetch=fetch)
    assert not run.failed
    assert run.created == 9
    assert [e["identifier"] for e in run.errors] == ["wohnungsangebot-in-krefeld"]  # broken on purpose
    streets = Dataset.objects.get(name="strabenverzeichnis-12-2016-der-stadt-krefeld")
    assert streets.origin == Dataset.Origin.HARVEST
    assert streets.licence == "dl-zero-de/2.0"
    assert streets.themes == ["GOVE", "REGI"]
    assert streets.distributions.get().file_format == "CSV"
    assert (
        Dataset.objects.get(name="schulen-in-krefeld").licence == ""
    )  # stored, shown with the missing point
    assert "fq=organization%3Akrefeld" in fetch.calls[0]

    again = harvest(portal_source, fetch=fetch)
    assert (again.created, again.updated, again.unchanged, again.deleted) == (0, 0, 9, 0)


def test_changes_and_deletions_are_detected(portal_source: HarvestSource) -> None:
    body = json.loads(RECORDING.read_bytes())
    fetch = Recorded({f"{PORTAL}/api/3/action/package_search*": json.dumps(body).encode()})
    harvest(portal_source, fetch=fetch)
    results = body["result"]["results"]
    results[0]["title"] = "Neuer Titel"
    del results[1]
    body["result"]["count"] -= 1
    fetch.responses[f"{PORTAL}/api/3/action/package_search*"] = json.dumps(body).encode()
    run = harvest(portal_source, fetch=fetch)
    assert (run.updated, run.deleted) == (1, 1)
    assert Dataset.objects.filter(title="Neuer Titel").exists()


def test_a_source_that_cannot_be_read_deletes_nothing(portal_source: HarvestSource) -> None:
    harvest(portal_source, fetch=Recorded({f"{PORTAL}/*": RECORDING.read_bytes()}))
    before = Dataset.objects.count()
    for answer in (
        b"<html>Wartungsarbeiten</html>",
        b'{"success": false}',
        b'{"success": true, "result": {}}',
    ):
        run = harvest(portal_source, fetch=Recorded({f"{PORTAL}/*": answer}))
        assert run.failed
        assert run.errors
    assert Dataset.objects.count() == before
    unreachable = harvest(portal_source, fetch=Recorded({}))
    assert unreachable.failed


def test_live_ckan_api_of_a_second_instance(city: Any, live_server: Any) -> None:
    """Our own CKAN API as the source, paged: 2,500 rows would need three pages of 1,000."""
    other = OrganisationFactory(slug="nachbarstadt", name="Nachbarstadt")
    for n in range(25):
        make_dataset(f"quelle-{n:02d}", f"Quelle {n}", publisher=other, keywords=("Test",))
    source = HarvestSource.objects.create(
        name="Nachbarportal",
        url=live_server.url,
        kind=HarvestSource.Kind.CKAN,
        organisation_filter="nachbarstadt",
        publisher=OrganisationFactory(slug="spiegel", name="Spiegel"),
    )
    from konzeptk.opendata.harvest import ckan

    ckan.ROWS, old = 10, ckan.ROWS
    try:
        run = harvest(source)
    finally:
        ckan.ROWS = old
    assert not run.failed, run.errors
    assert run.created == 25
    copies = Dataset.objects.filter(harvest_source=source)
    assert copies.count() == 25
    assert copies.get(title="Quelle 3").distributions.count() == 1


def test_dcat_catalogue_with_hydra_pages(client: Client, city: Any, city_org: Any, settings: Any) -> None:
    settings.SITE_URL = "https://nachbar.example"
    for n in range(5):
        make_dataset(
            f"dcat-{n}", f"DCAT-Datensatz {n}", publisher=city_org, keywords=("Luft",), formats=("CSV",)
        )
    views.RDF_PER_PAGE, old = 2, views.RDF_PER_PAGE
    try:
        pages = {
            f"https://nachbar.example/catalog.ttl?page={n}": client.get(f"/catalog.ttl?page={n}").content
            for n in (1, 2, 3)
        }
    finally:
        views.RDF_PER_PAGE = old
    source = HarvestSource.objects.create(
        name="Nachbar-DCAT", url="https://nachbar.example/catalog.ttl?page=1", kind=HarvestSource.Kind.DCAT
    )
    fetch = Recorded(pages)
    run = harvest(source, fetch=fetch)
    assert not run.failed, run.errors
    assert run.created == 5
    assert len(fetch.calls) == 3
    copy = Dataset.objects.get(harvest_source=source, title="DCAT-Datensatz 2")
    assert copy.licence == "dl-by-de/2.0"
    assert copy.keywords == ["Luft"]
    assert copy.distributions.get().file_format == "CSV"


def test_broken_dcat_record_is_reported_and_the_rest_stored(city: Any) -> None:
    turtle = b"""
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<https://x.example/ds/1> a dcat:Dataset ; dct:title "Gut"@de ; dcat:distribution <https://x.example/d/1> .
<https://x.example/d/1> a dcat:Distribution ; dcat:accessURL <https://x.example/1.csv> .
<https://x.example/ds/2> a dcat:Dataset ; dct:title "Ohne Adresse"@de ; dcat:distribution <https://x.example/d/2> .
<https://x.example/d/2> a dcat:Distribution .
<https://x.example/ds/3> a dcat:Dataset .
"""
    source = HarvestSource.objects.create(
        name="X", url="https://x.example/catalog.ttl", kind=HarvestSource.Kind.DCAT
    )
    run = harvest(source, fetch=Recorded({"https://x.example/catalog.ttl": turtle}))
    assert run.created == 1
    assert len(run.errors) == 2
    broken = harvest(source, fetch=Recorded({"https://x.example/catalog.ttl": b"@prefix broken"}))
    assert broken.failed
    assert Dataset.objects.filter(harvest_source=source).count() == 1
